"""Distance on each pair of shoes, and what that means.

The usual 500-800 km replacement distance is a convention with weak evidence behind it; the
retirement distance is the runner's to set. Using more than one pair in parallel was
associated with fewer injuries in one cohort (Malisoux 2015).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backstride.activities.model import Activity
from backstride.evidence import threshold


@dataclass(frozen=True)
class Shoe:
    id: int
    name: str
    added_on: dt.date
    retirement_km: float
    retired_on: dt.date | None = None
    start_km: float = 0.0
    is_current: bool = False


@dataclass(frozen=True)
class ShoeStatus:
    shoe: Shoe
    distance_km: float           # including start_km (distance already on the pair)
    runs: int
    last_used: dt.date | None
    runs_last_28_days: int

    @property
    def fraction_used(self) -> float:
        return self.distance_km / self.shoe.retirement_km if self.shoe.retirement_km > 0 else 0.0

    @property
    def status(self) -> str:
        if self.shoe.retired_on is not None:
            return "retired"
        if self.fraction_used >= 1.0:
            return "past_retirement"
        if self.fraction_used >= threshold("load_shoe_warn_fraction").value:
            return "near_retirement"
        return "ok"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.shoe.id, "name": self.shoe.name, "added_on": self.shoe.added_on.isoformat(),
            "retired_on": self.shoe.retired_on.isoformat() if self.shoe.retired_on else None,
            "is_current": self.shoe.is_current, "retirement_km": self.shoe.retirement_km,
            "distance_km": round(self.distance_km, 1), "runs": self.runs,
            "runs_last_28_days": self.runs_last_28_days,
            "last_used": self.last_used.isoformat() if self.last_used else None,
            "fraction_used": round(self.fraction_used, 3), "status": self.status,
        }


def shoe_statuses(shoes: Iterable[Shoe], activities: Iterable[Activity], shoe_of: Mapping[int, int | None],
                  today: dt.date) -> list[ShoeStatus]:
    totals: dict[int, list[float]] = {}
    last: dict[int, dt.date] = {}
    recent: dict[int, int] = {}
    window_start = today - dt.timedelta(days=threshold("load_shoe_rotation_window").value)
    for act in activities:
        shoe_id = shoe_of.get(act.id) if act.id is not None else None
        if shoe_id is None or not act.is_run:
            continue
        totals.setdefault(shoe_id, []).append((act.distance_m or 0.0) / 1000.0)
        day = act.start_date
        if shoe_id not in last or day > last[shoe_id]:
            last[shoe_id] = day
        if window_start < day <= today:
            recent[shoe_id] = recent.get(shoe_id, 0) + 1
    return [ShoeStatus(shoe=s, distance_km=s.start_km + sum(totals.get(s.id, [])), runs=len(totals.get(s.id, [])),
                       last_used=last.get(s.id), runs_last_28_days=recent.get(s.id, 0)) for s in shoes]


@dataclass(frozen=True)
class ShoeChoice:
    """The pair a new run counts on: a stored pair, a pair to add (named by the export), or none."""

    shoe_id: int | None = None
    new_pair: str | None = None


def shoe_for_run(activity: Activity, shoes: Sequence[Shoe]) -> ShoeChoice:
    """The export's gear when it names one (matched by name, case-insensitively, or added as a new
    pair), else the pair that was current on the run's day; only runs count on shoes.

    ``shoes`` are in the order they were added, oldest first: the newest current pair wins.
    """
    if activity.sport != "running":
        return ShoeChoice()
    if activity.gear:
        for shoe in shoes:
            if shoe.name.lower() == activity.gear.lower():
                return ShoeChoice(shoe.id)
        return ShoeChoice(new_pair=activity.gear)
    day = activity.start_date
    for shoe in reversed(shoes):
        if shoe.is_current and shoe.added_on <= day and (shoe.retired_on is None or shoe.retired_on >= day):
            return ShoeChoice(shoe.id)
    return ShoeChoice()


def pairs_in_rotation(statuses: Iterable[ShoeStatus]) -> int:
    """Pairs used at least once in the rotation window (``load_shoe_rotation_window``, 28 days)."""
    return sum(1 for s in statuses if s.runs_last_28_days > 0 and s.shoe.retired_on is None)
