"""Read and validate ``data/exercises/*.yaml``.

Every problem in a file is reported (field, what was wrong, what is allowed), not only the
first, and the library as a whole is checked too: ids unique and equal to the file name,
every progression, regression and reference resolves, and no chain of progressions loops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from backstride.datafiles import parse_yaml
from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.evidence import references
from backstride.findings.model import EvidenceLevel
from backstride.library.figure import parse_illustration
from backstride.library.model import (
    EQUIPMENT,
    FINDING_CODES,
    LOAD_REQUIRES,
    Category,
    Contraindication,
    Dosage,
    Exercise,
    ExerciseEvidence,
    Level,
    Routine,
    SpineLoad,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
MIN_CUES, MAX_CUES = 3, 5


def _allowed(enum_values: Iterable[str]) -> str:
    return ", ".join(sorted(enum_values))


class _Reader:
    """Collects problems while pulling typed values out of one raw mapping."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str, allowed: str | None = None) -> None:
        self.problems.append(Problem(field, message, allowed))

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be non-empty text")
            return ""
        return value.strip()

    def texts(self, key: str, *, min_items: int = 0, max_items: int | None = None) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "must be a list of non-empty texts")
            return ()
        if len(value) < min_items or (max_items is not None and len(value) > max_items):
            bound = f"{min_items}-{max_items}" if max_items is not None else f"at least {min_items}"
            self.fail(key, f"has {len(value)} items, needs {bound}")
        return tuple(v.strip() for v in value)

    def choices(self, key: str, allowed: Iterable[str], *, min_items: int = 0) -> tuple[str, ...]:
        allowed_set = set(allowed)
        values = self.texts(key, min_items=min_items)
        for v in values:
            if v not in allowed_set:
                self.fail(key, f"{v!r} is not a known value", _allowed(allowed_set))
        if len(set(values)) != len(values):
            self.fail(key, "lists a value twice")
        return tuple(v for v in values if v in allowed_set)

    def ref_id(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(key, f"{value!r} is not an exercise id (lower_case_with_underscores)")
            return None
        return value


def _dosage(reader: _Reader, raw: Any) -> dict[Level, Dosage]:
    if not isinstance(raw, dict) or not raw:
        reader.fail("dosage", "must map a level to its dose", _allowed(v.value for v in Level))
        return {}
    out: dict[Level, Dosage] = {}
    for level_name, body in raw.items():
        field = f"dosage.{level_name}"
        if level_name not in {lvl.value for lvl in Level}:
            reader.fail(field, "unknown level", _allowed(v.value for v in Level))
            continue
        if not isinstance(body, dict):
            reader.fail(field, "must be a mapping with sets, reps or hold_s, rest_s, sessions_per_week")
            continue
        ranges: dict[str, tuple[int, int] | None] = {}
        for key in ("reps", "hold_s"):
            value = body.get(key)
            if value is None:
                ranges[key] = None
            elif (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
                  and 0 < value[0] <= value[1]):
                ranges[key] = (value[0], value[1])
            else:
                reader.fail(f"{field}.{key}", "must be [start, top] with 0 < start <= top")
                ranges[key] = None
        if ranges["reps"] is None and ranges["hold_s"] is None:
            reader.fail(field, "needs reps or hold_s (or both)")
        ints: dict[str, int] = {}
        for key, low, high in (("sets", 1, 6), ("rest_s", 0, 300), ("sessions_per_week", 1, 14)):
            value = body.get(key)
            if not isinstance(value, int) or not low <= value <= high:
                reader.fail(f"{field}.{key}", f"must be a whole number from {low} to {high}")
                value = low
            ints[key] = value
        out[Level(level_name)] = Dosage(sets=ints["sets"], reps=ranges["reps"], hold_s=ranges["hold_s"],
                                        rest_s=ints["rest_s"], sessions_per_week=ints["sessions_per_week"],
                                        per_side=bool(body.get("per_side", False)))
    if Level.BEGINNER not in out and not reader.problems:
        reader.fail("dosage", "must include a beginner dose (the plan starts there when in doubt)")
    return out


def parse_exercise(raw: Any, source: str, *, known_references: Iterable[str] | None = None) -> Exercise:
    """One exercise from its raw mapping; raises :class:`ValidationFailed` listing every problem."""
    if not isinstance(raw, dict):
        raise ValidationFailed(source, [Problem("(file)", "must be a mapping of field -> value")])
    r = _Reader(raw)
    ex_id = r.text("id")
    if ex_id and not ID_PATTERN.match(ex_id):
        r.fail("id", f"{ex_id!r} must be lower_case_with_underscores, 2-61 characters")
    name = r.text("name")
    category = r.text("category")
    if category and category not in {c.value for c in Category}:
        r.fail("category", f"{category!r} is not a category", _allowed(c.value for c in Category))
    routines = r.choices("routines", (v.value for v in Routine), min_items=1)
    addresses = r.choices("addresses", FINDING_CODES)
    equipment = r.choices("equipment", EQUIPMENT)
    loading = r.choices("spine_loading", (v.value for v in SpineLoad))
    contra = r.choices("contraindications", (v.value for v in Contraindication))
    for load_name in loading:
        needed = LOAD_REQUIRES.get(SpineLoad(load_name))
        if needed is not None and needed.value not in contra:
            r.fail("contraindications", f"the exercise loads the spine in {load_name}, so it must list {needed.value}")
    difficulty = raw.get("difficulty")
    if not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        r.fail("difficulty", "must be a whole number from 1 (gentlest) to 5")
        difficulty = 1
    dosage = _dosage(r, raw.get("dosage"))
    progression, regression = r.ref_id("progression"), r.ref_id("regression")
    if ex_id and ex_id in (progression, regression):
        r.fail("progression", "an exercise cannot progress or regress to itself")
    cues = r.texts("cues", min_items=MIN_CUES, max_items=MAX_CUES)
    mistakes = r.texts("mistakes", min_items=1)
    instructions = r.texts("instructions", min_items=2)
    start_position = r.text("start_position")
    ev_raw = raw.get("evidence")
    evidence = ExerciseEvidence(EvidenceLevel.NONE, (), "")
    if not isinstance(ev_raw, dict):
        r.fail("evidence", "must have level, reference_ids and note")
    else:
        level = ev_raw.get("level")
        if level not in {v.value for v in EvidenceLevel}:
            r.fail("evidence.level", f"{level!r} is not an evidence level", _allowed(v.value for v in EvidenceLevel))
            level = EvidenceLevel.NONE.value
        ref_ids = ev_raw.get("reference_ids") or []
        known = set(known_references) if known_references is not None else set(references())
        if not isinstance(ref_ids, list) or not ref_ids:
            r.fail("evidence.reference_ids", "must list at least one reference id (say so when the evidence is none)")
            ref_ids = []
        for ref in ref_ids:
            if ref not in known:
                r.fail("evidence.reference_ids", f"{ref!r} is not in data/references/*.yaml")
        note = ev_raw.get("note")
        if not isinstance(note, str) or not note.strip():
            r.fail("evidence.note", "must say in words what the evidence shows (or that there is none)")
            note = ""
        evidence = ExerciseEvidence(EvidenceLevel(level), tuple(ref_ids), note.strip())
    illustration = None
    if "illustration" in raw:
        # structure only: the geometry (contacts, floor) is checked by the tests, not on every start
        illustration = parse_illustration(raw["illustration"], r.fail)
    unknown = set(raw) - _FIELDS
    for key in sorted(unknown):
        r.fail(key, "is not a field of an exercise", _allowed(_FIELDS))
    if r.problems:
        raise ValidationFailed(source, r.problems)
    return Exercise(
        id=ex_id, name=name, aliases=r.texts("aliases"), category=Category(category),
        routines=tuple(Routine(v) for v in routines), target_muscles=r.texts("target_muscles", min_items=1),
        addresses=addresses, start_position=start_position, equipment=equipment,
        spine_loading=tuple(SpineLoad(v) for v in loading),
        contraindications=tuple(Contraindication(v) for v in contra), difficulty=difficulty, dosage=dosage,
        progression=progression, regression=regression, cues=cues, mistakes=mistakes,
        instructions=instructions, evidence=evidence, source_article=bool(raw.get("source_article", False)),
        illustration=illustration,
    )


_FIELDS = frozenset({
    "id", "name", "aliases", "category", "routines", "target_muscles", "addresses", "start_position",
    "equipment", "spine_loading", "contraindications", "difficulty", "dosage", "progression", "regression",
    "cues", "mistakes", "instructions", "evidence", "source_article", "illustration",
})


@dataclass(frozen=True)
class Library:
    """All exercises by id, in id order (so every query is deterministic)."""

    exercises: Mapping[str, Exercise]

    def __len__(self) -> int:
        return len(self.exercises)

    def __iter__(self) -> Any:
        return iter(self.exercises.values())

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            close = [i for i in self.exercises if exercise_id.replace("-", "_") in i][:5]
            if close:
                raise NotFoundError(f"no exercise with id {exercise_id!r}",
                                    hint=f"did you mean: {', '.join(close)}?") from None
            raise NotFoundError(f"no exercise with id {exercise_id!r}", hint="see the list of every exercise id",
                                command="backstride exercise list") from None

    def query(self, *, category: Category | None = None, routine: Routine | None = None,
              addresses: str | None = None) -> list[Exercise]:
        return [e for e in self
                if (category is None or e.category is category)
                and (routine is None or routine in e.routines)
                and (addresses is None or addresses in e.addresses)]

    def chain(self, exercise_id: str) -> list[str]:
        """The progression chain through an exercise, easiest first."""
        start = exercise_id
        seen = {start}
        while (reg := self.exercises[start].regression) is not None and reg not in seen:
            seen.add(reg)
            start = reg
        out = [start]
        while (nxt := self.exercises[out[-1]].progression) is not None and nxt not in out:
            out.append(nxt)
        return out


def check_library(exercises: Mapping[str, Exercise], source: str = "data/exercises") -> None:
    """Whole-library rules: links resolve, progressions form no cycle."""
    problems: list[Problem] = []
    for ex in exercises.values():
        for key in ("progression", "regression"):
            target = getattr(ex, key)
            if target is not None and target not in exercises:
                problems.append(Problem(f"{ex.id}.{key}", f"points to {target!r}, which does not exist"))
    for ex in exercises.values():
        seen = [ex.id]
        nxt = ex.progression
        while nxt is not None and nxt in exercises:
            if nxt in seen:
                problems.append(Problem(f"{ex.id}.progression", f"loops back: {' -> '.join([*seen, nxt])}"))
                break
            seen.append(nxt)
            nxt = exercises[nxt].progression
    if problems:
        raise ValidationFailed(source, problems)


def load_library_from(folder: Path | Any) -> Library:
    """Load every ``*.yaml`` in ``folder`` (a path or an importlib resource)."""
    exercises: dict[str, Exercise] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        source = f"data/exercises/{entry.name}"
        try:
            raw = parse_yaml(entry.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValidationFailed(source, [Problem("(file)", f"is not valid YAML: {exc}")]) from exc
        ex = parse_exercise(raw, source)
        stem = entry.name.rsplit(".", 1)[0]
        if ex.id != stem:
            raise ValidationFailed(source, [Problem("id", f"{ex.id!r} must equal the file name {stem!r}")])
        if ex.id in exercises:
            raise ValidationFailed(source, [Problem("id", f"{ex.id!r} is used twice")])
        exercises[ex.id] = ex
    check_library(exercises)
    return Library(dict(sorted(exercises.items())))


@cache
def load_library() -> Library:
    """The packaged library (read once per process, on first use)."""
    return load_library_from(resources.files("backstride") / "data" / "exercises")
