"""The short red-flag re-check asked at every check-in (``data/journal/checkin_red_flags.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class RedFlagQuestion:
    code: str
    question: str
    tier: str        # the triage tier a "yes" points to (emergency, urgent, see_clinician)
    source: str


@cache
def red_flag_questions() -> dict[str, RedFlagQuestion]:
    text = (resources.files("backstride") / "data" / "journal" / "checkin_red_flags.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {code: RedFlagQuestion(code, body["question"], body["tier"], body["source"]) for code, body in data.items()}
