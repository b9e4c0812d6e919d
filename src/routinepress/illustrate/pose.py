"""Pose files: load, validate and mirror (stage 1 of the illustration pipeline).

A pose is a body position plus joint angles in clinical terms (degrees from the
anatomical position). Structure is checked by ``schema/pose.schema.json``; the
checks a schema cannot express well (flexion *and* extension on one joint, a view
that makes no sense for a position) are done here. Every problem becomes a
``Diagnostic`` naming the file and the JSON path, all reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from routinepress.errors import Diagnostic, InputError, did_you_mean, display_path
from routinepress.jsonfile import read_json, schema_errors

POSITIONS = ("standing", "sitting", "kneeling", "half-kneeling", "supine", "prone",
             "side-lying", "quadruped")
VIEWS = ("side", "front", "back", "head", "feet")
SIDES = ("left", "right")

# Normal ranges in degrees (AAOS-style); the schema carries the same numbers and a
# test keeps the two in step. A value outside is almost always a typo.
LIMB_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "hip": {"flexion": (0, 130), "extension": (0, 30), "abduction": (0, 50),
            "adduction": (0, 30), "external_rotation": (0, 60), "internal_rotation": (0, 45)},
    "knee": {"flexion": (0, 150)},
    "ankle": {"dorsiflexion": (0, 30), "plantarflexion": (0, 60)},
    "shoulder": {"flexion": (0, 180), "extension": (0, 60), "abduction": (0, 180),
                 "adduction": (0, 40), "external_rotation": (0, 90), "internal_rotation": (0, 90)},
    "elbow": {"flexion": (0, 150)},
}
AXIAL_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "trunk": {"flexion": (0, 90), "extension": (0, 30), "side_bend_left": (0, 35),
              "side_bend_right": (0, 35), "rotation_left": (0, 45), "rotation_right": (0, 45)},
    "neck": {"flexion": (0, 60), "extension": (0, 70), "side_bend_left": (0, 45),
             "side_bend_right": (0, 45), "rotation_left": (0, 80), "rotation_right": (0, 80)},
}
JOINT_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    **{f"{s}_{j}": r for j, r in LIMB_RANGES.items() for s in SIDES}, **AXIAL_RANGES}
# Motions that cancel each other: giving both on one joint is ambiguous.
OPPOSITES = (("flexion", "extension"), ("abduction", "adduction"),
             ("external_rotation", "internal_rotation"), ("dorsiflexion", "plantarflexion"),
             ("side_bend_left", "side_bend_right"), ("rotation_left", "rotation_right"))

_SIDED_POINTS = ("shoulder", "elbow", "hand", "hip", "thigh", "knee", "shin", "ankle",
                 "foot", "heel", "toes")
# Named body points that supports, reach targets and props may refer to.
BODY_POINTS = ("head", "shoulders", "pelvis",
               *(f"{s}_{p}" for s in SIDES for p in _SIDED_POINTS))
PROP_TYPES = ("mat", "pillow", "towel", "chair", "step", "bench", "wall", "band", "ankle_weight")
PROP_POINTS = ("chair.back", "chair.seat", "step.top", "bench.top", "wall")
REACH_EFFECTORS = ("left_hand", "right_hand", "left_foot", "right_foot")
# Which prop types each placement option applies to; any other use is an error (a mat
# has no 'under': the body lies on it everywhere).
PROP_OPTIONS = {"under": ("pillow", "towel", "chair", "step", "bench"), "around": ("band",),
                "on": ("ankle_weight",), "side": ("chair", "wall"), "edge": ("chair", "step", "bench")}
# Framings: the whole scene, or only the pelvis, the legs and what they stand or sit on
# (for a motion too small to read on a whole upright figure at card size).
FRAMES = ("whole", "legs")
UPRIGHT = ("standing", "sitting", "kneeling", "half-kneeling")
# Points on each limb: a hand or foot cannot reach for a point of its own limb.
_ARM_POINTS = ("shoulder", "elbow", "hand")
_LEG_POINTS = ("hip", "thigh", "knee", "shin", "ankle", "foot", "heel", "toes")
# What each prop type must say about where it goes.
PROP_NEEDS = {"pillow": ("under",), "towel": ("under",), "step": ("under",),
              "bench": ("under",), "band": ("around",), "ankle_weight": ("on",),
              "wall": ("side",)}


@dataclass(frozen=True)
class Prop:
    """One prop. Only the fields its type uses are set."""

    type: str
    under: str | None = None   # body point resting on it (pillow, step, bench, chair seat)
    around: str | None = None  # band: "knees", "ankles" or "thighs"
    on: str | None = None      # ankle weight: "left_ankle" / "right_ankle"
    side: str | None = None    # chair to hold, wall: which side of the body
    edge: str | None = None    # chair, step, bench: the edge the point under it sits near

    def mirrored(self) -> Prop:
        return replace(self, under=swap_sides(self.under), on=swap_sides(self.on),
                       side=swap_sides(self.side), edge=swap_sides(self.edge))


@dataclass(frozen=True)
class Pose:
    """A validated pose. Joints are stored sorted, so equal poses compare equal."""

    position: str
    view: str = "side"
    near_side: str = "right"
    down_side: str | None = None
    elevation: float = 0.0
    turn: float = 0.0
    roll: float = 0.0  # whole-body sideways lean before grounding; + drops the right side
    frame: str = "whole"  # or "legs": the picture shows the pelvis down
    joints: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    support: tuple[str, ...] = ()
    reach: tuple[tuple[str, str], ...] = ()
    props: tuple[Prop, ...] = ()
    source: str = field(default="<pose>", compare=False)

    def angle(self, joint: str, motion: str) -> float:
        """Degrees of one motion at one joint; 0 when the pose does not mention it."""
        for name, motions in self.joints:
            if name == joint:
                return dict(motions).get(motion, 0.0)
        return 0.0

    def mirrored(self) -> Pose:
        """The same exercise on the other side: left and right swapped in the data.

        The side view's camera follows (near_side swaps too), so the working limb stays
        the near, dark one and the drawing of the mirror is the mirror of the drawing.
        """
        joints = _sorted_joints(
            {swap_sides(j): {swap_sides(m): v for m, v in ms} for j, ms in self.joints})
        return replace(
            self, near_side=swap_sides(self.near_side), down_side=swap_sides(self.down_side),
            turn=-self.turn, roll=-self.roll,
            joints=joints, support=tuple(swap_sides(s) for s in self.support),
            reach=tuple(sorted((swap_sides(e), swap_sides(t)) for e, t in self.reach)),
            props=tuple(p.mirrored() for p in self.props))


def swap_sides(name: Any) -> Any:
    """'left_knee' -> 'right_knee', 'rotation_left' -> 'rotation_right', 'left' -> 'right'."""
    if not isinstance(name, str):
        return name
    swap = {"left": "right", "right": "left"}
    return "_".join(swap.get(tok, tok) for tok in name.split("_"))


def _sorted_joints(joints: dict[str, dict[str, float]]):
    return tuple(sorted((j, tuple(sorted((m, float(v)) for m, v in ms.items())))
                        for j, ms in joints.items()))


def _json_path(parts) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _hint(word: Any, choices) -> str | None:
    return did_you_mean(str(word), choices)


def _schema_diagnostics(data: Any, file: str) -> list[Diagnostic]:
    out = []
    for err in sorted(schema_errors(data, "pose.schema.json"), key=lambda e: (list(map(str, e.path)),
                                                                     e.message)):
        where, msg, hint = _json_path(err.absolute_path), err.message, None
        if err.validator in ("minimum", "maximum") and "maximum" in err.schema:
            lo, hi = err.schema.get("minimum", 0), err.schema["maximum"]
            msg = f"{err.instance!r} is outside the normal range {lo:g} to {hi:g}"
            hint = "angles are in degrees from the anatomical position"
        elif err.validator == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            extra = sorted(set(err.instance) - set(allowed))
            for key in extra:
                out.append(Diagnostic(file, _json_path([*err.absolute_path, key]),
                                      f"unknown name '{key}'", _hint(key, allowed)))
            continue
        elif err.validator == "enum":
            msg = f"unknown value {err.instance!r}; expected one of {', '.join(map(str, err.validator_value))}"
            hint = _hint(err.instance, err.validator_value)
        out.append(Diagnostic(file, where, msg, hint))
    return out


def _semantic_diagnostics(data: dict, file: str) -> list[Diagnostic]:
    """Checks across fields, run only once the structure is valid."""
    out: list[Diagnostic] = []
    for joint, motions in data.get("joints", {}).items():
        for a, b in OPPOSITES:
            if a in motions and b in motions:
                out.append(Diagnostic(file, f"$.joints.{joint}",
                                      f"gives both {a} and {b}", "keep only the one that applies"))
    pos, view = data["position"], data.get("view", "side")
    if (pos == "side-lying") != ("down_side" in data):
        out.append(Diagnostic(file, "$.down_side" if "down_side" in data else "$",
                              "down_side is needed for side-lying and only for it"))
    lying_long = pos in ("supine", "prone", "side-lying", "quadruped")
    if pos == "side-lying" and view == "side":
        out.append(Diagnostic(file, "$.view", "a side view of side-lying would look from above",
                              "use 'front' or 'back' (and 'elevation' to look down a little)"))
    if pos in ("supine", "prone", "quadruped") and view in ("front", "back"):
        out.append(Diagnostic(file, "$.view", f"a {view} view of {pos} would look from above",
                              "use 'side', 'head' or 'feet'"))
    if not lying_long and view in ("head", "feet"):
        out.append(Diagnostic(file, "$.view", f"a {view} view needs a lying position",
                              "use 'side', 'front' or 'back'"))
    if data.get("frame", "whole") == "legs" and pos not in UPRIGHT:
        out.append(Diagnostic(file, "$.frame", f"framing on the legs needs an upright position, not {pos}",
                              f"use it with {_or_list(list(UPRIGHT))}, or leave 'frame' out"))
    return out + _prop_diagnostics(data, file) + _reach_diagnostics(data, file)


def _prop_diagnostics(data: dict, file: str) -> list[Diagnostic]:
    """Each prop says only what its type uses, and no point rests on two props at once."""
    out: list[Diagnostic] = []
    resting: dict[str, int] = {}
    for i, prop in enumerate(data.get("props", [])):
        kind = prop["type"]
        for option in PROP_OPTIONS:
            if option in prop and kind not in PROP_OPTIONS[option]:
                users = [t for t in PROP_TYPES if t in PROP_OPTIONS[option]]
                out.append(Diagnostic(file, f"$.props[{i}].{option}", f"a {kind} takes no '{option}'",
                                      f"'{option}' is for {_or_list(users)}; remove it here"))
        if "edge" in prop and "under" not in prop and kind in PROP_OPTIONS["edge"]:
            out.append(Diagnostic(file, f"$.props[{i}].edge", f"'edge' places the {kind} under a body point",
                                  "add 'under' (the point that sits or stands near that edge)"))
        if kind == "chair" and prop.get("edge", "front") != "front":
            out.append(Diagnostic(file, f"$.props[{i}].edge", "a chair is sat on near its front edge only",
                                  "use 'front', or leave 'edge' out to sit in the middle"))
        if kind == "chair" and "under" in prop and "side" in prop:
            out.append(Diagnostic(file, f"$.props[{i}]", "a chair is either sat on or held, not both",
                                  "keep 'under' (sit on it) or 'side' (hold it)"))
        under = prop.get("under")
        if under is not None and kind in PROP_OPTIONS["under"]:
            if under in resting:
                out.append(Diagnostic(file, f"$.props[{i}].under",
                                      f"{under} already rests on props[{resting[under]}]",
                                      "a body point rests on one prop at a time"))
            resting.setdefault(under, i)
    return out


def _reach_diagnostics(data: dict, file: str) -> list[Diagnostic]:
    """A reach targets a prop the pose has, and never a point on the reaching limb itself."""
    out: list[Diagnostic] = []
    have = {p["type"] for p in data.get("props", [])}
    for effector, target in data.get("reach", {}).items():
        where = f"$.reach.{effector}"
        if target in PROP_POINTS:
            kind = target.split(".")[0]
            if kind not in have:
                out.append(Diagnostic(file, where, f"reaches for {target} but the pose has no {kind}",
                                      f'add {{"type": "{kind}", ...}} to props, or reach for a body point'))
            continue
        side, kind = effector.split("_")
        own = _ARM_POINTS if kind == "hand" else _LEG_POINTS
        if target.startswith(f"{side}_") and target.split("_", 1)[1] in own:
            limb = "arm" if kind == "hand" else "leg"
            out.append(Diagnostic(file, where, f"the {side} {kind} cannot reach {target}, on its own {limb}",
                                  "reach for a point on another limb, the trunk or a prop"))
    return out


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def pose_from_data(data: Any, file: str = "<pose>") -> Pose:
    """Validate parsed JSON and build a Pose; raise InputError listing every problem."""
    problems = _schema_diagnostics(data, file)
    if not problems:
        problems = _semantic_diagnostics(data, file)
    if problems:
        raise InputError(problems)
    props = tuple(Prop(type=p["type"], under=p.get("under"), around=p.get("around"),
                       on=p.get("on"), side=p.get("side"), edge=p.get("edge"))
                  for p in data.get("props", []))
    return Pose(
        position=data["position"], view=data.get("view", "side"),
        near_side=data.get("near_side", "right"), down_side=data.get("down_side"),
        elevation=float(data.get("elevation", 0.0)), turn=float(data.get("turn", 0.0)),
        roll=float(data.get("roll", 0.0)), frame=data.get("frame", "whole"),
        joints=_sorted_joints(data.get("joints", {})),
        support=tuple(data.get("support", ())),
        reach=tuple(sorted(data.get("reach", {}).items())),
        props=props, source=file)


def load_pose(path: Path) -> Pose:
    """Read and validate one ``*.pose.json`` file."""
    # The project's strict reader: UTF-8 only, no NaN/Infinity, no duplicate keys, bounded size.
    data = read_json(Path(path))
    file = display_path(path)
    return pose_from_data(data, file)
