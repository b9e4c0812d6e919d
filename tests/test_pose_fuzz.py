"""Fuzzing the pose format from its own schema: a pose that loads is a pose that draws.

The strategy below is read off ``schema/pose.schema.json`` (enums, number ranges, object
properties, arrays, and the ``if type is X then require Y`` rules of props), so every field
the schema allows is tried, in every combination, without a hand-written list to fall behind.
Each generated pose either loads, and then draws alone, as a start-end pair and mirrored,
exactly as ``build`` records it; or it fails with diagnostics that name the file and a JSON
path. Never another exception.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinepress.errors import InputError
from routinepress.illustrate import draw_poses, pose_from_data
from routinepress.render.drawings import RecordedDrawing

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schema" / "pose.schema.json").read_text(encoding="utf-8"))
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _from_schema(node: dict, draw) -> object:
    """One value the schema node allows (structure only; the cross-field rules are the loader's)."""
    if "enum" in node:
        return draw(st.sampled_from(node["enum"]))
    kind = node.get("type")
    if kind == "number":
        lo, hi = node.get("minimum", -1e3), node.get("maximum", 1e3)
        return draw(st.one_of(st.sampled_from([lo, hi, (lo + hi) / 2]),
                              st.floats(lo, hi, allow_nan=False, allow_infinity=False)))
    if kind == "string":
        return draw(st.text(max_size=8))
    if kind == "array":
        items = draw(st.lists(st.deferred(lambda: st.composite(
            lambda d: _from_schema(node["items"], d))()), max_size=4))
        if node.get("uniqueItems"):
            items = [x for i, x in enumerate(items) if x not in items[:i]]
        return items
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", ()))
        out = {}
        for key in required:
            out[key] = _from_schema(props[key], draw)
        for rule in node.get("allOf", ()):  # "if type is X then require Y": honour it mostly
            const = rule["if"]["properties"]["type"]["const"]
            if out.get("type") == const and draw(st.integers(0, 9)) > 0:
                needs = rule["then"].get("required") or draw(st.sampled_from(rule["then"]["anyOf"]))["required"]
                for key in needs:
                    out[key] = _from_schema(props[key], draw)
        optional = sorted(set(props) - required - set(out) - {"$schema", "description"})
        chosen = draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional))) if optional else []
        for key in chosen:
            out[key] = _from_schema(props[key], draw)
        return out
    raise AssertionError(f"the pose schema uses a construct the fuzzer does not know: {node}")


@st.composite
def schema_poses(draw) -> dict:
    return _from_schema(SCHEMA, draw)


@st.composite
def joint_maps(draw) -> dict:
    """Joints with one motion of each opposing pair at most, so more poses get past loading."""
    joints = SCHEMA["properties"]["joints"]["properties"]
    out = {}
    for name in draw(st.lists(st.sampled_from(sorted(joints)), unique=True, max_size=6)):
        motions = joints[name]["properties"]
        picked = {}
        for motion in draw(st.lists(st.sampled_from(sorted(motions)), unique=True, max_size=3)):
            if not any(m != motion and _opposed(m, motion) for m in picked):
                picked[motion] = _from_schema(motions[motion], draw)
        out[name] = picked
    return out


def _opposed(a: str, b: str) -> bool:
    pairs = ({"flexion", "extension"}, {"abduction", "adduction"}, {"external_rotation", "internal_rotation"},
             {"dorsiflexion", "plantarflexion"}, {"side_bend_left", "side_bend_right"},
             {"rotation_left", "rotation_right"})
    return {a, b} in pairs


@st.composite
def likely_poses(draw) -> dict:
    """Schema poses nudged toward loading: a position with the view and down_side it needs."""
    data = draw(schema_poses())
    data["joints"] = draw(joint_maps())
    pos = data["position"]
    if pos == "side-lying":
        data["down_side"] = draw(st.sampled_from(["left", "right"]))
        data["view"] = draw(st.sampled_from(["front", "back"]))
    else:
        data.pop("down_side", None)
        views = ["side", "head", "feet"] if pos in ("supine", "prone", "quadruped") else ["side", "front", "back"]
        data["view"] = draw(st.sampled_from(views))
    return data


def _load(data: dict):
    """The pose, or None when the loader refused it with proper diagnostics."""
    try:
        return pose_from_data(data, "fuzz.pose.json")
    except InputError as exc:
        for d in exc.diagnostics:
            assert d.file == "fuzz.pose.json"
            assert d.where.startswith("$"), d.format()
            assert d.message
        return None


def _draws(poses, mirror: bool = False) -> None:
    """What build does with an exercise's poses: draw them together, then record the drawings."""
    for drawing in draw_poses(poses, 130, 85, mirror=mirror):
        recorded = RecordedDrawing.record(drawing)
        assert recorded.width > 0 and recorded.height > 0


@SETTINGS
@given(data=schema_poses())
def test_any_schema_shaped_pose_loads_or_gets_a_diagnostic(data):
    pose = _load(data)
    if pose is not None:
        _draws([pose])


@SETTINGS
@given(start=likely_poses(), end=likely_poses())
def test_a_pose_that_loads_always_draws(start, end):
    a, b = _load(start), _load(end)
    for pose in (a, b):
        if pose is not None:
            _draws([pose], mirror=True)
    if a is not None and b is not None:
        _draws([a, b])


def test_the_fuzzer_reaches_poses_that_load():
    """Most likely_poses load: the fuzz above exercises the drawing, not only the refusals."""
    loaded = []

    @settings(max_examples=100, deadline=None, derandomize=True, database=None)
    @given(data=likely_poses())
    def count(data):
        loaded.append(_load(data) is not None)

    count()
    assert sum(loaded) >= 0.4 * len(loaded), f"{sum(loaded)} of {len(loaded)} loaded"
