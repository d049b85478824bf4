"""Scores computed from answers: STarT Back (from item numbers only) and the NICE NG65 feature count.

STarT Back is copyright Keele University and free for non-commercial use. backstride does not
reproduce its items; a clinician enters the nine item scores from the official form and this
module only adds them up, following Keele's published scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backstride.evidence import threshold

STARTBACK_COPYRIGHT = (
    "STarT Back Screening Tool: copyright Keele University. Free for non-commercial use; "
    "backstride reproduces no item wording and only scores item numbers entered from the official form."
)


@dataclass(frozen=True)
class StartBackScore:
    total: int            # 0-9
    distress: int         # items 5-9, 0-5
    risk: str             # low / medium / high

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "distress": self.distress, "risk": self.risk,
                "copyright": STARTBACK_COPYRIGHT}


def score_startback(items: Sequence[int]) -> StartBackScore:
    """Keele scoring: items 1-8 agree = 1; item 9 scores 1 for its 4th or 5th box (of 5).

    Total <= 3 -> low; otherwise distress subscale (items 5-9) >= 4 -> high, else medium.
    """
    if len(items) != 9:
        raise ValueError(f"STarT Back needs 9 item scores, got {len(items)}")
    points = [1 if v else 0 for v in items[:8]] + [1 if items[8] >= 4 else 0]
    total = sum(points)
    distress = sum(points[4:])
    if total <= threshold("screen_startback_total_low_max").value:
        risk = "low"
    elif distress >= threshold("screen_startback_distress_high_min").value:
        risk = "high"
    else:
        risk = "medium"
    return StartBackScore(total=total, distress=distress, risk=risk)


# The nine NG65 features, each with the answer keys it is read from.
NG65_FEATURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("onset_before_35", "back pain started before age 35", ("pain_first_started_age_years", "age_years")),
    ("wakes_second_half_of_night", "pain wakes you in the second half of the night", ("night_pain",)),
    ("buttock_pain", "buttock pain", ("pain_location",)),
    ("better_with_movement", "better with movement", ("better_with",)),
    ("nsaid_relief_48h", "clearly better within 48 hours of anti-inflammatory painkillers", ("ia_nsaid_relief",)),
    ("family_history", "a close relative with spondyloarthritis", ("ia_family_history",)),
    ("arthritis", "current or past arthritis", ("ia_arthritis",)),
    ("enthesitis", "current or past enthesitis", ("ia_enthesitis",)),
    ("psoriasis", "current or past psoriasis", ("ia_psoriasis",)),
)


@dataclass(frozen=True)
class Ng65Result:
    applicable: bool                 # pain over 3 months that started before 45
    features: tuple[str, ...]        # codes of the features present
    onset_age_years: int | None

    @property
    def count(self) -> int:
        return len(self.features)

    def to_dict(self) -> dict[str, Any]:
        return {"applicable": self.applicable, "count": self.count, "features": list(self.features),
                "onset_age_years": self.onset_age_years}


def onset_age_years(a: Mapping[str, Any]) -> int | None:
    """Age when this kind of back pain first started: asked directly, else today's age if it is a first episode."""
    if a.get("pain_first_started_age_years") is not None:
        return int(a["pain_first_started_age_years"])
    if a.get("previous_back_pain_episodes") == 0 and a.get("age_years") is not None:
        return int(a["age_years"])
    return None


def score_ng65(a: Mapping[str, Any]) -> Ng65Result:
    if not a.get("has_back_pain"):
        return Ng65Result(applicable=False, features=(), onset_age_years=None)
    onset = onset_age_years(a)
    # Without an onset age, today's age is an upper bound: onset was no later than now.
    onset_bound = onset if onset is not None else a.get("age_years")
    present: list[str] = []
    if onset_bound is not None and onset_bound < threshold("screen_ng65_early_onset_age_years").value:
        present.append("onset_before_35")
    if a.get("night_pain") == "wakes_second_half":
        present.append("wakes_second_half_of_night")
    if set(a.get("pain_location", ())) & {"buttock", "buttock_left", "buttock_right", "buttock_alternating"}:
        present.append("buttock_pain")
    if set(a.get("better_with", ())) & {"moving", "exercise_worse_rest"}:
        present.append("better_with_movement")
    if a.get("ia_nsaid_relief") == "yes":
        present.append("nsaid_relief_48h")
    for key, code in (("ia_family_history", "family_history"), ("ia_arthritis", "arthritis"),
                      ("ia_enthesitis", "enthesitis"), ("ia_psoriasis", "psoriasis")):
        if a.get(key) is True:
            present.append(code)
    applicable = (
        a.get("has_back_pain") is True
        and a.get("pain_duration") == "over_12_weeks"
        and onset_bound is not None
        and onset_bound < threshold("screen_ng65_onset_before_age_years").value
    )
    return Ng65Result(applicable=applicable, features=tuple(present), onset_age_years=onset)


def ng65_feature_label(code: str) -> str:
    return next(label for c, label, _ in NG65_FEATURES if c == code)
