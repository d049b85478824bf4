"""Advice notes that go with a screening result, where backstride departs from popular articles.

Each note says what the guideline or the evidence says and how strong it is. They are shown only
with self-management and see-a-clinician results: an emergency or urgent result shows nothing
that could distract from getting help.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backstride.evidence import threshold
from backstride.intake.model import TriageTier

SUPPORTS = ("Back belts, corsets, shoe insoles, rocker-sole shoes and traction are sometimes sold for back pain. "
            "The NICE guideline on low back pain (NG59) advises against offering any of them, so backstride "
            "does not recommend them; staying active and exercise have better evidence.")
DISCS = ("Running is not known to wear out the discs of the spine. In one study, people who ran 20 to 50 km "
         "or more a week had better-hydrated discs than people who did not run (Belavý 2017), and NICE NG59 "
         "advises staying active with back pain.")
HEAT = ("Warmth before a run (a hot-water bottle or a heat wrap) may ease stiffness if it feels good. NICE NG59 "
        "makes no recommendation on heat; a Cochrane review found moderate evidence that heat wraps reduce "
        "pain a little for a short time in recent back pain (French 2006). It is a comfort, not a treatment, "
        "and it does not replace a warm-up.")
DESK = ("At a desk: a chair that supports your lower back, the top of the screen at about eye level, forearms "
        "roughly level with the desk and elbows near a right angle, and feet flat on the floor or a footrest. "
        "Change position every 10 to 15 minutes and get up for a short walk at least once an hour. Evidence: "
        "expert opinion, for comfort; no trial has shown that a desk set-up prevents back pain.")
NOT_ASSESSED = ("What this screening does not assess: how your pelvis tilts while you run (a lying or standing "
                "test such as the Thomas test cannot show it), your sacroiliac joints and the structure of your "
                "feet. A clinician who examines you can; backstride's form check from a video looks at running "
                "itself.")


def wants_desk_advice(a: Mapping[str, Any]) -> bool:
    hours = a.get("sitting_hours_per_day")
    brk = a.get("sitting_break_every_min")
    long_sitting = isinstance(hours, int | float) and hours >= threshold("screen_sitting_hours_max_per_day").value
    rare_breaks = brk is not None and int(brk) > threshold("screen_sitting_break_max_min").value
    return long_sitting or rare_breaks or "sitting" in (a.get("worse_with") or ())


def advice_notes(a: Mapping[str, Any], tier: TriageTier) -> list[str]:
    """The notes for one screening (none for emergency or urgent results)."""
    if tier.refers_now:
        return []
    notes = [SUPPORTS, DISCS]
    if a.get("has_back_pain"):
        notes.append(HEAT)
    if wants_desk_advice(a):
        notes.append(DESK)
    notes.append(NOT_ASSESSED)
    return notes
