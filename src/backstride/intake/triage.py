"""Red-flag triage: which answers send the runner to a clinician, and how urgently.

Rules with plain conditions live in ``data/red_flags.yaml`` (wording and source auditable in one
place); the two that need arithmetic (new onset at an age over 50 or under 20, the NICE NG65
inflammatory feature count) are written here with their numbers from the threshold data.
The tier is the most urgent of all reasons. A red flag can never end as ``self_manage``: every
red-flag rule must name another tier, which :func:`load_rules` checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from backstride.datafiles import parse_yaml
from backstride.evidence import threshold
from backstride.intake.model import RunAdvice, TriageReason, TriageResult, TriageTier
from backstride.intake.scores import (
    ng65_feature_label,
    onset_age_years,
    score_ng65,
    score_startback,
)


@dataclass(frozen=True)
class Rule:
    code: str
    tier: TriageTier
    red_flag: bool
    when: tuple[tuple[str, tuple[Any, ...]], ...]
    message: str
    source: str

    def matches(self, answers: Mapping[str, Any]) -> bool:
        for key, wanted in self.when:
            given = answers.get(key)
            if isinstance(given, list):
                if not any(w in given for w in wanted):
                    return False
            elif given not in wanted:
                return False
        return True


@dataclass(frozen=True)
class RuleSet:
    what_to_do: dict[TriageTier, str]
    rules: tuple[Rule, ...]


@cache
def load_rules() -> RuleSet:
    text = (resources.files("backstride") / "data" / "red_flags.yaml").read_text(encoding="utf-8")
    data = parse_yaml(text)
    rules = []
    for raw in data["rules"]:
        when = tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in raw["when"].items())
        rule = Rule(code=raw["code"], tier=TriageTier(raw["tier"]), red_flag=bool(raw.get("red_flag", False)),
                    when=when, message=" ".join(raw["message"].split()), source=raw["source"])
        if rule.red_flag and rule.tier is TriageTier.SELF_MANAGE:
            raise ValueError(f"red-flag rule {rule.code!r} may not have tier self_manage")
        rules.append(rule)
    what = {TriageTier(k): " ".join(v.split()) for k, v in data["what_to_do"].items()}
    missing = set(TriageTier) - set(what)
    if missing:
        raise ValueError(f"red_flags.yaml lacks what_to_do for {sorted(t.value for t in missing)}")
    return RuleSet(what_to_do=what, rules=tuple(rules))


def _derived_reasons(a: Mapping[str, Any]) -> tuple[list[TriageReason], list[str]]:
    """Reasons that need arithmetic: age at new onset, NG65 count, STarT Back risk."""
    reasons: list[TriageReason] = []
    red: list[str] = []
    over = threshold("screen_new_onset_age_over_years")
    under = threshold("screen_new_onset_age_under_years")
    age = a.get("age_years")
    onset = onset_age_years(a)
    # "New onset" means this is the first episode and it began at about today's age.
    first_episode = a.get("previous_back_pain_episodes") == 0 or (
        onset is not None and age is not None and onset >= age - 1)
    if a.get("has_back_pain") and first_episode and age is not None and (age > over.value or age < under.value):
        side = f"over {over.value:g}" if age > over.value else f"under {under.value:g}"
        reasons.append(TriageReason(
            code="malignancy.new_onset_age", tier=TriageTier.SEE_CLINICIAN,
            message=(f"Back pain starting for the first time {side} ({age} years) is worth a doctor's "
                     "look within days; most often the cause is harmless."),
            answer_keys=("age_years", "previous_back_pain_episodes", "pain_first_started_age_years"),
            source=over.source))
        red.append("malignancy.new_onset_age")

    ng65 = score_ng65(a)
    refer = threshold("screen_ng65_refer_features")
    consider = threshold("screen_ng65_consider_features")
    if ng65.applicable and ng65.count >= consider.value:
        labels = "; ".join(ng65_feature_label(c) for c in ng65.features)
        keys = ("pain_duration", "pain_first_started_age_years", "night_pain", "pain_location", "better_with",
                "ia_nsaid_relief", "ia_family_history", "ia_arthritis", "ia_enthesitis", "ia_psoriasis")
        if ng65.count >= refer.value:
            reasons.append(TriageReason(
                code="inflammatory.ng65_refer", tier=TriageTier.SEE_CLINICIAN,
                message=(f"Back pain for over 3 months that began before 45, with {ng65.count} of the 9 "
                         f"inflammatory features ({labels}). NICE NG65 advises referral to a rheumatologist: "
                         "ask your GP about it."),
                answer_keys=keys, source=refer.source))
        else:
            reasons.append(TriageReason(
                code="inflammatory.ng65_consider", tier=TriageTier.SEE_CLINICIAN,
                message=(f"Back pain for over 3 months that began before 45, with 3 of the 9 inflammatory "
                         f"features ({labels}). NICE NG65 suggests your GP considers a blood test (HLA-B27) "
                         "and a rheumatology referral if it is positive."),
                answer_keys=keys, source=consider.source))

    items = a.get("startback_items")
    if items is not None:
        sb = score_startback(items)
        if sb.risk == "high":
            reasons.append(TriageReason(
                code="psychosocial.startback_high", tier=TriageTier.SEE_CLINICIAN,
                message=(f"The STarT Back score entered is high risk (total {sb.total}/9, distress {sb.distress}/5). "
                         "NICE NG59 suggests a combined physical and psychological programme; discuss it with "
                         "your clinician."),
                answer_keys=("startback_items",), source="scr_keele_sbst"))
    return reasons, red


def stop_rules() -> tuple[str, ...]:
    limit = threshold("pain_acceptable_during_activity")
    return (
        "If you start to limp, or your running changes because of pain, stop and walk home.",
        "If you feel tingling, numbness or weakness in a leg during or after a run, stop and get it checked.",
        (f"Pain during a run up to {limit.value:g}/10 is acceptable if it is back to your usual level by the "
         f"next morning; above {limit.value:g}/10, stop and walk. This pain-monitoring rule comes from a study "
         "of Achilles tendon pain (Silbernagel 2007); using it for back pain is an extrapolation."),
        "If the pain is worse the next morning than before the run, make the next run shorter and easier.",
        ("If you notice numbness in the saddle area, a change in bladder or bowel control, or symptoms in both "
         "legs, seek emergency care at once."),
    )


def _run_advice(tier: TriageTier, a: Mapping[str, Any], red_flag: bool, nerve: bool,
                high_irritability: bool) -> RunAdvice:
    if tier.refers_now:
        return RunAdvice.NO_RUNNING
    if not a.get("has_back_pain"):
        return RunAdvice.WALK_ONLY if red_flag else RunAdvice.RUN_AS_PLANNED
    limit = threshold("pain_acceptable_during_activity").value
    during = a.get("pain_during_run")
    if (red_flag or nerve or high_irritability or a.get("limping_when_running")
            or (during is not None and during > limit) or a.get("pain_settles_by_morning") == "no"):
        return RunAdvice.WALK_ONLY
    return RunAdvice.RUN_EASY


def triage(a: Mapping[str, Any], *, nerve_symptoms: bool = False, high_irritability: bool = False) -> TriageResult:
    """Triage validated answers. ``nerve_symptoms``/``high_irritability`` come from the pain profile."""
    ruleset = load_rules()
    reasons = [TriageReason(code=r.code, tier=r.tier, message=r.message,
                            answer_keys=tuple(k for k, _ in r.when), source=r.source)
               for r in ruleset.rules if r.matches(a)]
    red = [r.code for r in ruleset.rules if r.red_flag and r.matches(a)]
    derived, derived_red = _derived_reasons(a)
    reasons += derived
    red += derived_red
    tier = min((r.tier for r in reasons), key=lambda t: t.rank, default=TriageTier.SELF_MANAGE)
    if red and tier is TriageTier.SELF_MANAGE:  # cannot happen with checked rules; kept as a last guard
        tier = TriageTier.SEE_CLINICIAN
    reasons.sort(key=lambda r: r.tier.rank)
    advice = _run_advice(tier, a, bool(red), nerve_symptoms, high_irritability)
    return TriageResult(tier=tier, reasons=tuple(reasons), what_to_do=ruleset.what_to_do[tier],
                        run_advice=advice, stop_rules=stop_rules(), red_flags=tuple(red))
