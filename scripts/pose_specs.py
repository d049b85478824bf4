"""The poses of every exercise, for scripts/pose_exercises.py (see there).

Side views look at the right side (facing right), so "right" is the near, fully drawn limb.
Angles are starting guesses; the solver moves the ``free`` ones until the contacts touch.
"""

from __future__ import annotations

from typing import Any


def define(spec: Any, kf: Any, arrow: Any, feet: Any, FEET: dict[str, str], MAT: dict[str, Any],
           HIP_Y: float, pt: Any) -> None:
    both = ("left", "right")
    _L, _R = "left", "right"
    forearms = {"left_elbow": "floor", "left_wrist": "floor", "right_elbow": "floor", "right_wrist": "floor"}
    hands = {"left_wrist": "floor", "left_hand": "floor", "right_wrist": "floor", "right_hand": "floor"}
    knees = {"left_knee": "floor", "right_knee": "floor"}
    toes = {"left_toe": "floor", "right_toe": "floor"}
    back = {"pelvis": "floor", "neck": "floor", "head": "floor"}
    belly = {"pelvis": "floor", "chest": "floor"}
    tops_of_feet = {"left_toe": "floor", "left_ankle": "floor", "right_toe": "floor", "right_ankle": "floor"}

    def merge(*ds: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for d in ds:
            out.update(d)
        return out

    def pose(label: str, base: dict[str, Any], contacts: dict[str, str], free: tuple[str, ...],
             pelvis: tuple[float, float, float], kw: dict[str, Any]) -> dict[str, Any]:
        angles = dict(base)
        angles.update(kw.pop("angles", {}))
        c = dict(contacts)
        c.update(kw.pop("extra", {}))
        for name in kw.pop("drop", ()):
            c.pop(name, None)
        if "contacts" in kw:
            c = kw.pop("contacts")
        fr = kw.pop("free", free) + kw.pop("also", ())
        return kf(label, pelvis=kw.pop("pelvis", pelvis), contacts=c, free=fr, **angles, **kw)

    # ---- base positions
    def stand(label: str, **kw: Any) -> dict[str, Any]:
        base = dict(left_shoulder=[5, 5], right_shoulder=[5, 5], left_elbow=10, right_elbow=10)
        return pose(label, base, FEET, ("pelvis.1",), (0, HIP_Y, 0), kw)

    def quad(label: str, **kw: Any) -> dict[str, Any]:
        base = dict(body=[90], left_hip=90, right_hip=90, left_knee=90, right_knee=90, left_ankle=-80,
                    right_ankle=-80, left_shoulder=90, right_shoulder=90, left_wrist=90, right_wrist=90,
                    neck=[-5])
        return pose(label, base, merge(knees, hands), ("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0"),
                    (0, 0.5, 0), kw)

    def supine(label: str, bent: bool = True, **kw: Any) -> dict[str, Any]:
        base: dict[str, Any] = dict(body=[-90], left_shoulder=[10], right_shoulder=[10], neck=[10], head=-10)
        contacts = dict(back)
        free: tuple[str, ...] = ("pelvis.1",)
        if bent:
            base.update(left_hip=[60], right_hip=[60], left_knee=110, right_knee=110, left_ankle=20, right_ankle=20)
            contacts.update(feet(*both))
            free = ("pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")
        else:
            base.update(left_ankle=-20, right_ankle=-20)
            contacts.update(left_heel="floor", right_heel="floor")
            free = ("pelvis.1",)
        # the head is rounder than the drawn trunk: the neck bends a little so both rest on the floor
        kw["also"] = (*tuple(kw.get("also", ())), "neck.0", "head")
        return pose(label, base, contacts, free, (0, 0.07, 0), kw)

    def prone(label: str, **kw: Any) -> dict[str, Any]:
        base = dict(body=[90], left_ankle=-75, right_ankle=-75, left_shoulder=[0, 10], right_shoulder=[0, 10],
                    neck=[-10])
        kw["also"] = (*tuple(kw.get("also", ())), "neck.0")
        return pose(label, base, merge(belly, {"left_toe": "floor", "right_toe": "floor"}), ("pelvis.1",),
                    (0, 0.07, 0), kw)

    def sidelie(label: str, **kw: Any) -> dict[str, Any]:
        """Lying on the left side, seen from the front (head on the right of the picture)."""
        base = dict(body=[0, -90], left_shoulder=[170], left_elbow=70, right_shoulder=[20], right_elbow=20,
                    neck=[0, -25])
        return pose(label, base, {"left_hip": "floor", "left_shoulder": "floor", "head": "floor"},
                    ("pelvis.1", "body.1", "neck.1", "trunk.1"), (0, 0.2, 0), kw)

    # ================================================================ planks and quadruped
    plank = dict(body=[75], left_shoulder=75, right_shoulder=75, left_elbow=90, right_elbow=90, left_ankle=-10,
                 right_ankle=-10, neck=[-10])
    plank_free = ("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0", "left_elbow", "right_elbow")
    spec("front_plank",
         kf("Hold", pelvis=(0, 0.4, 0), contacts=merge(forearms, toes), free=plank_free, **plank, hold=3),
         props=(MAT,), working=("trunk",), animate=False,
         note="Body in one straight line from head to heels, resting on the forearms and toes.")
    spec("front_plank_knees",
         kf("Hold", pelvis=(0, 0.3, 0), contacts=merge(forearms, knees), free=plank_free,
            **{**plank, "body": [65], "left_knee": 90, "right_knee": 90, "left_hip": [-5], "right_hip": [-5]}, hold=3),
         props=(MAT,), working=("trunk",), animate=False,
         note="Shoulders, hips and knees in one line, resting on the forearms and knees.")
    spec("plank_leg_lift",
         kf("Plank", pelvis=(0, 0.4, 0), contacts=merge(forearms, toes), free=plank_free, **plank),
         kf("Lift", pelvis=(0, 0.4, 0), contacts=merge(forearms, {"left_toe": "floor"}), free=plank_free,
            **{**plank, "right_hip": [-12]}, hold=2),
         props=(MAT,), working=("right_leg", "trunk"), arrows=(arrow("right_toe"),),
         note="The right foot lifts a few centimetres while the body stays still; then change legs.")
    spec("bird_dog",
         quad("Start"),
         quad("Reach", angles=dict(right_shoulder=[175], right_wrist=0, left_hip=[0], left_knee=0, left_ankle=-30),
              drop=("right_wrist", "right_hand", "left_knee"), free=("pelvis.1", "body.0", "left_shoulder.0"),
              hold=1.5),
         props=(MAT,), working=("right_arm", "left_leg"), arrows=(arrow("right_hand"), arrow("left_toe")),
         note="Shown for the right arm and the left leg; then change sides.")
    spec("cat_camel",
         quad("Round up", angles=dict(body=[65], trunk=[22], spine=[22], left_hip=[115], right_hip=[115],
                                      neck=[35]), also=("left_hip.0", "right_hip.0")),
         quad("Neutral"),
         quad("Sag gently", angles=dict(body=[102], trunk=[-12], spine=[-10], left_hip=[78], right_hip=[78],
                                        neck=[-25]), also=("left_hip.0", "right_hip.0")),
         props=(MAT,), working=("trunk",), arrows=(arrow("waist", 0, 2),),
         note="The back rounds up, then sags a little, slowly, within a comfortable range.")
    spec("childs_pose",
         kf("Kneel", pelvis=(0, 0.45, 0), contacts=merge(knees, tops_of_feet),
            free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0"),
            body=[20], left_hip=[20], right_hip=[20], left_knee=90, right_knee=90, left_ankle=-80, right_ankle=-80,
            left_shoulder=[0], right_shoulder=[0]),
         kf("Rest", pelvis=(0, 0.3, 0),
            contacts=merge(knees, tops_of_feet, {"head": "floor", "left_hand": "floor", "right_hand": "floor"}),
            free=("pelvis.0", "pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_knee", "right_knee",
                  "left_shoulder.0", "right_shoulder.0", "neck.0"),
            body=[110], trunk=[10], spine=[10], left_hip=[150], right_hip=[150], left_knee=160, right_knee=160,
            left_ankle=-90, right_ankle=-90, left_shoulder=[170], right_shoulder=[170], neck=[20], hold=3),
         props=(MAT,), working=("trunk",), arrows=(arrow("head"),),
         note="Sit back towards the heels and rest the forehead down, arms long.")
    spec("downward_dog",
         quad("Start", angles=dict(left_ankle=-10, right_ankle=-10), extra=toes),
         kf("Hips up", pelvis=(-0.1, 0.95, 0), contacts=merge(hands, {"left_toe": "floor", "right_toe": "floor"}),
            free=("pelvis.0", "pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0", "left_ankle", "right_ankle"),
            body=[140], left_hip=[95], right_hip=[95], left_knee=15, right_knee=15, left_ankle=30, right_ankle=30,
            left_shoulder=[170], right_shoulder=[170], left_wrist=40, right_wrist=40, neck=[0], hold=2),
         props=(MAT,), working=("trunk",), arrows=(arrow("pelvis"),),
         note="Hips push up and back into an upside-down V; the knees may stay bent.")
    spec("thread_the_needle",
         quad("Start"),
         quad("Thread", angles=dict(spine=[0, 0, 40], right_shoulder=[90, -60], right_wrist=0, neck=[0, 0, 20]),
              drop=("right_wrist",), free=("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0",
                                           "right_shoulder.1")),
         quad("Open up", angles=dict(spine=[0, 0, -50], right_shoulder=[90, 90], right_wrist=0, neck=[0, 0, -30]),
              drop=("right_wrist", "right_hand"),
              free=("pelvis.1", "body.0", "body.1", "left_shoulder.0", "left_shoulder.1", "spine.1", "left_elbow",
                    "left_hip.0", "right_hip.0")),
         view="three_quarter", props=(MAT,), working=("right_arm", "trunk"), arrows=(arrow("right_hand", 1, 2),),
         note="The right arm slides under the chest, then reaches up to the ceiling; then change sides.")
    spec("t_push_up",
         kf("Plank", pelvis=(0, 0.55, 0), contacts=merge(hands, toes),
            free=("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0"),
            body=[70], left_shoulder=[70], right_shoulder=[70], left_wrist=90, right_wrist=90, left_ankle=-10,
            right_ankle=-10, neck=[-10]),
         kf("Turn to a T", pelvis=(0, 0.6, 0), contacts={"left_hand": "floor", "left_wrist": "floor",
                                                       "left_heel": "floor"},
            free=("pelvis.1", "left_shoulder.1", "left_shoulder.2", "left_shoulder.0"),
            body=[0, -66], left_shoulder=[0, 66], left_wrist=90, right_shoulder=[0, 170], left_ankle=-10,
            right_ankle=-10, hold=1.5),
         view="three_quarter", props=(MAT,), working=("right_arm", "trunk"), arrows=(arrow("right_hand"),),
         note="From a high plank the whole body turns into a side plank, the top arm to the ceiling; then the "
              "other side.")

    # ================================================================ side-lying and side planks
    spec("side_plank",
         kf("Hold", pelvis=(0, 0.3, 0), contacts={"left_elbow": "floor", "left_wrist": "floor", "left_heel": "floor"},
            free=("pelvis.1", "left_shoulder.1", "left_shoulder.2", "left_shoulder.0"),
            body=[0, -76], left_shoulder=[90, 76], left_elbow=90, right_shoulder=[0, 5], right_elbow=60, hold=3),
         view="front", props=(MAT,), working=("trunk",), animate=False,
         note="On the left forearm, body straight from head to feet; then change sides.")
    spec("side_plank_knees",
         kf("Hold", pelvis=(0, 0.25, 0), contacts={"left_elbow": "floor", "left_wrist": "floor", "left_knee": "floor"},
            free=("pelvis.1", "left_shoulder.1", "left_shoulder.2", "left_shoulder.0"),
            body=[0, -66], left_shoulder=[90, 66], left_elbow=90, left_hip=[-10], right_hip=[-10], left_knee=90,
            right_knee=90, right_shoulder=[0, 5], right_elbow=60, hold=3),
         view="front", props=(MAT,), working=("trunk",), animate=False,
         note="On the left forearm and knee, shoulder, hip and knee in line; then change sides.")
    spec("side_plank_leg_raise",
         kf("Side plank", pelvis=(0, 0.3, 0),
            contacts={"left_elbow": "floor", "left_wrist": "floor", "left_heel": "floor"},
            free=("pelvis.1", "left_shoulder.1", "left_shoulder.2", "left_shoulder.0"),
            body=[0, -76], left_shoulder=[90, 76], left_elbow=90, right_shoulder=[0, 5], right_elbow=60),
         kf("Raise", pelvis=(0, 0.3, 0),
            contacts={"left_elbow": "floor", "left_wrist": "floor", "left_heel": "floor"},
            free=("pelvis.1", "left_shoulder.1", "left_shoulder.2", "left_shoulder.0"),
            body=[0, -76], left_shoulder=[90, 76], left_elbow=90, right_shoulder=[0, 5], right_elbow=60,
            right_hip=[0, 25]),
         view="front", props=(MAT,), working=("right_leg", "trunk"), arrows=(arrow("right_ankle"),),
         note="From a side plank on the left forearm the top leg rises a hand's width; then change sides.")
    spec("side_lying_hip_abduction",
         sidelie("Start", angles=dict(left_hip=[30], left_knee=70, right_hip=[0, -5]),
                 extra={"left_knee": "floor"}),
         sidelie("Lift", angles=dict(left_hip=[30], left_knee=70, right_hip=[0, 30, -10]),
                 extra={"left_knee": "floor"}),
         view="front", props=(MAT,), working=("right_leg",), arrows=(arrow("right_ankle"),),
         note="Lying on the left side, the straight top leg lifts a little above hip height; then change sides.")
    spec("clamshell",
         sidelie("Start", angles=dict(left_hip=[45], right_hip=[45, -8], left_knee=90, right_knee=90),
                 extra={"left_knee": "floor", "left_ankle": "floor"}),
         sidelie("Open", angles=dict(left_hip=[45], right_hip=[45, 12, 35], left_knee=90, right_knee=90),
                 extra={"left_knee": "floor", "left_ankle": "floor"}),
         view="front", props=(MAT,), working=("right_leg",), arrows=(arrow("right_knee"),),
         note="Lying on the left side, feet together, the top knee opens like a clam; then change sides.")
    spec("open_book",
         sidelie("Start", angles=dict(left_hip=[90], right_hip=[90, -5], left_knee=90, right_knee=90,
                                      left_shoulder=[90], right_shoulder=[90, -10], left_elbow=0, right_elbow=0),
                 extra={"left_knee": "floor"}),
         sidelie("Open", angles=dict(left_hip=[90], right_hip=[90, -5], left_knee=90, right_knee=90,
                                     left_shoulder=[90], right_shoulder=[90, 100], left_elbow=0, right_elbow=0,
                                     spine=[0, 0, -45], neck=[0, -25, -30]),
                 extra={"left_knee": "floor"}, drop=("left_shoulder", "head"), hold=2),
         view="side_left", props=(MAT,), working=("right_arm", "trunk"), arrows=(arrow("right_hand"),),
         note="Seen from the head end: lying on the left side, knees together, the top arm opens across to the other "
              "side; then change sides.")

    # ================================================================ lying on the back
    spec("glute_bridge",
         supine("Start", free=("pelvis.0", "pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")),
         supine("Lift", pelvis=(0.2, 0.35, 0), drop=("pelvis",),
                angles=dict(body=[-60], left_hip=[10], right_hip=[10], left_knee=100, right_knee=100),
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle", "left_knee",
                      "right_knee"), hold=2),
         props=(MAT,), working=("trunk",), arrows=(arrow("pelvis"),),
         note="Hips lift until shoulders, hips and knees line up.")
    spec("bridge_march",
         supine("Bridge", pelvis=(0.2, 0.35, 0), drop=("pelvis",),
                angles=dict(body=[-60], left_hip=[10], right_hip=[10], left_knee=100, right_knee=100),
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle", "left_knee",
                      "right_knee")),
         supine("March", pelvis=(0.2, 0.35, 0), drop=("pelvis", "right_heel", "right_toe"),
                angles=dict(body=[-60], left_hip=[10], right_hip=[60], left_knee=100, right_knee=100),
                free=("pelvis.1", "body.0", "left_hip.0", "left_ankle", "left_knee")),
         props=(MAT,), working=("right_leg", "trunk"), arrows=(arrow("right_toe"),),
         note="In a bridge, one foot lifts a few centimetres with the hips kept level; then the other.")
    spec("single_leg_glute_bridge",
         supine("Start", drop=("right_heel", "right_toe"), angles=dict(right_hip=[45], right_knee=0),
                free=("pelvis.0", "pelvis.1", "left_hip.0", "left_ankle")),
         supine("Lift", pelvis=(0.2, 0.35, 0), drop=("pelvis", "right_heel", "right_toe"),
                angles=dict(body=[-62], left_hip=[10], right_hip=[30], left_knee=100, right_knee=0),
                free=("pelvis.1", "body.0", "left_hip.0", "left_ankle", "left_knee"), hold=2),
         props=(MAT,), working=("left_leg", "trunk"), arrows=(arrow("pelvis"),),
         note="The left foot pushes the hips up while the right leg stays straight; then change legs.")
    spec("pelvic_tilt",
         supine("Flatten", angles=dict(body=[-84], trunk=[-6])),
         supine("Small arch", angles=dict(body=[-96], trunk=[6])),
         props=(MAT,), working=("trunk",), arrows=(arrow("left_knee"),),
         note="A small rocking of the pelvis: the lower back flattens, then arches a little.")
    spec("knee_to_chest",
         supine("Start"),
         supine("Hug the knee", drop=("right_heel", "right_toe"),
                angles=dict(right_hip=[120], right_knee=120, right_shoulder=[60], left_shoulder=[60],
                            right_elbow=70, left_elbow=70), hold=2.5),
         props=(MAT,), working=("right_leg",), arrows=(arrow("right_knee"),),
         note="One knee is drawn towards the chest with both hands; then the other.")
    spec("dead_bug",
         supine("Start", bent=False, drop=("left_heel", "right_heel"),
                angles=dict(left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_shoulder=[90],
                            right_shoulder=[90], left_ankle=0, right_ankle=0)),
         supine("Reach", bent=False, drop=("left_heel", "right_heel"),
                angles=dict(left_hip=[25], right_hip=[90], left_knee=5, right_knee=90, left_shoulder=[90],
                            right_shoulder=[170], left_ankle=0, right_ankle=0), hold=1.5),
         props=(MAT,), working=("right_arm", "left_leg"), arrows=(arrow("right_hand"), arrow("left_toe")),
         note="The right arm reaches overhead while the left leg straightens, the lower back stays down; then "
              "the other pair.")
    spec("pilates_toe_tap",
         supine("Table top", bent=False, drop=("left_heel", "right_heel"),
                angles=dict(left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_ankle=-10,
                            right_ankle=-10)),
         supine("Tap", bent=False, drop=("left_heel", "right_heel"), extra={"right_toe": "floor"},
                angles=dict(left_hip=[90], right_hip=[50], left_knee=90, right_knee=95, left_ankle=-10,
                            right_ankle=-10), also=("right_hip.0", "right_knee")),
         props=(MAT,), working=("right_leg", "trunk"), arrows=(arrow("right_toe"),),
         note="With both shins level, one foot lowers to tap the floor and returns; then the other.")
    spec("curl_up_mcgill",
         supine("Start", drop=("left_heel", "left_toe"),
                angles=dict(left_hip=[0], left_knee=0, left_ankle=-10, left_shoulder=[-5], right_shoulder=[-5],
                            left_elbow=20, right_elbow=20), extra={"left_heel": "floor"},
                free=("pelvis.1", "right_hip.0", "right_ankle")),
         supine("Curl up", drop=("left_toe", "left_heel", "neck", "head"),
                angles=dict(left_hip=[0], left_knee=0, left_ankle=-10, spine=[14], left_shoulder=[-5],
                            right_shoulder=[-5], left_elbow=20, right_elbow=20, neck=[0], head=0),
                extra={"left_heel": "floor", "waist": "floor"}, free=("pelvis.1", "right_hip.0", "right_ankle"),
                hold=2),
         props=(MAT,), working=("trunk",), arrows=(arrow("head"),),
         note="Head and shoulders lift just off the floor as one unit; the lower back keeps its curve.")
    spec("weighted_crunch",
         supine("Start", angles=dict(left_shoulder=[20, -30], right_shoulder=[20, -30], left_elbow=130,
                                     right_elbow=130)),
         supine("Curl up", drop=("neck", "head"), extra={"waist": "floor"},
                angles=dict(spine=[30], neck=[15], left_shoulder=[20, -30], right_shoulder=[20, -30],
                            left_elbow=130, right_elbow=130)),
         props=(MAT, {"kind": "dumbbell", "at": ["left_wrist", "right_wrist"]}), working=("trunk",),
         arrows=(arrow("head"),), note="Head and shoulders curl up until the shoulder blades leave the floor.")
    spec("hamstring_stretch_supine",
         supine("Start", bent=False, drop=("right_heel",),
                angles=dict(right_hip=[40], right_knee=10, right_ankle=10, left_shoulder=[50], right_shoulder=[50],
                            left_elbow=40, right_elbow=40)),
         supine("Stretch", bent=False, drop=("right_heel",),
                angles=dict(right_hip=[80], right_knee=8, right_ankle=10, left_shoulder=[70], right_shoulder=[70],
                            left_elbow=60, right_elbow=60), hold=3),
         props=(MAT, {"kind": "strap", "between": ["right_hand", "right_toe"]}),
         working=("right_leg",), arrows=(arrow("right_toe"),),
         note="A towel or strap around the right foot raises the straight leg until the back of the thigh "
              "stretches; then the other leg.")
    spec("figure_four_stretch",
         supine("Cross", drop=("right_heel", "right_toe"),
                angles=dict(right_hip=[75, 40, 70], right_knee=110),
                free=("pelvis.1", "left_hip.0", "left_ankle")),
         supine("Draw in", drop=("right_heel", "right_toe", "left_heel", "left_toe"),
                angles=dict(left_hip=[100], left_knee=90, right_hip=[110, 35, 70], right_knee=110,
                            left_shoulder=[70], right_shoulder=[70], left_elbow=40, right_elbow=40),
                free=("pelvis.1",), hold=3),
         view="front_left_high", props=(MAT,), working=("right_leg",), arrows=(arrow("left_knee"),),
         note="The right ankle rests across the left knee; drawing the left leg in stretches the right buttock.")
    spec("supine_twist",
         supine("Start", angles=dict(left_shoulder=[0, 85], right_shoulder=[0, 85])),
         supine("Knees to one side", drop=("right_heel", "right_toe", "left_heel", "left_toe"),
                extra={"left_knee": "floor"},
                angles=dict(body=[-90, 0, -65], trunk=[0, 0, 65], left_shoulder=[0, 85], right_shoulder=[0, 85],
                            neck=[0, 0, 30]),
                free=("pelvis.1", "body.2", "trunk.2", "neck.0"), hold=3),
         view="top", props=(MAT,), working=("trunk",), arrows=(arrow("right_knee"),),
         note="Seen from above: the knees fall gently to one side while the shoulders stay down; then the other "
              "side.")
    spec("windshield_wipers",
         supine("Middle", bent=False, drop=("left_heel", "right_heel"),
                angles=dict(left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_shoulder=[0, 85],
                            right_shoulder=[0, 85])),
         supine("To the right", bent=False, drop=("left_heel", "right_heel", "pelvis"),
                angles=dict(body=[-90, 0, 45], trunk=[0, 0, -45], left_hip=[90], right_hip=[90], left_knee=90,
                            right_knee=90, left_shoulder=[0, 85], right_shoulder=[0, 85]), also=("trunk.2", "body.0", "spine.1")),
         supine("To the left", bent=False, drop=("left_heel", "right_heel", "pelvis"),
                angles=dict(body=[-90, 0, -45], trunk=[0, 0, 45], left_hip=[90], right_hip=[90], left_knee=90,
                            right_knee=90, left_shoulder=[0, 85], right_shoulder=[0, 85]), also=("trunk.2", "body.0", "spine.1")),
         view="top", props=(MAT,), working=("trunk",), arrows=(arrow("right_knee", 1, 2),),
         note="Seen from above: the knees, kept together, sway slowly from side to side like wipers.")
    spec("supported_90_90_rest",
         supine("Rest", drop=("left_heel", "left_toe", "right_heel", "right_toe"),
                extra={"left_calf": "chair", "right_calf": "chair"},
                angles=dict(left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_ankle=0, right_ankle=0),
                free=("pelvis.1", "left_hip.0", "right_hip.0"), hold=3),
         props=(MAT, {"kind": "chair", "x": [0.25, 0.7], "height": 0.47, "back": "right"}), animate=False,
         note="Lying on the back with the calves on a chair seat, hips and knees at right angles, fully relaxed.")
    spec("thoracic_extension_foam_roller",
         supine("Start", angles=dict(body=[-75], spine=[5], left_shoulder=[150], right_shoulder=[150],
                                     left_elbow=130, right_elbow=130, neck=[25]),
                drop=("neck", "head"), extra={"chest": "roller"},
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")),
         supine("Extend", angles=dict(body=[-75], spine=[-22], left_shoulder=[150], right_shoulder=[150],
                                      left_elbow=130, right_elbow=130, neck=[20]),
                drop=("neck", "head"), extra={"chest": "roller"},
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")),
         props=(MAT, {"kind": "roller", "center": [-0.36, 0.09, 0], "radius": 0.075}), working=("trunk",),
         arrows=(arrow("head"),), note="Hips stay down while the upper back extends gently over the roller.")
    spec("back_roller_upper_back",
         supine("Start", angles=dict(body=[-78], left_shoulder=[150], right_shoulder=[150], left_elbow=130,
                                     right_elbow=130, neck=[25]),
                drop=("neck", "head", "pelvis"), extra={"chest": "roller"},
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")),
         supine("Roll", pelvis=(0.07, 0.07, 0), angles=dict(body=[-78], left_shoulder=[150], right_shoulder=[150],
                                                            left_elbow=130, right_elbow=130, neck=[25]),
                drop=("neck", "head", "pelvis"), extra={"chest": "roller"},
                free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle")),
         props=({"kind": "massage_ball", "center": [-0.3, 0.06, 0.07], "radius": 0.06},), working=("trunk",),
         arrows=(arrow("pelvis"),), note="The ball sits beside the spine between the shoulder blades; the body "
                                         "rolls slowly over it.")

    # ================================================================ lying face down
    spec("cobra_pose",
         prone("Start", angles=dict(left_shoulder=[-30], right_shoulder=[-30], left_elbow=120, right_elbow=120,
                                    left_wrist=90, right_wrist=90), extra=hands,
               also=("left_shoulder.0", "right_shoulder.0")),
         prone("Lift", drop=("chest",), angles=dict(trunk=[-15], spine=[-25], left_shoulder=[5], right_shoulder=[5],
                                                   left_elbow=25, right_elbow=25, left_wrist=90, right_wrist=90,
                                                   neck=[-10]),
               extra=hands, also=("left_shoulder.0", "right_shoulder.0", "spine.0"), hold=1.5),
         props=(MAT,), working=("trunk",), arrows=(arrow("head"),),
         note="The hands press to lift the chest while the hips stay on the floor.")
    spec("sphinx_pose",
         prone("Hold", drop=("chest",), angles=dict(trunk=[-10], spine=[-20], left_shoulder=[70], right_shoulder=[70],
                                                   left_elbow=90, right_elbow=90),
               extra=forearms, also=("left_shoulder.0", "right_shoulder.0", "spine.0"), hold=3),
         props=(MAT,), working=("trunk",), animate=False,
         note="Propped on the forearms, elbows under the shoulders, hips and legs relaxed on the floor.")
    spec("locust_pose",
         prone("Start", angles=dict(left_shoulder=[0, 5], right_shoulder=[0, 5])),
         prone("Lift", drop=("chest", "left_toe", "right_toe"),
               angles=dict(trunk=[-8], spine=[-12], left_hip=[-12], right_hip=[-12], left_shoulder=[-25, 5],
                           right_shoulder=[-25, 5], neck=[-5]), extra={"waist": "floor"}, hold=2),
         props=(MAT,), working=("trunk", "left_leg", "right_leg"), arrows=(arrow("right_ankle"), arrow("head")),
         note="Legs, arms, chest and head lift a little together, the gaze down.")
    spec("superman",
         prone("Start", angles=dict(left_shoulder=[175], right_shoulder=[175], neck=[0])),
         prone("Lift", drop=("chest", "left_toe", "right_toe"),
               angles=dict(trunk=[-6], spine=[-10], left_hip=[-10], right_hip=[-10], left_shoulder=[185],
                           right_shoulder=[185], neck=[-5]), extra={"waist": "floor"}, hold=1.5),
         props=(MAT,), working=("trunk", "left_leg", "right_leg"), arrows=(arrow("right_hand"), arrow("right_ankle")),
         note="Arms, chest and legs lift a few centimetres off the floor.")
    spec("pilates_swimming",
         prone("Right arm, left leg", drop=("chest", "left_toe", "right_toe"),
               angles=dict(spine=[-6], left_hip=[-5], right_hip=[5], left_shoulder=[170], right_shoulder=[190],
                           neck=[-5]), also=("left_hip.0", "right_hip.0", "spine.0"), move=0.6, hold=0.2),
         prone("Left arm, right leg", drop=("chest", "left_toe", "right_toe"),
               angles=dict(spine=[-6], left_hip=[5], right_hip=[-5], left_shoulder=[190], right_shoulder=[170],
                           neck=[-5]), also=("left_hip.0", "right_hip.0", "spine.0"), move=0.6, hold=0.2),
         props=(MAT,), working=("trunk", "right_arm", "left_leg"), arrows=(arrow("right_hand"),),
         note="Arms and legs lifted slightly, opposite arm and leg flutter up and down.")
    spec("prone_y_t_raise",
         prone("Y", angles=dict(left_shoulder=[150, 30], right_shoulder=[150, 30], neck=[10])),
         prone("T", angles=dict(left_shoulder=[90, 90], right_shoulder=[90, 90], neck=[10])),
         view="top", props=(MAT, {"kind": "towel", "under": "head"}), working=("left_arm", "right_arm"),
         arrows=(arrow("right_hand"),),
         note="Seen from above: the arms lift a few centimetres in a Y, then in a T, thumbs up.")
    spec("foam_roll_thighs",
         prone("Roll", pelvis=(0, 0.25, 0), contacts=merge(forearms, {"left_thigh": "roller", "right_thigh": "roller"}),
               free=("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0"),
               angles=dict(body=[78], left_shoulder=[80], right_shoulder=[80], left_elbow=90, right_elbow=90,
                           left_ankle=-60, right_ankle=-60)),
         prone("Roll up", pelvis=(0.17, 0.25, 0), contacts=merge(forearms, {"left_knee": "roller",
                                                                          "right_knee": "roller"}),
               free=("pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0"),
               angles=dict(body=[78], left_shoulder=[60], right_shoulder=[60], left_elbow=90, right_elbow=90,
                           left_ankle=-60, right_ankle=-60)),
         props=(MAT, {"kind": "roller", "center": [-0.2, 0.087, 0], "radius": 0.075}), working=("left_leg", "right_leg"),
         arrows=(arrow("pelvis"),), note="On the forearms, the thighs roll slowly over the roller.")
    spec("stability_ball_back_extension",
         kf("Drape", pelvis=(0, 0.66, 0), contacts={"pelvis": "ball", "left_toe": "floor", "right_toe": "floor"},
            free=("pelvis.0", "pelvis.1", "left_hip.0", "right_hip.0", "body.0"),
            body=[120], left_hip=[10], right_hip=[10], left_ankle=-10, right_ankle=-10, left_shoulder=[60],
            right_shoulder=[60], left_elbow=90, right_elbow=90, neck=[10]),
         kf("Raise", pelvis=(0, 0.66, 0), contacts={"pelvis": "ball", "left_toe": "floor", "right_toe": "floor"},
            free=("pelvis.0", "pelvis.1", "left_hip.0", "right_hip.0"),
            body=[100], trunk=[-15], left_hip=[10], right_hip=[10], left_ankle=-10, right_ankle=-10,
            left_shoulder=[60], right_shoulder=[60], left_elbow=90, right_elbow=90, neck=[-5], hold=1.5),
         props=({"kind": "ball", "center": [0.05, 0.33, 0], "radius": 0.33},
                {"kind": "wall", "x": -1.05, "side": -1}), working=("trunk",), arrows=(arrow("head"),),
         note="Over the ball, toes against the wall, the chest rises until the body is in a straight line.")
    spec("stability_ball_reverse_leg_raise",
         kf("Start", pelvis=(0, 0.6, 0), contacts=merge({"pelvis": "ball"}, hands, toes),
            free=("pelvis.0", "pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_shoulder.0", "right_shoulder.0"),
            body=[100], left_hip=[50], right_hip=[50], left_ankle=-10, right_ankle=-10, left_shoulder=[80],
            right_shoulder=[80], left_wrist=90, right_wrist=90),
         kf("Legs up", pelvis=(0, 0.6, 0), contacts=merge({"pelvis": "ball"}, hands),
            free=("pelvis.0", "pelvis.1", "body.0", "left_shoulder.0", "right_shoulder.0"),
            body=[100], left_hip=[-8], right_hip=[-8], left_ankle=-30, right_ankle=-30, left_shoulder=[80],
            right_shoulder=[80], left_wrist=90, right_wrist=90, hold=1.5),
         props=({"kind": "ball", "center": [0.0, 0.33, 0], "radius": 0.33},), working=("left_leg", "right_leg"),
         arrows=(arrow("right_toe"),), note="Hips on the ball, hands on the floor, both legs lift until in line "
                                            "with the body.")

    # ================================================================ kneeling and sitting on the floor
    spec("kneeling_hip_flexor_stretch",
         kf("Start", pelvis=(0, 0.6, 0), contacts={"right_knee": "floor", "right_toe": "floor", **feet("left")},
            free=("pelvis.1", "pelvis.0", "left_hip.0", "left_knee", "right_ankle", "left_ankle"),
            right_hip=[-5], right_knee=90, right_ankle=-60, left_hip=[90], left_knee=90, left_shoulder=[0],
            right_shoulder=[0]),
         kf("Stretch", pelvis=(0.1, 0.58, 0), contacts={"right_knee": "floor", "right_toe": "floor", **feet("left")},
            free=("pelvis.1", "left_hip.0", "left_knee", "right_hip.0", "right_ankle", "left_ankle"),
            right_hip=[-20], right_knee=100, right_ankle=-60, left_hip=[70], left_knee=110, right_shoulder=[170],
            hold=3),
         props=(MAT,), working=("right_leg",), arrows=(arrow("pelvis"), arrow("right_hand")),
         note="Half-kneeling on the right knee, the hips shift forward to stretch the front of the right hip; "
              "then change sides.")
    spec("couch_stretch",
         kf("Start", pelvis=(0, 0.6, 0), contacts={"right_knee": "floor", "right_toe": "wall", **feet("left"),
                                                   "left_hand": "floor", "right_hand": "floor"},
            free=("pelvis.1", "pelvis.0", "body.0", "left_hip.0", "left_knee", "left_ankle", "right_hip.0",
                  "left_shoulder.0", "right_shoulder.0"),
            body=[40], right_hip=[-30], right_knee=150, right_ankle=-40, left_hip=[110], left_knee=100,
            left_shoulder=[40], right_shoulder=[40], left_wrist=90, right_wrist=90),
         kf("Upright", pelvis=(0, 0.6, 0), contacts={"right_knee": "floor", "right_toe": "wall", **feet("left")},
            free=("pelvis.1", "pelvis.0", "left_hip.0", "left_knee", "left_ankle", "right_hip.0", "right_knee"),
            body=[0], right_hip=[-10], right_knee=150, right_ankle=-40, left_hip=[90], left_knee=90,
            left_shoulder=[20], right_shoulder=[20], left_elbow=30, right_elbow=30, hold=3),
         props=(MAT, {"kind": "wall", "x": -0.45, "side": -1}), working=("right_leg",), arrows=(arrow("neck"),),
         note="The right knee is down by the wall with that foot up against it; lifting the trunk stretches the "
              "front of the thigh; then change legs.")
    spec("massage_ball_glutes",
         kf("Sit on the ball", pelvis=(0, 0.2, 0),
            contacts={"pelvis": "roller", **feet(*both), "left_hand": "floor", "right_hand": "floor"},
            free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle", "left_shoulder.0",
                  "right_shoulder.0"),
            body=[-30], left_hip=[110], right_hip=[110], left_knee=100, right_knee=100, left_ankle=10,
            right_ankle=10, left_shoulder=[-40], right_shoulder=[-40], left_wrist=-90, right_wrist=-90),
         kf("Roll", pelvis=(0.06, 0.2, 0),
            contacts={"pelvis": "roller", **feet(*both), "left_hand": "floor", "right_hand": "floor"},
            free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle", "left_shoulder.0",
                  "right_shoulder.0"),
            body=[-35], left_hip=[110], right_hip=[110], left_knee=100, right_knee=100, left_ankle=10,
            right_ankle=10, left_shoulder=[-40], right_shoulder=[-40], left_wrist=-90, right_wrist=-90),
         props=(MAT, {"kind": "massage_ball", "center": [0.0, 0.072, 0.1], "radius": 0.06}), working=("right_leg",),
         arrows=(arrow("pelvis"),), note="Sitting with the ball under the right buttock, hands behind; the "
                                         "weight shifts slowly to roll it.")
    spec("foam_roll_calves",
         kf("Ankles", pelvis=(0, 0.2, 0), contacts={"left_calf": "roller", "right_calf": "roller",
                                                    "left_hand": "floor", "right_hand": "floor"},
            free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_shoulder.0", "right_shoulder.0"),
            body=[-30], left_hip=[70], right_hip=[70], left_ankle=-10, right_ankle=-10, left_shoulder=[-40],
            right_shoulder=[-40], left_wrist=-90, right_wrist=-90),
         kf("Knees", pelvis=(0.2, 0.2, 0), contacts={"left_knee": "roller", "right_knee": "roller",
                                                     "left_hand": "floor", "right_hand": "floor"},
            free=("pelvis.1", "body.0", "left_hip.0", "right_hip.0", "left_shoulder.0", "right_shoulder.0"),
            body=[-25], left_hip=[70], right_hip=[70], left_ankle=-10, right_ankle=-10, left_shoulder=[-30],
            right_shoulder=[-30], left_wrist=-90, right_wrist=-90),
         props=(MAT, {"kind": "roller", "center": [0.6, 0.087, 0], "radius": 0.075}),
         working=("left_leg", "right_leg"), arrows=(arrow("pelvis"),),
         note="Hips lifted on the hands, the calves roll slowly from ankle to knee.")
    spec("russian_twist",
         kf("Middle", pelvis=(0, 0.1, 0), contacts={"pelvis": "floor", "left_heel": "floor", "right_heel": "floor"},
            free=("pelvis.1", "left_hip.0", "right_hip.0"),
            body=[-35], left_hip=[120], right_hip=[120], left_knee=100, right_knee=100, left_shoulder=[60, -25],
            right_shoulder=[60, -25], left_elbow=60, right_elbow=60, neck=[15]),
         kf("Turn right", pelvis=(0, 0.1, 0), contacts={"pelvis": "floor", "left_heel": "floor", "right_heel": "floor"},
            free=("pelvis.1", "left_hip.0", "right_hip.0"),
            body=[-35], spine=[0, 0, 40], left_hip=[120], right_hip=[120], left_knee=100, right_knee=100,
            left_shoulder=[60, -25], right_shoulder=[60, -25], left_elbow=60, right_elbow=60, neck=[15]),
         kf("Turn left", pelvis=(0, 0.1, 0), contacts={"pelvis": "floor", "left_heel": "floor", "right_heel": "floor"},
            free=("pelvis.1", "left_hip.0", "right_hip.0"),
            body=[-35], spine=[0, 0, -40], left_hip=[120], right_hip=[120], left_knee=100, right_knee=100,
            left_shoulder=[60, -25], right_shoulder=[60, -25], left_elbow=60, right_elbow=60, neck=[15]),
         view="three_quarter", props=(MAT,), working=("trunk",), arrows=(arrow("right_hand", 1, 2),),
         note="Leaning back a little with a straight back, the shoulders turn from side to side.")

    # ================================================================ standing
    spec("hip_hinge",
         stand("Stand", angles=dict(left_shoulder=[-10, 20], right_shoulder=[-10, 20], left_elbow=100,
                                    right_elbow=100)),
         stand("Hinge", angles=dict(body=[50], left_hip=[65], right_hip=[65], left_knee=25, right_knee=25,
                                    left_ankle=10, right_ankle=10, left_shoulder=[-10, 20], right_shoulder=[-10, 20],
                                    left_elbow=100, right_elbow=100),
               also=("pelvis.0", "left_ankle", "right_ankle"), hold=1.5),
         working=("trunk",), arrows=(arrow("pelvis"),),
         note="The hips push back and the trunk tips forward with a straight back, knees soft.")
    spec("romanian_deadlift",
         stand("Stand", angles=dict(left_shoulder=[0], right_shoulder=[0], left_elbow=0, right_elbow=0)),
         stand("Hinge", angles=dict(body=[65], left_hip=[78], right_hip=[78], left_knee=25, right_knee=25,
                                    left_ankle=12, right_ankle=12, left_shoulder=[65], right_shoulder=[65],
                                    left_elbow=0, right_elbow=0, neck=[-15]),
               also=("pelvis.0", "left_ankle", "right_ankle"), hold=1),
         props=({"kind": "dumbbell", "at": "right_hand"},), working=("left_leg", "right_leg", "trunk"),
         arrows=(arrow("right_hand"),),
         note="The weights slide down the front of the legs as the hips push back, back straight.")
    spec("barbell_deadlift",
         stand("Set up", angles=dict(body=[48], left_hip=[103], right_hip=[103], left_knee=85, right_knee=85,
                                     left_ankle=30, right_ankle=30, left_shoulder=[48], right_shoulder=[48],
                                     left_elbow=0, right_elbow=0, neck=[-20]),
               also=("pelvis.0", "left_ankle", "right_ankle")),
         stand("Stand up", angles=dict(left_shoulder=[0], right_shoulder=[0], left_elbow=0, right_elbow=0)),
         props=({"kind": "barbell", "at": ["left_hand", "right_hand"]},), working=("left_leg", "right_leg", "trunk"),
         arrows=(arrow("right_hand"),),
         note="Back straight, the bar close to the legs, standing up by pushing the floor away.")
    spec("kettlebell_swing",
         stand("Hike back", angles=dict(body=[60], left_hip=[72], right_hip=[72], left_knee=30, right_knee=30,
                                        left_ankle=18, right_ankle=18, left_shoulder=[25], right_shoulder=[25],
                                        neck=[-20]),
               also=("pelvis.0", "left_ankle", "right_ankle"), move=0.7, hold=0.2),
         stand("Float up", angles=dict(left_shoulder=[90], right_shoulder=[90], left_elbow=0, right_elbow=0),
               move=0.7, hold=0.3),
         props=({"kind": "kettlebell", "at": ["left_hand", "right_hand"]},), working=("left_leg", "right_leg"),
         arrows=(arrow("right_hand"),),
         note="A hip snap floats the bell to chest height; it falls back between the legs as the hips hinge.")
    spec("standing_back_extension",
         stand("Stand", angles=dict(left_shoulder=[-40, 10], right_shoulder=[-40, 10], left_elbow=80,
                                    right_elbow=80)),
         stand("Lean back", angles=dict(trunk=[-10], spine=[-15], left_shoulder=[-40, 10], right_shoulder=[-40, 10],
                                        left_elbow=80, right_elbow=80, left_knee=5, right_knee=5, neck=[-5]),
               hold=1.5),
         working=("trunk",), arrows=(arrow("head"),),
         note="Hands on the back of the hips, the body leans gently back.")
    spec("chin_tuck",
         stand("Tall", angles=dict(left_shoulder=[0], right_shoulder=[0])),
         stand("Tuck", angles=dict(left_shoulder=[0], right_shoulder=[0], neck=[-14], head=22), hold=2),
         working=("head",), arrows=(arrow("nose"),),
         note="The head glides straight back into a double chin, eyes level.")
    spec("neck_rolls",
         stand("Chin down", angles=dict(neck=[35], head=10, left_shoulder=[0], right_shoulder=[0])),
         stand("Towards the right", angles=dict(neck=[15, 35], head=5, left_shoulder=[0], right_shoulder=[0])),
         stand("Towards the left", angles=dict(neck=[15, -35], head=5, left_shoulder=[0], right_shoulder=[0])),
         view="front", working=("head",), arrows=(arrow("head", 1, 2),),
         note="The head rolls slowly from shoulder to shoulder through the front half of the circle.")
    spec("shoulder_shrugs",
         stand("Relaxed", angles=dict(left_shoulder=[0, 5], right_shoulder=[0, 5])),
         stand("Shrug", angles=dict(shrug=18, left_shoulder=[0, 5], right_shoulder=[0, 5]), hold=1),
         view="front", working=("left_arm", "right_arm"), arrows=(arrow("right_shoulder"),),
         note="Both shoulders lift towards the ears, then lower.")
    spec("band_pull_apart",
         stand("Start", angles=dict(left_shoulder=[90, 0], right_shoulder=[90, 0], left_elbow=0, right_elbow=0)),
         stand("Pull apart", angles=dict(left_shoulder=[90, 85], right_shoulder=[90, 85], left_elbow=0, right_elbow=0),
               hold=1),
         view="three_quarter", props=({"kind": "band", "between": ["left_hand", "right_hand"]},),
         working=("left_arm", "right_arm"), arrows=(arrow("right_hand"), arrow("left_hand")),
         note="Straight arms at shoulder height move out to the sides, stretching the band.")
    spec("shoulder_extension",
         stand("Start", angles=dict(left_shoulder=[110], right_shoulder=[110], left_elbow=0, right_elbow=0)),
         stand("Pull down", angles=dict(left_shoulder=[-15], right_shoulder=[-15], left_elbow=0, right_elbow=0),
               hold=1),
         props=({"kind": "band", "anchor": [1.2, 2.1, 0], "to": ["right_hand"]},
                {"kind": "wall", "x": 1.25, "side": 1}),
         working=("left_arm", "right_arm"), arrows=(arrow("right_hand"),),
         note="Facing a band anchored high, straight arms pull down and back to the hips.")
    spec("pallof_press",
         stand("Hands at chest", angles=dict(left_shoulder=[20, 10], right_shoulder=[20, 10], left_elbow=130,
                                             right_elbow=130, left_knee=10, right_knee=10, left_hip=[10],
                                             right_hip=[10])),
         stand("Press out", angles=dict(left_shoulder=[85, -10], right_shoulder=[85, -10], left_elbow=0,
                                        right_elbow=0, left_knee=10, right_knee=10, left_hip=[10], right_hip=[10]),
               hold=2),
         view="three_quarter",
         props=({"kind": "band", "anchor": [0.1, 1.3, 1.5], "to": ["right_hand", "left_hand"]},),
         working=("trunk",), arrows=(arrow("right_hand"),),
         note="Side-on to the band, the hands press straight out from the chest without the trunk turning.")
    spec("seated_thoracic_rotation",
         kf("Middle", pelvis=(0, 0.52, 0), contacts={"pelvis": "chair", **FEET},
            free=("pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle"),
            left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_shoulder=[80, -40],
            right_shoulder=[80, -40], left_elbow=100, right_elbow=100),
         kf("Turn right", pelvis=(0, 0.52, 0), contacts={"pelvis": "chair", **FEET},
            free=("pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle"),
            left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, spine=[0, 0, 45], trunk=[0, 0, 10],
            left_shoulder=[80, -40], right_shoulder=[80, -40], left_elbow=100, right_elbow=100, neck=[0, 0, 15]),
         kf("Turn left", pelvis=(0, 0.52, 0), contacts={"pelvis": "chair", **FEET},
            free=("pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle"),
            left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, spine=[0, 0, -45], trunk=[0, 0, -10],
            left_shoulder=[80, -40], right_shoulder=[80, -40], left_elbow=100, right_elbow=100, neck=[0, 0, -15]),
         view="front_high", props=({"kind": "chair", "x": [-0.3, 0.15], "height": 0.46, "back": "left"},),
         working=("trunk",), arrows=(arrow("right_elbow", 1, 2),),
         note="Sitting tall, arms crossed, the upper body turns to each side while the hips "
              "face forward.")
    spec("stand_and_walk",
         kf("Sitting", pelvis=(0, 0.52, 0), contacts={"pelvis": "chair", **FEET},
            free=("pelvis.1", "left_hip.0", "right_hip.0", "left_ankle", "right_ankle"),
            left_hip=[90], right_hip=[90], left_knee=90, right_knee=90, left_shoulder=[20], right_shoulder=[20],
            left_elbow=60, right_elbow=60),
         kf("Up and walking", pelvis=(0.55, HIP_Y, 0), contacts={"right_heel": "floor", "left_toe": "floor"},
            free=("pelvis.1",),
            right_hip=[25], right_knee=5, right_ankle=10, left_hip=[-15], left_knee=15, left_ankle=-10,
            left_shoulder=[20], right_shoulder=[-20], left_elbow=20, right_elbow=20, hold=1.5, move=1.6),
         props=({"kind": "chair", "x": [-0.32, 0.12], "height": 0.46, "back": "left"},),
         arrows=(arrow("head"),), note="Every half hour or so, stand up and walk for two or three minutes.")

    def gait(label: str, lead: str, **kw: Any) -> dict[str, Any]:
        trail = "left" if lead == "right" else "right"
        angles = {f"{lead}_hip": [25], f"{lead}_knee": 5, f"{lead}_ankle": 10, f"{trail}_hip": [-15],
                  f"{trail}_knee": 12, f"{trail}_ankle": -12, f"{trail}_shoulder": [25], f"{lead}_shoulder": [-25],
                  "left_elbow": 30, "right_elbow": 30}
        angles.update(kw.pop("angles", {}))
        return kf(label, contacts={f"{lead}_heel": "floor", f"{trail}_toe": "floor"}, free=("pelvis.1",),
                  **angles, **kw)
    spec("brisk_walk",
         gait("Right foot ahead", "right", move=0.6, hold=0.1),
         gait("Left foot ahead", "left", move=0.6, hold=0.1),
         note="An upright, brisk walk on flat ground, arms swinging.")

    def knee_drive(label: str, lead: str, height: float = 90, toe: bool = True, **kw: Any) -> dict[str, Any]:
        stance = "left" if lead == "right" else "right"
        angles = {f"{lead}_hip": [height], f"{lead}_knee": height, f"{lead}_ankle": 10, f"{stance}_ankle": -15,
                  f"{stance}_shoulder": [55], f"{lead}_shoulder": [-35], "left_elbow": 90, "right_elbow": 90}
        angles.update(kw.pop("angles", {}))
        c = {f"{stance}_toe": "floor"} if toe else {f"{stance}_toe": "floor", f"{stance}_heel": "floor"}
        return kf(label, contacts=c, free=("pelvis.1",), **angles, **kw)
    spec("marching_drill",
         knee_drive("Right knee up", "right", toe=False, angles={"left_ankle": 0}, move=0.8, hold=0.3),
         knee_drive("Left knee up", "left", toe=False, angles={"right_ankle": 0}, move=0.8, hold=0.3),
         working=("right_leg", "left_leg"), note="Knees lift to hip height in turn, opposite arm swinging.")
    spec("a_skip",
         knee_drive("Right knee up", "right", move=0.45, hold=0.1),
         knee_drive("Left knee up", "left", move=0.45, hold=0.1),
         working=("right_leg", "left_leg"),
         note="A low, rhythmic skip: one knee drives up to hip height while the other foot lands under the hips.")
    spec("pool_running",
         kf("Stride", pelvis=(0, 1.05, 0), right_hip=[60], right_knee=80, left_hip=[-20], left_knee=60,
            left_shoulder=[50], right_shoulder=[-40], left_elbow=90, right_elbow=90, body=[8], move=0.7, hold=0.1),
         kf("Other stride", pelvis=(0, 1.05, 0), left_hip=[60], left_knee=80, right_hip=[-20], right_knee=60,
            right_shoulder=[50], left_shoulder=[-40], left_elbow=90, right_elbow=90, body=[8], move=0.7, hold=0.1),
         props=({"kind": "pool", "water_y": 1.55},), note="Running in deep water with the normal arm and leg action, "
                                                          "feet off the bottom.")
    spec("cycling_easy",
         kf("Pedal", pelvis=(0, 1.04, 0), body=[25], right_hip=[75], right_knee=100, right_ankle=-5,
            left_hip=[35], left_knee=30, left_ankle=-20, left_shoulder=[65], right_shoulder=[65], left_elbow=20,
            right_elbow=20, move=0.6, hold=0.1),
         kf("Pedal round", pelvis=(0, 1.04, 0), body=[25], left_hip=[75], left_knee=100, left_ankle=-5,
            right_hip=[35], right_knee=30, right_ankle=-20, left_shoulder=[65], right_shoulder=[65], left_elbow=20,
            right_elbow=20, move=0.6, hold=0.1),
         props=({"kind": "bike", "wheels_x": [-0.55, 0.6], "saddle": [-0.02, 0.9, 0.15],
                 "crank": [0.22, 0.32, 0.15], "handlebar": [0.45, 1.08, 0.15]},),
         working=("left_leg", "right_leg"), note="Easy, steady pedalling, sitting fairly upright.")

    def lunge(label: str, front: str, depth: float, **kw: Any) -> dict[str, Any]:
        back_leg = "left" if front == "right" else "right"
        angles = {f"{front}_hip": [30 + depth * 0.6], f"{front}_knee": depth, f"{front}_ankle": depth * 0.25,
                  f"{back_leg}_hip": [-25 + depth * 0.1], f"{back_leg}_knee": depth * 0.9,
                  f"{back_leg}_ankle": -25, "left_shoulder": [-10, 20], "right_shoulder": [-10, 20],
                  "left_elbow": 100, "right_elbow": 100}
        angles.update(kw.pop("angles", {}))
        c = {**feet(front), f"{back_leg}_toe": "floor"}
        return kf(label, contacts=c, free=kw.pop("free", ("pelvis.1", f"{front}_hip.0", f"{back_leg}_hip.0",
                                                        f"{front}_ankle", f"{back_leg}_ankle")), **angles, **kw)
    spec("split_squat",
         lunge("Up", "right", 10),
         lunge("Down", "right", 90, hold=1),
         working=("right_leg",), arrows=(arrow("pelvis"),),
         note="In a long stride, the body lowers straight down until the back knee nearly touches; shown with "
              "the right leg in front.")
    spec("walking_lunge_reach",
         stand("Stand tall", angles=dict(left_shoulder=[0], right_shoulder=[0])),
         lunge("Lunge and reach", "left", 90,
               angles=dict(left_shoulder=[170], right_shoulder=[170], left_elbow=0, right_elbow=0, spine=[-5]),
               hold=1.5),
         working=("right_leg",), arrows=(arrow("right_hand"),),
         note="A step into a lunge, both arms reaching up to stretch the front of the back (right) hip; then the "
              "next step.")
    spec("rear_foot_elevated_split_squat",
         kf("Up", pelvis=(0.1, 0.9, 0), contacts={**feet("right"), "left_toe": "chair", "left_ankle": "chair"},
            free=("pelvis.0", "pelvis.1", "right_hip.0", "right_ankle", "left_hip.0", "left_knee"),
            right_hip=[15], right_knee=10, left_hip=[-30], left_knee=80, left_ankle=-70,
            left_shoulder=[-10, 20], right_shoulder=[-10, 20], left_elbow=100, right_elbow=100),
         kf("Down", pelvis=(0.1, 0.55, 0), contacts={**feet("right"), "left_toe": "chair", "left_ankle": "chair"},
            free=("pelvis.0", "pelvis.1", "right_hip.0", "right_ankle", "left_hip.0", "left_knee"),
            body=[10], right_hip=[80], right_knee=90, right_ankle=20, left_hip=[-20], left_knee=110, left_ankle=-70,
            left_shoulder=[-10, 20], right_shoulder=[-10, 20], left_elbow=100, right_elbow=100, hold=1),
         props=({"kind": "chair", "x": [-0.85, -0.4], "height": 0.46, "back": "left"},), working=("right_leg",),
         arrows=(arrow("pelvis"),),
         note="The top of the back foot rests on a chair; the front (right) leg lowers until the thigh is about "
              "level; then swap.")
    spec("step_up",
         kf("Foot on the step", pelvis=(0, HIP_Y, 0),
            contacts={**feet("right", on="step"), **feet("left")},
            free=("pelvis.0", "pelvis.1", "right_hip.0", "right_ankle", "left_ankle"),
            right_hip=[60], right_knee=75, right_ankle=10, left_hip=[-5], left_knee=5, left_shoulder=[-20],
            right_shoulder=[20], left_elbow=20, right_elbow=20),
         kf("Stand on the step", pelvis=(0.35, HIP_Y + 0.2, 0),
            contacts=feet("right", on="step"), free=("pelvis.1", "pelvis.0"),
            left_hip=[20], left_knee=40, left_shoulder=[0], right_shoulder=[0], hold=1),
         props=({"kind": "step", "x": [0.2, 0.65], "height": 0.2},), working=("right_leg",),
         arrows=(arrow("pelvis"),), note="The right foot on the step pushes the body up without pushing off the "
                                         "back foot; then step down slowly.")
    spec("step_down",
         kf("Tall", pelvis=(0, HIP_Y + 0.15, 0), contacts=feet("left", on="step"),
            free=("pelvis.1",), right_hip=[8], right_knee=10, left_shoulder=[-10, 20], right_shoulder=[-10, 20],
            left_elbow=100, right_elbow=100),
         kf("Lower", pelvis=(0.05, HIP_Y, 0), contacts={**feet("left", on="step"), "right_heel": "floor"},
            free=("pelvis.1", "pelvis.0", "left_hip.0", "left_ankle", "right_hip.0"),
            body=[15], left_hip=[45], left_knee=60, left_ankle=25, right_hip=[15], right_knee=5, right_ankle=15,
            left_shoulder=[-10, 20], right_shoulder=[-10, 20], left_elbow=100, right_elbow=100, hold=0.5),
         props=({"kind": "step", "x": [-0.25, 0.25], "height": 0.15, "z": [-0.4, -0.02]},), working=("left_leg",),
         arrows=(arrow("right_heel"),),
         note="Standing on the left leg on a low step, the right heel lowers slowly to touch the floor beside it.")
    spec("hip_hike",
         kf("Drop", pelvis=(0, HIP_Y + 0.18, 0), contacts=feet("left", on="step"), free=("pelvis.1", "left_hip.1"),
            body=[0, 8], trunk=[0, -8], left_hip=[0, -8], right_hip=[0, -8], left_shoulder=[0, 5],
            right_shoulder=[0, 20], right_elbow=20),
         kf("Lift", pelvis=(0, HIP_Y + 0.18, 0), contacts=feet("left", on="step"), free=("pelvis.1", "left_hip.1"),
            body=[0, -8], trunk=[0, 8], left_hip=[0, 8], right_hip=[0, 8], left_shoulder=[0, 5],
            right_shoulder=[0, 20], right_elbow=20, hold=1),
         view="front", props=({"kind": "step", "x": [-0.3, 0.3], "height": 0.18, "z": [-0.45, -0.02]},
                              {"kind": "wall", "z": 0.75, "x_range": [-0.6, 0.6]}),
         working=("left_leg",), arrows=(arrow("right_hip"),),
         note="Standing on the left leg on a step, the free right hip drops a little, then lifts above level.")
    spec("single_leg_balance",
         kf("Balance", contacts=feet("left"), right_hip=[30], right_knee=60, left_knee=5, left_shoulder=[10, 15],
            right_shoulder=[10, 15], hold=3),
         props=({"kind": "wall", "x": 0.65, "side": 1},), working=("left_leg",), animate=False,
         note="Standing on the left leg near a wall, knee soft, pelvis level; then change legs.")
    spec("single_leg_balance_reach",
         kf("Forward", contacts={**feet("left"), "right_toe": "floor"},
            free=("pelvis.1", "left_knee", "right_hip.0", "right_knee"), right_hip=[40], right_knee=10, left_hip=[20],
            left_knee=30, left_ankle=15, left_shoulder=[-10, 25], right_shoulder=[-10, 25], left_elbow=100,
            right_elbow=100),
         kf("To the side", contacts={**feet("left"), "right_toe": "floor"},
            free=("pelvis.1", "left_knee", "right_hip.1"), right_hip=[10, 35], left_hip=[25], left_knee=35,
            left_ankle=15, left_shoulder=[-10, 25], right_shoulder=[-10, 25], left_elbow=100, right_elbow=100),
         kf("Behind", contacts={**feet("left"), "right_toe": "floor"},
            free=("pelvis.1", "left_knee", "right_hip.0"), body=[20], right_hip=[-35], right_knee=10, left_hip=[40],
            left_knee=35, left_ankle=15, left_shoulder=[-10, 25], right_shoulder=[-10, 25], left_elbow=100,
            right_elbow=100),
         view="three_quarter", working=("left_leg",), arrows=(arrow("right_toe", 0, 1), arrow("right_toe", 1, 2)),
         note="Balancing on the left leg, the right foot taps forward, to the side and behind.")
    spec("single_leg_romanian_deadlift",
         stand("Stand", contacts=feet("left"), angles=dict(right_hip=[0], right_knee=20, left_knee=5,
                                                           left_shoulder=[-10, 20], right_shoulder=[-10, 20],
                                                           left_elbow=100, right_elbow=100)),
         kf("Hinge", contacts=feet("left"), free=("pelvis.1", "pelvis.0", "left_ankle"),
            body=[80], left_hip=[75], left_knee=15, left_ankle=5, right_hip=[0], right_knee=5, right_ankle=-20,
            left_shoulder=[80], right_shoulder=[80], neck=[-15], hold=1),
         working=("left_leg",), arrows=(arrow("right_toe"), arrow("head")),
         note="On the left leg, the trunk tips forward as the right leg reaches back, in one line.")
    spec("standing_quad_stretch",
         kf("Hold", contacts=feet("left"), right_hip=[-5], right_knee=145, right_ankle=-40, right_shoulder=[-45],
            right_elbow=20, left_shoulder=[80], left_elbow=10, left_knee=5, hold=3),
         props=({"kind": "wall", "x": 0.62, "side": 1},), working=("right_leg",), animate=False,
         note="Standing on the left leg, the right hand holds the right ankle behind, knees together.")
    spec("standing_hip_flexor_stretch",
         lunge("Split stance", "left", 15, angles=dict(right_shoulder=[60], right_elbow=10)),
         lunge("Shift forward", "left", 40, angles=dict(trunk=[-5], right_shoulder=[55], right_elbow=10,
                                                        right_hip=[-35]),
               hold=3),
         props=({"kind": "wall", "x": 0.85, "side": 1},), working=("right_leg",), arrows=(arrow("pelvis"),),
         note="In a split stance with a hand on the wall, the hips shift forward to stretch the front of the back "
              "(right) hip; then change legs.")
    spec("calf_stretch_wall",
         kf("Straight knee", contacts={**feet("right"), **feet("left"), "left_hand": "wall", "right_hand": "wall"},
            free=("pelvis.1", "pelvis.0", "left_hip.0", "right_ankle", "left_ankle", "left_shoulder.0",
                  "right_shoulder.0"),
            body=[15], right_hip=[-30], right_knee=0, right_ankle=20, left_hip=[40], left_knee=40, left_ankle=15,
            left_shoulder=[85], right_shoulder=[85], left_elbow=20, right_elbow=20, left_wrist=-70,
            right_wrist=-70, hold=3),
         kf("Bent knee", contacts={**feet("right"), **feet("left"), "left_hand": "wall", "right_hand": "wall"},
            free=("pelvis.1", "pelvis.0", "left_hip.0", "right_ankle", "left_ankle", "left_shoulder.0",
                  "right_shoulder.0"),
            body=[10], right_hip=[-15], right_knee=30, right_ankle=30, left_hip=[40], left_knee=45, left_ankle=20,
            left_shoulder=[85], right_shoulder=[85], left_elbow=25, right_elbow=25, left_wrist=-70,
            right_wrist=-70, hold=3),
         props=({"kind": "wall", "x": 0.72, "side": 1},), working=("right_leg",), arrows=(arrow("right_knee"),),
         note="Hands on the wall, the back (right) heel stays down: first with the knee straight, then bent; then "
              "change legs.")
    spec("leg_swings",
         stand("Forward", contacts=feet("left"),
               angles=dict(right_hip=[50], right_knee=10, left_shoulder=[5, 55], left_elbow=30, right_shoulder=[10])),
         stand("Back", contacts=feet("left"),
               angles=dict(right_hip=[-25], right_knee=20, left_shoulder=[5, 55], left_elbow=30,
                           right_shoulder=[-10])),
         props=({"kind": "wall", "z": -0.75, "x_range": [-0.7, 0.7], "side": -1},), working=("right_leg",),
         arrows=(arrow("right_toe"),),
         note="Side-on to a wall with the left hand on it, the right leg swings forward and back in a relaxed arc.")
    spec("doorway_chest_stretch",
         stand("Hold", angles=dict(left_shoulder=[0, 90, 90], right_shoulder=[0, 90, 90], left_elbow=90,
                                   right_elbow=90),
               hold=3),
         view="front", props=({"kind": "doorway", "z": -0.62, "x_range": [-0.1, 0.1], "side": -1},
                              {"kind": "doorway", "z": 0.62, "x_range": [-0.1, 0.1], "side": 1}),
         working=("left_arm", "right_arm"), animate=False,
         note="Forearms on the door frame at shoulder height; stepping one foot through stretches the chest.")
    spec("suitcase_carry",
         gait("Walk tall", "right", angles=dict(right_shoulder=[0, 5], right_elbow=0, left_shoulder=[10, 5]),
              move=0.8, hold=0.1),
         gait("Next step", "left", angles=dict(right_shoulder=[0, 5], right_elbow=0, left_shoulder=[-10, 5]),
              move=0.8, hold=0.1),
         view="front", props=({"kind": "dumbbell", "at": "right_hand"},), working=("trunk",),
         note="Walking slowly and upright with a weight in the right hand, not leaning towards it.")

    # ================================================================ hanging
    spec("dead_hang",
         kf("Hang", pelvis=(0, 1.2, 0), left_shoulder=[175], right_shoulder=[175], left_knee=60, right_knee=60,
            left_hip=[10], right_hip=[10], left_ankle=-20, right_ankle=-20,
            contacts={"left_hand": "bar", "right_hand": "bar"}, hold=3),
         props=({"kind": "bar", "center": pt("right_hand")},), working=("left_arm", "right_arm"), animate=False,
         note="Hanging from the bar with the knees bent, letting the spine lengthen.")
    spec("pull_up",
         kf("Hang", pelvis=(0, 1.2, 0), left_shoulder=[172], right_shoulder=[172], left_knee=60, right_knee=60,
            left_hip=[10], right_hip=[10], left_ankle=-20, right_ankle=-20,
            contacts={"left_hand": "bar", "right_hand": "bar"}),
         kf("Chin over the bar", pelvis=(0.05, 1.6, 0), left_shoulder=[30], right_shoulder=[30], left_elbow=140,
            right_elbow=140, left_knee=60, right_knee=60, left_hip=[10], right_hip=[10], left_ankle=-20,
            right_ankle=-20, body=[-8], contacts={"left_hand": "bar", "right_hand": "bar"},
            free=("pelvis.0", "pelvis.1", "left_shoulder.0", "right_shoulder.0"), hold=1),
         props=({"kind": "bar", "center": pt("right_hand")},), working=("left_arm", "right_arm"),
         arrows=(arrow("head"),), note="From a full hang the body pulls up until the chin clears the bar.")
    spec("banded_lateral_walk",
         stand("Feet under hips", angles=dict(left_hip=[25, 3], right_hip=[25, 3], left_knee=35, right_knee=35,
                                              left_ankle=10, right_ankle=10, body=[15], left_shoulder=[-10, 20],
                                              right_shoulder=[-10, 20], left_elbow=100, right_elbow=100)),
         stand("Step out", pelvis=(0, HIP_Y, 0.12),
               angles=dict(left_hip=[25, 3], right_hip=[25, 20], left_knee=35, right_knee=35, left_ankle=10,
                           right_ankle=10, body=[15], left_shoulder=[-10, 20], right_shoulder=[-10, 20],
                           left_elbow=100, right_elbow=100), also=("left_hip.1",)),
         view="front", props=({"kind": "band", "between": ["left_calf", "right_calf"]},),
         working=("right_leg", "left_leg"), arrows=(arrow("right_ankle"),),
         note="Knees slightly bent and a band around the legs, one foot steps sideways and the other follows.")
