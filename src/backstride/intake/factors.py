"""Contributing-factor findings from the questionnaire and the home self-tests.

Each rule reads a few answers, compares them with a threshold from
``data/thresholds/screening.yaml`` and, when the threshold is crossed, returns a
:class:`Finding` with the values, the threshold with its unit and source, an explanation in
plain words and the strength of the evidence. Where the evidence is weak we say so in the
finding, because many of these factors are plausible rather than proven.

Confidence reflects how trustworthy the measurement is, not the evidence: a home self-test is
rough, a self-reported training number better, a clinician's measurement best (the values are
threshold data, ``screen_confidence_*``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from backstride.evidence import Threshold, threshold
from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity
from backstride.units import bmi


def _confidence(kind: str) -> float:
    """How far a measurement of this kind can be trusted (0-1): home_test, self_report or clinician."""
    return threshold(f"screen_confidence_{kind}").value

Answers = Mapping[str, Any]


def _f(code: str, title: str, severity: Severity, explanation: str, *, level: EvidenceLevel,
       refs: tuple[str, ...], th: Threshold | None, value: float | str | None, sources: tuple[str, ...],
       confidence: float, advice: str = "", side: str | None = None, note: str = "",
       unit: str | None = None, details: dict[str, Any] | None = None) -> Finding:
    ref_ids = tuple(dict.fromkeys(((th.source,) if th else ()) + refs))
    det = dict(details or {})
    if th is not None:
        det.setdefault("threshold_name", th.name)
        det.setdefault("threshold_source", th.source)
    return Finding(code=code, title=title, severity=severity, explanation=explanation,
                   evidence=Evidence(level=level, reference_ids=ref_ids, note=note),
                   value=round(value, 2) if isinstance(value, float) else value,
                   threshold=th.value if th else None, unit=unit or (th.unit if th else None),
                   sources=sources, confidence=confidence, advice=advice, side=side, details=det)


def _pct(ratio: float) -> float:
    """A ratio as a percentage, rounded so 52/40 is exactly 30 % (no float noise at a threshold)."""
    return round(ratio * 100.0, 6)


def _both(a: Answers, left: str, right: str) -> tuple[Any, Any]:
    return a.get(left), a.get(right)


def trunk_endurance(a: Answers) -> list[Finding]:
    prone_th = threshold("screen_prone_plank_min_s")
    side_th = threshold("screen_side_plank_min_s")
    short: dict[str, float] = {}
    prone = a.get("prone_plank_s")
    if prone is not None and prone < prone_th.value:
        short["prone_plank_s"] = prone
    for key in ("side_plank_left_s", "side_plank_right_s"):
        if a.get(key) is not None and a[key] < side_th.value:
            short[key] = a[key]
    if not short:
        return []
    # Report the hold furthest below its own cut-off.
    worst = min(short, key=lambda k: short[k] / (prone_th.value if k == "prone_plank_s" else side_th.value))
    th = prone_th if worst == "prone_plank_s" else side_th
    severity = Severity.MODERATE if len(short) >= 2 or short[worst] < th.value * threshold("screen_endurance_moderate_fraction").value else Severity.LOW
    names = {"prone_plank_s": "front plank", "side_plank_left_s": "left side plank",
             "side_plank_right_s": "right side plank"}
    sides = {k.split("_")[2] for k in short if k != "prone_plank_s"}
    side = sides.pop() if len(sides) == 1 and "prone_plank_s" not in short else None
    return [_f("screen.weak_trunk_endurance", "Trunk endurance below target", severity,
               (f"Your {names[worst]} held {short[worst]:g} s, under the "
                f"{th.value:g} s we use as a target. Trunk muscles that tire early give the low back less support "
                "late in a run. Low trunk endurance has not been shown to cause back pain in runners, but trunk "
                "exercise does help people who have back pain."),
               level=EvidenceLevel.LOW, refs=("scr_strand_2014", "scr_schmitz_2014", "hayden_2021"), th=th,
               value=float(short[worst]), sources=tuple(short), confidence=_confidence("home_test"), side=side,
               advice="Build plank and side-plank holds gradually, a few seconds at a time.",
               details={"short_holds_s": short},
               note="Weak evidence: associations only; no study shows these cut-offs predict back pain.")]


def pelvic_control(a: Answers) -> list[Finding]:
    failed: list[str] = []
    shown: list[str] = []   # the tests in words for the message
    for key, words in (("single_leg_squat_left", "single-leg squat on the left"),
                       ("single_leg_squat_right", "single-leg squat on the right"),
                       ("single_leg_bridge_left", "single-leg bridge on the left"),
                       ("single_leg_bridge_right", "single-leg bridge on the right")):
        if a.get(key) in ("drops", "cannot"):
            failed.append(key)
            shown.append(words)
    if not failed:
        return []
    sides = {k.rsplit("_", 1)[1] for k in failed}
    side = sides.pop() if len(sides) == 1 else None
    return [_f("screen.weak_hip_abductors", "Pelvis drops on one leg", Severity.LOW if len(failed) == 1
               else Severity.MODERATE,
               ("On a single-leg test your pelvis dropped or twisted, or you could not do it "
                f"({', '.join(shown)}). The side hip muscles (gluteus medius) keep the pelvis level on every "
                "running step. Injured runners show more pelvic drop, but adding hip strengthening to back "
                "exercise gave no extra relief of back pain in two trials."),
               level=EvidenceLevel.LOW, refs=("scr_bramah_2018", "scr_kendall_2015"), th=None,
               value=len(failed), unit="tests failed", sources=tuple(failed), confidence=_confidence("home_test"),
               side=side, advice="Side-lying and standing hip work, then single-leg control drills.",
               note="Weak evidence for back pain specifically; stronger for running injuries in general.")]


def hip_flexors(a: Answers) -> list[Finding]:
    tight = [k for k in ("thomas_test_left", "thomas_test_right") if a.get(k) in ("thigh_raised", "knee_straightens")]
    if not tight:
        return []
    side = tight[0].rsplit("_", 1)[1] if len(tight) == 1 else None
    return [_f("screen.hip_flexor_tightness", "Tight hip flexors (Thomas test)", Severity.LOW,
               ("In the Thomas test the hanging thigh stayed raised or the knee straightened "
                f"({', '.join(f'{k}: {a[k]}' for k in tight)}). Tight hip flexors can tip the pelvis forward "
                "and arch the low back. Restricted hip movement was a reported risk factor in runners, but the "
                "test did not predict how the pelvis tilts while running."),
               level=EvidenceLevel.VERY_LOW, refs=("maselli_2020", "scr_schache_2000"), th=None,
               value=len(tight), unit="sides", sources=tuple(tight), confidence=_confidence("home_test"), side=side,
               advice="Hip flexor stretches after runs.",
               note="Very weak evidence: a static test does not reflect running mechanics well.")]


def hamstrings(a: Answers) -> list[Finding]:
    th = threshold("screen_sit_and_reach_min_cm")
    reach = a.get("sit_and_reach_cm")
    if reach is None or reach >= th.value:
        return []
    return [_f("screen.hamstring_tightness", "Tight hamstrings (sitting reach)",
               Severity.MODERATE if reach < threshold("screen_sit_and_reach_moderate_below_cm").value else Severity.LOW,
               (f"You reached {abs(reach):g} cm short of your toes. Poor hamstring and back flexibility were "
                "reported risk factors for back pain in runners; stretching on its own has not been shown to "
                "relieve back pain."),
               level=EvidenceLevel.LOW, refs=(), th=th, value=float(reach), sources=("sit_and_reach_cm",),
               confidence=_confidence("home_test"), advice="Regular hamstring stretching as part of a wider programme.",
               note="Weak evidence: reported association only.")]


def thoracic_rotation(a: Answers) -> list[Finding]:
    th = threshold("screen_thoracic_rotation_min_deg")
    low = {k: a[k] for k in ("thoracic_rotation_left_deg", "thoracic_rotation_right_deg")
           if a.get(k) is not None and a[k] < th.value}
    if not low:
        return []
    worst = min(low, key=lambda k: low[k])
    side = worst.split("_")[2] if len(low) == 1 else None
    return [_f("screen.reduced_thoracic_rotation", "Limited upper-back rotation", Severity.LOW,
               (f"You turned {low[worst]:g} degrees, under the {th.value:g} degrees we use as a target. When the "
                "upper back turns little, the low back may twist more with each arm swing. This idea comes from "
                "coaching practice; we found no study that tests it."),
               level=EvidenceLevel.EXPERT_OPINION, refs=(), th=th, value=float(low[worst]), sources=tuple(low),
               confidence=_confidence("home_test"), side=side, advice="Upper-back rotation mobility drills.",
               note="Expert opinion only.")]


def _asym_hold(a: Answers, left: str, right: str, label: str, th: Threshold) -> Finding | None:
    lv, rv = _both(a, left, right)
    if lv is None or rv is None or max(lv, rv) <= 0:
        return None
    diff_pct = _pct(abs(lv - rv) / max(lv, rv))
    if diff_pct < th.value:
        return None
    weaker = "left" if lv < rv else "right"
    return _f("screen.asymmetry", f"{label}: {weaker} side weaker", Severity.LOW,
              (f"{label} lasted {lv:g} s on the left and {rv:g} s on the right, a {diff_pct:.0f} % gap. "
               "A large left-right difference can mean one side does more of the work on every stride. "
               "Asymmetry is common in healthy runners and its link to back pain is unproven."),
              level=EvidenceLevel.VERY_LOW, refs=(), th=th, value=diff_pct, sources=(left, right),
              confidence=_confidence("home_test"), side=weaker, details={"left": lv, "right": rv, "test": label},
              advice=f"Start each one-sided exercise on the {weaker} side and match the reps on the other.",
              note="Very weak evidence.")


def _asym_choice(a: Answers, left: str, right: str, label: str, bad: tuple[str, ...]) -> Finding | None:
    lv, rv = _both(a, left, right)
    if lv is None or rv is None or (lv in bad) == (rv in bad):
        return None
    worse = "left" if lv in bad else "right"
    return _f("screen.asymmetry", f"{label}: {worse} side differs", Severity.LOW,
              (f"{label} was fine on one side but not the other (left: {lv}, right: {rv}). A one-sided "
               "difference can mean one side does more of the work on every stride. Its link to back pain is "
               "unproven."),
              level=EvidenceLevel.VERY_LOW, refs=("scr_backstride_convention",), th=None, value=f"left {lv}, right {rv}",
              unit=None, sources=(left, right), confidence=_confidence("home_test"), side=worse,
              details={"left": lv, "right": rv, "test": label}, note="Very weak evidence.",
              advice=f"Give the {worse} side extra attention in one-sided exercises.")


def asymmetry(a: Answers) -> list[Finding]:
    """One finding per self-test with a clear left-right difference (``side`` = the weaker side)."""
    pct = threshold("screen_asymmetry_min_pct")
    out = [
        _asym_hold(a, "side_plank_left_s", "side_plank_right_s", "Side plank", pct),
        _asym_hold(a, "single_leg_stance_left_s", "single_leg_stance_right_s", "Single-leg balance", pct),
        _asym_choice(a, "single_leg_bridge_left", "single_leg_bridge_right", "Single-leg bridge", ("drops", "cannot")),
        _asym_choice(a, "single_leg_squat_left", "single_leg_squat_right", "Single-leg squat", ("drops", "cannot")),
        _asym_choice(a, "thomas_test_left", "thomas_test_right", "Thomas test", ("thigh_raised", "knee_straightens")),
    ]
    rot = threshold("screen_thoracic_rotation_asymmetry_deg")
    lv, rv = _both(a, "thoracic_rotation_left_deg", "thoracic_rotation_right_deg")
    if lv is not None and rv is not None and abs(lv - rv) >= rot.value:
        weaker = "left" if lv < rv else "right"
        out.append(_f("screen.asymmetry", f"Upper-back rotation: less to the {weaker}", Severity.LOW,
                      (f"You turned {lv:g} degrees to the left and {rv:g} to the right. A one-sided limit can "
                       "make the low back twist more on one side; this is unproven."),
                      level=EvidenceLevel.EXPERT_OPINION, refs=(), th=rot, value=float(abs(lv - rv)),
                      sources=("thoracic_rotation_left_deg", "thoracic_rotation_right_deg"), confidence=_confidence("home_test"),
                      side=weaker, details={"left": lv, "right": rv, "test": "Seated rotation"},
                      note="Expert opinion only."))
    return [f for f in out if f is not None]


def balance(a: Answers) -> list[Finding]:
    th = threshold("screen_single_leg_stance_min_s")
    low = {k: a[k] for k in ("single_leg_stance_left_s", "single_leg_stance_right_s")
           if a.get(k) is not None and a[k] < th.value}
    if not low:
        return []
    worst = min(low, key=lambda k: low[k])
    return [_f("screen.poor_balance", "Single-leg balance below target", Severity.LOW,
               (f"You balanced {low[worst]:g} s on one leg with eyes open, under the {th.value:g} s we use as a "
                "target. Running is a series of single-leg landings, so balance work is a cheap addition; a "
                "direct link to back pain has not been shown."),
               level=EvidenceLevel.EXPERT_OPINION, refs=(), th=th, value=float(low[worst]), sources=tuple(low),
               confidence=_confidence("home_test"), side=worst.split("_")[3] if len(low) == 1 else None,
               advice="Single-leg balance practice, e.g. while brushing your teeth.", note="Expert opinion only.")]


def leg_length(a: Answers) -> list[Finding]:
    th = threshold("screen_leg_length_difference_mm")
    mm = a.get("leg_length_difference_mm")
    if mm is None or mm < th.value:
        return []
    return [_f("screen.leg_length_difference", "Measured leg-length difference", Severity.LOW,
               (f"A clinician measured a {mm:g} mm difference in leg length. A leg-length difference was among "
                "the reported risk factors for back pain in runners; whether correcting it helps is not known."),
               level=EvidenceLevel.LOW, refs=(), th=th, value=float(mm), sources=("leg_length_difference_mm",),
               confidence=_confidence("clinician"), advice="Discuss with your clinician before changing shoes or adding a lift.",
               note="Weak evidence: reported association only.")]


def mileage_jump(a: Answers) -> list[Finding]:
    th = threshold("screen_weekly_increase_pct")
    now, before = a.get("weekly_distance_km"), a.get("weekly_distance_4wk_ago_km")
    if now is None or before is None or before <= 0:
        return []
    inc = _pct(now / before - 1.0)
    if inc <= th.value:
        return []
    return [_f("screen.mileage_jump", "Weekly distance rose quickly",
               Severity.MODERATE if inc > th.value * threshold("screen_weekly_increase_moderate_factor").value else Severity.LOW,
               (f"You run {now:g} km a week now against {before:g} km four weeks ago, {inc:.1f} % more. In novice "
                f"runners, rises over {th.value:g} % in two weeks were linked to more overuse injuries (the link "
                "was uncertain and was not about back pain)."),
               level=EvidenceLevel.LOW, refs=(), th=th, value=inc, sources=("weekly_distance_km",
                                                                              "weekly_distance_4wk_ago_km"),
               confidence=_confidence("self_report"), advice="Hold your weekly distance steady for a couple of weeks.",
               details={"weekly_distance_km": now, "weekly_distance_4wk_ago_km": before},
               note="Weak evidence: hazard ratio 1.59 with a confidence interval that includes no effect.")]


def season_rise(a: Answers) -> list[Finding]:
    """A doubling of weekly distance over a season (3 months), which a four-week comparison misses."""
    th = threshold("screen_season_increase_ratio")
    now, before = a.get("weekly_distance_km"), a.get("weekly_distance_3mo_ago_km")
    if now is None or before is None or before <= 0 or now / before < th.value:
        return []
    ratio = now / before
    return [_f("screen.season_load_rise", "Weekly distance doubled over the season", Severity.MODERATE,
               (f"You run {now:g} km a week now against {before:g} km three months ago, {ratio:.1f} times as much. "
                "Large rises in running load are the commonest setting for bone stress injuries and other overuse "
                "injuries in runners; the link to back pain itself is not established."),
               level=EvidenceLevel.LOW, refs=("scr_nielsen_2014", "scr_bennell_1999"), th=th, value=round(ratio, 2),
               unit="times", sources=("weekly_distance_km", "weekly_distance_3mo_ago_km"),
               confidence=_confidence("self_report"),
               advice="Hold your weekly distance steady for a few weeks before building again.",
               details={"weekly_distance_km": now, "weekly_distance_3mo_ago_km": before},
               note="Weak evidence: associations in cohort studies of runners, not trials.")]


def long_run_spike(a: Answers) -> list[Finding]:
    th = threshold("screen_long_run_increase_pct")
    high = threshold("screen_long_run_increase_high_pct")
    last, prev = a.get("longest_run_last_month_km"), a.get("longest_run_previous_month_km")
    if last is None or prev is None or prev <= 0:
        return []
    inc = _pct(last / prev - 1.0)
    if inc <= th.value:
        return []
    return [_f("screen.long_run_spike", "Long run much longer than before",
               Severity.HIGH if inc > high.value else Severity.MODERATE,
               (f"Your longest run this month ({last:g} km) was {inc:.1f} % longer than the longest in the month "
                f"before ({prev:g} km). In a large study of 5,205 runners, single runs more than {th.value:g} % "
                "longer than the longest of the previous 30 days came with more running injuries. The study was "
                "about injuries in general, not back pain."),
               level=EvidenceLevel.MODERATE, refs=(), th=th, value=inc,
               sources=("longest_run_last_month_km", "longest_run_previous_month_km"), confidence=_confidence("self_report"),
               advice=f"Keep each long run within {th.value:g} % of your longest in the last 30 days.",
               details={"longest_run_last_month_km": last, "longest_run_previous_month_km": prev})]


def strength_training(a: Answers) -> list[Finding]:
    th = threshold("screen_strength_sessions_min_per_week")
    n = a.get("strength_sessions_per_week")
    if n is None or n >= th.value:
        return []
    return [_f("screen.little_strength_training", "Little strength work",
               Severity.MODERATE if n == 0 else Severity.LOW,
               (f"You do {n:g} strength, yoga or Pilates sessions a week; {th.value:g} or more is the usual "
                "recommendation for building strength. Exercise, and Pilates and strength work in particular, "
                "helps people with back pain. Whether it prevents back pain in runners is less certain."),
               level=EvidenceLevel.LOW, refs=("hayden_2021",), th=th, value=float(n),
               sources=("strength_sessions_per_week",), confidence=_confidence("self_report"),
               advice="Add two short strength or Pilates sessions a week.",
               note="Moderate evidence that exercise treats back pain; weak evidence that it prevents it.")]


def sitting(a: Answers) -> list[Finding]:
    th = threshold("screen_sitting_hours_max_per_day")
    brk = threshold("screen_sitting_break_max_min")
    hours = a.get("sitting_hours_per_day")
    every = a.get("sitting_break_every_min")
    if hours is None or hours < th.value or every is None or int(every) <= brk.value:
        return []
    return [_f("screen.prolonged_sitting", "Long sitting without breaks", Severity.LOW,
               (f"You sit about {hours:g} hours a day and get up roughly every {every} minutes. Many runners with "
                "desk jobs find their back stiffens after long spells in one position; getting up at least "
                f"every {brk.value:g} minutes is simple to try. We found no research that measures this for "
                "runners."),
               level=EvidenceLevel.EXPERT_OPINION, refs=(), th=th, value=float(hours),
               sources=("sitting_hours_per_day", "sitting_break_every_min"), confidence=_confidence("self_report"),
               advice=f"Stand up and move for a minute at least every {brk.value:g} minutes.",
               details={"break_every_min": int(every), "break_threshold_min": brk.value},
               note="No direct evidence; a low-cost habit.")]


def shoes(a: Answers) -> list[Finding]:
    km_th = threshold("screen_shoe_retirement_km")
    pairs_th = threshold("screen_shoe_pairs_min")
    km, pairs = a.get("main_shoe_distance_km"), a.get("shoe_pairs")
    worn = km is not None and km >= km_th.value
    single = pairs is not None and 0 < pairs < pairs_th.value
    if not (worn or single):
        return []
    parts = []
    if worn:
        parts.append(f"your main pair has about {km:g} km on it, past the {km_th.value:g} km often given for "
                     "replacing shoes (a convention resting on small, old studies)")
    if single:
        parts.append("you run in a single pair; runners who rotated more than one pair had fewer injuries in "
                     "one study")
    th = km_th if worn else pairs_th
    return [_f("screen.shoe_wear", "Worn shoes or a single pair", Severity.LOW,
               ("Your shoes: " + "; ".join(parts) + ". Neither is shown to cause back pain."),
               level=EvidenceLevel.LOW if single else EvidenceLevel.EXPERT_OPINION,
               refs=("scr_malisoux_2015",) if single else (), th=th, value=float(km or 0) if worn else float(pairs or 0),
               sources=tuple(k for k, on in (("main_shoe_distance_km", worn), ("shoe_pairs", single)) if on),
               confidence=_confidence("self_report"), details={"worn": worn, "single_pair": single, "pairs": pairs, "km": km},
               advice="Consider a second pair to alternate, and retire shoes that feel flat.",
               note="Weak evidence.")]


def surfaces(a: Answers) -> list[Finding]:
    used = set(a.get("surfaces", ()))
    only_road = used == {"road"}
    hilly = a.get("hills") == "hilly"
    if not (only_road or hilly):
        return []
    what = []
    if only_road:
        what.append("you run only on roads")
    if hilly:
        what.append("your routes include long descents")
    return [_f("screen.hard_surface_downhill", "Hard surfaces or long downhills", Severity.INFO,
               (f"{'; '.join(what).capitalize()}. Downhill running changes how much the low back arches, and "
                "some runners feel better mixing in softer or flatter routes. We found no study showing that hard "
                "surfaces cause back pain; runners adapt their stride to the surface."),
               level=EvidenceLevel.NONE, refs=("scr_backstride_convention",), th=None, value=", ".join(sorted(used)) or None,
               unit="surfaces", sources=tuple(k for k, on in (("surfaces", only_road), ("hills", hilly)) if on),
               confidence=_confidence("self_report"), details={"only_road": only_road, "hilly": hilly},
               advice="If downhills provoke your back, shorten your stride on them or pick flatter routes for a while.",
               note="No evidence found; included because runners ask about it.")]


def body_mass(a: Answers) -> list[Finding]:
    th = threshold("screen_bmi_max")
    if a.get("height_cm") is None or a.get("weight_kg") is None:
        return []
    value = bmi(a["weight_kg"], a["height_cm"])
    if value <= th.value:
        return []
    return [_f("screen.high_bmi", "Body mass index above 24", Severity.LOW,
               (f"Your BMI is {value:.1f} kg/m2. A BMI above {th.value:g} was among the reported risk factors "
                "for back pain in runners. BMI says nothing about fitness; it is one factor among many."),
               level=EvidenceLevel.LOW, refs=(), th=th, value=value, sources=("height_cm", "weight_kg"),
               confidence=_confidence("self_report"), note="Weak evidence: reported association only.")]


def inactivity(a: Answers) -> list[Finding]:
    th = threshold("screen_other_exercise_min_h_per_week")
    h = a.get("other_exercise_hours_per_week")
    if h is None or h >= th.value:
        return []
    return [_f("screen.inactivity", "Little activity besides running", Severity.LOW,
               (f"Apart from running you are active about {h:g} hours a week. Runners without other weekly "
                "aerobic exercise reported more back pain in some studies. Cycling, swimming or brisk walking "
                "add variety without extra impact."),
               level=EvidenceLevel.LOW, refs=(), th=th, value=float(h), sources=("other_exercise_hours_per_week",),
               confidence=_confidence("self_report"), advice="Add one session of another activity each week.",
               note="Weak evidence: reported association only.")]


_PS_ITEMS = {"ps_fear_of_movement": "worry that exercise will harm your back", "ps_worry": "worry about your back",
             "ps_low_mood": "low mood", "ps_bothersomeness": "how much your back bothers you"}


def psychosocial(a: Answers, startback: dict[str, Any] | None) -> list[Finding]:
    th = threshold("screen_psychosocial_item_high")
    high = {k: a[k] for k in _PS_ITEMS if a.get(k) is not None and a[k] >= th.value}
    risky_sb = startback is not None and startback["risk"] in ("medium", "high")
    if not high and not risky_sb:
        return []
    parts = []
    if high:
        parts.append("you rated " + ", ".join(f"{_PS_ITEMS[k]} {v}/10" for k, v in high.items())
                     + " on backstride's own questions, which are not a validated questionnaire")
    if risky_sb and startback is not None:
        parts.append(f"the STarT Back score entered is {startback['risk']} risk ({startback['total']}/9)")
    return [_f("screen.psychosocial_obstacles", "Worry or low mood may slow recovery",
               Severity.MODERATE if risky_sb and startback and startback["risk"] == "high" else Severity.LOW,
               ("; ".join(parts).capitalize() + ". Fear, worry and low mood are normal with back pain and can make "
                "it last longer. Staying active helps, and so can talking it through with a clinician."),
               level=EvidenceLevel.MODERATE if risky_sb else EvidenceLevel.EXPERT_OPINION,
               refs=("scr_keele_sbst", "scr_hill_2011", "nice_ng59") if risky_sb else ("nice_ng59",),
               th=th if high else None, value=max(high.values()) if high else startback["total"] if startback else None,
               unit="0-10" if high else "STarT Back points",
               sources=tuple(high) + (("startback_items",) if risky_sb else ()),
               confidence=_confidence("self_report"), details={"own_items_high": high, "startback": startback},
               note=("backstride's own items are not validated." if high else "")
               + (" STarT Back stratified care improved outcomes in a trial." if risky_sb else ""))]


def known_conditions(a: Answers) -> list[Finding]:
    out = []
    texts = {
        "known_disc_herniation": ("screen.known_disc_herniation", "Known disc herniation",
                                  "You have been told you have a disc herniation. Many people have one without "
                                  "pain, and most improve with time and activity. Follow your clinician's advice "
                                  "on which movements to build up gradually."),
        "known_spondylolysis": ("screen.known_spondylolysis", "Known spondylolysis or spondylolisthesis",
                                "You have been told you have a stress fracture or slip of a vertebra. Exercises "
                                "that arch the back under load are usually introduced with care; check with your "
                                "clinician."),
        "known_scoliosis": ("screen.known_scoliosis", "Known scoliosis",
                            "You have been told you have scoliosis. Most runners with a mild curve train normally; "
                            "exercises are chosen as for anyone else."),
    }
    for key, (code, title, text) in texts.items():
        if a.get(key) is True:
            out.append(_f(code, title, Severity.INFO, text, level=EvidenceLevel.EXPERT_OPINION, refs=("nice_ng59",),
                          th=None, value="yes", unit=None, sources=(key,), confidence=_confidence("self_report"),
                          note="Context for the plan, not a risk estimate."))
    return out


RULES: tuple[Callable[[Answers], list[Finding]], ...] = (
    trunk_endurance, pelvic_control, hip_flexors, hamstrings, thoracic_rotation, asymmetry, balance,
    leg_length, mileage_jump, season_rise, long_run_spike, strength_training, sitting, shoes, surfaces, body_mass,
    inactivity, known_conditions,
)


def contributing_factors(a: Answers, *, startback: dict[str, Any] | None = None) -> tuple[Finding, ...]:
    """Every finding the answers support, most severe first (stable order within a severity)."""
    found = [f for rule in RULES for f in rule(a)] + psychosocial(a, startback)
    return tuple(sorted(found, key=lambda f: -f.severity.rank))
