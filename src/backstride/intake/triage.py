"""Red-flag triage: which answers send the runner to a clinician, and how urgently.

Rules with plain conditions live in ``data/red_flags.yaml`` (wording and source auditable in one
place); those that need arithmetic (age, the NICE NG65 feature count, weight lost against body
weight, training rises, body mass index) are written here with their numbers from the threshold
data. The tier is the most urgent of all reasons. A red flag can never end as ``self_manage``:
every red-flag rule must name another tier, which :func:`load_rules` checks.

Emergency and urgent answers end the screening: :func:`deciding_answer` walks the questions in
asking order and names the first answer after which the tier is emergency or urgent. Screening
then uses only the answers up to it, so the result never depends on what came later.
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
from backstride.intake.questionnaire import load_questionnaire
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
    any_of: bool = False       # `when_any`: one matching answer is enough
    no_running: bool = False   # no running at all until a clinician has seen it (bone stress)
    reassurance: str = ""      # added only when nothing more urgent was found

    def matches(self, answers: Mapping[str, Any]) -> bool:
        hits = (_matches(answers.get(key), wanted) for key, wanted in self.when)
        return any(hits) if self.any_of else all(hits)


def _matches(given: Any, wanted: tuple[Any, ...]) -> bool:
    if isinstance(given, list):
        return any(w in given for w in wanted)
    return given is not None and given in wanted


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
        any_of = "when_any" in raw
        cond = raw["when_any"] if any_of else raw["when"]
        when = tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in cond.items())
        rule = Rule(code=raw["code"], tier=TriageTier(raw["tier"]), red_flag=bool(raw.get("red_flag", False)),
                    when=when, message=" ".join(raw["message"].split()), source=raw["source"], any_of=any_of,
                    no_running=bool(raw.get("no_running", False)),
                    reassurance=" ".join(str(raw.get("reassurance", "")).split()))
        if rule.red_flag and rule.tier is TriageTier.SELF_MANAGE:
            raise ValueError(f"red-flag rule {rule.code!r} may not have tier self_manage")
        rules.append(rule)
    what = {TriageTier(k): " ".join(v.split()) for k, v in data["what_to_do"].items()}
    missing = set(TriageTier) - set(what)
    if missing:
        raise ValueError(f"red_flags.yaml lacks what_to_do for {sorted(t.value for t in missing)}")
    return RuleSet(what_to_do=what, rules=tuple(rules))


# Kind words that belong only to a result where this is the single, most urgent sign.
_DERIVED_REASSURANCE = {"malignancy.new_onset_age": "Most often the cause is harmless."}


def _number(a: Mapping[str, Any], key: str) -> float | None:
    """A numeric answer, or None when it is missing or "not sure"."""
    value = a.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def training_rise(a: Mapping[str, Any]) -> str:
    """Plain words for a large recent rise in running, or "" when none is known.

    Four weeks: more than the weekly-increase cut-off; a season (3 months): at least doubled.
    """
    now = _number(a, "weekly_distance_km")
    if now is None:
        return ""
    month, season = _number(a, "weekly_distance_4wk_ago_km"), _number(a, "weekly_distance_3mo_ago_km")
    if season and now / season >= threshold("screen_season_increase_ratio").value:
        return f"your weekly running went from {season:g} km three months ago to {now:g} km"
    if month and (now / month - 1) * 100 > threshold("screen_weekly_increase_pct").value:
        return f"your weekly running went from {month:g} km four weeks ago to {now:g} km"
    return ""


def reds_signs(a: Mapping[str, Any]) -> list[str]:
    """Signs of low energy availability or weak bone, in plain words (IOC 2023 REDs consensus)."""
    signs = []
    if a.get("reds_periods") == "missed":
        signs.append("missed or stopped periods")
    if a.get("reds_periods") == "never_started":
        signs.append("periods that have not started")
    if a.get("reds_restrictive_eating"):
        signs.append("eating less than your training needs")
    if a.get("reds_low_bone_density"):
        signs.append("known low bone density")
    if a.get("bsi_previous_stress_fracture") == "high_risk_or_several":
        signs.append("an earlier stress fracture at the hip, pelvis or base of the spine, or several")
    height, weight, age = _number(a, "height_cm"), _number(a, "weight_kg"), _number(a, "age_years")
    adult = threshold("screen_bmi_adult_from_age_years").value
    # Absolute BMI cut-offs are not used under 20 (Female Athlete Triad risk assessment).
    if height and weight and age is not None and age >= adult:
        low = threshold("screen_bmi_low_max")
        value = weight / (height / 100) ** 2
        if value < low.value:
            signs.append(f"a body mass index of {value:.1f}, under {low.value:g}")
    return signs


def _weight_loss(a: Mapping[str, Any]) -> TriageReason | None:
    """Unexplained weight loss, judged against the NICE cut-off when the amount and time are known."""
    if not a.get("rf_weight_loss"):
        return None
    kg, months, weight = _number(a, "rf_weight_loss_kg"), _number(a, "rf_weight_loss_months"), _number(a, "weight_kg")
    pct = threshold("screen_weight_loss_pct")
    window = threshold("screen_weight_loss_window_months")
    keys = ("rf_weight_loss", "rf_weight_loss_kg", "rf_weight_loss_months", "weight_kg")
    if kg is not None and months is not None and weight:
        share = 100 * kg / (weight + kg)
        if share < pct.value or months > window.value:
            return None  # below the cut-off: kept with the answers, not a warning sign
        text = (f"You have lost about {kg:g} kg ({share:.0f} % of your weight) in {months:g} months without trying, "
                f"at least the {pct.value:g} % in {window.value:g} months that counts as significant.")
    else:
        text = "You have lost weight without trying."
    return TriageReason(code="malignancy.weight_loss", tier=TriageTier.SEE_CLINICIAN,
                        message=text + " Together with back pain, a doctor should look at it within days.",
                        answer_keys=keys, source=pct.source)


def _derived_reasons(a: Mapping[str, Any]) -> tuple[list[TriageReason], list[str], set[str]]:
    """Reasons that need arithmetic; also the red-flag codes and the codes that stop running."""
    reasons: list[TriageReason] = []
    red: list[str] = []
    no_run: set[str] = set()
    over = threshold("screen_new_onset_age_over_years")
    under = threshold("screen_new_onset_age_under_years")
    age = a.get("age_years")
    onset = onset_age_years(a)
    # "New onset" means this is the first episode and it began at about today's age.
    first_episode = a.get("previous_back_pain_episodes") == 0 or (
        onset is not None and age is not None and onset >= age - 1)
    # Under 20 the pain necessarily began under 20, whatever the number of earlier episodes.
    if a.get("has_back_pain") and age is not None and (age < under.value or (first_episode and age > over.value)):
        side = f"over {over.value:g}" if age > over.value else f"under {under.value:g}"
        start = "Back pain starting for the first time" if age > over.value else "Back pain"
        reasons.append(TriageReason(
            code="malignancy.new_onset_age", tier=TriageTier.SEE_CLINICIAN,
            message=f"{start} {side} ({age} years) is worth a doctor's look within days.",
            answer_keys=("age_years", "previous_back_pain_episodes", "pain_first_started_age_years"),
            source=over.source))
        red.append("malignancy.new_onset_age")
    young = threshold("screen_adolescent_under_age_years")
    if (a.get("has_back_pain") and age is not None and age < young.value
            and "arching_back" in (a.get("worse_with") or ())):
        rise = training_rise(a)
        reasons.append(TriageReason(
            code="adolescent.extension_pain", tier=TriageTier.SEE_CLINICIAN,
            message=("In young athletes, back pain that is worse when arching backwards is often a stress "
                     "reaction in a vertebra (spondylolysis)"
                     + (f", more so after a rise in training ({rise})" if rise else "")
                     + ". See a sports doctor or physiotherapist within days, whatever your earlier episodes; "
                     "until then leave out backward-bending exercises and do not increase your running."),
            answer_keys=("age_years", "worse_with", "weekly_distance_km"), source=young.source))
        red.append("adolescent.extension_pain")
    loss = _weight_loss(a)
    if loss is not None:
        reasons.append(loss)
        red.append(loss.code)
    signs = reds_signs(a)
    rise = training_rise(a)
    hop = bool(a.get("bsi_hop_pain"))
    if signs and (rise or hop):
        why = "; ".join(([rise] if rise else []) + (["hopping has hurt"] if hop else []))
        reasons.append(TriageReason(
            code="bone_stress.load_and_risk", tier=TriageTier.SEE_CLINICIAN,
            message=(f"A possible bone stress injury: {why}, with {', '.join(signs)}. No running or jumping until a "
                     "clinician has checked it; cycling or swimming only if they are pain-free."),
            answer_keys=("bsi_hop_pain", "weekly_distance_km", "weekly_distance_3mo_ago_km", "reds_periods",
                         "reds_restrictive_eating", "reds_low_bone_density", "bsi_previous_stress_fracture"),
            source="scr_bennell_1999"))
        red.append("bone_stress.load_and_risk")
        no_run.add("bone_stress.load_and_risk")
    elif signs:
        reasons.append(TriageReason(
            code="red_s.signs", tier=TriageTier.SEE_CLINICIAN,
            message=(f"You reported {', '.join(signs)}. These can be signs of low energy availability (RED-S), "
                     "which weakens bone and raises the risk of stress fractures: ask a sports doctor about it."),
            answer_keys=("reds_periods", "reds_restrictive_eating", "reds_low_bone_density",
                         "bsi_previous_stress_fracture", "height_cm", "weight_kg"),
            source="scr_mountjoy_2023"))

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
    return reasons, red, no_run


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
                high_irritability: bool, no_running: bool) -> RunAdvice:
    if tier.refers_now or no_running:
        return RunAdvice.NO_RUNNING
    if not a.get("has_back_pain"):
        return RunAdvice.WALK_ONLY if red_flag else RunAdvice.RUN_AS_PLANNED
    limit = threshold("pain_acceptable_during_activity").value
    during = a.get("pain_during_run")
    if (red_flag or nerve or high_irritability or a.get("limping_when_running")
            or (during is not None and during > limit) or a.get("pain_settles_by_morning") == "no"):
        return RunAdvice.WALK_ONLY
    return RunAdvice.RUN_EASY


def _rule_reasons(a: Mapping[str, Any]) -> list[tuple[Rule, TriageReason]]:
    return [(r, TriageReason(code=r.code, tier=r.tier, message=r.message,
                             answer_keys=tuple(k for k, _ in r.when), source=r.source))
            for r in load_rules().rules if r.matches(a)]


def deciding_answer(answers: Mapping[str, Any]) -> str | None:
    """The first answer, in asking order, after which the result is emergency or urgent (None if never).

    Only the rules in red_flags.yaml can give those tiers (the derived rules stop at see_clinician),
    so looking at them alone is enough.
    """
    rules = [r for r in load_rules().rules if r.tier.refers_now]
    keys = {k for r in rules for k, _ in r.when}
    so_far: dict[str, Any] = {}
    for q in load_questionnaire().questions:
        if q.id not in answers:
            continue
        so_far[q.id] = answers[q.id]
        if q.id in keys and any(r.matches(so_far) for r in rules):
            return q.id
    return None


def triage(a: Mapping[str, Any], *, nerve_symptoms: bool = False, high_irritability: bool = False) -> TriageResult:
    """Triage validated answers. ``nerve_symptoms``/``high_irritability`` come from the pain profile."""
    matched = _rule_reasons(a)
    reasons = [reason for _, reason in matched]
    red = [r.code for r, _ in matched if r.red_flag]
    no_run = {r.code for r, _ in matched if r.no_running}
    derived, derived_red, derived_no_run = _derived_reasons(a)
    reasons += derived
    red += derived_red
    no_run |= derived_no_run
    tier = min((r.tier for r in reasons), key=lambda t: t.rank, default=TriageTier.SELF_MANAGE)
    if red and tier is TriageTier.SELF_MANAGE:  # cannot happen with checked rules; kept as a last guard
        tier = TriageTier.SEE_CLINICIAN
    # A reassuring word is kept only when it is the one warning sign and nothing is more urgent.
    comfort = dict(_DERIVED_REASSURANCE, **{r.code: r.reassurance for r, _ in matched if r.reassurance})
    reasons = [TriageReason(r.code, r.tier, f"{r.message} {comfort[r.code]}", r.answer_keys, r.source)
               if r.code in comfort and r.tier is tier and len(red) <= 1 else r for r in reasons]
    reasons.sort(key=lambda r: r.tier.rank)
    advice = _run_advice(tier, a, bool(red), nerve_symptoms, high_irritability, bool(no_run))
    # Self-management stop rules make no sense next to "get help now", nor running rules for a
    # runner who must not run (a possible bone stress injury).
    what = load_rules().what_to_do[tier]
    if tier.refers_now:
        rules: tuple[str, ...] = ()
    elif no_run:
        rules = BONE_STOP_RULES
        what += " Until then, no running, hopping or jumping: the reasons are listed below."
    else:
        rules = stop_rules()
    return TriageResult(tier=tier, reasons=tuple(reasons), what_to_do=what,
                        run_advice=advice, stop_rules=rules, red_flags=tuple(red))


BONE_STOP_RULES = (
    "No running, hopping or jumping until a clinician has checked the possible bone stress injury; walking, "
    "cycling or swimming only as far as they are pain-free.",
    "If the pain comes with every step, at rest or at night, or you start to limp, get seen sooner.",
    ("If you notice numbness in the saddle area, a change in bladder or bowel control, or symptoms in both legs, "
     "seek emergency care at once."),
)
