"""Motion arrows derived from consecutive poses: no hand-placed arrows.

The point that moves most between two poses (seen in the picture) gets an arrow
along the path it actually travels: joint angles are blended from one pose to the
next and the point traced, so a leg raise gives an arc around the hip. The arrow is
then slid off the body to the nearest clear spot and drawn on the later pose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import geometry as g
from .geometry import P2
from .pose import Pose
from .scene import build_scene

if TYPE_CHECKING:  # draw imports us; only the types are needed here
    from .draw import Camera, Piece

# Checked in this order; a later point must move clearly more to win a tie, so a
# shift of the whole body is shown at the pelvis, not the head.
CANDIDATES = ("pelvis", "right_knee", "left_knee", "right_ankle", "left_ankle",
              "right_hand", "left_hand", "head", "right_elbow", "left_elbow")
MIN_MOVE = 0.03    # standing heights; smaller motions get no arrow
MIN_LENGTH = 0.2  # short motions are drawn at least this long (the drawing may ask for more)
STEPS = 16


@dataclass(frozen=True)
class Arrow:
    point: str
    path: tuple[P2, ...]  # in projected world units, tail to tip

    @property
    def length(self) -> float:
        return _length(list(self.path))


def _blendable(a: Pose, b: Pose) -> bool:
    same = ("position", "down_side", "view", "near_side", "elevation", "support", "reach", "props")
    return all(getattr(a, f) == getattr(b, f) for f in same)


def trace(prev: Pose, cur: Pose, cam: Camera) -> dict[str, list[P2]]:
    """Projected path of every candidate point from prev to cur."""
    if _blendable(prev, cur):
        scenes = [build_scene(prev, cur, i / STEPS) for i in range(STEPS)] + [build_scene(cur)]
    else:  # different set-ups cannot be blended: a straight path between the two
        scenes = [build_scene(prev), build_scene(cur)]
    return {name: [cam.project(s.body.point(name))[:2] for s in scenes] for name in CANDIDATES}


def _length(path: list[P2]) -> float:
    return sum(math.dist(a, b) for a, b in zip(path, path[1:]))


def _resample(path: list[P2], start: float, end: float, n: int = 24) -> list[P2]:
    """Points from arc length start to end, extending straight past either end."""
    total = _length(path)
    out = []
    for i in range(n + 1):
        s = start + (end - start) * i / n
        if s <= 0:
            a, b = path[0], path[1]
            u = ((b[0] - a[0]) / (math.dist(a, b) or 1), (b[1] - a[1]) / (math.dist(a, b) or 1))
            out.append((a[0] + u[0] * s, a[1] + u[1] * s))
            continue
        if s >= total:
            a, b = path[-2], path[-1]
            u = ((b[0] - a[0]) / (math.dist(a, b) or 1), (b[1] - a[1]) / (math.dist(a, b) or 1))
            out.append((b[0] + u[0] * (s - total), b[1] + u[1] * (s - total)))
            continue
        run = 0.0
        for a, b in zip(path, path[1:]):
            seg = math.dist(a, b)
            if run + seg >= s and seg > 0:
                t = (s - run) / seg
                out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
                break
            run += seg
    return out


def moving_point(paths: dict[str, list[P2]]) -> str | None:
    """The candidate that moves most in the picture, or None if nothing moves much."""
    best, best_move = None, MIN_MOVE
    for name in CANDIDATES:
        move = math.dist(paths[name][0], paths[name][-1])
        if move > best_move * 1.05:
            best, best_move = name, move
    return best


def motion_arrow(prev: Pose, cur: Pose, cam: Camera, pieces: list[Piece], line_scale: float = 1.0,
                 at_least: float = 0.0, paths: dict[str, list[P2]] | None = None) -> Arrow | None:
    """The arrow for the step prev -> cur, placed clear of cur's body pieces, and at least
    `at_least` long: the drawing asks for the length its head needs at the picture's scale
    (the head is sized in points, so a small picture needs a longer arrow in world units).
    `paths` is trace()'s answer when the caller already has it."""
    paths = paths or trace(prev, cur, cam)
    best = moving_point(paths)
    if best is None:
        return None
    path = paths[best]
    total = _length(path)
    if total < MIN_LENGTH:
        extra = (MIN_LENGTH - total) / 2
        core = _resample(path, -extra, total + extra)
    else:
        core = _resample(path, 0.08 * total, 0.94 * total)
    if _length(core) < at_least:  # lengthened evenly at both ends, straight past the path's ends
        extra = (at_least - total) / 2
        core = _resample(path, -extra, total + extra)
    floor = cam.project((0.0, 0.0, 0.0))[1]
    flat_floor = abs(cam.up[2] - 1.0) < 1e-9  # a level camera sees the floor as a line
    clearance = 0.022 * line_scale
    # Each outline with its bounding box grown by the clearance: the box test rejects most
    # (point, piece) pairs cheaply, and a point outside the box is outside the polygon too.
    outlines = []
    for piece in pieces:
        xs, ys = [v[0] for v in piece.outline], [v[1] for v in piece.outline]
        box = (min(xs) - clearance, min(ys) - clearance, max(xs) + clearance, max(ys) + clearance)
        outlines.append((box, piece.outline))

    # The arrow is drawn on the later pose, so it starts where the point arrived and
    # points on the way it went ("this way"); then it is nudged clear of the body.
    home = (path[-1][0] - core[0][0], path[-1][1] - core[0][1])
    chord = (path[-1][0] - path[0][0], path[-1][1] - path[0][1])
    ahead = (chord[0] / math.hypot(*chord), chord[1] / math.hypot(*chord))
    centre = cam.project(build_scene(cur).body.pelvis)
    away = (path[-1][0] - centre[0], path[-1][1] - centre[1])
    out = (away[0] / (math.hypot(*away) or 1.0), away[1] / (math.hypot(*away) or 1.0))

    def cost(off: P2) -> float:
        hits = 0
        for x, y in core:
            q = (x + home[0] + off[0], y + home[1] + off[1])
            if (flat_floor and q[1] < floor + clearance) or any(
                    box[0] <= q[0] <= box[2] and box[1] <= q[1] <= box[3] and g.inside_convex(q, o, clearance)
                    for box, o in outlines):
                hits += 1
        # Ties are broken by body-relative preferences (onward, then away from the
        # trunk), which keeps the choice mirror-symmetric for mirrored poses.
        return (5 * hits + 10 * math.hypot(*off) - 0.2 * (off[0] * ahead[0] + off[1] * ahead[1])
                - 0.1 * (off[0] * out[0] + off[1] * out[1]))

    options = [(0.0, 0.0)] + [
        (r * math.cos(2 * math.pi * k / 24), r * math.sin(2 * math.pi * k / 24))
        for r in (0.02, 0.04, 0.06, 0.09, 0.12, 0.16, 0.2, 0.25) for k in range(24)]
    # Branch and bound: the preference terms subtract at most 0.3 |off|, so an option costs at
    # least 9.7 |off|; options (in order of growing radius) beyond the best so far cannot win.
    best_key: tuple[float, float, float] | None = None
    for o in options:
        if best_key is not None and 9.7 * math.hypot(*o) > best_key[0] + 1e-6:
            break
        key = (round(cost(o), 9), o[0], o[1])
        if best_key is None or key < best_key:
            best_key = key
    assert best_key is not None  # the search always tries the home position
    off = (best_key[1], best_key[2])
    dx, dy = home[0] + off[0], home[1] + off[1]
    return Arrow(best, tuple((x + dx, y + dy) for x, y in core))
