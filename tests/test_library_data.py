"""The exercise library: the packaged data is complete and consistent; bad files are rejected clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.errors import NotFoundError, ValidationFailed
from backstride.evidence import references
from backstride.findings.model import EvidenceLevel
from backstride.library.loader import check_library, load_library, load_library_from, parse_exercise
from backstride.library.model import (
    FINDING_CODES,
    LOAD_REQUIRES,
    Category,
    Level,
    Routine,
)

# Every exercise the source articles name, and the physiotherapist list from issue 3, by id.
SEED_EXERCISES = {
    "plank": "front_plank", "side plank": "side_plank", "glute bridge": "glute_bridge", "locust pose": "locust_pose",
    "stability-ball back extension": "stability_ball_back_extension",
    "stability-ball reverse leg raise": "stability_ball_reverse_leg_raise", "superman": "superman",
    "pull-up": "pull_up", "shoulder extension": "shoulder_extension", "deadlift (Romanian)": "romanian_deadlift",
    "deadlift (barbell)": "barbell_deadlift", "kettlebell swing": "kettlebell_swing",
    "windshield wipers": "windshield_wipers", "Russian twist": "russian_twist", "weighted crunch": "weighted_crunch",
    "T-push-up": "t_push_up", "hamstring stretch": "hamstring_stretch_supine",
    "hip flexor stretch": "standing_hip_flexor_stretch", "back and leg stretch": "knee_to_chest",
    "foam rolling": "foam_roll_thighs", "back roller": "back_roller_upper_back", "thoracic mobility": "open_book",
    "glute activation": "clamshell", "standing pelvic stability": "hip_hike",
    "single-leg pelvic stability": "single_leg_balance", "yoga": "childs_pose", "Pilates": "pilates_toe_tap",
    "spinal decompression-style unloading": "supported_90_90_rest", "neck rolls": "neck_rolls",
    "shoulder shrugs": "shoulder_shrugs", "standing up and walking": "stand_and_walk",
}
PHYSIO_EXERCISES = {
    "dead_bug", "bird_dog", "curl_up_mcgill", "clamshell", "side_lying_hip_abduction", "pallof_press",
    "suitcase_carry", "single_leg_romanian_deadlift", "step_down", "split_squat", "hip_hike", "open_book",
    "cat_camel", "childs_pose", "kneeling_hip_flexor_stretch", "figure_four_stretch", "a_skip",
}


@pytest.fixture(scope="module")
def library() -> Any:
    return load_library()


def test_library_has_at_least_fifty_exercises_with_unique_ids(library: Any) -> None:
    ids = [e.id for e in library]
    assert len(ids) >= 50
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("label", sorted(SEED_EXERCISES))
def test_every_seed_exercise_is_present(library: Any, label: str) -> None:
    ex = library.get(SEED_EXERCISES[label])
    assert ex.source_article, f"{ex.id} is named by a source article and should say so"


def test_every_physio_exercise_is_present(library: Any) -> None:
    assert {e.id for e in library} >= PHYSIO_EXERCISES


def test_every_category_is_used(library: Any) -> None:
    assert {e.category for e in library} == set(Category)


def test_every_exercise_is_complete(library: Any) -> None:
    refs = references()
    for ex in library:
        assert 3 <= len(ex.cues) <= 5, ex.id
        assert len(ex.instructions) >= 2 and ex.mistakes and ex.start_position, ex.id
        assert Level.BEGINNER in ex.dosage, ex.id
        assert ex.evidence.reference_ids and all(r in refs for r in ex.evidence.reference_ids), ex.id
        assert set(ex.addresses) <= FINDING_CODES, ex.id
        for load in ex.spine_loading:
            if load in LOAD_REQUIRES:
                assert LOAD_REQUIRES[load] in ex.contraindications, ex.id


def test_links_resolve_and_progressions_never_loop(library: Any) -> None:
    ids = {e.id for e in library}
    for ex in library:
        assert ex.progression is None or ex.progression in ids
        assert ex.regression is None or ex.regression in ids
        seen = {ex.id}
        nxt = ex.progression
        while nxt is not None:
            assert nxt not in seen, f"progression cycle through {ex.id}"
            seen.add(nxt)
            nxt = library.get(nxt).progression


def test_no_evidence_is_said_plainly(library: Any) -> None:
    twist = library.get("russian_twist")
    assert twist.evidence.level is EvidenceLevel.NONE
    assert "no trial" in twist.evidence.note.lower()


def test_every_routine_has_choices_for_the_most_restricted_runner(library: Any) -> None:
    """Flexion-, extension- and rotation-sensitive, highly irritable, nerve symptoms, no equipment."""
    everything = {c for e in library for c in e.contraindications}
    safe = [e for e in library if not e.contraindications and not e.equipment]
    assert everything
    for routine in (Routine.STRENGTH, Routine.PRE_RUN, Routine.POST_RUN, Routine.DESK):
        assert len([e for e in safe if routine in e.routines]) >= 2, routine


def test_chain_lists_easiest_first(library: Any) -> None:
    assert library.chain("front_plank") == ["front_plank_knees", "front_plank", "plank_leg_lift"]
    assert library.chain("dead_bug")[0] == "pilates_toe_tap"


def test_query_filters(library: Any) -> None:
    desk = library.query(routine=Routine.DESK)
    assert desk and all(Routine.DESK in e.routines for e in desk)
    hips = library.query(addresses="screen.weak_hip_abductors", category=Category.ACTIVATION)
    assert {e.id for e in hips} >= {"clamshell"}


def test_unknown_id_is_not_found_with_a_hint(library: Any) -> None:
    with pytest.raises(NotFoundError, match="no exercise with id 'plank'") as info:
        library.get("plank")
    assert "front_plank" in (info.value.hint or "")


def _valid_raw() -> dict[str, Any]:
    path = Path(__file__).resolve().parents[1] / "src/backstride/data/exercises/bird_dog.yaml"
    return dict(yaml.safe_load(path.read_text()))


def test_bad_exercise_lists_every_problem() -> None:
    raw = _valid_raw() | {"category": "cardio", "cues": ["one"], "equipment": ["hoverboard"],
                          "spine_loading": ["rotation"], "difficulty": 9, "colour": "red"}
    raw["evidence"] = {"level": "strong", "reference_ids": ["nowhere_2020"], "note": ""}
    with pytest.raises(ValidationFailed) as info:
        parse_exercise(raw, "data/exercises/bird_dog.yaml")
    fields = {p.field for p in info.value.problems}
    assert {"category", "cues", "equipment", "contraindications", "difficulty", "colour", "evidence.level",
            "evidence.reference_ids", "evidence.note"} <= fields
    assert "data/exercises/bird_dog.yaml was rejected" in info.value.message


def test_bad_dosage_is_rejected() -> None:
    raw = _valid_raw() | {"dosage": {"expert": {"sets": 0, "reps": [10, 5]}}}
    with pytest.raises(ValidationFailed) as info:
        parse_exercise(raw, "x.yaml")
    fields = {p.field for p in info.value.problems}
    assert "dosage.expert" in fields
    raw = _valid_raw() | {"dosage": {"beginner": {"sets": 0, "reps": [10, 5], "rest_s": 10, "sessions_per_week": 3}}}
    with pytest.raises(ValidationFailed) as info:
        parse_exercise(raw, "x.yaml")
    assert {"dosage.beginner.sets", "dosage.beginner.reps"} <= {p.field for p in info.value.problems}


def test_progression_cycle_and_dangling_link_are_found(library: Any) -> None:
    from dataclasses import replace

    a, b = library.get("dead_bug"), library.get("front_plank")
    looped = {"dead_bug": replace(a, progression="front_plank"), "front_plank": replace(b, progression="dead_bug",
                                                                                       regression=None)}
    with pytest.raises(ValidationFailed, match="loops back"):
        check_library(looped)
    with pytest.raises(ValidationFailed, match="does not exist"):
        check_library({"dead_bug": replace(a, progression="nowhere", regression=None)})


def test_file_name_must_match_id(tmp_path: Path) -> None:
    raw = _valid_raw() | {"progression": None, "regression": None}
    (tmp_path / "not_bird_dog.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ValidationFailed, match="must equal the file name"):
        load_library_from(tmp_path)
    (tmp_path / "not_bird_dog.yaml").write_text("id: [unclosed")
    with pytest.raises(ValidationFailed, match="not valid YAML"):
        load_library_from(tmp_path)


def test_docs_catalogue_is_current(library: Any) -> None:
    from backstride.library.catalogue import catalogue_markdown

    path = Path(__file__).resolve().parents[1] / "docs" / "exercises.md"
    assert path.read_text(encoding="utf-8") == catalogue_markdown(library), (
        "regenerate: python -m backstride.library.catalogue > docs/exercises.md")
