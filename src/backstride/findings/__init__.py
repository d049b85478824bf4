"""Findings: the common currency between analysers and the planner."""

from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity

__all__ = ["Evidence", "EvidenceLevel", "Finding", "Severity"]
