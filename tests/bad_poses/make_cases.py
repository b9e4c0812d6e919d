"""Writes tests/bad_poses/: one broken pose per file, and cases.json with what each must say.

    cd tests/bad_poses && ../../.venv/bin/python make_cases.py

Each pose is schema-valid or close to it; the point is the meaning checks and the messages.
test_bad_poses.py loads each file, and runs validate, build and catalog check on all of them.
"""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent
for old in OUT.glob("*.pose.json"):
    old.unlink()

STAND = {"position": "standing", "support": ["left_foot", "right_foot"]}
CASES = {}


def case(name, pose, where, message):
    (OUT / f"{name}.pose.json").write_text(json.dumps(pose, indent=2) + "\n", encoding="utf-8")
    CASES[name] = {"where": where, "message": message}


case("reach-chair-without-chair", {**STAND, "reach": {"left_hand": "chair.back"}},
     "$.reach.left_hand", "reaches for chair.back but the pose has no chair")
case("reach-wall-without-wall", {**STAND, "reach": {"right_hand": "wall"}},
     "$.reach.right_hand", "reaches for wall but the pose has no wall")
case("foot-on-step-without-step", {**STAND, "reach": {"right_foot": "step.top"}},
     "$.reach.right_foot", "reaches for step.top but the pose has no step")
case("hand-on-bench-but-a-chair", {**STAND, "reach": {"left_hand": "bench.top"},
                                    "props": [{"type": "chair", "side": "left"}]},
     "$.reach.left_hand", "reaches for bench.top but the pose has no bench")
case("hand-reaches-own-elbow", {**STAND, "reach": {"right_hand": "right_elbow"}},
     "$.reach.right_hand", "cannot reach right_elbow, on its own arm")
case("foot-reaches-itself", {**STAND, "reach": {"left_foot": "left_foot"}},
     "$.reach.left_foot", "cannot reach left_foot, on its own leg")
case("mat-under", {"position": "supine", "support": ["pelvis"], "props": [{"type": "mat", "under": "pelvis"}]},
     "$.props[0].under", "a mat takes no 'under'")
case("band-under", {**STAND, "props": [{"type": "band", "around": "knees", "under": "left_foot"}]},
     "$.props[0].under", "a band takes no 'under'")
case("wall-around", {**STAND, "props": [{"type": "wall", "side": "left", "around": "knees"}]},
     "$.props[0].around", "a wall takes no 'around'")
case("step-on", {**STAND, "props": [{"type": "step", "under": "left_foot", "on": "left_ankle"}]},
     "$.props[0].on", "a step takes no 'on'")
case("pillow-side", {"position": "supine", "props": [{"type": "pillow", "under": "head", "side": "left"}]},
     "$.props[0].side", "a pillow takes no 'side'")
case("chair-sat-on-and-held", {"position": "sitting", "support": ["pelvis"],
                               "props": [{"type": "chair", "under": "pelvis", "side": "front"}]},
     "$.props[0]", "a chair is either sat on or held, not both")
case("two-props-under-one-foot", {**STAND, "props": [{"type": "step", "under": "left_foot"},
                                                     {"type": "towel", "under": "left_foot"}]},
     "$.props[1].under", "left_foot already rests on props[0]")
case("knee-flexion-900", {"position": "supine", "joints": {"right_knee": {"flexion": 900}}},
     "$.joints.right_knee.flexion", "900 is outside the normal range 0 to 150")
case("hip-extension-negative", {"position": "prone", "joints": {"left_hip": {"extension": -10}}},
     "$.joints.left_hip.extension", "-10 is outside the normal range 0 to 30")
case("shoulder-flexion-and-extension", {**STAND, "joints": {"left_shoulder": {"flexion": 30, "extension": 10}}},
     "$.joints.left_shoulder", "gives both flexion and extension")
case("support-not-a-body-point", {**STAND, "support": ["chair.seat"]},
     "$.support[0]", "unknown value 'chair.seat'")
case("side-lying-without-down-side", {"position": "side-lying", "view": "front"},
     "$", "down_side is needed for side-lying")
case("feet-view-standing", {**STAND, "view": "feet"}, "$.view", "a feet view needs a lying position")
case("legs-frame-lying", {"position": "supine", "frame": "legs"},
     "$.frame", "framing on the legs needs an upright position")
case("held-chair-edge", {**STAND, "props": [{"type": "chair", "side": "left", "edge": "front"}]},
     "$.props[0].edge", "'edge' places the chair under a body point")
case("chair-back-edge", {"position": "sitting", "support": ["pelvis"],
                         "props": [{"type": "chair", "under": "pelvis", "edge": "back"}]},
     "$.props[0].edge", "a chair is sat on near its front edge only")
case("band-edge", {**STAND, "props": [{"type": "band", "around": "knees", "edge": "left"}]},
     "$.props[0].edge", "a band takes no 'edge'")

(OUT / "cases.json").write_text(json.dumps(CASES, indent=2) + "\n", encoding="utf-8")
print(f"wrote {len(CASES)} cases")
