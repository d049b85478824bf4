"""The poses of every exercise, for scripts/pose_exercises.py (see there)."""

from __future__ import annotations

from typing import Any


def define(spec: Any, kf: Any, arrow: Any, feet: Any, FEET: dict[str, str], MAT: dict[str, Any],
           HIP_Y: float) -> None:
    both = ("left", "right")
    forearms = {"left_elbow": "floor", "left_wrist": "floor", "right_elbow": "floor", "right_wrist": "floor"}
    hands = {"left_wrist": "floor", "left_hand": "floor", "right_wrist": "floor", "right_hand": "floor"}
    knees = {"left_knee": "floor", "right_knee": "floor"}
    toes = {"left_toe": "floor", "right_toe": "floor"}
    supine_back = {"pelvis": "floor", "neck": "floor", "head": "floor"}
    prone_front = {"pelvis": "floor", "chest": "floor"}

    def quad(label: str, **kw: Any) -> dict[str, Any]:
        base: dict[str, Any] = dict(body=[90], left_hip=90, right_hip=90, left_knee=90, right_knee=90,
                                    left_ankle=-80, right_ankle=-80, left_shoulder=90, right_shoulder=90,
                                    left_wrist=90, right_wrist=90, neck=[-5])
        contacts = {**knees, **hands}
        base.update(kw.pop("angles", {}))
        contacts.update(kw.pop("extra", {}))
        for c in kw.pop("drop", ()):
            contacts.pop(c, None)
        return kf(label, pelvis=(0, 0.5, 0), contacts=contacts,
                  free=kw.pop("free", ("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0")), **base, **kw)

    # ---- planks
    plank = dict(body=[75], left_shoulder=75, right_shoulder=75, left_elbow=90, right_elbow=90, left_ankle=-10,
                 right_ankle=-10, neck=[-10])
    spec("front_plank",
         kf("Hold", pelvis=(0, 0.4, 0), contacts={**forearms, **toes},
            free=("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0", "left_elbow", "right_elbow"),
            **plank, hold=3),
         props=(MAT,), working=("trunk",), animate=False,
         note="Body in one straight line from head to heels, resting on the forearms and toes.")
    spec("bird_dog",
         quad("Start"),
         quad("Reach", angles=dict(right_shoulder=[175], right_wrist=0, left_hip=[0], left_knee=0, left_ankle=-30),
              drop=("right_wrist", "right_hand", "left_knee"), free=("pelvis.1", "body.0", "left_shoulder.0")),
         props=(MAT,), working=("right_arm", "left_leg"),
         arrows=(arrow("right_hand"), arrow("left_toe")),
         note="Shown for the right arm and the left leg; then change sides.")
    bridge_base = dict(body=[-90], left_hip=[60], right_hip=[60], left_knee=110, right_knee=110, left_ankle=10,
                       right_ankle=10, left_shoulder=[10], right_shoulder=[10])
    spec("glute_bridge",
         kf("Start", pelvis=(0, 0.08, 0), contacts={**supine_back, **feet(*both)},
            free=("pelvis.0", "pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle"), **bridge_base),
         kf("Lift", pelvis=(0.2, 0.35, 0), contacts={"neck": "floor", "head": "floor", **feet(*both)},
            free=("pelvis.0", "pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle",
                  "left_knee", "right_knee"),
            **{**bridge_base, "body": [-60], "left_hip": [10], "right_hip": [10], "left_knee": 100,
               "right_knee": 100}),
         props=(MAT,), working=("trunk",), arrows=(arrow("pelvis"),),
         note="Hips lift until shoulders, hips and knees line up.")
    spec("side_plank",
         kf("Hold", pelvis=(0, 0.3, 0), contacts={"left_elbow": "floor", "left_wrist": "floor", "left_heel": "floor"},
            free=("pelvis.1", "body.1", "left_shoulder.1"),
            body=[0, -72], left_shoulder=[90, 75], left_elbow=90, right_shoulder=[0, 10], hold=3),
         view="front", props=(MAT,), working=("trunk",), animate=False,
         note="On the left forearm, body straight from head to feet; then change sides.")
    spec("kneeling_hip_flexor_stretch",
         kf("Start", pelvis=(0, 0.6, 0), contacts={"left_knee": "floor", "left_toe": "floor", **feet("right")},
            free=("pelvis.1", "pelvis.0", "right_hip.0", "right_knee", "left_ankle", "right_ankle"),
            left_hip=[-5], left_knee=90, left_ankle=-60, right_hip=[90], right_knee=90, left_shoulder=[0],
            right_shoulder=[0]),
         kf("Stretch", pelvis=(0.1, 0.58, 0), contacts={"left_knee": "floor", "left_toe": "floor", **feet("right")},
            free=("pelvis.1", "right_hip.0", "right_knee", "left_hip.0", "left_ankle", "right_ankle"),
            left_hip=[-20], left_knee=100, left_ankle=-60, right_hip=[70], right_knee=110, left_shoulder=[170]),
         props=(MAT,), working=("left_leg",), arrows=(arrow("pelvis"),),
         note="Stretches the front of the left hip, the back knee down; then change sides.")
    spec("clamshell",
         kf("Start", pelvis=(0, 0.15, 0), contacts={"left_hip": "floor", "left_knee": "floor", "left_ankle": "floor",
                                                    "head": "floor"},
            free=("pelvis.1", "body.1", "neck.1"),
            body=[0, -88], left_hip=[45], right_hip=[45], left_knee=90, right_knee=90, left_shoulder=[170],
            left_elbow=60, right_shoulder=[20], right_elbow=60, neck=[0, -20]),
         kf("Open", pelvis=(0, 0.15, 0), contacts={"left_hip": "floor", "left_knee": "floor", "left_ankle": "floor",
                                                   "head": "floor"},
            free=("pelvis.1", "body.1", "neck.1"),
            body=[0, -88], left_hip=[45], right_hip=[45, 0, 40], left_knee=90, right_knee=90, left_shoulder=[170],
            left_elbow=60, right_shoulder=[20], right_elbow=60, neck=[0, -20]),
         view="front_high", props=(MAT,), working=("right_leg",), arrows=(arrow("right_knee"),),
         note="Lying on the left side; the top knee opens, feet together; then change sides.")
