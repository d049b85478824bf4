"""Putting every producer's findings together: one list, labelled by where each came from,
most severe first.

Pure: the assessment (``workflows.assessment``) reads the findings; this only orders them, so
the report, the findings page and the planner see the same list in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from backstride.findings.model import Finding

# The producers, in the order their findings are listed when equally severe.
SCREENING_SOURCE = "Screening answers"
LOAD_SOURCE = "Training load"
FORM_SOURCE = "Running form video"


class SourcedFinding(NamedTuple):
    """A finding and the words for where it came from (a pair, so templates can unpack it)."""

    source: str
    finding: Finding


def merge_findings(groups: Iterable[tuple[str, Iterable[Finding]]]) -> tuple[SourcedFinding, ...]:
    """Every finding of ``groups`` (``(source, findings)`` pairs), most severe first.

    The sort is stable: equally severe findings keep the order of the groups and, within a
    group, the producer's own order. Nothing is dropped: one code can stand for several things
    (two pairs of shoes past their retirement distance are two findings).
    """
    pairs = [SourcedFinding(source, f) for source, findings in groups for f in findings]
    pairs.sort(key=lambda p: -p.finding.severity.rank)
    return tuple(pairs)
