"""Screening use cases shared by the command line and the web app.

``run_screening`` validates and screens first, and only then stores: rejected answers never
touch the database. Drafts keep unfinished answers per runner so the interactive command and
the web form can stop and resume.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from backstride.errors import InputError, NotFoundError, Problem, ValidationFailed
from backstride.intake.model import ScreeningResult, TriageTier
from backstride.intake.questionnaire import (
    Question,
    Questionnaire,
    lenient_answers,
    load_questionnaire,
    missing_on_step,
    validate_answers,
)
from backstride.intake.screen import screen
from backstride.intake.triage import deciding_answer
from backstride.storage import screenings as store
from backstride.workflows.workspace import Workspace


@dataclass(frozen=True)
class ScreeningSummary:
    """One line of a runner's screening history."""

    id: int
    runner: str
    created_at: dt.datetime
    tier: TriageTier
    run_advice: str
    red_flags: tuple[str, ...]
    finding_codes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "runner": self.runner, "created_at": self.created_at.isoformat(),
                "tier": self.tier.value, "run_advice": self.run_advice, "red_flags": list(self.red_flags),
                "finding_codes": list(self.finding_codes)}


def questionnaire() -> Questionnaire:
    """The question definitions (``.to_dict()`` gives sections with their questions, ready to render)."""
    return load_questionnaire()


def decides_now(answers: Mapping[str, Any]) -> bool:
    """Whether the answers so far already make the result emergency or urgent (the questions stop)."""
    return deciding_answer(lenient_answers(answers)) is not None


def questions_missing(section_id: str, answers: Mapping[str, Any]) -> list[Question]:
    """Questions of one step that still need an answer before the runner moves on."""
    return missing_on_step(section_id, answers)


def read_answers_file(path: Path) -> dict[str, Any]:
    """Load a YAML (or JSON) answers file; a file that cannot be read is an :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"answers file {path} does not exist",
                         hint="pass the path of a YAML file; docs/examples/answers.yaml is a complete example") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"answers file {path} cannot be read: {exc}",
                         hint="pass a UTF-8 text file in YAML format") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"answers file {path} is not valid YAML{where}",
                         hint="each line should read `key: value`; see docs/examples/answers.yaml") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed(str(path), [Problem("(top level)", "must be a mapping of question id to answer",
                                                   "see docs/examples/answers.yaml")])
    return data


def _runner_name(ws: Workspace, runner: str | None) -> str:
    return runner or ws.settings.runner


def run_screening(ws: Workspace, runner: str | None, answers: Mapping[str, Any], *,
                  now: dt.datetime | None = None, source: str = "answers") -> tuple[int, ScreeningResult]:
    """Screen and store the result for ``runner`` (the default profile when None); clears its draft."""
    result = screen(answers, now=now, source=source)  # raises before anything is stored
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, _runner_name(ws, runner))
        screening_id = store.add_screening(session, runner_id, result)
        store.delete_draft(session, runner_id)
    return screening_id, result


def latest_screening(ws: Workspace, runner: str | None) -> ScreeningResult | None:
    """The runner's most recent screening, or None when there is none (or no such runner)."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return None
        row = store.latest_screening(session, runner_id)
        return row.to_result() if row else None


def list_screenings(ws: Workspace, runner: str | None) -> list[ScreeningSummary]:
    """The runner's screenings, newest first; an unknown runner is a :class:`NotFoundError`."""
    name = _runner_name(ws, runner)
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, name, create=False)
        out = []
        for row in store.list_screenings(session, runner_id):
            res = row.result
            out.append(ScreeningSummary(
                id=row.id, runner=name, created_at=dt.datetime.fromisoformat(res["created_at"]),
                tier=TriageTier(row.tier), run_advice=res["triage"]["run_advice"],
                red_flags=tuple(res["triage"].get("red_flags", ())),
                finding_codes=tuple(f["code"] for f in res.get("findings", ()))))
        return out


def get_screening(ws: Workspace, screening_id: int) -> ScreeningResult:
    with ws.transaction() as session:
        row = store.get_screening(session, screening_id)
        if row is None:
            raise NotFoundError(f"screening {screening_id} does not exist",
                                hint="choose one from the list of this runner's screenings",
                                command="backstride history", page=("/screening", "See your screenings"))
        return row.to_result()


def save_draft(ws: Workspace, runner: str | None, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep unfinished answers. Unknown keys and bad values are rejected; missing answers are fine."""
    clean = validate_answers(answers, partial=True, source="draft answers")
    with ws.transaction(write=True) as session:   # read-then-insert of the one draft row
        runner_id = ws.runner_id(session, _runner_name(ws, runner))
        store.save_draft(session, runner_id, clean)
    return clean


def load_draft(ws: Workspace, runner: str | None) -> dict[str, Any] | None:
    """The runner's saved draft, with any answers the current questionnaire no longer knows dropped."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return None
        row = store.load_draft(session, runner_id)
        if row is None:
            return None
        answers = dict(row.answers)
    qn = load_questionnaire()
    return {k: v for k, v in answers.items() if k in qn}


def discard_draft(ws: Workspace, runner: str | None) -> bool:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            return False
        return store.delete_draft(session, runner_id)
