"""The screening questionnaire as data, and validation of answers against it.

The questions live in ``data/questionnaire.yaml`` so the interactive command, the web form and
answers files share one definition. :func:`validate_answers` checks a whole answers mapping and
reports every problem at once (unknown key, missing required answer, wrong type, out of range),
naming the key and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from backstride.datafiles import parse_yaml
from backstride.errors import Problem, ValidationFailed

QUESTION_TYPES = ("integer", "number", "boolean", "choice", "multi", "integer_list")

_TRUE_WORDS = {"yes", "y", "true", "1"}
_FALSE_WORDS = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str

    def to_dict(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "intro": self.intro}


@dataclass(frozen=True)
class Question:
    """One question; ``id`` is the key used in answers files and stored answers."""

    id: str
    section: str
    type: str
    prompt: str
    help: str = ""
    unit: str | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    ask_if: tuple[tuple[str, Any], ...] = ()
    instructions: tuple[str, ...] = ()
    length: int | None = None
    item_min: tuple[int, ...] = ()
    item_max: tuple[int, ...] = ()
    flow_required: bool = False   # asked for on the web and in the interactive command, optional in files
    unsure: bool = False          # "not_sure" is an allowed answer

    @property
    def skip_allowed(self) -> bool:
        return not (self.required or self.flow_required)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        """Whether this question applies given the other answers (``ask_if``)."""
        return all(answers.get(key) == value for key, value in self.ask_if)

    def allowed(self) -> str:
        """What is allowed, in words, for error messages and help."""
        if self.type == "boolean":
            return "yes or no"
        if self.unsure:
            return self._allowed_plain() + ", or not_sure"
        return self._allowed_plain()

    def _allowed_plain(self) -> str:
        # "NRS 0-10" style units repeat the range, so only plain units are appended.
        unit = f" {self.unit}" if self.unit and not any(ch.isdigit() for ch in self.unit) else ""
        if self.type == "choice":
            return "one of: " + ", ".join(self.choice_values)
        if self.type == "multi":
            return "a list of any of: " + ", ".join(self.choice_values)
        if self.type == "integer_list":
            ranges = ", ".join(f"{lo}-{hi}" for lo, hi in zip(self.item_min, self.item_max, strict=True))
            return f"a list of {self.length} whole numbers, in ranges {ranges}"
        kind = "a whole number" if self.type == "integer" else "a number"
        return f"{kind} from {_fmt(self.min)} to {_fmt(self.max)}{unit}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "section": self.section, "type": self.type, "prompt": self.prompt,
            "help": self.help, "unit": self.unit, "required": self.required,
            "skip_allowed": self.skip_allowed, "flow_required": self.flow_required, "unsure": self.unsure,
            "min": self.min, "max": self.max,
            "choices": [c.to_dict() for c in self.choices], "ask_if": dict(self.ask_if),
            "instructions": list(self.instructions), "length": self.length,
            "item_min": list(self.item_min), "item_max": list(self.item_max), "allowed": self.allowed(),
        }


@dataclass(frozen=True)
class Questionnaire:
    version: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def index(self, question_id: str) -> int:
        """Position in the asking order (0 = asked first)."""
        return self.questions.index(self._by_id[question_id])

    def in_section(self, section_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.section == section_id)

    def to_dict(self) -> dict[str, Any]:
        """The whole questionnaire, ready for a web form or ``--json``."""
        return {"version": self.version,
                "sections": [dict(s.to_dict(), questions=[q.to_dict() for q in self.in_section(s.id)])
                             for s in self.sections]}


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return str(int(x)) if float(x).is_integer() else str(x)


def _parse_question(raw: dict[str, Any]) -> Question:
    qtype = raw["type"]
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"question {raw['id']!r} has unknown type {qtype!r}")
    choices = tuple(Choice(str(c["value"]), str(c["label"])) for c in raw.get("choices", ()))
    if qtype in ("choice", "multi") and not choices:
        raise ValueError(f"question {raw['id']!r} of type {qtype} needs choices")
    return Question(
        id=raw["id"], section=raw["section"], type=qtype, prompt=raw["prompt"],
        help=str(raw.get("help", "")).strip(), unit=raw.get("unit"), required=bool(raw.get("required", False)),
        min=raw.get("min"), max=raw.get("max"), choices=choices,
        ask_if=tuple(sorted((raw.get("ask_if") or {}).items())),
        instructions=tuple(raw.get("instructions", ())), length=raw.get("length"),
        item_min=tuple(raw.get("item_min", ())), item_max=tuple(raw.get("item_max", ())),
        flow_required=bool(raw.get("flow_required", False)), unsure=bool(raw.get("unsure", False)),
    )


@cache
def load_questionnaire() -> Questionnaire:
    """The packaged questionnaire (read once, on first use)."""
    text = (resources.files("backstride") / "data" / "questionnaire.yaml").read_text(encoding="utf-8")
    data = parse_yaml(text)
    sections = tuple(Section(s["id"], s["title"], str(s.get("intro", "")).strip()) for s in data["sections"])
    section_ids = {s.id for s in sections}
    position = {s.id: i for i, s in enumerate(sections)}
    # Asked section by section in the listed order (the warning signs first); stable within a section.
    questions = tuple(sorted((_parse_question(q) for q in data["questions"]),
                             key=lambda q: position.get(q.section, len(position))))
    seen: set[str] = set()
    for q in questions:
        if q.section not in section_ids:
            raise ValueError(f"question {q.id!r} names unknown section {q.section!r}")
        if q.id in seen:
            raise ValueError(f"question id {q.id!r} is defined twice")
        seen.add(q.id)
    return Questionnaire(version=int(data["version"]), sections=sections, questions=questions)


# --------------------------------------------------------------------------- validation


class _Bad(Exception):
    """One value did not fit its question; the message says how."""


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return value.strip().lower() in _TRUE_WORDS
    raise _Bad(f"{value!r} is not yes or no")


def _as_number(q: Question, value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Bad(f"{value!r} is not a number")
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise _Bad(f"{value!r} is not a number") from None
    if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
        raise _Bad(f"{value!r} is not a number")
    if q.type == "integer":
        if float(value) != int(value):
            raise _Bad(f"{value!r} is not a whole number")
        value = int(value)
    if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
        raise _Bad(f"{_fmt(value)} is out of range")
    return value


def _as_choice(q: Question, value: Any) -> str:
    # YAML reads an unquoted yes/no as a boolean and 60 as a number; accept them for such choices.
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    if not isinstance(value, str) or value not in q.choice_values:
        raise _Bad(f"{value!r} is not one of the allowed values")
    return value


def _as_multi(q: Question, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise _Bad(f"{value!r} is not a list")
    bad = [v for v in value if not isinstance(v, str) or v not in q.choice_values]
    if bad:
        raise _Bad(f"{', '.join(repr(b) for b in bad)} not allowed")
    # Keep the questionnaire's order so equal answers compare equal.
    return [c for c in q.choice_values if c in value]


def _as_int_list(q: Question, value: Any) -> list[int]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list | tuple) or len(value) != q.length:
        raise _Bad(f"needs exactly {q.length} numbers")
    out: list[int] = []
    for i, (item, lo, hi) in enumerate(zip(value, q.item_min, q.item_max, strict=True), start=1):
        try:
            number = int(str(item).strip()) if not isinstance(item, bool) else None
        except ValueError:
            number = None
        if number is None or not lo <= number <= hi:
            raise _Bad(f"item {i} is {item!r}, allowed {lo}-{hi}")
        out.append(number)
    return out


UNSURE = "not_sure"
_UNSURE_WORDS = {"not_sure", "not sure", "unsure", "don't know", "dont know", "?"}


def coerce(q: Question, value: Any) -> Any:
    """One answer converted to its canonical form, or :class:`_Bad`."""
    if q.unsure and isinstance(value, str) and value.strip().lower() in _UNSURE_WORDS:
        return UNSURE
    if q.type == "boolean":
        return _as_bool(value)
    if q.type in ("integer", "number"):
        return _as_number(q, value)
    if q.type == "choice":
        return _as_choice(q, value)
    if q.type == "multi":
        return _as_multi(q, value)
    return _as_int_list(q, value)


def check_answer(question_id: str, value: Any) -> tuple[Any, Problem | None]:
    """Check one answer (for interactive prompts): the canonical value, or the problem."""
    qn = load_questionnaire()
    if question_id not in qn:
        return None, Problem(question_id, "is not a question backstride knows")
    q = qn.question(question_id)
    try:
        return coerce(q, value), None
    except _Bad as exc:
        return None, Problem(question_id, str(exc), q.allowed())


def validate_answers(answers: Any, *, partial: bool = False, source: str = "answers") -> dict[str, Any]:
    """Canonical answers, or :class:`ValidationFailed` listing every offending key.

    Skipped answers (``None``) are dropped. ``partial`` (a draft) skips the check for missing
    required answers but still rejects unknown keys and bad values, and keeps skipped answers as
    ``None`` so a resumed session knows they were already offered.
    """
    qn = load_questionnaire()
    if not isinstance(answers, Mapping):
        raise ValidationFailed(source, [Problem("(top level)", "must be a mapping of question id to answer",
                                                "see docs/screening.md for the keys")])
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        if not isinstance(key, str) or key not in qn:
            problems.append(Problem(str(key), "is not a question backstride knows",
                                    "see docs/screening.md or `backstride screen --questions` for every key"))
            continue
        if isinstance(value, str) and not value.strip():
            value = None  # a blank form field or prompt means skipped
        if value is None:
            if partial:
                clean[key] = None
            continue
        q = qn.question(key)
        try:
            clean[key] = coerce(q, value)
        except _Bad as exc:
            problems.append(Problem(key, str(exc), q.allowed()))
    if not partial:
        bad_keys = {p.field for p in problems}
        for q in qn.questions:
            if q.required and q.id not in clean and q.id not in bad_keys and q.is_asked(clean):
                condition = " and ".join(f"{k} is {_word(v)}" for k, v in q.ask_if)
                why = f"is required when {condition}" if condition else "is required"
                problems.append(Problem(q.id, f"{why} but missing", q.allowed()))
    if problems:
        raise ValidationFailed(source, problems)
    return {q.id: clean[q.id] for q in qn.questions if q.id in clean}


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def lenient_answers(answers: Any) -> dict[str, Any]:
    """The answers that are valid, ignoring the rest (to find the deciding answer before reporting errors)."""
    qn = load_questionnaire()
    out: dict[str, Any] = {}
    if not isinstance(answers, Mapping):
        return out
    for key, value in answers.items():
        if isinstance(key, str) and key in qn and value is not None and not (isinstance(value, str) and not value.strip()):
            try:
                out[key] = coerce(qn.question(key), value)
            except _Bad:
                continue
    return out


def missing_on_step(section_id: str, answers: Mapping[str, Any]) -> list[Question]:
    """Questions of one step that the web form or the interactive command must have answered.

    Required and flow-required questions that apply given the answers so far (``ask_if``).
    """
    qn = load_questionnaire()
    return [q for q in qn.in_section(section_id)
            if (q.required or q.flow_required) and q.is_asked(answers) and answers.get(q.id) is None]
