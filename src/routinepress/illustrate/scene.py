"""A pose made solid: the placed body plus its props, in world coordinates.

Props are built in 3D like the body, so every view draws them consistently.
Order matters: props on the ground are placed from the grounded body, then hands
and feet reach (a hand may hold the chair), then band and ankle weight wrap the
limbs where they ended up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import geometry as g
from .geometry import Vec
from .pose import Pose
from .skeleton import PROP_TOP, R_ANKLE, R_KNEE, Body, blend_angles, place_body, signed_angles, solve_reach

Sphere = tuple[Vec, float]


@dataclass(frozen=True)
class Solid:
    """One convex piece of a prop: the hull of its spheres (radius 0 for box corners).

    role picks the drawing style and layer: mat, support (under the body), furniture,
    wall, band (outline only), cuff (drawn with the limb in ``attach``)."""

    spheres: tuple[Sphere, ...]
    role: str
    attach: str | None = None


@dataclass
class Scene:
    pose: Pose
    body: Body
    solids: list[Solid]


def _flat(v: Vec) -> Vec:
    return g.unit((v[0], v[1], 0.0))


def _ground_frame(body: Body) -> tuple[Vec, Vec]:
    """Two horizontal directions tied to the body: forward-ish and across."""
    right, ant, sup = body.axes
    f = _flat(ant) if math.hypot(ant[0], ant[1]) > 0.5 else _flat(sup)
    return f, g.cross((0.0, 0.0, 1.0), f)


def _box(center: Vec, f: Vec, l: Vec, size_f: float, size_l: float, z0: float, z1: float,
         role: str) -> Solid:
    pts = []
    for a in (-0.5, 0.5):
        for b in (-0.5, 0.5):
            for z in (z0, z1):
                p = g.add(g.add(center, g.mul(f, a * size_f)), g.mul(l, b * size_l))
                pts.append(((p[0], p[1], z), 0.0))
    return Solid(tuple(pts), role)


def _rod(a: Vec, b: Vec, r: float, role: str) -> Solid:
    return Solid(((a, r), (b, r)), role)


# How far in from the named edge of a prop the point resting on it sits (standing
# heights): a foot stands just inside a step's edge; hips sit a little behind a
# chair's front edge, leaving the backrest well clear of the back.
EDGE_INSET = {"step": 0.05, "bench": 0.05, "chair": 0.06}


def _edge_direction(body: Body, edge: str) -> Vec:
    """The patient's left, right, front or back, flat on the floor."""
    right, ant, _ = body.axes
    return {"left": g.mul(_flat(right), -1), "right": _flat(right), "front": _flat(ant),
            "back": g.mul(_flat(ant), -1)}[edge]


def _chair(pose_side: str | None, under: str | None, body: Body,
           edge: str | None = None) -> tuple[list[Solid], dict[str, Vec]]:
    """A plain kitchen chair. Held at a side: its back is the edge nearest the body."""
    right, ant, _ = body.axes
    pelvis = (body.pelvis[0], body.pelvis[1], 0.0)
    if under:
        f = _flat(ant)
        # Sat on: the hips a little behind the seat's middle, or near its front edge.
        back = 0.125 - EDGE_INSET["chair"] if edge == "front" else 0.03
        seat = g.sub((body.point(under)[0], body.point(under)[1], 0.0), g.mul(f, back))
    else:
        s = {"left": g.mul(_flat(right), -1), "right": _flat(right), "front": _flat(ant),
             "back": g.mul(_flat(ant), -1)}[pose_side or "front"]
        f = s
        seat = g.add(pelvis, g.mul(s, 0.30 + 0.12))
    l = g.cross((0.0, 0.0, 1.0), f)
    at = lambda df, dl, z: (seat[0] + f[0] * df + l[0] * dl, seat[1] + f[1] * df + l[1] * dl, z)  # noqa: E731
    solids = [_rod(at(df, dl, 0.0), at(df, dl, 0.25), 0.009, "furniture")
              for df in (0.105, -0.105) for dl in (0.1, -0.1)]
    solids += [_rod(at(-0.11, dl, 0.27), at(-0.11, dl, 0.51), 0.01, "furniture") for dl in (0.1, -0.1)]
    solids.append(_box(seat, f, l, 0.25, 0.24, 0.245, 0.27, "furniture"))
    solids.append(_box(at(-0.11, 0, 0), f, l, 0.024, 0.24, 0.47, 0.53, "furniture"))
    return solids, {"chair.back": at(-0.11, 0.0, 0.545), "chair.seat": at(0.0, 0.0, 0.27)}


def ground_props(pose: Pose, body: Body) -> tuple[list[Solid], dict[str, Vec]]:
    """Props that stand on the floor, and the points on them hands or feet can reach."""
    solids: list[Solid] = []
    points: dict[str, Vec] = {}
    f, l = _ground_frame(body)
    for prop in pose.props:
        if prop.type == "mat":
            xs = [p[0] for _, p in body.torso] + [lb.end[0] for lb in body.limbs.values()]
            ys = [p[1] for _, p in body.torso] + [lb.end[1] for lb in body.limbs.values()]
            xs += [body.head[0]]
            ys += [body.head[1]]
            lo, hi = (min(xs) - 0.06, min(ys) - 0.05), (max(xs) + 0.06, max(ys) + 0.05)
            c = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, 0.0)
            solids.append(_box(c, (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), hi[0] - lo[0], hi[1] - lo[1],
                               -0.022, 0.0, "mat"))
        elif prop.type == "chair":
            more, pts = _chair(prop.side, prop.under, body, prop.edge)
            solids += more
            points.update(pts)
        elif prop.type in ("step", "bench"):
            p = body.point(prop.under)  # type: ignore[arg-type]
            size = (0.2, 0.3) if prop.type == "step" else (0.3, 0.5)
            centre = (p[0], p[1], 0.0)
            if prop.edge:  # the point stands just inside that edge; the box reaches away
                d = _edge_direction(body, prop.edge)
                half = size[0] / 2 if abs(g.dot(d, f)) > 0.7 else size[1] / 2
                centre = g.sub(centre, g.mul(d, half - EDGE_INSET[prop.type]))
            solids.append(_box(centre, f, l, *size, 0.0, PROP_TOP[prop.type], "support"))
            points[f"{prop.type}.top"] = (p[0], p[1], PROP_TOP[prop.type])
        elif prop.type in ("pillow", "towel"):
            p = body.point(prop.under)  # type: ignore[arg-type]
            h = PROP_TOP[prop.type]
            if prop.type == "pillow":
                r = 0.021
                spheres = tuple(((p[0] + f[0] * a + l[0] * b, p[1] + f[1] * a + l[1] * b, z), r)
                                for a in (-0.07, 0.07) for b in (-0.07, 0.07) for z in (r, h - r))
            else:
                r = h / 2
                spheres = tuple(((p[0] + l[0] * b, p[1] + l[1] * b, r), r) for b in (-0.08, 0.08))
            solids.append(Solid(spheres, "support"))
        elif prop.type == "wall":
            side = {"left": g.mul(body.axes[0], -1), "right": body.axes[0],
                    "front": body.axes[1], "back": g.mul(body.axes[1], -1)}[prop.side or "front"]
            s = _flat(side)
            reach = max(g.dot(p, s) for _, p in body.torso) + 0.02
            c = g.mul(s, reach + 0.015)
            across = g.cross((0.0, 0.0, 1.0), s)
            solids.append(_box((c[0], c[1], 0.0), s, across, 0.03, 0.9, 0.0, 1.05, "wall"))
            points["wall"] = (c[0] - s[0] * 0.015, c[1] - s[1] * 0.015, 0.75)
    return solids, points


def _reach_target(body: Body, effector: str, target: str, props: dict[str, Vec]) -> Vec:
    side, kind = effector.split("_")
    limb = body.limbs[f"{side}_{'arm' if kind == 'hand' else 'leg'}"]
    if target in props:
        return props[target]
    goal = body.point(target)
    t_side, t_part = target.split("_", 1) if "_" in target else ("", target)
    if kind == "foot" and t_part in ("foot", "ankle", "heel", "toes"):
        # Feet side by side: offset along the line between the hips, the way legs stack.
        other = body.limbs[f"{t_side}_leg"]
        goal = body.point(f"{t_side}_ankle")
        return g.add(goal, g.mul(g.unit(g.sub(limb.root, other.root)), 2 * R_ANKLE + 0.006))
    # Rest on the surface of the target, on the side the hand or foot came from.
    here = limb.extras["palm"] if kind == "hand" else limb.end
    away = g.unit(g.sub(here, goal))
    return g.add(goal, g.mul(away, R_KNEE + (0.01 if kind == "hand" else R_ANKLE)))


def attached_props(pose: Pose, body: Body) -> list[Solid]:
    out = []
    for prop in pose.props:
        if prop.type == "band":
            part = {"knees": "knee", "ankles": "ankle", "thighs": "thigh"}[prop.around or "knees"]
            spheres = []
            for side in ("left", "right"):
                p = body.point(f"{side}_{part}")
                leg = body.limbs[f"{side}_leg"]
                if part == "ankle":  # just above the ankle bone, around the shin
                    p = g.lerp(leg.end, leg.mid, 0.12)
                r = {"knee": R_KNEE + 0.01, "ankle": R_ANKLE + 0.012, "thigh": 0.056}[part]
                spheres.append((p, r))
            out.append(Solid(tuple(spheres), "band"))
        elif prop.type == "ankle_weight":
            side = (prop.on or "right_ankle").split("_")[0]
            leg = body.limbs[f"{side}_leg"]
            out.append(Solid(((g.lerp(leg.end, leg.mid, 0.08), R_ANKLE + 0.016),
                              (g.lerp(leg.end, leg.mid, 0.26), R_ANKLE + 0.02)), "cuff",
                             f"{side}_leg"))
    return out


def build_scene(pose: Pose, toward: Pose | None = None, t: float = 0.0) -> Scene:
    """The pose's body and props; with toward, joint angles blended a fraction t of the
    way to that pose (for tracing a motion's path)."""
    angles = signed_angles(pose)
    if toward is not None:
        angles = blend_angles(angles, signed_angles(toward), t)
        # the sideways lean is an angle too: a hip hike moves by roll alone
        pose = replace(pose, roll=pose.roll + (toward.roll - pose.roll) * t)
    body = place_body(pose, angles)
    solids, points = ground_props(pose, body)
    right, ant, _ = body.axes
    for effector, target in pose.reach:
        side, kind = effector.split("_")
        limb = body.limbs[f"{side}_{'arm' if kind == 'hand' else 'leg'}"]
        lateral = right if side == "right" else g.mul(right, -1)
        pole = ant if kind == "foot" else g.add(g.mul(ant, -1.0), g.mul(lateral, 0.5))
        solve_reach(limb, _reach_target(body, effector, target, points), pole)
    return Scene(pose, body, solids + attached_props(pose, body))
