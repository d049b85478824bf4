"""Which weekdays carry strength sessions.

Rules (issue 3): on easy-run or rest days; never on the long-run day or a hard day, and never
the day before either (tired legs and trunk on the day that matters most). Among the allowed
days we prefer rest days and days spread out over the week, and break ties by weekday so the
result is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations


def key_days(run_days: tuple[int, ...], long_run_day: int | None, hard_days: tuple[int, ...]) -> set[int]:
    return ({long_run_day} if long_run_day is not None else set()) | set(hard_days)


def eligible_strength_days(run_days: tuple[int, ...], long_run_day: int | None,
                           hard_days: tuple[int, ...]) -> list[int]:
    keys = key_days(run_days, long_run_day, hard_days)
    day_before = {(k - 1) % 7 for k in keys}
    return [d for d in range(7) if d not in keys and d not in day_before]


def _spread(days: tuple[int, ...]) -> int:
    """Smallest circular gap between chosen days (bigger is better)."""
    if len(days) < 2:
        return 7
    ordered = sorted(days)
    gaps = [(ordered[(i + 1) % len(ordered)] - ordered[i]) % 7 for i in range(len(ordered))]
    return min(gaps)


def choose_strength_days(count: int, run_days: tuple[int, ...], long_run_day: int | None,
                         hard_days: tuple[int, ...]) -> tuple[int, ...]:
    """``count`` weekdays (0 = Monday), or fewer when the week has fewer allowed days."""
    allowed = eligible_strength_days(run_days, long_run_day, hard_days)
    n = min(count, len(allowed))
    if n == 0:
        return ()
    runs = set(run_days)
    best = min(combinations(allowed, n),
               key=lambda combo: (sum(d in runs for d in combo), -_spread(combo), combo))
    return tuple(sorted(best))


_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_names(days: Iterable[int], *, empty: str = "none") -> str:
    """Weekdays (0 = Monday) as a reader writes them: "Monday and Friday", "Tuesday, Thursday and Sunday"."""
    names = [_FULL_NAMES[d] for d in sorted(set(days)) if 0 <= d < 7]
    if len(names) <= 1:
        return "".join(names) or empty
    return f"{', '.join(names[:-1])} and {names[-1]}"
