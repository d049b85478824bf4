"""The run-walk return-to-run ladder, kept as data (``data/journal/return_to_run.yaml``).

Modelled on the ASTEROID trial (Neason et al. 2024): progress at most one stage a week, and
only after the top of the stage (all repeats) was done in at least two sessions; stay or go
back a stage when it does not go well. The trial's own stage table is not published, so the
stages are backstride's, after what was reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Stage:
    stage: int
    run_s: int
    walk_s: int
    repeats: int

    @property
    def total_s(self) -> int:
        return self.repeats * (self.run_s + self.walk_s)

    def describe(self) -> str:
        return (f"run-walk stage {self.stage}: {self.repeats} x (run {_clock(self.run_s)}, walk "
                f"{_clock(self.walk_s)}), about {round(self.total_s / 60)} min at an easy pace on flat ground")

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "run_s": self.run_s, "walk_s": self.walk_s, "repeats": self.repeats,
                "total_s": self.total_s, "text": self.describe()}


def _clock(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


@dataclass(frozen=True)
class Ladder:
    stages: tuple[Stage, ...]
    sessions_at_top: int
    min_days_per_stage: int
    entry_stage_after_red: int
    entry_stage_after_amber: int
    source: str
    note: str

    def stage(self, number: int) -> Stage:
        return self.stages[max(1, min(number, len(self.stages))) - 1]

    @property
    def top(self) -> int:
        return len(self.stages)


@cache
def ladder() -> Ladder:
    text = (resources.files("backstride") / "data" / "journal" / "return_to_run.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    repeats = int(data["repeats"])
    stages = tuple(Stage(int(s["stage"]), int(s["run_s"]), int(s["walk_s"]), repeats) for s in data["stages"])
    if [s.stage for s in stages] != list(range(1, len(stages) + 1)):
        raise ValueError("return_to_run.yaml: stages must be numbered 1, 2, 3 ... in order")
    return Ladder(stages=stages, sessions_at_top=int(data["sessions_at_top"]),
                  min_days_per_stage=int(data["min_days_per_stage"]),
                  entry_stage_after_red=int(data["entry_stage_after_red"]),
                  entry_stage_after_amber=int(data["entry_stage_after_amber"]),
                  source=str(data["source"]), note=str(data.get("note", "")))


@dataclass(frozen=True)
class LadderState:
    """Where the runner is on the ladder. ``active`` False means ordinary running."""

    active: bool = False
    stage: int = 0
    since: dt.date | None = None
    sessions_done: int = 0       # sessions at the top of the current stage that settled

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"active": self.active, "stage": self.stage,
                               "since": self.since.isoformat() if self.since else None,
                               "sessions_done": self.sessions_done}
        if self.active:
            out["session"] = ladder().stage(self.stage).to_dict()
        return out
