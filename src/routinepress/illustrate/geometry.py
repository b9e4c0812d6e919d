"""Small vector and polygon helpers for the pose engine.

Plain tuples instead of numpy: the figures have a few dozen points, and keeping the
engine dependency-free keeps the output byte-stable across machines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows
P2 = tuple[float, float]


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def unit(a: Vec) -> Vec:
    n = norm(a)
    return (0.0, 0.0, 0.0) if n < 1e-12 else mul(a, 1.0 / n)


def lerp(a: Vec, b: Vec, t: float) -> Vec:
    return add(a, mul(sub(b, a), t))


def mat_vec(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def mat_mul(a: Mat, b: Mat) -> Mat:
    cols = ((b[0][0], b[1][0], b[2][0]), (b[0][1], b[1][1], b[2][1]), (b[0][2], b[1][2], b[2][2]))
    return tuple(tuple(dot(row, c) for c in cols) for row in a)  # type: ignore[return-value]


def from_columns(x: Vec, y: Vec, z: Vec) -> Mat:
    """The rotation whose columns are the images of the x, y and z axes."""
    return ((x[0], y[0], z[0]), (x[1], y[1], z[1]), (x[2], y[2], z[2]))


IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def rot_axis(axis: Vec, rad: float) -> Mat:
    """Rodrigues' rotation about a unit axis."""
    x, y, z = unit(axis)
    c, s, t = math.cos(rad), math.sin(rad), 1 - math.cos(rad)
    return (
        (t * x * x + c, t * x * y - s * z, t * x * z + s * y),
        (t * x * y + s * z, t * y * y + c, t * y * z - s * x),
        (t * x * z - s * y, t * y * z + s * x, t * z * z + c),
    )


def rotate_about(p: Vec, pivot: Vec, m: Mat) -> Vec:
    return add(pivot, mat_vec(m, sub(p, pivot)))


def circle_points(c: P2, r: float, n: int = 28) -> list[P2]:
    return [(c[0] + r * math.cos(2 * math.pi * i / n), c[1] + r * math.sin(2 * math.pi * i / n))
            for i in range(n)]


def convex_hull(points: Iterable[P2]) -> list[P2]:
    """Andrew's monotone chain; counter-clockwise, no repeated end point."""
    pts = sorted(set((round(x, 6), round(y, 6)) for x, y in points))
    if len(pts) <= 2:
        return pts

    def turn(o: P2, a: P2, b: P2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[P2] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[P2] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def hull_of_circles(circles: Sequence[tuple[P2, float]], n: int = 28) -> list[P2]:
    """Outline of a rounded, tapered blob: the convex hull of its circles."""
    pts: list[P2] = []
    for c, r in circles:
        pts.extend(circle_points(c, r, n))
    return convex_hull(pts)


def inside_convex(p: P2, poly: Sequence[P2], margin: float = 0.0) -> bool:
    """Whether p lies inside a counter-clockwise convex polygon grown by margin."""
    if len(poly) < 3:
        return False
    for i, a in enumerate(poly):
        b = poly[(i + 1) % len(poly)]
        ex, ey = b[0] - a[0], b[1] - a[1]
        length = math.hypot(ex, ey) or 1.0
        if (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / length < -margin:
            return False
    return True


def clip_to_box(poly: Sequence[P2], box: tuple[float, float, float, float]) -> list[P2]:
    """Sutherland-Hodgman: a convex polygon cut to an axis-aligned box (x0, y0, x1, y1)."""
    out = list(poly)
    for axis, bound, keep_above in ((0, box[0], True), (0, box[2], False),
                                    (1, box[1], True), (1, box[3], False)):
        src, out = out, []
        def inside(p: P2, axis: int = axis, bound: float = bound, keep_above: bool = keep_above) -> bool:
            return p[axis] >= bound if keep_above else p[axis] <= bound

        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur) != inside(prev):
                t = (bound - prev[axis]) / (cur[axis] - prev[axis])
                out.append((prev[0] + (cur[0] - prev[0]) * t, prev[1] + (cur[1] - prev[1]) * t))
            if inside(cur):
                out.append(cur)
    return out
