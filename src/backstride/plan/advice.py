"""Advice for findings that exercises do not (fully) answer: running load, shoes, habits, form.

Each entry names its source (a reference id); the numbers come from ``data/thresholds``. The
texts are backstride's own words. Codes not listed here, and not addressed by any exercise, are
still reported by the generator with a reason, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.evidence import threshold


@dataclass(frozen=True)
class AdviceEntry:
    text: str
    source: str
    value: float | None = None
    unit: str | None = None
    kind: str = "habit"          # "load" (goes into the load advice), "form" (form cue) or "habit"
    drills: tuple[str, ...] = ()  # library ids of drills for a form cue


def _t(name: str) -> tuple[float, str]:
    th = threshold(name)
    return th.value, th.unit


def _fmt(value: float) -> str:
    return f"{value:g}"


def advice_catalogue() -> dict[str, AdviceEntry]:
    """Built on use (not at import) because it reads thresholds."""
    spike, spike_unit = _t("plan.single_run_increase_max_pct")
    weekly, weekly_unit = _t("plan.weekly_increase_caution_pct")
    shoe_km, shoe_unit = _t("plan.shoe_retirement_km")
    cadence, cadence_unit = _t("plan.cadence_increase_pct")
    desk_every, desk_unit = _t("plan.desk_break_interval_min")
    spike_text = (f"Keep every run within {_fmt(spike)}% of the longest run you did in the previous 30 days. "
                  "A single much longer run is the clearest load-related injury signal in runners.")
    weekly_text = (f"Grow your weekly distance gradually; avoid increases above {_fmt(weekly)}% sustained over two "
                   "weeks. A fixed 10% rule on its own did not prevent injuries, so let the single-run rule "
                   "and how your back feels next morning guide you.")
    shoe_text = (f"Track the distance on each pair and plan a replacement around {_fmt(shoe_km)} km. This number is a "
                 "convention with weak evidence; rotating two pairs has better support.")
    cadence_text = (f"Try about {_fmt(cadence)}% more steps per minute at the same pace (a metronome app helps). "
                    "Shorter, quicker steps land closer under your hips.")
    downhill_text = ("Limit long or steep downhill running while your back settles and mix in softer, flatter routes. "
                     "There is no good evidence that hard surfaces cause back pain, so use what you enjoy.")
    return {
        "screen.long_run_spike": AdviceEntry(spike_text, "lib_frandsen_2025", spike, spike_unit, "load"),
        "load.single_run_spike": AdviceEntry(spike_text, "lib_frandsen_2025", spike, spike_unit, "load"),
        "screen.mileage_jump": AdviceEntry(weekly_text, "lib_nielsen_2014", weekly, weekly_unit, "load"),
        "load.weekly_increase": AdviceEntry(weekly_text, "lib_nielsen_2014", weekly, weekly_unit, "load"),
        "screen.season_load_rise": AdviceEntry(weekly_text, "lib_nielsen_2014", weekly, weekly_unit, "load"),
        "load.high_monotony": AdviceEntry(
            "Make easy days truly easy and keep at least one rest day a week, so days differ in load rather "
            "than every day being medium-hard.", "lib_clinical_convention", kind="load"),
        "load.acwr_high": AdviceEntry(
            "Your recent-to-usual load ratio is high. It is shown for information only: the ratio's evidence is "
            "disputed, so the plan does not change because of it. Follow the single-run rule instead.",
            "lib_impellizzeri_2020", kind="load"),
        "screen.shoe_wear": AdviceEntry(shoe_text, "lib_malisoux_2015", shoe_km, shoe_unit, "load"),
        "load.shoe_retirement": AdviceEntry(shoe_text, "lib_malisoux_2015", shoe_km, shoe_unit, "load"),
        "load.single_shoe_pair": AdviceEntry(
            "Consider rotating two pairs of running shoes; runners who alternated pairs had fewer injuries.",
            "lib_malisoux_2015", kind="load"),
        "screen.hard_surface_downhill": AdviceEntry(downhill_text, "lib_clinical_convention", kind="load"),
        "load.downhill_exposure": AdviceEntry(downhill_text, "lib_clinical_convention", kind="load"),
        "screen.high_bmi": AdviceEntry(
            "Build running time slowly and swap some runs for walking, cycling or pool running; they keep "
            "fitness with less impact.", "maselli_2020", kind="load"),
        "screen.inactivity": AdviceEntry(
            "Aim to move every day, even briefly; staying active helps a back recover better than rest.",
            "nice_ng59"),
        "screen.little_strength_training": AdviceEntry(
            "The strength sessions in this plan are the main answer; keep them going after the block ends.",
            "lib_owen_2020"),
        "screen.prolonged_sitting": AdviceEntry(
            f"Stand up and move at least every {_fmt(desk_every)} minutes ({desk_unit}) and shift position often in "
            "between; the desk breaks in this plan give you something to do in that minute.",
            "lib_clinical_convention", desk_every, desk_unit),
        "screen.psychosocial_obstacles": AdviceEntry(
            "Worry, low mood or fear of moving can make back pain last longer. Guidelines recommend exercise "
            "combined with a psychological approach for this; please talk to your clinician about it.",
            "nice_ng59"),
        "screen.leg_length_difference": AdviceEntry(
            "Do not add a heel lift on your own. Ask a clinician to measure it; most small differences need "
            "nothing, and single-leg exercises in this plan train each side.", "maselli_2020"),
        "screen.known_disc_herniation": AdviceEntry(
            "Follow your clinician's advice on which movements to build up; the plan starts gently and lets "
            "your pain response guide progress.", "nice_ng59"),
        "screen.known_spondylolysis": AdviceEntry(
            "The plan leaves out exercises that bend the back backwards, as if you were extension-sensitive; "
            "your clinician can add them back.", "lib_clinical_convention"),
        "screen.known_scoliosis": AdviceEntry(
            "No change is needed for a mild curve; exercises are chosen as for anyone else.", "nice_ng59"),
        "load.low_cadence": AdviceEntry(cadence_text, "lib_heiderscheit_2011", cadence, cadence_unit, "form",
                                        ("marching_drill", "a_skip")),
        "load.gct_imbalance": AdviceEntry(
            "Your watch shows uneven ground contact between the legs. Treat it as a prompt: it varies with hills "
            "and fatigue; single-leg strength work trains both sides evenly.", "lib_clinical_convention", kind="load"),
        "load.vertical_oscillation_high": AdviceEntry(
            "Think of running 'quietly': a little less bounce and quicker steps. This is about economy; no "
            "injury link is known.", "lib_heiderscheit_2011", kind="form", drills=("a_skip",)),
        "form.low_cadence": AdviceEntry(cadence_text, "lib_heiderscheit_2011", cadence, cadence_unit, "form",
                                        ("marching_drill", "a_skip")),
        "form.overstride": AdviceEntry(
            "Let your foot land closer under your hips rather than reaching forwards; slightly quicker steps make "
            "this happen by themselves.", "lib_heiderscheit_2011", kind="form", drills=("a_skip", "marching_drill")),
        "form.trunk_lean_forward": AdviceEntry(
            "Run tall: imagine a string lifting the top of your head, and lean from the ankles, not the waist.",
            "lib_clinical_convention", kind="form", drills=("marching_drill",)),
        "form.pelvic_drop": AdviceEntry(
            "Keep your hips level as each foot lands. The single-leg and side-hip exercises train this.",
            "lib_bramah_2018", kind="form", drills=("single_leg_balance", "hip_hike")),
        "form.lateral_trunk_lean": AdviceEntry(
            "Keep your trunk upright over the standing leg instead of swaying sideways.",
            "lib_clinical_convention", kind="form", drills=("single_leg_balance",)),
        "form.crossover": AdviceEntry(
            "Picture running along two lines, one under each hip, so the feet do not cross the midline.",
            "lib_clinical_convention", kind="form", drills=("banded_lateral_walk",)),
        "form.step_asymmetry": AdviceEntry(
            "Your steps differ between sides. If it persists across videos, show it to a clinician; single-leg "
            "work trains each side on its own.", "lib_clinical_convention", kind="form"),
        "form.high_bounce": AdviceEntry(
            "Run 'quietly' with less up-and-down movement: push the ground back, not up.",
            "lib_clinical_convention", kind="form", drills=("a_skip",)),
        "form.arm_crossing": AdviceEntry(
            "Swing your arms forwards and back from the shoulder, not across your body.",
            "lib_clinical_convention", kind="form"),
        "form.elbow_angle": AdviceEntry(
            "Keep elbows bent at roughly a right angle and your hands loose, as if holding crisps without "
            "crushing them.", "lib_clinical_convention", kind="form"),
        "form.head_forward": AdviceEntry(
            "Look ahead 20-30 metres with your chin level and your ears over your shoulders.",
            "lib_clinical_convention", kind="form", drills=("chin_tuck",)),
        "form.limping": AdviceEntry(
            "If you limp during a run, stop and walk home. Limping means the load is not tolerated today; "
            "see a clinician if it does not settle within a few days.", "silbernagel_2007", kind="form"),
    }


def general_load_advice() -> list[tuple[str, AdviceEntry]]:
    """Advice every plan carries, whatever the findings."""
    spike, unit = _t("plan.single_run_increase_max_pct")
    pain = threshold("pain_acceptable_during_activity")
    return [
        ("general.single_run", AdviceEntry(
            f"Keep each run within {_fmt(spike)}% of your longest run in the past 30 days.", "lib_frandsen_2025",
            spike, unit, "load")),
        ("general.pain_monitoring", AdviceEntry(
            f"Running with some pain is acceptable if it stays at or below {_fmt(pain.value)}/10 during the run and "
            "is back to your usual level by the next morning. This rule comes from tendon research and is an "
            "extrapolation to backs.", pain.source, pain.value, pain.unit, "load")),
    ]
