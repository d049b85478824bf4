"""Turn form metrics into coarse categories and ``form.*`` findings.

A form finding is raised only when the value is past its threshold *and* most strides agree
(``form_consistent_share``). Confidence falls with a poor view, inconsistent strides, and a
value that sits within single-camera error (5-8 degrees for angles) of its threshold. Cadence
and step timing are the reliable measures; angles are coaching hints, never a diagnosis.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from backstride.evidence import threshold
from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity
from backstride.form.capture import CaptureReport, Category
from backstride.form.metrics import GaitMetrics, MetricSummary

if TYPE_CHECKING:
    from backstride.form.events import GaitEvents

ANGLE_ERROR_DEG = 6.0  # single-camera joint-angle error, middle of 5-8 degrees (van_hooren_2023)
# Errors of the checklist readings, in their own units. Length ratios: a landmark sits within
# about 2-3 % of the leg length of the joint (van_hooren_2023), and a ratio of two such lengths
# carries about twice that. Rotation from foreshortening: a width within 2 % gives the angle
# only to about 10 degrees near square-on (cos 10 deg = 0.985).
ERRORS = {"cadence_spm": 1.5, "trunk_lean_deg": ANGLE_ERROR_DEG, "knee_flexion_ic_deg": ANGLE_ERROR_DEG,
          "overstride_leg": 0.05, "shank_angle_ic_deg": ANGLE_ERROR_DEG, "vertical_oscillation_leg": 0.02,
          "elbow_angle_deg": ANGLE_ERROR_DEG, "head_forward_deg": ANGLE_ERROR_DEG,
          "pelvic_drop_deg": ANGLE_ERROR_DEG, "lateral_trunk_lean_deg": ANGLE_ERROR_DEG, "crossover": 0.1,
          "ear_shoulder_gap_trunk": 0.05, "shoulder_forward_trunk": 0.05, "pelvis_rotation_deg": 10.0,
          "trunk_rotation_deg": 10.0, "contact_time_s": 0.035, "step_time_s": 0.035, "flight_time_s": 0.035}


def _t(name: str) -> float:
    return threshold(name).value


def _share_over(metrics: GaitMetrics, name: str, limit: float, *, below: bool = False) -> float:
    vals = np.array([s.values.get(name, np.nan) for s in metrics.steps], dtype=float)
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return 0.0
    return float(np.mean(vals < limit) if below else np.mean(vals > limit))


def _confidence(base: float, capture: CaptureReport, *, consistency: float = 1.0, margin: float = 1.0) -> float:
    view = 0.5 + 0.5 * capture.view_confidence
    person = min(1.0, capture.person_share / 0.9)
    value = base * view * person * (0.4 + 0.6 * consistency) * margin
    return float(np.clip(round(value, 2), 0.05, 0.95))


def _angle_margin(value: float, limit: float) -> float:
    """1.0 when the value clears its threshold by the camera's error or more, lower when close."""
    return float(np.clip(0.5 + abs(value - limit) / (2 * ANGLE_ERROR_DEG), 0.3, 1.0))


def _frames(events: GaitEvents) -> tuple[str, ...]:
    if events.n_contacts == 0:
        return ()
    return (f"video frames {int(events.contact_frames[0])}-{int(np.ceil(events.contact_frames[-1]))}",)


def _two_way(out: list[Category], s: dict[str, MetricSummary], metric: str, threshold_name: str, *, above: bool,
             yes: str, no: str, unit: str, confidence: float) -> None:
    """A metric read against one threshold: ``yes`` when its median is beyond it (above, or below
    with ``above=False``), else ``no``."""
    if metric not in s:
        return
    v = s[metric].median
    limit = _t(threshold_name)
    out.append(Category(metric, yes if (v > limit if above else v < limit) else no, v, unit, confidence))


def categorise(metrics: GaitMetrics, capture: CaptureReport) -> list[Category]:
    out: list[Category] = []
    s = metrics.summaries
    cad = metrics.cadence_spm
    if np.isfinite(cad):
        low = _t("form_low_cadence_spm")
        label = "low" if cad < low else "typical" if cad < 185 else "high"
        out.append(Category("cadence_spm", label, cad, "steps/min", _confidence(0.9, capture)))
    if "trunk_lean_deg" in s:
        v = s["trunk_lean_deg"].median
        label = ("leaning back" if v < -_t("form_trunk_lean_back_deg") else
                 "upright" if v < _t("form_trunk_lean_upright_deg") else
                 "slight forward lean" if v < _t("form_trunk_lean_forward_deg") else "marked forward lean")
        out.append(Category("trunk_lean_deg", label, v, "deg", _confidence(0.6, capture)))
    _two_way(out, s, "ear_shoulder_gap_trunk", "form_shoulders_raised_gap_trunk", above=False, yes="shoulders raised towards the ears", no="shoulders relaxed, away from the ears",
             unit="trunk lengths", confidence=_confidence(0.4, capture))
    _two_way(out, s, "shoulder_forward_trunk", "form_shoulders_forward_trunk", above=True, yes="shoulders rounded forward", no="shoulders in line with the trunk",
             unit="trunk lengths", confidence=_confidence(0.4, capture))
    _two_way(out, s, "pelvis_rotation_deg", "form_pelvis_rotation_large_deg", above=True, yes="hips turn a lot with each step", no="hips face forward",
             unit="deg", confidence=_confidence(0.3, capture))
    _two_way(out, s, "trunk_rotation_deg", "form_trunk_rotation_large_deg", above=True, yes="shoulders twist a lot at the waist", no="shoulders turn a moderate amount",
             unit="deg", confidence=_confidence(0.3, capture))
    _two_way(out, s, "knee_flexion_ic_deg", "form_knee_straight_ic_deg", above=False, yes="knee nearly straight at contact", no="knee bent at contact",
             unit="deg", confidence=_confidence(0.55, capture))
    _two_way(out, s, "overstride_leg", "form_overstride_leg", above=True, yes="foot lands well ahead of the hips", no="foot lands close to under the hips",
             unit="leg lengths", confidence=_confidence(0.6, capture))
    _two_way(out, s, "shank_angle_ic_deg", "form_overstride_shank_deg", above=True, yes="shin sloping forward at contact", no="shin near vertical at contact",
             unit="deg", confidence=_confidence(0.55, capture))
    if "vertical_oscillation_leg" in s:
        v = s["vertical_oscillation_leg"].median
        label = "bouncy" if v > _t("form_high_bounce_leg") else "moderate bounce" if v > 0.07 else "low bounce"
        out.append(Category("vertical_oscillation_leg", label, v, "leg lengths", _confidence(0.6, capture)))
    if "elbow_angle_deg" in s:
        v = s["elbow_angle_deg"].median
        band = _t("form_elbow_right_angle_band_deg")
        label = ("arms tightly bent" if v < _t("form_elbow_angle_min_deg") else
                 "arms nearly straight" if v > _t("form_elbow_angle_max_deg") else
                 "arms at about a right angle" if abs(v - 90.0) <= band else
                 "arms bent more than a right angle" if v < 90.0 else "arms fairly open")
        out.append(Category("elbow_angle_deg", label, v, "deg", _confidence(0.4, capture)))
    _two_way(out, s, "head_forward_deg", "form_head_forward_deg", above=True, yes="head forward of the trunk", no="head in line with the trunk",
             unit="deg", confidence=_confidence(0.4, capture))
    _two_way(out, s, "pelvic_drop_deg", "form_pelvic_drop_deg", above=True, yes="marked pelvic drop", no="hips fairly level",
             unit="deg", confidence=_confidence(0.5, capture))
    _two_way(out, s, "lateral_trunk_lean_deg", "form_lateral_trunk_lean_deg", above=True, yes="trunk sways sideways", no="trunk steady sideways",
             unit="deg", confidence=_confidence(0.5, capture))
    if "crossover" in s:
        # a 0/1 value per contact: its mean is the share of contacts landing across the midline
        crossed = np.array([st.values["crossover"] for st in metrics.steps if "crossover" in st.values], dtype=float)
        v = float(np.nanmean(crossed))
        label = "feet cross the midline" if v >= _t("form_crossover_share") else "feet land either side of the midline"
        out.append(Category("crossover", label, v, "share of contacts", _confidence(0.5, capture)))
    return [replace(c, error=ERRORS.get(c.metric)) for c in out]


def _ev(level: EvidenceLevel, *refs: str, note: str = "") -> Evidence:
    return Evidence(level=level, reference_ids=tuple(refs), note=note)


def make_findings(metrics: GaitMetrics, capture: CaptureReport, events: GaitEvents) -> list[Finding]:
    out: list[Finding] = []
    src = _frames(events)
    s = metrics.summaries
    consistent = _t("form_consistent_share")

    cad = metrics.cadence_spm
    low = threshold("form_low_cadence_spm")
    if np.isfinite(cad) and cad < low.value:
        lo_pct, hi_pct = _t("form_cadence_increase_low"), _t("form_cadence_increase_high")
        lo_bpm, hi_bpm = round(cad * (1 + lo_pct / 100)), round(cad * (1 + hi_pct / 100))
        out.append(Finding(
            code="form.low_cadence", title="Low step rate",
            severity=Severity.MODERATE if cad < low.value - 10 else Severity.LOW,
            explanation=(f"You took {cad:.0f} steps per minute in this clip. A slightly quicker, shorter step "
                         "lowers the load on knees and hips at the same speed. Runners with back pain take a few "
                         "steps per minute fewer on average; that is a group trend, not a cause."),
            evidence=_ev(EvidenceLevel.MODERATE, "heiderscheit_2011", "drozda_2024", "willson_2014",
                         note="Joint-loading effects are measured in the lab; an effect on back pain is not shown."),
            value=round(cad, 1), threshold=low.value, unit=low.unit, sources=src,
            confidence=_confidence(0.9, capture),
            advice=(f"Raise your step rate by {lo_pct:.0f}-{hi_pct:.0f} %: set a metronome app to {lo_bpm} beats per "
                    f"minute (later {hi_bpm}) and land one foot on each beat, keeping your usual pace. Start with "
                    "2-3 one-minute spells in an easy run and build up over 2-3 weeks."),
            details={"metronome_bpm": [lo_bpm, hi_bpm]},
        ))

    if "overstride_leg" in s and "shank_angle_ic_deg" in s:
        ov, sh = s["overstride_leg"].median, s["shank_angle_ic_deg"].median
        t_ov, t_sh = threshold("form_overstride_leg"), _t("form_overstride_shank_deg")
        share = min(_share_over(metrics, "overstride_leg", t_ov.value),
                    _share_over(metrics, "shank_angle_ic_deg", t_sh))
        if ov > t_ov.value and sh > t_sh and share >= consistent:
            bpm = round(cad * 1.05) if np.isfinite(cad) else None
            out.append(Finding(
                code="form.overstride", title="Landing far ahead of the hips",
                severity=Severity.LOW,
                explanation=(f"At contact your foot landed {ov:.2f} leg lengths ahead of your hips with the shin "
                             f"sloping forward by about {sh:.0f} degrees, on {share:.0%} of steps. Landing further "
                             "under the body goes with lower braking and joint loads."),
                evidence=_ev(EvidenceLevel.LOW, "souza_2016", "whitney_2022", "bramah_2018",
                             note="Clinical reading of video; angles from one camera are approximate."),
                value=round(ov, 3), threshold=t_ov.value, unit=t_ov.unit, sources=src,
                confidence=_confidence(0.6, capture, consistency=share, margin=_angle_margin(sh, t_sh)),
                advice=("Let your foot land closer to under your hips: think 'quick, light steps' and lean slightly "
                        "from the ankles. " + (f"A 5 % quicker step rate ({bpm} beats per minute on a metronome) "
                                               "shortens the stride by itself. " if bpm else "")
                        + "Drill: 3 x 20 s of short, fast steps on the spot, then run straight on for 30 s."),
                details={"shank_angle_ic_deg": round(sh, 1), "share_of_steps": round(share, 2)},
            ))

    _angle_finding(out, metrics, capture, src, "trunk_lean_deg", "form_trunk_lean_forward_deg",
                   code="form.trunk_lean_forward", title="Marked forward trunk lean",
                   what="Your trunk leaned forward by about {v:.0f} degrees from vertical",
                   evidence=_ev(EvidenceLevel.LOW, "bramah_2018", "preece_2016",
                                note="Injured runners leaned more on average; one video cannot show cause."),
                   advice=("Run tall: imagine being lifted from the top of your head and let any lean come from the "
                           "ankles, not the waist. Strengthen the hip extensors twice a week (glute bridges, hip "
                           "hinges) so the trunk is easier to hold upright."))
    _angle_finding(out, metrics, capture, src, "pelvic_drop_deg", "form_pelvic_drop_deg",
                   code="form.pelvic_drop", title="Pelvis drops on the swing side",
                   what="During stance the opposite side of your pelvis dropped by about {v:.0f} degrees",
                   evidence=_ev(EvidenceLevel.LOW, "bramah_2018", "whitney_2022",
                                note="Strongest injury marker in a lab study; video reads only large drops reliably."),
                   advice=("Build hip-abductor strength: side-lying leg raises, side plank with a top-leg lift, and "
                           "slow step-downs from a low step watching that the hips stay level, 2-3 times a week. "
                           "While running, think 'hips level, knee soft'."), per_side=True)
    _angle_finding(out, metrics, capture, src, "lateral_trunk_lean_deg", "form_lateral_trunk_lean_deg",
                   code="form.lateral_trunk_lean", title="Trunk sways towards the standing leg",
                   what="Your trunk swayed about {v:.0f} degrees towards the standing leg",
                   evidence=_ev(EvidenceLevel.EXPERT_OPINION, "souza_2016"),
                   advice=("Side planks (3 x 20-30 s each side) and single-leg balance with the arms overhead; while "
                           "running, stay tall over the standing leg."), per_side=True)
    _share_finding(out, metrics, capture, src, "crossover", "form_crossover_share",
                   code="form.crossover", title="Feet land across the midline",
                   what="Your feet landed across your body's midline on {v:.0%} of steps",
                   evidence=_ev(EvidenceLevel.EXPERT_OPINION, "souza_2016"),
                   advice=("Imagine a line on the ground and let each foot land on its own side of it, a little wider "
                           "than feels natural. Drill: 3 x 30 s running along a painted line, one foot each side."))
    _share_finding(out, metrics, capture, src, "arm_crossing", "form_arm_crossing_share",
                   code="form.arm_crossing", title="Arms swing across the body",
                   what="A wrist swung across your body's midline on {v:.0%} of strides",
                   evidence=_ev(EvidenceLevel.EXPERT_OPINION, "running_form_checklist"),
                   advice=("Swing the arms forward and back, hands passing close to the hips rather than across the "
                           "chest. Drill: seated arm swings, 3 x 30 s, elbows at about a right angle."))

    if "elbow_angle_deg" in s:
        v = s["elbow_angle_deg"].median
        lo, hi = threshold("form_elbow_angle_min_deg"), threshold("form_elbow_angle_max_deg")
        if v < lo.value or v > hi.value:
            limit = lo if v < lo.value else hi
            share = _quartile_share(s["elbow_angle_deg"], limit.value, below=v < lo.value)
            out.append(Finding(
                code="form.elbow_angle", title="Arm carriage away from a right angle",
                severity=Severity.INFO,
                explanation=(f"Your elbow angle was about {v:.0f} degrees "
                             f"({'tightly bent' if v < lo.value else 'nearly straight'}). Arms bent at about 90 "
                             "degrees swing easily and balance the legs."),
                evidence=_ev(EvidenceLevel.EXPERT_OPINION, "running_form_checklist",
                             note="Coaching advice; no link to back pain has been shown."),
                value=round(v, 1), threshold=limit.value, unit=limit.unit, sources=src,
                confidence=_confidence(0.4, capture, consistency=share, margin=_angle_margin(v, limit.value)),
                advice="Hold the elbows at about a right angle with loosely curled hands and relaxed shoulders.",
            ))
    _angle_finding(out, metrics, capture, src, "head_forward_deg", "form_head_forward_deg",
                   code="form.head_forward", title="Head tipped or pushed forward",
                   what="Your head sat about {v:.0f} degrees ahead of your trunk's line",
                   evidence=_ev(EvidenceLevel.EXPERT_OPINION, "running_form_checklist"),
                   advice=("Look 10-20 m ahead rather than at your feet or watch, ears over shoulders. Chin tucks: "
                           "2 x 10 slow repetitions a day."), base=0.4, severity=Severity.INFO)

    vo_name = "vertical_oscillation_cm" if "vertical_oscillation_cm" in s else "vertical_oscillation_leg"
    if vo_name in s:
        t = threshold("form_high_bounce_cm" if vo_name.endswith("_cm") else "form_high_bounce_leg")
        v = s[vo_name].median
        share = _share_over(metrics, vo_name, t.value)
        if v > t.value and share >= consistent:
            unit_text = "cm" if vo_name.endswith("_cm") else "leg lengths"
            out.append(Finding(
                code="form.high_bounce", title="Bouncy stride",
                severity=Severity.INFO,
                explanation=(f"Your pelvis rose and fell by about {v:.2f} {unit_text} each step. Less bounce tends to "
                             "cost less energy; no link with back pain has been found."),
                evidence=_ev(EvidenceLevel.LOW, "van_hooren_2024", "heiderscheit_2011"),
                value=round(v, 3), threshold=t.value, unit=t.unit, sources=src,
                confidence=_confidence(0.6, capture, consistency=share),
                advice=("Run 'low and quick', as if under a low ceiling; a 5 % quicker step rate reduces bounce "
                        "without extra effort."),
            ))

    asym = metrics.step_asymmetry_pct
    if asym is not None and events.side_agreement >= 0.7:
        limp = threshold("form_limping_asymmetry_pct")
        t_asym = threshold("form_step_asymmetry_pct")
        left = s["step_time_s"].left if "step_time_s" in s else None
        right = s["step_time_s"].right if "step_time_s" in s else None
        side = None
        if left is not None and right is not None:
            side = "L" if left < right else "R"
        # a step is timed from one foot's contact to the other foot's next contact
        det = {"step_time_from_left_contact_s": left, "step_time_from_right_contact_s": right,
               "contact_asymmetry_pct": metrics.contact_asymmetry_pct}
        if asym >= limp.value:
            out.append(Finding(
                code="form.limping", title="Uneven steps, like a limp", severity=Severity.HIGH,
                explanation=(f"Your left and right steps differed in length of time by {asym:.0f} %. A difference "
                             "this large usually means one leg is being protected."),
                evidence=_ev(EvidenceLevel.EXPERT_OPINION, "running_form_checklist", "runscribe_asymmetry"),
                value=round(asym, 1), threshold=limp.value, unit=limp.unit, sources=src, side=side,
                confidence=_confidence(0.7, capture), details=det,
                advice=("Do not run through a limp. Rest from running for now, and see a clinician if it does not "
                        "settle within a few days, if you cannot put full weight on a leg, or if the pain spreads "
                        "down the leg. Log it in the journal so the plan steps back."),
            ))
        elif asym >= t_asym.value:
            out.append(Finding(
                code="form.step_asymmetry", title="Left and right steps differ", severity=Severity.LOW,
                explanation=(f"Your left and right steps differed in length of time by {asym:.0f} %. Small "
                             "differences are normal and video timing is only good to about one frame."),
                evidence=_ev(EvidenceLevel.VERY_LOW, "runscribe_asymmetry", "young_2023",
                             note="Practitioner convention; flag only if it persists on another day."),
                value=round(asym, 1), threshold=t_asym.value, unit=t_asym.unit, sources=src, side=side,
                confidence=_confidence(0.6, capture, margin=float(np.clip(asym / (2 * t_asym.value), 0.3, 1.0))),
                details=det,
                advice=("Film again on another day; if the difference stays, ask a physiotherapist or coach to look. "
                        "Meanwhile train each leg alone: step-ups and single-leg Romanian deadlifts, 2 x 8-10 each "
                        "side, twice a week."),
            ))
    return out


def _quartile_share(summary: MetricSummary, limit: float, *, below: bool) -> float:
    """How much of a per-frame series lies past ``limit``, read from its quartiles.

    Per-frame series (elbow angle) keep only their summary: past the limit at the far quartile
    means at least three quarters of frames, at the median at least half.
    """
    past = (lambda x: x < limit) if below else (lambda x: x > limit)
    far = summary.p75 if below else summary.p25
    if past(far):
        return 0.75
    return 0.5 if past(summary.median) else 0.0


def _angle_finding(out: list[Finding], metrics: GaitMetrics, capture: CaptureReport, src: tuple[str, ...],
                   name: str, threshold_name: str, *, code: str, title: str, what: str, evidence: Evidence,
                   advice: str, per_side: bool = False, base: float = 0.55,
                   severity: Severity = Severity.LOW) -> None:
    s = metrics.summaries.get(name)
    if s is None:
        return
    t = threshold(threshold_name)
    per_step = any(name in st.values for st in metrics.steps)
    # a per-frame series keeps only its quartiles: past the threshold at the lower quartile means
    # at least three quarters of the clip
    share = _share_over(metrics, name, t.value) if per_step else _quartile_share(s, t.value, below=False)
    if not (s.median > t.value and share >= (_t("form_consistent_share") if per_step else 0.75)):
        return
    how_often = f"on {share:.0%} of steps" if per_step else "for at least three quarters of the clip"
    side = None
    details: dict[str, object] = {"share_of_steps": round(share, 2), "p25": round(s.p25, 1), "p75": round(s.p75, 1)}
    if per_side and s.left is not None and s.right is not None:
        details.update({"left": round(s.left, 1), "right": round(s.right, 1)})
        if abs(s.left - s.right) > ANGLE_ERROR_DEG:
            side = "L" if s.left > s.right else "R"
    out.append(Finding(
        code=code, title=title, severity=severity,
        explanation=(what.format(v=s.median) + f" {how_often}. Angles from one phone camera are "
                     f"approximate (about {ANGLE_ERROR_DEG:.0f} degrees either way), so this is flagged only because "
                     "it is large and consistent."),
        evidence=evidence, value=round(s.median, 1), threshold=t.value, unit=t.unit, sources=src, side=side,
        confidence=_confidence(base, capture, consistency=share, margin=_angle_margin(s.median, t.value)),
        advice=advice, details=details,
    ))


def _share_finding(out: list[Finding], metrics: GaitMetrics, capture: CaptureReport, src: tuple[str, ...],
                   name: str, threshold_name: str, *, code: str, title: str, what: str, evidence: Evidence,
                   advice: str) -> None:
    vals = np.array([st.values[name] for st in metrics.steps if name in st.values], dtype=float)
    vals = vals[np.isfinite(vals)]
    if vals.size < 3:
        return
    t = threshold(threshold_name)
    share = float(np.mean(vals))
    if share < t.value:
        return
    out.append(Finding(
        code=code, title=title, severity=Severity.LOW,
        explanation=what.format(v=share) + ".",
        evidence=evidence, value=round(share, 2), threshold=t.value, unit=t.unit, sources=src,
        confidence=_confidence(0.5, capture, consistency=share),
        advice=advice,
    ))
