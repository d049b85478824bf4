"""The pain profile: directional sensitivity, irritability, nerve symptoms and a plain description.

The planner uses the profile to keep exercises away from movements that provoke symptoms. The
description repeats what the runner told us in plain words. The "one-sided, spasm, worse with
twisting" versus "diffuse ache" split from popular running articles has no validated source, so
it is shown as a description only: it never changes the triage and never leads to imaging advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backstride.evidence import threshold
from backstride.intake.model import Direction, Irritability, PainProfile, TriageTier

# Answer values of `worse_with` that show a movement direction provokes symptoms.
_DIRECTIONS = {"bending_forward": Direction.FLEXION, "arching_back": Direction.EXTENSION,
               "twisting": Direction.ROTATION}

NOT_A_DIAGNOSIS = ("backstride describes what you reported and screens for warning signs; it does not "
                   "diagnose. A clinician who examines you can tell you more.")
IMAGING_NOTE = ("Some running articles suggest an x-ray when the back aches generally rather than on one "
                "side. NICE guideline NG59 advises against routine imaging for low back pain unless a "
                "serious cause is suspected, so backstride never suggests a scan from the pattern of pain; "
                "a clinician decides whether you need one.")

_BACK_WORDS = {"central": "in the middle", "one_side": "on one side", "both_sides": "on both sides"}
_LEG_WORDS = {"buttock_left": "in the left buttock", "buttock_right": "in the right buttock",
              "buttock_alternating": "in the buttocks, switching sides", "buttock": "in the buttock",
              "hip": "in the hip", "groin": "in the groin", "thigh": "into the thigh",
              "below_knee": "below the knee"}
_QUALITY_WORDS = {"ache": "an ache", "sharp": "sharp pain", "spasm": "spasm", "burning": "burning",
                  "tingling": "tingling", "numbness": "numbness"}
_WORSE_WORDS = {"uphill": "running uphill", "downhill": "running downhill", "long_runs": "long runs",
                "sitting": "sitting", "bending_forward": "bending forward", "arching_back": "arching your back",
                "twisting": "twisting", "cough_sneeze": "coughing or sneezing"}
_BETTER_WORDS = {"moving": "moving about", "exercise_worse_rest": "exercise (and rest makes it worse)",
                 "rest": "rest", "lying_down": "lying down"}
_DURATION_WORDS = {"under_6_weeks": "less than 6 weeks", "6_to_12_weeks": "6 to 12 weeks",
                   "over_12_weeks": "more than 12 weeks"}

# Warning-sign answers that are nerve symptoms: cauda equina signs first, then spreading neurology.
NERVE_SIGN_KEYS = ("rf_saddle_numbness", "rf_bladder_change", "rf_bowel_change", "rf_sexual_dysfunction",
                   "rf_both_legs", "rf_widespread_numbness", "rf_leg_weakness_progressive", "rf_unsteady_walking")


def _int(value: Any) -> int | None:
    """A 0-10 rating, or None when missing or answered "not sure"."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def has_nerve_symptoms(a: Mapping[str, Any]) -> bool:
    quality = set(a.get("pain_quality", ()))
    return bool(quality & {"tingling", "numbness", "burning"} or "below_knee" in a.get("pain_location", ())
                or any(a.get(k) is True for k in NERVE_SIGN_KEYS))


def irritability(a: Mapping[str, Any]) -> Irritability:
    """How easily symptoms flare: from pain now, worst pain, night pain and next-morning settling."""
    now = _int(a.get("pain_now")) or 0
    worst = _int(a.get("pain_worst")) or 0
    if (now >= threshold("screen_irritability_high_pain_now").value
            or worst >= threshold("screen_irritability_high_pain_worst").value
            or a.get("night_pain") == "constant"):
        return Irritability.HIGH
    if (now >= threshold("screen_irritability_moderate_pain_now").value
            or worst >= threshold("screen_irritability_moderate_pain_worst").value
            or a.get("pain_settles_by_morning") == "no"):
        return Irritability.MODERATE
    return Irritability.LOW


def pattern(a: Mapping[str, Any]) -> str:
    """Which self-described pattern the answers resemble (a description label only)."""
    where = set(a.get("pain_location", ()))
    quality = set(a.get("pain_quality", ()))
    one_sided = ("one_side" in where or a.get("pain_side") in ("left", "right")
                 or (bool(where & {"buttock_left", "buttock_right"}) and not where & {"buttock_alternating"}))
    muscular_signs = "spasm" in quality or "twisting" in a.get("worse_with", ())
    diffuse = bool(where & {"central", "both_sides"}) and "ache" in quality and not one_sided
    if one_sided and muscular_signs:
        return "mixed" if diffuse else "one_sided_spasm"
    if diffuse:
        return "diffuse_ache"
    return ""


def describe(a: Mapping[str, Any], kind: str, tier: TriageTier = TriageTier.SELF_MANAGE,
             red_flag: bool = False) -> str:
    """What the runner told us, in plain words.

    The sentences about a pattern being common and harmless are only said when the triage found no
    warning sign: a pain description must never sound calmer than the result above it.
    """
    if "has_back_pain" not in a:
        return ""
    if not a.get("has_back_pain"):
        return "You reported no low back pain in the last two weeks."
    calm = not red_flag and tier is TriageTier.SELF_MANAGE
    parts: list[str] = []
    quality = [_QUALITY_WORDS[q] for q in a.get("pain_quality", ())]
    locations = a.get("pain_location", ())
    back = [_BACK_WORDS[w] for w in locations if w in _BACK_WORDS]
    where = ([_join(back) + " of the low back"] if back else []) + [_LEG_WORDS[w] for w in locations
                                                                    if w in _LEG_WORDS]
    side = a.get("pain_side")
    side_text = f" (worse on the {side})" if side in ("left", "right") else ""
    if quality or where:
        parts.append(f"You describe {_join(quality) or 'pain'}{' ' + _join(where) if where else ''}{side_text}.")
    else:
        parts.append("You reported low back pain in the last two weeks.")
    if a.get("pain_duration") == "not_sure":
        parts.append("You were not sure how long this episode has lasted.")
    elif a.get("pain_duration"):
        onset = {"sudden": "It came on suddenly", "gradual": "It came on gradually"}.get(a.get("pain_onset", ""),
                                                                                       "It")
        verb = " and has" if onset != "It" else " has"
        parts.append(f"{onset}{verb} lasted {_DURATION_WORDS[a['pain_duration']]} so far.")
    if a.get("worse_with"):
        parts.append(f"It is worse with {_join([_WORSE_WORDS[w] for w in a['worse_with']])}.")
    if a.get("better_with"):
        parts.append(f"It eases with {_join([_BETTER_WORDS[b] for b in a['better_with']])}.")
    if a.get("morning_stiffness_min"):
        parts.append(f"Your back is stiff for about {a['morning_stiffness_min']} minutes after getting up.")
    runs = [(k, label) for k, label in (("pain_during_run", "during runs"), ("pain_after_run", "after runs"),
                                        ("pain_next_morning", "the next morning")) if a.get(k) is not None]
    if runs:
        parts.append("You rate the pain " + _join([f"{a[k]}/10 {label}" for k, label in runs]) + ".")
    if a.get("pain_now") == "not_sure":
        parts.append("You were not sure how bad it is right now.")
    if not calm:
        if kind:
            parts.append("How the pain feels does not show its cause; the reasons for seeing someone, above, matter more.")
    elif kind == "one_sided_spasm":
        parts.append("Pain on one side with spasm or pain on twisting is what many runners call a 'muscular' "
                     "back pain. That is a description, not a diagnosis: it does not show which structure hurts.")
    elif kind == "diffuse_ache":
        parts.append("A general ache across the low back is common and usually settles with activity and time. "
                     "The pattern alone does not show its cause and is no reason for a scan.")
    elif kind == "mixed":
        parts.append("Your description mixes a one-sided, spasm-like pain with a broader ache; both are "
                     "common and neither pattern is a diagnosis.")
    return " ".join(parts)


def pain_profile(a: Mapping[str, Any], *, tier: TriageTier = TriageTier.SELF_MANAGE,
                 red_flag: bool = False) -> PainProfile:
    has_pain = bool(a.get("has_back_pain"))
    sensitivities = frozenset(d for key, d in _DIRECTIONS.items() if key in a.get("worse_with", ()))
    kind = pattern(a) if has_pain else ""
    side = a.get("pain_side") if a.get("pain_side") in ("left", "right") else None
    return PainProfile(
        has_pain=has_pain,
        sensitivities=sensitivities if has_pain else frozenset(),
        irritability=irritability(a) if has_pain else Irritability.LOW,
        nerve_symptoms=has_nerve_symptoms(a),
        description=describe(a, kind, tier, red_flag),
        pain_now=_int(a.get("pain_now")),
        pain_during_run=_int(a.get("pain_during_run")),
        pattern=kind,
        side=side,
    )
