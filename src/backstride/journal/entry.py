"""One day's check-in: the value, its validation, and the defaults carried from yesterday.

An entry describes one calendar day. ``pain_morning`` is the rating on waking that day; the
run fields describe a run done that day, so "did the pain settle by the next morning" is the
next day's ``pain_morning``. Pain is the 0-10 numeric rating scale (NRS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from backstride.errors import Problem, ValidationFailed

PAIN_RANGE = "a whole number from 0 (no pain) to 10 (worst imaginable)"


@dataclass(frozen=True)
class ExerciseLog:
    """One planned exercise as it was done: how much, and how much it hurt."""

    exercise_id: str
    sets: int
    reps: int | None = None
    hold_s: int | None = None
    pain_during: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "sets": self.sets, "reps": self.reps,
                "hold_s": self.hold_s, "pain_during": self.pain_during}


@dataclass(frozen=True)
class JournalEntry:
    day: dt.date
    pain_now: int | None = None
    pain_morning: int | None = None
    stiffness_morning_min: int | None = None
    pain_during_run: int | None = None
    pain_after_run: int | None = None
    run_rpe: int | None = None
    run_distance_m: float | None = None
    run_duration_s: float | None = None
    runwalk_repeats: int | None = None   # repeats finished of a run-walk ladder session
    limping: bool = False
    nerve_symptoms: bool = False         # new tingling, numbness or weakness
    red_flags: tuple[str, ...] = ()      # codes of red-flag questions answered "yes"
    exercises: tuple[ExerciseLog, ...] = ()
    notes: str = ""

    @property
    def ran(self) -> bool:
        return any(v is not None for v in (self.pain_during_run, self.pain_after_run, self.run_rpe,
                                            self.run_distance_m, self.run_duration_s, self.runwalk_repeats))

    @property
    def stop_signal(self) -> bool:
        """Limping, nerve symptoms or a red flag: never a green day, never a progression."""
        return self.limping or self.nerve_symptoms or bool(self.red_flags)

    @property
    def day_pain(self) -> int | None:
        """The day's pain level for trends: pain now, else pain on waking."""
        return self.pain_now if self.pain_now is not None else self.pain_morning

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "pain_now": self.pain_now, "pain_morning": self.pain_morning,
                "stiffness_morning_min": self.stiffness_morning_min, "pain_during_run": self.pain_during_run,
                "pain_after_run": self.pain_after_run, "run_rpe": self.run_rpe,
                "run_distance_m": self.run_distance_m, "run_duration_s": self.run_duration_s,
                "runwalk_repeats": self.runwalk_repeats, "limping": self.limping,
                "nerve_symptoms": self.nerve_symptoms, "red_flags": list(self.red_flags),
                "exercises": [e.to_dict() for e in self.exercises], "notes": self.notes}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JournalEntry:
        """Read a stored entry back (already validated once; use :func:`parse_entry` for input)."""
        return parse_entry(data)


_INT_FIELDS: dict[str, tuple[int, int, str]] = {
    "pain_now": (0, 10, PAIN_RANGE),
    "pain_morning": (0, 10, PAIN_RANGE),
    "pain_during_run": (0, 10, PAIN_RANGE),
    "pain_after_run": (0, 10, PAIN_RANGE),
    "run_rpe": (0, 10, "perceived effort, a whole number from 0 (rest) to 10 (maximal)"),
    "stiffness_morning_min": (0, 720, "minutes of stiffness after waking, 0 to 720"),
    "runwalk_repeats": (0, 50, "a whole number of run-walk repeats, 0 to 50"),
}
_FLOAT_FIELDS: dict[str, tuple[float, float, str]] = {
    "run_distance_m": (0.0, 200_000.0, "metres, 0 to 200000"),
    "run_duration_s": (0.0, 86_400.0, "seconds, 0 to 86400"),
}
_BOOL_FIELDS = ("limping", "nerve_symptoms")
KNOWN_FIELDS = frozenset({"day", "notes", "red_flags", "exercises", *_INT_FIELDS, *_FLOAT_FIELDS, *_BOOL_FIELDS})


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "y", "true", "1", "no", "n", "false", "0"):
        return value.strip().lower() in ("yes", "y", "true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def parse_entry(data: Mapping[str, Any], *, known_red_flags: frozenset[str] | None = None,
                source: str = "check-in") -> JournalEntry:
    """Build a :class:`JournalEntry` from loose input, listing every problem at once.

    ``known_red_flags`` limits which red-flag codes are accepted (the check-in's question set).
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    unknown = sorted(set(data) - KNOWN_FIELDS)
    for name in unknown:
        problems.append(Problem(name, "is not a check-in field", ", ".join(sorted(KNOWN_FIELDS))))

    raw_day = data.get("day")
    day: dt.date | None = None
    if isinstance(raw_day, dt.datetime):
        day = raw_day.date()
    elif isinstance(raw_day, dt.date):
        day = raw_day
    elif isinstance(raw_day, str):
        try:
            day = dt.date.fromisoformat(raw_day.strip())
        except ValueError:
            problems.append(Problem("day", f"{raw_day!r} is not a date", "YYYY-MM-DD, e.g. 2026-03-14"))
    else:
        problems.append(Problem("day", "is missing", "YYYY-MM-DD, e.g. 2026-03-14"))

    for name, (lo, hi, allowed) in _INT_FIELDS.items():
        raw = data.get(name)
        if raw is None or raw == "":
            continue
        number = _as_int(raw)
        if number is None or not lo <= number <= hi:
            problems.append(Problem(name, f"{raw!r} is not allowed", allowed))
        else:
            values[name] = number
    for name, (flo, fhi, allowed) in _FLOAT_FIELDS.items():
        raw = data.get(name)
        if raw is None or raw == "":
            continue
        real = _as_float(raw)
        if real is None or real != real or not flo <= real <= fhi:
            problems.append(Problem(name, f"{raw!r} is not allowed", allowed))
        else:
            values[name] = real
    for name in _BOOL_FIELDS:
        raw = data.get(name)
        if raw is None:
            continue
        flag = _as_bool(raw)
        if flag is None:
            problems.append(Problem(name, f"{raw!r} is not yes or no", "yes/no, true/false"))
        else:
            values[name] = flag

    raw_flags = data.get("red_flags") or ()
    if isinstance(raw_flags, str):
        raw_flags = [f.strip() for f in raw_flags.split(",") if f.strip()]
    if not isinstance(raw_flags, list | tuple):
        problems.append(Problem("red_flags", "must be a list of red-flag codes", None))
        raw_flags = ()
    flags: list[str] = []
    for code in raw_flags:
        if known_red_flags is not None and code not in known_red_flags:
            problems.append(Problem("red_flags", f"{code!r} is not a red-flag question",
                                    ", ".join(sorted(known_red_flags))))
        elif str(code) not in flags:
            flags.append(str(code))
    values["red_flags"] = tuple(sorted(flags))

    values["exercises"] = tuple(_parse_exercises(data.get("exercises") or (), problems))

    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        problems.append(Problem("notes", "must be text", None))
    elif len(notes) > 4000:
        problems.append(Problem("notes", f"is {len(notes)} characters long", "at most 4000 characters"))
    else:
        values["notes"] = notes.strip()

    if problems or day is None:
        raise ValidationFailed(source, problems)
    return JournalEntry(day=day, **values)


def _parse_exercises(raw: Any, problems: list[Problem]) -> list[ExerciseLog]:
    if not isinstance(raw, list | tuple):
        problems.append(Problem("exercises", "must be a list", "[{exercise_id, sets, reps or hold_s, pain_during}]"))
        return []
    out: list[ExerciseLog] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"exercises[{i}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be a mapping", "{exercise_id, sets, reps or hold_s, pain_during}"))
            continue
        ex_id = item.get("exercise_id")
        if not isinstance(ex_id, str) or not ex_id.strip():
            problems.append(Problem(f"{where}.exercise_id", "is missing", "the exercise id from your plan"))
            continue
        if ex_id in seen:
            problems.append(Problem(f"{where}.exercise_id", f"{ex_id!r} is logged twice", "one row per exercise"))
            continue
        seen.add(ex_id)
        sets = _as_int(item.get("sets", 1))
        reps = _as_int(item["reps"]) if item.get("reps") not in (None, "") else None
        hold = _as_int(item["hold_s"]) if item.get("hold_s") not in (None, "") else None
        pain = _as_int(item["pain_during"]) if item.get("pain_during") not in (None, "") else None
        ok = True
        if sets is None or not 0 <= sets <= 20:
            problems.append(Problem(f"{where}.sets", f"{item.get('sets')!r} is not allowed", "0 to 20"))
            ok = False
        if item.get("reps") not in (None, "") and (reps is None or not 0 <= reps <= 200):
            problems.append(Problem(f"{where}.reps", f"{item.get('reps')!r} is not allowed", "0 to 200"))
            ok = False
        if item.get("hold_s") not in (None, "") and (hold is None or not 0 <= hold <= 3600):
            problems.append(Problem(f"{where}.hold_s", f"{item.get('hold_s')!r} is not allowed", "0 to 3600 s"))
            ok = False
        if item.get("pain_during") not in (None, "") and (pain is None or not 0 <= pain <= 10):
            problems.append(Problem(f"{where}.pain_during", f"{item.get('pain_during')!r} is not allowed", PAIN_RANGE))
            ok = False
        if ok and sets is not None:
            out.append(ExerciseLog(ex_id.strip(), sets, reps, hold, pain))
    return out


# Fields worth offering as tomorrow's defaults: things that change slowly. Run answers, symptoms
# and red flags are asked fresh every day on purpose.
_CARRIED = ("pain_now", "pain_morning", "stiffness_morning_min")


def defaults_from(previous: JournalEntry | None, day: dt.date) -> JournalEntry:
    """Yesterday's slow-changing answers as today's defaults (what the interactive log offers)."""
    if previous is None:
        return JournalEntry(day=day)
    carried = {name: getattr(previous, name) for name in _CARRIED}
    return replace(JournalEntry(day=day), **carried)


@dataclass(frozen=True)
class EntryEdit:
    """One audited change to a stored entry: what it was before, and when it changed."""

    day: dt.date
    edited_at: dt.datetime
    previous: dict[str, Any]
    changed_fields: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "edited_at": self.edited_at.isoformat(),
                "previous": self.previous, "changed_fields": list(self.changed_fields)}


def merge_answers(existing: JournalEntry | None, answers: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """Some answers laid over a day's stored check-in: the rest stays, exercises merge by id.

    Logging a plank after the bird dog keeps the bird dog; logging the bird dog again replaces
    its row (a corrected count).
    """
    base = existing.to_dict() if existing is not None else {}
    merged = {**base, **dict(answers), "day": day.isoformat()}
    if existing is not None and "exercises" in answers:
        new = [dict(x) if isinstance(x, Mapping) else x for x in (answers.get("exercises") or ())]
        ids = {x.get("exercise_id") for x in new if isinstance(x, Mapping)}
        kept = [e.to_dict() for e in existing.exercises if e.exercise_id not in ids]
        merged["exercises"] = kept + new
    return merged


def changed_fields(before: JournalEntry, after: JournalEntry) -> tuple[str, ...]:
    a, b = before.to_dict(), after.to_dict()
    return tuple(sorted(k for k in a if a[k] != b.get(k)))
