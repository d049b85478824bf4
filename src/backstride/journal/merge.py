"""Field-by-field merge of two edits of the same day (a phone and a laptop, two tabs, two commands).

Both edits start from the same stored version (``base``). A field only one side changed takes
that side's value; a field both changed to the same value is fine; a field both changed to
different values is a conflict that the person has to settle, so it is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MergeResult:
    merged: dict[str, Any]
    conflicts: tuple[str, ...]     # fields both sides changed to different values


def merge_fields(base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> MergeResult:
    """Three-way merge of entry dicts: ``ours`` is the new edit, ``theirs`` what was stored meanwhile."""
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for key in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == b:
            value = t
        elif t in (b, o):
            value = o
        else:
            conflicts.append(key)
            value = t
        if key in ours or key in theirs:
            merged[key] = value
    return MergeResult(merged=merged, conflicts=tuple(conflicts))
