"""The pictures say what the steps say: facts from the steps, checked on the 3D bodies.

Each test reads a fact from an exercise's steps (hold the chair with both hands, legs out
long, the knees fall to one side, the hips rise) and checks it on the bodies the engine
builds, and where it matters on the arrow, so a pose edit that contradicts its steps fails
here even when the picture still "looks like a person". Heights are in standing heights (H).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from routinepress.illustrate import PoseStyle, draw_poses, load_pose
from routinepress.illustrate import geometry as g
from routinepress.illustrate.arrows import moving_point, trace
from routinepress.illustrate.draw import camera_for
from routinepress.illustrate.preview import drawing_to_image
from routinepress.illustrate.scene import build_scene
from routinepress.illustrate.skeleton import PROP_TOP, RING_N

ROOT = Path(__file__).resolve().parents[1]


def poses(exercise: str):
    doc = json.loads((ROOT / "catalog/exercises" / f"{exercise}.json").read_text(encoding="utf-8"))
    return [load_pose(ROOT / "catalog" / i["src"]) for i in doc["illustrations"]]


def bodies(exercise: str):
    return [build_scene(p).body for p in poses(exercise)]


def arrow_point(exercise: str) -> tuple[str, tuple[float, float]]:
    """The point the last picture's arrow follows, and its motion in the picture (right, up)."""
    start, end = poses(exercise)[-2:]
    paths = trace(start, end, camera_for(end))
    name = moving_point(paths)
    assert name is not None
    (x0, y0), (x1, y1) = paths[name][0], paths[name][-1]
    return name, (x1 - x0, y1 - y0)


def lateral(body, name: str) -> float:
    """How far a point is toward the patient's right of the pelvis."""
    return g.dot(g.sub(body.point(name), body.pelvis), body.axes[0])


def knee_angle(body, side: str) -> float:
    leg = body.limbs[f"{side}_leg"]
    a, b = g.sub(leg.root, leg.mid), g.sub(leg.end, leg.mid)
    return 180 - math.degrees(math.acos(max(-1.0, min(1.0, g.dot(a, b) / (g.norm(a) * g.norm(b))))))


def test_standing_side_leg_lift_faces_the_chair_holding_it_with_both_hands():
    for pose in poses("standing-hip-abduction"):
        assert dict(pose.reach) == {"left_hand": "chair.back", "right_hand": "chair.back"}
        assert [(p.type, p.side) for p in pose.props] == [("chair", "front")]
        assert pose.view == "back"  # the leg moves out sideways, across the picture
    start, end = bodies("standing-hip-abduction")
    assert lateral(end, "right_ankle") - lateral(start, "right_ankle") > 0.12
    assert arrow_point("standing-hip-abduction")[0] == "right_ankle"


def test_hip_hike_drops_the_hanging_foot_below_the_step_then_lifts_it_level():
    drop, lift = bodies("hip-hike")
    step_top = PROP_TOP["step"]
    assert drop.limbs["right_leg"].extras["sole"][2] < step_top - 0.045
    assert abs(lift.limbs["right_leg"].extras["sole"][2] - step_top) < 0.01, "lifted back up level"
    assert hip_line_tilt(drop) > 20 and abs(hip_line_tilt(lift)) < 1, "the pelvis drops, then is level"
    for body in (drop, lift):  # standing leg and chest stay upright; only the pelvis tilts
        leg = body.limbs["left_leg"]
        assert abs(leg.root[0] - leg.end[0]) < 0.01 and abs(leg.root[1] - leg.end[1]) < 0.01
        assert body.chest_axes[2][2] > 0.999
    assert all(p.view == "front" and p.frame == "legs" for p in poses("hip-hike"))
    name, (dx, dy) = arrow_point("hip-hike")
    assert dy > abs(dx), f"the arrow on {name} points up"


def hip_line_tilt(body) -> float:
    """Degrees the line between the hip joints slopes down toward the patient's right."""
    left, right = body.limbs["left_leg"].root, body.limbs["right_leg"].root
    return math.degrees(math.atan2(left[2] - right[2], math.hypot(left[0] - right[0], left[1] - right[1])))


def compact_pictures(exercise: str, mirror: bool = False, dpi: int = 400):
    """The exercise's pictures at the size the compact template prints them, greyscale."""
    card = json.loads((ROOT / "templates/compact.json").read_text(encoding="utf-8"))["card"]
    width, height = card["illustration_width_mm"] / 25.4 * 72, card["illustration_height_mm"] / 25.4 * 72
    drawings = draw_poses(poses(exercise), width, height, mirror=mirror, style=PoseStyle(line_scale=card["line_scale"]))
    return [drawing_to_image(d, dpi) for d in drawings]


def feet_on_a_step(image) -> tuple[int, int, int]:
    """Rows (pixels, down) of the ground line, the bottom of the foot on the step and the
    bottom of the other foot, found in a drawn picture: the step is the band of prop grey
    standing on the ground line; body outlines are black."""
    px, (w, h) = image.load(), image.size
    ground = next(y for y in range(h) if sum(30 < px[x, y] < 90 for x in range(w)) > 0.9 * w)

    def prop_grey(y: int) -> list[int]:
        return [x for x in range(w) if 220 <= px[x, y] <= 228]

    # The step is a band of prop grey at least 4% of the picture wide (a lone grey pixel is
    # the anti-aliased edge of a line): from the ground up to the last row of that band.
    wide = [y for y in range(ground - 1, 0, -1) if len(prop_grey(y)) > 0.04 * w]
    top_of_step = wide[0]
    while top_of_step - 1 in wide:
        top_of_step -= 1
    # The step's columns: from the first to the last run of prop grey in its top row at least
    # 1% of the picture wide (the foot on the step breaks the row; a pixel or two of that grey
    # elsewhere is the anti-aliased edge of the other foot).
    runs: list[list[int]] = []
    for x in prop_grey(top_of_step + 1):
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    step = [x for run in runs if len(run) >= 0.01 * w for x in run]

    def lowest_black(columns) -> int:
        return max(y for x in columns for y in range(ground - 2) if px[x, y] < 40)

    on_step = lowest_black(range(min(step), max(step) + 1))
    return ground, on_step, lowest_black([x for x in range(w) if not min(step) <= x <= max(step)])


def test_hip_hike_reads_at_the_compact_size_on_either_side():
    """At the compact template's size, framed on the legs: the step is drawn tall, the hanging
    foot is plainly below the standing foot in "Drop" and level with it in "Lift" (the complaint
    was two pictures of a tiny whole figure whose foot moved about a millimetre). Sizes are
    shares of the picture's height, so the bounds hold at whatever size compact prints
    (at 30 mm high: a step over 3.2 mm, a drop over 1.3 mm, a lift within 0.25 mm)."""
    dpi = 400
    for mirror in (False, True):
        pictures = compact_pictures("hip-hike", mirror, dpi)
        (g1, stand1, hang1), (g2, stand2, hang2) = map(feet_on_a_step, pictures)
        height = pictures[0].height
        assert (g1, stand1) == (g2, stand2), "the standing foot stays put"
        assert (g1 - stand1) / height > 3.2 / 30, "the step is drawn tall (a whole figure draws it 2.5 mm in 30)"
        drop, lift = (hang1 - stand1) / height, (hang2 - stand2) / height
        assert drop > 1.3 / 30, f"Drop: the hanging foot is only {drop:.3f} of the picture below the standing foot"
        assert abs(lift) < 0.25 / 30, f"Lift: the hanging foot is {lift:.3f} of the picture off level"
        assert drop - lift > 0.045, "the foot's travel is a visible share of the picture"


def test_seated_knee_lift_sits_tall_near_the_front_of_the_chair_and_never_leans_back():
    for pose in poses("resisted-hip-flexion"):
        [chair] = [p for p in pose.props if p.type == "chair"]
        assert (chair.under, chair.edge) == ("pelvis", "front")
    start, end = bodies("resisted-hip-flexion")
    for pose, body in zip(poses("resisted-hip-flexion"), (start, end)):
        forward = g.unit((body.axes[1][0], body.axes[1][1], 0.0))
        up = body.chest_axes[2]
        assert up[2] > 0.998 and g.dot(up, forward) > -0.01, "the back is upright, not leaning back"
        assert g.dot(g.sub(body.shoulders, body.pelvis), forward) > -0.005
        back = min(g.dot(p, forward) for _, p in body.torso)
        for side in ("left", "right"):  # an elbow out at the back line reads as a lean back
            assert g.dot(body.limbs[f"{side}_arm"].mid, forward) - back > 0.04, f"{side} elbow"
        seat = [s for s in build_scene(pose).solids if s.role == "furniture"
                and all(0.24 <= c[2] <= 0.28 for c, _ in s.spheres)]
        along = [g.dot(c, forward) for c, _ in seat[0].spheres]
        back_of_pelvis = min(g.dot(p, forward) for _, p in body.torso[:2 * RING_N])
        assert max(along) - g.dot(body.pelvis, forward) < 0.08, "the hips are near the front edge of the seat"
        assert back_of_pelvis - min(along) > 0.06, "the back of the seat is left empty"
    assert end.point("right_knee")[2] - start.point("right_knee")[2] > 0.08, "the knee lifts toward the chest"
    name, (_, dy) = arrow_point("resisted-hip-flexion")
    assert name in ("right_knee", "right_ankle") and dy > 0


def test_knee_rolls_are_seen_from_the_feet_with_both_knees_over_to_one_side():
    start, end = bodies("lower-trunk-rotation")
    assert all(p.view == "feet" and p.elevation < 10 for p in poses("lower-trunk-rotation"))
    for side in ("left", "right"):
        assert abs(lateral(start, f"{side}_knee")) < 0.05, "knees together, pointing up"
        assert lateral(end, f"{side}_knee") - lateral(start, f"{side}_knee") > 0.09, "both fall to the right"
    assert lateral(end, "right_knee") - lateral(end, "left_knee") < 0.16, "and stay close"


def test_single_leg_bridge_lifts_the_hips_high_on_the_near_supporting_leg():
    start, end = bodies("single-leg-bridge")
    assert end.pelvis[2] - start.pelvis[2] > 0.12
    assert all(p.near_side == "left" and p.support[-1] == "left_foot" for p in poses("single-leg-bridge"))
    assert knee_angle(start, "right") < 5 and knee_angle(end, "right") < 5, "the lifted leg is straight"
    assert arrow_point("single-leg-bridge")[0] == "pelvis"


def test_banded_backward_walk_shows_a_straight_knee_step_back():
    start, end = bodies("banded-backward-walk")
    back = g.mul(end.axes[1], -1.0)
    assert g.dot(g.sub(end.point("right_ankle"), start.point("right_ankle")), back) > 0.15
    assert knee_angle(end, "right") < 2 and knee_angle(end, "left") < 2
    name, (dx, _) = arrow_point("banded-backward-walk")
    assert name == "right_ankle" and dx < 0, "seen from the right, backward is to the left"


def test_adductor_rock_back_keeps_the_straight_working_leg_near_and_the_hips_go_back():
    start, end = bodies("adductor-rock-back")
    assert all(p.near_side == "right" for p in poses("adductor-rock-back"))
    assert knee_angle(start, "right") < 10  # the foot set flat bends it a touch
    back = g.mul(start.axes[2], -1.0)  # toward the feet
    assert g.dot(g.sub(end.pelvis, start.pelvis), back) > 0.08
    assert arrow_point("adductor-rock-back")[0] == "pelvis"


def test_it_band_stretch_holds_the_top_ankle_and_the_bottom_foot_eases_the_top_knee_down():
    for pose in poses("side-lying-it-band-stretch"):
        assert dict(pose.reach) == {"right_hand": "right_ankle", "left_foot": "right_knee"}
    start, end = bodies("side-lying-it-band-stretch")
    assert end.point("right_knee")[2] < start.point("right_knee")[2] - 0.04
    assert knee_angle(start, "right") > 100, "the top knee is bent, the ankle held behind"
    name, (_, dy) = arrow_point("side-lying-it-band-stretch")
    assert name in ("right_knee", "left_ankle") and dy < 0


def test_knee_to_chest_starts_with_the_legs_out_long_on_the_mat():
    start, end = bodies("knee-to-chest")
    for side in ("left", "right"):
        assert knee_angle(start, side) < 2
        assert start.point(f"{side}_heel")[2] < 0.05
    assert knee_angle(end, "left") < 2 and end.point("left_heel")[2] < 0.05
    assert dict(poses("knee-to-chest")[-1].reach) == {"left_hand": "right_thigh", "right_hand": "right_thigh"}


def test_piriformis_stretch_crosses_the_ankle_and_hugs_the_bottom_thigh():
    start, end = poses("supine-piriformis-stretch")
    assert dict(start.reach)["right_foot"] == "left_thigh"
    assert dict(end.reach) == {"right_foot": "left_thigh", "right_hand": "left_thigh", "left_hand": "left_thigh"}
    a, b = bodies("supine-piriformis-stretch")
    assert b.point("left_knee")[2] > a.point("left_knee")[2], "the bottom thigh comes up toward the chest"


def test_a_held_rail_for_the_exercises_whose_steps_say_hold_a_rail():
    for exercise in ("lateral-step-up", "hip-hike"):
        for pose in poses(exercise):
            assert dict(pose.reach).get("left_hand") == "wall", exercise


def test_side_plank_starts_with_the_hips_on_the_mat_and_lifts_them_with_the_top_knee_on_the_bench():
    start, end = bodies("copenhagen-side-plank-modified")
    assert start.surface_below("pelvis") < 0.005
    assert end.pelvis[2] - start.pelvis[2] > 0.08
    for body in (start, end):
        assert abs(body.surface_below("right_knee") - PROP_TOP["bench"]) < 0.005
        assert body.surface_below("left_knee") < 0.005, "the bottom leg rests on the floor"
    name, (_, dy) = arrow_point("copenhagen-side-plank-modified")
    assert name in ("pelvis", "right_hand") and dy > 0, "up at the hips (the top hand rests on the hip)"


def test_side_plank_rests_on_the_forearm_with_the_elbow_under_the_shoulder_in_both_pictures():
    """"Put your elbow under your shoulder": a forearm plank. The forearm lies on the mat and
    shows in the picture (drawn pointing at the camera it was hidden, and the figure read as
    propped on a straight arm with the hand on the floor)."""
    for pose, body in zip(poses("copenhagen-side-plank-modified"), bodies("copenhagen-side-plank-modified")):
        arm = body.limbs["left_arm"]
        shoulder, elbow, wrist = arm.root, arm.mid, arm.end
        assert math.hypot(shoulder[0] - elbow[0], shoulder[1] - elbow[1]) < 0.03, "the elbow is under the shoulder"
        assert body.surface_below("left_elbow") < 0.005 and body.surface_below("left_hand") < 0.005
        assert abs(wrist[2] - elbow[2]) < 0.02, "the forearm lies flat on the mat"
        cam = camera_for(pose)
        (ex, ey, _), (wx, wy, _) = cam.project(elbow), cam.project(wrist)
        shown = math.hypot(wx - ex, wy - ey) / g.norm(g.sub(wrist, elbow))
        assert shown > 0.6, f"the forearm shows in the picture ({shown:.2f} of its length)"


def test_a_stance_leg_exercise_names_the_side_its_pictures_stand_on():
    """The single-leg bridge and the hip hike work the leg they stand on: the foot their
    pictures stand on is the side the entry says its pictures show (model.py mirrors them for
    the other side), so a left-only dose shows the left foot down, as its steps say."""
    from routinepress.catalog import Catalog

    catalog = Catalog()
    for exercise in ("single-leg-bridge", "hip-hike"):
        side = catalog.get(exercise).pictures_side
        for pose in poses(exercise):
            assert [s for s in pose.support if s.endswith("_foot")] == [f"{side}_foot"], exercise


def test_a_dose_for_the_side_the_pictures_show_is_drawn_as_is(tmp_path):
    from routinepress.catalog import Catalog
    from routinepress.model import build_model
    from routinepress.spec import check_spec

    catalog = Catalog()
    doc = {"spec_version": 1, "title": "T", "sections": [{"title": "A", "exercises": [
        {"ref": exercise, "dosage": {"side": side}} for exercise in ("single-leg-bridge", "clamshell")
        for side in ("left", "right", "each")]}]}
    handout = build_model(check_spec(doc, tmp_path / "spec.json", catalog), catalog)
    mirrored = [(card.id, card.mirror) for card in handout.sections[0].cards]
    assert mirrored == [("single-leg-bridge", False), ("single-leg-bridge", True), ("single-leg-bridge", False),
                        ("clamshell", True), ("clamshell", False), ("clamshell", False)]
