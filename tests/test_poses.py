"""The pose engine: sign conventions, mirroring, validation, and the catalog's poses.

Conventions are tested on 3D joint coordinates (and the 2D projection), not pixels,
so a sign slip fails here before it can draw a plausible-looking wrong picture.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from routinepress.errors import InputError
from routinepress.illustrate import PoseStyle, draw_poses, load_pose, pose_from_data, pose_to_png
from routinepress.illustrate import geometry as g
from routinepress.illustrate.arrows import moving_point, trace
from routinepress.illustrate.draw import camera_for
from routinepress.illustrate.pose import JOINT_RANGES
from routinepress.illustrate.preview import drawing_to_image
from routinepress.illustrate.scene import build_scene

ROOT = Path(__file__).resolve().parents[1]
POSES = sorted((ROOT / "catalog" / "illustrations").glob("*.pose.json"))


def body(**data):
    return build_scene(pose_from_data(data)).body


def lateral(b, name: str) -> float:
    """Signed distance of a point from the midline, positive toward the patient's right."""
    return g.dot(g.sub(b.point(name), b.pelvis), b.axes[0])


# --- sign conventions -------------------------------------------------------------

def test_supine_hip_flexion_puts_the_knee_above_the_hip():
    b = body(position="supine", joints={"right_hip": {"flexion": 60}})
    assert b.point("right_knee")[2] > b.point("right_hip")[2] + 0.1
    neutral = body(position="supine")
    assert abs(neutral.point("right_knee")[2] - neutral.point("right_hip")[2]) < 0.01
    # and in the picture (side view): up is up
    cam = camera_for(pose_from_data({"position": "supine"}))
    assert cam.project(b.point("right_knee"))[1] > cam.project(b.point("right_hip"))[1] + 0.1


def test_standing_hip_abduction_moves_the_foot_away_from_the_midline():
    for side, sign in (("right", 1), ("left", -1)):
        neutral = body(position="standing", support=[f"{'left' if side == 'right' else 'right'}_foot"])
        out = body(position="standing", joints={f"{side}_hip": {"abduction": 30}})
        assert sign * lateral(out, f"{side}_ankle") > sign * lateral(neutral, f"{side}_ankle") + 0.15
        assert out.point(f"{side}_ankle")[2] > neutral.point(f"{side}_ankle")[2]


def test_standing_roll_drops_the_right_side_and_mirrors():
    # A hip hike: standing on the left leg, the pelvis dropped on the right, then lifted.
    dropped = body(position="standing", roll=12, support=["left_foot"])
    assert dropped.point("right_hip")[2] < dropped.point("left_hip")[2] - 0.02
    assert dropped.point("right_foot")[2] < dropped.point("left_foot")[2] - 0.02
    lifted = body(position="standing", roll=-12, support=["left_foot"])
    assert lifted.point("right_foot")[2] > lifted.point("left_foot")[2] + 0.02
    mirrored_pose = pose_from_data({"position": "standing", "roll": 12, "support": ["left_foot"]}).mirrored()
    mirrored = build_scene(mirrored_pose).body
    assert mirrored.point("left_hip")[2] < mirrored.point("right_hip")[2] - 0.02


def test_an_arrow_traces_a_motion_made_of_roll_alone():
    # Start and end differ only in roll: halfway along the traced path the body is level.
    data = {"position": "standing", "view": "front", "support": ["left_foot"]}
    down, up = pose_from_data({**data, "roll": 16}), pose_from_data({**data, "roll": -16})
    cam = camera_for(up)
    path = trace(down, up, cam)["right_ankle"]
    assert len(path) > 2
    level = cam.project(build_scene(pose_from_data(data)).body.point("right_ankle"))[:2]
    assert math_close(path[len(path) // 2], level, tol=1e-9)
    assert path[-1][1] > path[0][1] + 0.05  # the foot rises in the picture

def clam(er: float, feet_together: bool = True):
    data = {"position": "side-lying", "down_side": "left", "view": "front",
            "joints": {"left_hip": {"flexion": 45}, "left_knee": {"flexion": 90},
                       "right_hip": {"flexion": 45, "external_rotation": er},
                       "right_knee": {"flexion": 90}},
            "support": ["pelvis", "shoulders"]}
    if feet_together:
        data["reach"] = {"right_foot": "left_foot"}
    return build_scene(pose_from_data(data)).body


def test_side_lying_external_rotation_of_the_top_hip_lifts_the_top_knee():
    closed, open_ = clam(0), clam(40)
    gap = lambda b: b.point("right_knee")[2] - b.point("left_knee")[2]  # noqa: E731
    assert gap(open_) > gap(closed) + 0.06
    # feet stay together: the top ankle rests on the bottom one
    assert abs(open_.point("right_ankle")[2] - closed.point("right_ankle")[2]) < 0.01


def test_hip_rotation_is_about_the_thigh_so_a_free_foot_swings_not_the_knee():
    # The anatomical convention under the clamshell rule: without the feet held
    # together, external rotation of a bent hip swings the foot toward the midline.
    closed, open_ = clam(0, feet_together=False), clam(40, feet_together=False)
    assert g.norm(g.sub(open_.point("right_knee"), closed.point("right_knee"))) < 1e-6
    assert open_.point("right_ankle")[2] < closed.point("right_ankle")[2] - 0.1


def test_prone_hip_extension_lifts_the_foot_off_the_floor():
    flat = body(position="prone", support=["pelvis", "shoulders"])
    lifted = body(position="prone", support=["pelvis", "shoulders"],
                  joints={"right_hip": {"extension": 20}})
    assert lifted.point("right_ankle")[2] > flat.point("right_ankle")[2] + 0.12
    assert abs(lifted.point("left_ankle")[2] - flat.point("left_ankle")[2]) < 1e-6


def test_standing_trunk_flexion_moves_the_head_forward():
    upright = body(position="standing", support=["right_foot"])
    bent = body(position="standing", support=["right_foot"], joints={"trunk": {"flexion": 40}})
    forward = lambda b: g.dot(b.head, b.axes[1])  # noqa: E731
    assert forward(bent) > forward(upright) + 0.15
    cam = camera_for(pose_from_data({"position": "standing"}))  # side view: faces right
    assert cam.project(bent.head)[0] > cam.project(upright.head)[0] + 0.15


def test_knee_flexion_bends_the_shin_backward_and_dorsiflexion_lifts_the_toes():
    b = body(position="standing", joints={"right_knee": {"flexion": 90}}, support=["left_foot"])
    shin = g.sub(b.point("right_ankle"), b.point("right_knee"))
    assert g.dot(shin, b.axes[1]) < -0.2
    flat = body(position="standing", support=["left_foot"])
    up = body(position="standing", joints={"right_ankle": {"dorsiflexion": 20}}, support=["left_foot"])
    assert up.point("right_toes")[2] > flat.point("right_toes")[2] + 0.02


def test_two_supports_both_touch_and_the_first_stays_put():
    for stage in ("start", "end"):
        b = build_scene(load_pose(ROOT / f"catalog/illustrations/bridge-{stage}.pose.json")).body
        assert abs(b.surface_below("shoulders")) < 1e-6
        assert abs(b.surface_below("right_foot")) < 1e-6
        assert math_close(b.point("shoulders")[:2], (0.0, 0.0))


def math_close(a, b, tol=1e-6):
    return all(abs(x - y) < tol for x, y in zip(a, b))


# --- mirroring ----------------------------------------------------------------------

@pytest.mark.parametrize("path", POSES, ids=lambda p: p.name)
def test_mirroring_twice_is_the_identity(path):
    pose = load_pose(path)
    assert pose.mirrored().mirrored() == pose
    if any(name.startswith(("left", "right")) for name, _ in pose.joints):
        assert pose.mirrored() != pose


def _flip_difference(stem: str) -> float:
    poses = [load_pose(ROOT / f"catalog/illustrations/{stem}-{s}.pose.json") for s in ("start", "end")]
    plain = drawing_to_image(draw_poses(poses, 200, 130)[1], 100)
    mirror = drawing_to_image(draw_poses(poses, 200, 130, mirror=True)[1], 100)
    diff = ImageChops.difference(plain.transpose(Image.Transpose.FLIP_LEFT_RIGHT), mirror)
    return sum(diff.histogram()[81:]) / (diff.width * diff.height)


@pytest.mark.parametrize("stem", ["standing-hip-abduction", "prone-straight-leg-raise", "hip-hike"])
def test_a_mirrored_pose_draws_as_the_mirror_image(stem):
    # Front view: the body is symmetric, so swapping sides is a flip. Side view: the
    # camera follows near_side, so the working leg stays near and it is a flip too.
    assert _flip_difference(stem) < 0.003


def test_mirroring_is_not_a_no_op():
    poses = [load_pose(ROOT / "catalog/illustrations/standing-hip-abduction-end.pose.json")]
    a = drawing_to_image(draw_poses(poses, 200, 130)[0], 100)
    b = drawing_to_image(draw_poses(poses, 200, 130, mirror=True)[0], 100)
    diff = ImageChops.difference(a, b)
    assert sum(diff.histogram()[81:]) > 200


# --- validation ---------------------------------------------------------------------

def problems(tmp_path: Path, data) -> list:
    path = tmp_path / "bad.pose.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    with pytest.raises(InputError) as info:
        load_pose(path)
    assert all(d.file.endswith("bad.pose.json") for d in info.value.diagnostics)
    return info.value.diagnostics


def test_an_angle_out_of_range_names_file_and_joint(tmp_path):
    [d] = problems(tmp_path, {"position": "supine", "joints": {"left_knee": {"flexion": 900}}})
    assert d.where == "$.joints.left_knee.flexion"
    assert d.message == "900 is outside the normal range 0 to 150"
    assert "bad.pose.json: $.joints.left_knee.flexion: 900 is outside" in d.format()


def test_an_unknown_joint_and_motion_get_hints(tmp_path):
    ds = problems(tmp_path, {"position": "supine",
                             "joints": {"left_kneee": {"flexion": 9}, "right_hip": {"flex": 9}}})
    where = {d.where: d for d in ds}
    assert where["$.joints.left_kneee"].hint == "did you mean 'left_knee'?"
    assert where["$.joints.right_hip.flex"].message == "unknown name 'flex'"


def test_an_unknown_prop_names_its_index(tmp_path):
    [d] = problems(tmp_path, {"position": "supine", "props": [{"type": "mat"}, {"type": "chiar"}]})
    assert d.where == "$.props[1].type"
    assert d.hint == "did you mean 'chair'?"


def test_cross_field_problems(tmp_path):
    ds = problems(tmp_path, {"position": "side-lying", "view": "side",
                             "joints": {"right_hip": {"flexion": 10, "extension": 5}}})
    assert {d.where for d in ds} == {"$.joints.right_hip", "$", "$.view"}
    [d] = problems(tmp_path, {"position": "standing", "props": [{"type": "band"}]})
    assert d.where == "$.props[0]" and "around" in d.message


def test_broken_json_says_where(tmp_path):
    [d] = problems(tmp_path, '{"position": "supine",\n  "joints": {,}}')
    assert d.where == "line 2, column 14"


def test_the_schema_carries_the_same_ranges_as_the_code():
    schema = json.loads((ROOT / "schema/pose.schema.json").read_text())
    joints = schema["properties"]["joints"]["properties"]
    assert set(joints) == set(JOINT_RANGES)
    for name, motions in JOINT_RANGES.items():
        for motion, (lo, hi) in motions.items():
            spec = joints[name]["properties"][motion]
            assert (spec["minimum"], spec["maximum"]) == (lo, hi)

    def described(node, path="$"):
        for key, sub in node.get("properties", {}).items():
            assert "description" in sub, f"{path}.{key} has no description"
            described(sub, f"{path}.{key}")
        if isinstance(node.get("items"), dict):
            described(node["items"], path + "[]")
    described(schema)


# --- the catalog's poses ------------------------------------------------------------

def ink(drawing) -> tuple[float, float]:
    """Fractions of pixels with any ink (darker than the floor band) and near-black."""
    img = drawing_to_image(drawing, 72)
    hist, n = img.histogram(), img.width * img.height
    return sum(hist[:200]) / n, sum(hist[:60]) / n


@pytest.mark.parametrize("path", POSES, ids=lambda p: p.name)
@pytest.mark.parametrize("size", [(200, 130), (120, 80)])
def test_every_catalog_pose_draws_with_ink(path, size):
    [drawing] = draw_poses([load_pose(path)], *size)
    assert (drawing.width, drawing.height) == size
    any_ink, black = ink(drawing)
    # The ground alone inks 1.5% of a 200x130 frame; a slim standing figure seen from the
    # side inks 7.5%. Over 5% means a figure is really there.
    assert any_ink > 0.05 and black > 0.005


def test_start_and_end_share_scale_and_ground(tmp_path):
    poses = [load_pose(ROOT / f"catalog/illustrations/bridge-{s}.pose.json") for s in ("start", "end")]
    a, b = draw_poses(poses, 200, 130)
    ground = lambda d: [s.points for s in d.contents if type(s).__name__ == "PolyLine"][0]  # noqa: E731
    assert ground(a) == ground(b)
    pose_to_png(b, tmp_path / "b.png")
    with Image.open(tmp_path / "b.png") as img:
        assert img.size == (417, 271)


def test_drawings_are_deterministic_and_use_no_fonts():
    poses = [load_pose(p) for p in POSES[:2]]

    def snapshot():
        return [[(type(s).__name__, getattr(s, "points", None)) for s in d.contents]
                for d in draw_poses(poses, 200, 130, style=PoseStyle(line_scale=1.5))]
    assert snapshot() == snapshot()
    from reportlab.graphics.shapes import Group, String

    def shapes(node):
        for s in getattr(node, "contents", []):
            yield s
            if isinstance(s, Group):
                yield from shapes(s)
    assert not any(isinstance(s, String) for d in draw_poses(poses, 200, 130) for s in shapes(d))


@pytest.mark.parametrize("stem,point", [
    ("bridge", "pelvis"), ("clamshell", "right_knee"), ("kneeling-hip-flexor-stretch", "pelvis"),
    ("standing-hip-abduction", "right_ankle"), ("prone-straight-leg-raise", "right_ankle"),
    ("side-lying-hip-abduction", "right_ankle"), ("reverse-clamshell", "right_ankle"),
    ("prone-hip-extension-bent-knee", "right_ankle"), ("adductor-rock-back", "pelvis"),
    ("hip-rotation-mobility", "right_ankle"), ("resisted-hip-flexion", "right_ankle")])
def test_the_arrow_follows_the_point_that_moves_most(stem, point):
    start, end = (load_pose(ROOT / f"catalog/illustrations/{stem}-{s}.pose.json")
                  for s in ("start", "end"))
    assert moving_point(trace(start, end, camera_for(end))) == point
    no_motion = trace(start, start, camera_for(start))
    assert moving_point(no_motion) is None


@pytest.mark.parametrize("data", [
    {"position": "standing", "view": "front", "support": ["left_foot"],
     "joints": {"right_hip": {"abduction": 20}},
     "props": [{"type": "band", "around": "ankles"}, {"type": "ankle_weight", "on": "right_ankle"},
               {"type": "wall", "side": "left"}, {"type": "step", "under": "left_foot"}]},
    {"position": "sitting", "support": ["pelvis", "right_foot"],
     "joints": {"left_hip": {"flexion": 90}, "left_knee": {"flexion": 90},
                "right_hip": {"flexion": 90}, "right_knee": {"flexion": 90}},
     "props": [{"type": "chair", "under": "pelvis"}, {"type": "band", "around": "knees"}]},
    {"position": "quadruped", "support": ["right_knee", "right_hand"],
     "joints": {"left_hip": {"flexion": 90}, "left_knee": {"flexion": 90},
                "right_hip": {"flexion": 90}, "right_knee": {"flexion": 90},
                "left_shoulder": {"flexion": 90}, "right_shoulder": {"flexion": 90}},
     "props": [{"type": "mat"}, {"type": "towel", "under": "right_knee"}]},
    {"position": "side-lying", "down_side": "left", "view": "front", "support": ["left_elbow", "right_foot"],
     "joints": {"left_shoulder": {"abduction": 90}, "left_elbow": {"flexion": 90}},
     "props": [{"type": "bench", "under": "right_foot"}]},
], ids=["standing-props", "sitting-chair", "quadruped", "side-plank-bench"])
def test_other_positions_and_props_draw(data):
    pose = pose_from_data(data)
    a, b = draw_poses([pose, pose.mirrored()], 120, 80)
    assert ink(a)[0] > 0.08 and ink(b)[0] > 0.08


def test_side_lying_abduction_of_the_top_leg_lifts_it():
    flat = body(position="side-lying", down_side="left", view="front")
    up = body(position="side-lying", down_side="left", view="front",
              joints={"right_hip": {"abduction": 30}})
    assert up.point("right_ankle")[2] > flat.point("right_ankle")[2] + 0.2


# --- further supports and views from above ----------------------------------------------

HALF_KNEEL = {"position": "half-kneeling",
              "joints": {"right_hip": {"extension": 20}, "right_knee": {"flexion": 90},
                         "right_ankle": {"plantarflexion": 60},
                         "left_hip": {"flexion": 76}, "left_knee": {"flexion": 106}}}


def test_a_third_support_rests_by_swinging_its_segment():
    # Half-kneeling with the back hip extended: the back shin tilts up off the floor unless
    # the toes are a support too; then the shin swings down about the knee to rest.
    floating = body(**HALF_KNEEL, support=["right_knee", "left_foot"])
    assert floating.surface_below("right_toes") > 0.02
    rested = body(**HALF_KNEEL, support=["right_knee", "left_foot", "right_toes"])
    assert abs(rested.surface_below("right_toes")) < 1e-6
    # the first two still touch and nothing above the knee moved; the shin kept its length
    assert abs(rested.surface_below("right_knee")) < 1e-6
    assert abs(rested.surface_below("left_foot")) < 1e-6
    for name in ("right_knee", "right_hip", "pelvis", "head", "left_ankle"):
        assert math_close(rested.point(name), floating.point(name))
    shin = lambda b: g.norm(g.sub(b.point("right_ankle"), b.point("right_knee")))  # noqa: E731
    assert abs(shin(rested) - shin(floating)) < 1e-9


def test_a_third_support_on_a_prop_rests_on_the_prop_and_a_knee_swings_the_leg():
    data = {"position": "side-lying", "down_side": "left", "view": "front",
            "joints": {"right_hip": {"abduction": 40}, "right_knee": {"flexion": 90}},
            "props": [{"type": "bench", "under": "right_knee"}]}
    b = body(**data, support=["pelvis", "shoulders", "right_knee"])
    assert abs(b.surface_below("right_knee") - 0.26) < 1e-6  # the bench top
    free = body(**data, support=["pelvis", "shoulders"])
    assert math_close(b.point("right_hip"), free.point("right_hip"))
    thigh = lambda x: g.norm(g.sub(x.point("right_knee"), x.point("right_hip")))  # noqa: E731
    assert abs(thigh(b) - thigh(free)) < 1e-9


def test_a_third_support_already_resting_changes_nothing():
    pose = load_pose(ROOT / "catalog/illustrations/bridge-start.pose.json")
    three, two = build_scene(pose).body, build_scene(replace(pose, support=pose.support[:2])).body
    assert math_close(three.point("left_knee"), two.point("left_knee"))


def test_seen_from_above_the_mat_neither_shrinks_the_figure_nor_leaves_the_frame():
    data = json.loads((ROOT / "catalog/illustrations/clamshell-start.pose.json").read_text())
    data.pop("$schema")
    data["elevation"] = 40
    bare = {**data, "props": [p for p in data["props"] if p["type"] != "mat"]}
    [with_mat] = draw_poses([pose_from_data(data)], 200, 130)
    [without] = draw_poses([pose_from_data(bare)], 200, 130)
    shapes = lambda d: [s.points for s in d.contents]  # noqa: E731
    # the mat is the first shape; everything after it is drawn exactly as without a mat
    assert shapes(with_mat)[1:] == shapes(without)
    mat = shapes(with_mat)[0]
    assert all(0 <= x <= 200 for x in mat[0::2]) and all(0 <= y <= 130 for y in mat[1::2])


def test_clip_to_box_cuts_a_polygon_to_the_box():
    square = [(-1.0, -1.0), (3.0, -1.0), (3.0, 3.0), (-1.0, 3.0)]
    cut = g.clip_to_box(square, (0.0, 0.0, 2.0, 2.0))
    assert sorted(set(cut)) == [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]
    assert g.clip_to_box(square, (5.0, 5.0, 6.0, 6.0)) == []


# --- framing on the legs, and props used near an edge ---------------------------------

def _flat_lateral(b, p) -> float:
    """How far a world point is toward the patient's right of the pelvis, along the floor."""
    right = g.unit((b.axes[0][0], b.axes[0][1], 0.0))
    return g.dot(g.sub(p, b.pelvis), right)


def test_framing_on_the_legs_cuts_above_the_waist_and_draws_the_legs_larger():
    from reportlab.graphics.shapes import Polygon, PolyLine

    data = {"position": "standing", "view": "front", "support": ["left_foot"],
            "props": [{"type": "step", "under": "left_foot"}]}
    [whole] = draw_poses([pose_from_data(data)], 130, 85)
    [legs] = draw_poses([pose_from_data({**data, "frame": "legs"})], 130, 85)

    def step_height(d) -> float:
        [ys] = [s.points[1::2] for s in d.contents if isinstance(s, Polygon) and s.fillColor
                and abs(s.fillColor.red - PoseStyle().prop_fill) < 1e-6]
        return max(ys) - min(ys)

    assert step_height(legs) > 1.3 * step_height(whole)
    top = 85 - PoseStyle().padding * 85
    assert max(y for s in legs.contents if hasattr(s, "points") for y in s.points[1::2]) == pytest.approx(top)
    # the trunk and arms are cut along the top: outlined open, no stroke along the cut
    cut = [s for s in legs.contents if isinstance(s, PolyLine) and s.points[1] == pytest.approx(top)
           and s.points[-1] == pytest.approx(top)]
    assert len(cut) >= 2
    open_lines = [s for s in whole.contents if isinstance(s, PolyLine) and len(s.points) > 4]
    assert not open_lines, "a whole figure has only closed outlines (and the ground line)"


def test_a_step_edge_lets_the_hanging_foot_clear_the_step_on_either_side():
    data = {"position": "standing", "roll": 20, "support": ["left_foot"],
            "joints": {"left_hip": {"adduction": 20}, "right_hip": {"abduction": 20}},
            "props": [{"type": "step", "under": "left_foot", "edge": "right"}]}
    plain = {**data, "props": [{"type": "step", "under": "left_foot"}]}
    for pose, sign in ((pose_from_data(data), 1), (pose_from_data(data).mirrored(), -1)):
        scene = build_scene(pose)
        b, [step] = scene.body, [s for s in scene.solids if s.role == "support"]
        stand, hang = ("left", "right") if sign == 1 else ("right", "left")
        edge = max(sign * _flat_lateral(b, c) for c, _ in step.spheres)
        assert sign * _flat_lateral(b, b.point(f"{stand}_foot")) + 0.03 < edge, "the standing foot is on the step"
        assert edge < sign * _flat_lateral(b, b.point(f"{hang}_foot")) - 0.04, "the other foot hangs clear"
    scene = build_scene(pose_from_data(plain))  # without an edge the step is centred and the foot is over it
    [step] = [s for s in scene.solids if s.role == "support"]
    hanging = _flat_lateral(scene.body, scene.body.point("right_foot"))
    assert max(_flat_lateral(scene.body, c) for c, _ in step.spheres) > hanging


def test_sitting_near_the_front_edge_of_a_chair_leaves_the_back_of_the_seat_empty():
    data = {"position": "sitting", "support": ["pelvis", "left_foot"],
            "joints": {s: {"flexion": 80} for s in ("left_hip", "right_hip", "left_knee", "right_knee")}}

    def seat_ahead_of_the_hips(edge: dict) -> tuple[float, float]:
        scene = build_scene(pose_from_data({**data, "props": [{"type": "chair", "under": "pelvis", **edge}]}))
        fwd = g.unit((scene.body.axes[1][0], scene.body.axes[1][1], 0.0))
        [seat] = [s for s in scene.solids if s.role == "furniture" and all(0.24 <= c[2] <= 0.28 for c, _ in s.spheres)]
        along = [g.dot(g.sub(c, scene.body.pelvis), fwd) for c, _ in seat.spheres]
        return max(along), min(along)

    (front, back), (middle_front, middle_back) = seat_ahead_of_the_hips({"edge": "front"}), seat_ahead_of_the_hips({})
    assert front < 0.07 < middle_front and back < middle_back - 0.03
