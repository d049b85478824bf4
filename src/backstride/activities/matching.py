"""When two records are one activity (a watch's FIT and the GPX of the same run, say).

Pure rule, no storage: the import keeps one record per activity and lets the richer file win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

UNKNOWN_SPORT = "unknown"   # a GPX without <type>: still the same run as its FIT twin


class Timed(Protocol):
    """Anything with a sport and a start time (an :class:`Activity`, a stored row)."""

    @property
    def sport(self) -> str: ...

    @property
    def start_time(self) -> dt.datetime: ...


T = TypeVar("T", bound=Timed)


def _utc(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def same_activity(a: Timed, b: Timed, window_s: float) -> bool:
    """Same sport (or one of them unknown) and starts at most ``window_s`` seconds apart."""
    close = abs((_utc(a.start_time) - _utc(b.start_time)).total_seconds()) <= window_s
    return close and (a.sport == b.sport or UNKNOWN_SPORT in (a.sport, b.sport))


def first_same(activity: Timed, stored: Iterable[T], window_s: float) -> T | None:
    """The first of ``stored`` (in the order given: oldest record first) that is ``activity``."""
    return next((s for s in stored if same_activity(activity, s, window_s)), None)
