"""The finding-code registry (findings/codes.py): every code a producer can emit is registered,
every registered code has a producer, and every one is answered by an exercise or by advice."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from backstride.findings.codes import FINDING_CODES, PRODUCERS
from backstride.library.loader import load_library
from backstride.plan.advice import advice_catalogue

SRC = Path(__file__).resolve().parents[1] / "src" / "backstride"
CODE = re.compile(r"^(screen|load|form)\.[a-z][a-z0-9_]*$")


def emitted_codes() -> dict[str, set[str]]:
    """Every code-shaped string literal in the producer packages, with the package it sits in."""
    found: dict[str, set[str]] = {}
    for package in sorted(set(PRODUCERS.values())):
        for path in (SRC / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                    found.setdefault(node.value, set()).add(package)
    return found


def test_the_scan_sees_the_producers() -> None:
    found = emitted_codes()
    assert {"screen.weak_hip_abductors", "load.single_run_spike", "form.low_cadence"} <= set(found)


def test_every_emitted_code_is_registered() -> None:
    missing = sorted(set(emitted_codes()) - FINDING_CODES)
    assert not missing, f"register these in findings/codes.py: {missing}"


def test_every_registered_code_has_its_producer() -> None:
    found = emitted_codes()
    for code in sorted(FINDING_CODES):
        assert PRODUCERS[code.split(".")[0]] in found.get(code, set()), f"{code} is raised by no producer"


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_every_code_is_answered_by_an_exercise_or_advice(code: str) -> None:
    exercises = [e.id for e in load_library().query() if code in e.addresses]
    assert exercises or code in advice_catalogue(), f"{code}: no exercise addresses it and there is no advice"


def test_advice_and_the_library_name_only_registered_codes() -> None:
    assert set(advice_catalogue()) - FINDING_CODES == set()
    for exercise in load_library().query():
        assert set(exercise.addresses) <= FINDING_CODES, exercise.id
