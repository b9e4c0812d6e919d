"""Project scenes and draw them as reportlab Drawings (no text, so no fonts).

Everything is a filled convex outline: a limb segment is the hull of the circles
its two end spheres project to (orthographic projection keeps a sphere a circle
of the same radius), so limbs taper and have round ends in every view. Pieces are
painted back to front; far-side limbs get lighter tones.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Polygon, PolyLine, Rect
from reportlab.lib.colors import Color

from . import geometry as g
from .arrows import Arrow, motion_arrow, trace
from .geometry import P2, Vec
from .pose import Pose
from .scene import Scene, build_scene
from .skeleton import HEAD_R, R_ANKLE, R_ELBOW, R_HAND, R_HIP, R_KNEE, R_SHOULDER, R_WRIST, RING_N, position_matrix

WAIST_MARGIN = 0.08  # frame "legs": the picture is cut this far (H) above the top of the pelvis
HEAD_LENGTH, HEAD_WIDTH = 3.4, 2.9  # an arrowhead's size, in widths of its shaft
ARROW_HEADS = 2.0  # an arrow is at least this many heads long: its shaft shows as long as its head


@dataclass(frozen=True)
class PoseStyle:
    """Line weights (points, times line_scale) and greys (0 black .. 1 white)."""

    line_scale: float = 1.0
    outline: float = 0.85
    arrow: float = 2.3
    ground: float = 1.2
    band: float = 1.8
    near_fill: float = 0.62
    torso_fill: float = 0.55
    far_fill: float = 0.84
    near_stroke: float = 0.0
    far_stroke: float = 0.42
    floor_fill: float = 0.9
    mat_fill: float = 0.74
    mat_fill_above: float = 0.93  # seen from above the mat is a floor patch: keep it quiet
    prop_fill: float = 0.88
    prop_stroke: float = 0.3
    padding: float = 0.05  # of the smaller side


@dataclass(frozen=True)
class Camera:
    right: Vec
    up: Vec
    depth: Vec

    def project(self, p: Vec) -> tuple[float, float, float]:
        return (g.dot(p, self.right), g.dot(p, self.up), g.dot(p, self.depth))


def camera_for(pose: Pose) -> Camera:
    """Horizontal camera facing the named body surface, raised by the elevation."""
    m = position_matrix(pose)
    right, ant, sup = (g.mat_vec(m, v) for v in ((1.0, 0, 0), (0, 1.0, 0), (0, 0, 1.0)))
    n = {"side": right if pose.near_side == "right" else g.mul(right, -1), "front": ant,
         "back": g.mul(ant, -1), "head": sup, "feet": g.mul(sup, -1)}[pose.view]
    d = g.mat_vec(g.rot_z(pose.turn), g.unit((-n[0], -n[1], 0.0)))
    z = (0.0, 0.0, 1.0)
    e = math.radians(pose.elevation)
    return Camera(g.cross(d, z), g.add(g.mul(d, math.sin(e)), g.mul(z, math.cos(e))),
                  g.sub(g.mul(d, math.cos(e)), g.mul(z, math.sin(e))))


@dataclass
class Piece:
    """One outline to paint. key sorts far (large) to near; style names its tones."""

    key: float
    outline: list[P2]
    style: str  # near, far, torso, mat, support, furniture, wall, band, cuff
    cut_at: float | None = None  # cut off along this height: that edge is not outlined


def _blob(cam: Camera, spheres, style: str, bias: float = 0.0) -> Piece:
    proj = [(cam.project(c), r) for c, r in spheres]
    outline = g.hull_of_circles([((p[0], p[1]), r) for p, r in proj])
    return Piece(sum(p[2] for p, _ in proj) / len(proj) + bias, outline, style)


def body_pieces(scene: Scene, cam: Camera, pelvis_block: bool = False) -> list[Piece]:
    """The body's outlines. With pelvis_block (a picture framed on the legs) the pelvis is
    also drawn as a block of its own over the tops of the thighs, so a tilt of the pelvis
    shows in a front view; in a side view the near thigh still covers it."""
    body = scene.body
    torso_depth = sum(cam.project(p)[2] for _, p in body.torso) / len(body.torso)
    pieces = [Piece(torso_depth, g.convex_hull(cam.project(p)[:2] for _, p in body.torso), "torso"),
              _blob(cam, [(body.neck, 0.034), (g.lerp(body.neck, body.head, 0.6), 0.034)],
                    "torso", -0.001),
              _blob(cam, [(body.head, HEAD_R), (body.nose, 0.018)], "torso", -0.002)]
    pieces[-1].key = min(pieces[-1].key, torso_depth - 0.002)
    pieces[-2].key = min(pieces[-2].key, torso_depth - 0.001)
    if pelvis_block:
        rings = [cam.project(p) for chest, p in body.torso[:3 * RING_N] if not chest]
        pieces.append(Piece(sum(p[2] for p in rings) / len(rings) - 0.02,
                            g.convex_hull(p[:2] for p in rings), "torso"))
    # The head always covers its own neck: seen from behind the head is the deeper of the
    # two, and painted first it would show the neck as a stripe down the back of the skull.
    pieces[-2].key = max(pieces[-2].key, pieces[-1].key + 0.0005)
    for name, limb in sorted(body.limbs.items()):
        # Far side: the limb's root (hip or shoulder) is clearly deeper than its
        # partner's on the other side. Head-to-foot depth does not count, so a
        # three-quarter view does not grey out a whole pair of legs.
        partner = body.limbs[name.replace(limb.side, "left" if limb.side == "right" else "right")]
        far = cam.project(limb.root)[2] > cam.project(partner.root)[2] + 0.04
        tone = "far" if far else "near"
        # Legs tuck just behind the pelvis, arms just in front of the chest, in a front view.
        bias = 0.004 if limb.kind == "leg" else -0.004
        if limb.kind == "leg":
            ex = limb.extras
            segs = [[(limb.root, R_HIP), (limb.mid, R_KNEE)], [(limb.mid, R_KNEE), (limb.end, R_ANKLE)],
                    [(limb.end, R_ANKLE), (ex["heel"], 0.021), (ex["toe_in"], 0.017),
                     (ex["toe_out"], 0.016), (ex["toes"], 0.017)]]
        else:
            segs = [[(limb.root, R_SHOULDER), (limb.mid, R_ELBOW)],
                    [(limb.mid, R_ELBOW), (limb.end, R_WRIST)],
                    [(limb.end, R_WRIST), (limb.extras["palm"], R_HAND)]]
        blobs = [_blob(cam, seg, tone, bias) for seg in segs]
        pieces += blobs
        for solid in scene.solids:
            if solid.attach == name:  # ankle weight: painted right over its shin
                cuff = _blob(cam, solid.spheres, "cuff")
                cuff.key = blobs[1].key - 0.0005
                pieces.append(cuff)
    return pieces


def prop_pieces(scene: Scene, cam: Camera) -> tuple[list[Piece], list[Piece]]:
    """Props painted before the body (under it) and after it (bands)."""
    under: list[Piece] = []
    over: list[Piece] = []
    for solid in scene.solids:
        if solid.attach:
            continue
        piece = _blob(cam, solid.spheres, solid.role)
        (over if solid.role == "band" else under).append(piece)
    order = {"wall": 0, "mat": 1, "support": 2, "furniture": 3}
    under.sort(key=lambda p: (order.get(p.style, 4), -p.key))
    return under, over


def _grey(v: float) -> Color:
    return Color(v, v, v)


def _tones(style: PoseStyle, kind: str) -> tuple[float | None, float, float]:
    """(fill, stroke grey, stroke width) for a piece style."""
    w = style.outline * style.line_scale
    return {
        "near": (style.near_fill, style.near_stroke, w),
        "torso": (style.torso_fill, style.near_stroke, w),
        "far": (style.far_fill, style.far_stroke, w * 0.85),
        "mat": (style.mat_fill, style.prop_stroke, w * 0.8),
        "support": (style.prop_fill, style.prop_stroke, w * 0.8),
        "furniture": (style.prop_fill - 0.1, style.prop_stroke - 0.1, w * 0.8),
        "wall": (style.floor_fill, style.prop_stroke, w * 0.8),
        "cuff": (0.2, 0.0, w),
        "band": (None, 0.12, style.band * style.line_scale),
    }[kind]


def waist_cut(scene: Scene, cam: Camera) -> float:
    """Where a picture framed on the legs is cut: a little above the top of the pelvis."""
    pelvis_rings = [p for chest, p in scene.body.torso[:3 * RING_N] if not chest]
    return max(cam.project(p)[1] for p in pelvis_rings) + WAIST_MARGIN


def _cut_below(pieces: list[Piece], cut: float) -> list[Piece]:
    """The parts of the pieces at or below the cut height; a cut piece remembers the cut."""
    out = []
    for piece in pieces:
        if max(p[1] for p in piece.outline) <= cut:
            out.append(piece)
            continue
        outline = g.clip_to_box(piece.outline, (-math.inf, -math.inf, math.inf, cut))
        if len(outline) >= 3:
            out.append(Piece(piece.key, outline, piece.style, cut))
    return out


def _open_outline(outline: list[P2], cut: float) -> list[P2]:
    """A cut piece's outline as an open line that leaves out the edge along the cut."""
    on = [abs(p[1] - cut) < 1e-9 for p in outline]
    for i in range(len(outline)):
        if on[i] and on[(i + 1) % len(outline)]:
            return outline[i + 1:] + outline[:i + 1]
    return [*outline, outline[0]]


@dataclass
class _Layout:
    scale: float
    dx: float
    dy: float

    def pt(self, p: P2) -> P2:
        return (self.dx + p[0] * self.scale, self.dy + p[1] * self.scale)


def draw_poses(poses: Sequence[Pose], width: float, height: float, *, mirror: bool = False,
               style: PoseStyle | None = None) -> list[Drawing]:
    """One Drawing per pose, all at one scale and ground line, arrows from the motion."""
    style = style or PoseStyle()
    poses = [p.mirrored() for p in poses] if mirror else list(poses)
    scenes = [build_scene(p) for p in poses]
    cams = [camera_for(p) for p in poses]
    legs = any(p.frame == "legs" for p in poses)
    parts = []
    for scene, cam in zip(scenes, cams):
        under, over = prop_pieces(scene, cam)
        parts.append((under, sorted(body_pieces(scene, cam, legs), key=lambda p: -p.key), over))
    bodies = [body for _, body, _ in parts]  # the arrows keep clear of the whole body, cut or not
    paths = [trace(poses[i - 1], poses[i], cams[i]) for i in range(1, len(poses))]
    # Framed on the legs: everything above the waist of the highest pose is cut away.
    cut = max(waist_cut(s, c) for s, c in zip(scenes, cams)) if legs else None
    if cut is not None:
        parts = [(_cut_below(u, cut), _cut_below(b, cut), _cut_below(o, cut)) for u, b, o in parts]
    # A level camera sees the floor edge-on: a ground line over a floor band. From
    # above, the mat (or nothing) shows the floor instead; the mat then does not
    # widen the frame (its corners would shrink the figure) but is cut to it.
    level = all(p.elevation == 0 for p in poses)
    # One frame for all: the union of everything drawn, floor at the bottom.
    xs, ys = [], []
    for under, body, over in parts:
        for piece in (*under, *body, *over):
            if piece.style == "mat" and not level:
                continue
            xs += [p[0] for p in piece.outline]
            ys += [p[1] for p in piece.outline]
    floor = [min(cam.project((0.0, 0.0, -0.022))[1] for cam in cams)]
    ys += floor
    pad = style.padding * min(width, height)
    floor_band = 0.06 * height if level else 0.0
    # An arrow is drawn in points (its width and head come from the template's line weight)
    # along a path in world units, so in a smaller picture the same path is shorter beside the
    # same head, and the head reaches further past the path's points. Each arrow is made long
    # enough for its head and a shaft as long, and the frame takes in the arrow as drawn, at
    # the scale the frame gives; that scale depends on both, so the frame is measured again
    # until it settles (a few rounds; the arrows are placed again only when they must grow).
    w = style.arrow * style.line_scale

    def placed(at_least: float) -> list[Arrow | None]:
        return [None] + [motion_arrow(poses[i - 1], poses[i], cams[i], bodies[i], style.line_scale, at_least,
                                      paths[i - 1]) for i in range(1, len(poses))]

    arrows, scale = placed(0.0), 0.0
    for rounds_left in range(5, -1, -1):
        ax, ay = _arrow_reach(arrows, w, style.line_scale, scale, pad)
        left, bottom, right, top = min(xs + ax), min(ys + ay), max(xs + ax), max(ys + ay)
        fitted = min((width - 2 * pad) / max(right - left, 1e-6),
                     (height - 2 * pad - floor_band) / max(top - bottom, 1e-6))
        settled, scale = abs(fitted - scale) <= 1e-3 * fitted, fitted
        need = ARROW_HEADS * HEAD_LENGTH * w / scale
        if rounds_left and any(a is not None and a.length < 0.98 * need for a in arrows):
            arrows = placed(1.05 * need)
        elif settled or not rounds_left:
            break
    layout = _Layout(scale, (width - (right - left) * scale) / 2 - left * scale, pad + floor_band - bottom * scale)
    if not level:
        m = 0.6 * pad / scale
        box = (left - m, bottom - m, right + m, top + m)
        parts = [([Piece(p.key, g.clip_to_box(p.outline, box), p.style) if p.style == "mat" else p
                   for p in under], body, over) for under, body, over in parts]
    out = []
    for (under, body, over), arrow in zip(parts, arrows):
        d = Drawing(width, height)
        ground = layout.pt((0.0, floor[0]))[1]
        if level:
            d.add(Rect(0, ground - floor_band, width, floor_band,
                       fillColor=_grey(style.floor_fill), strokeColor=None))
            d.add(PolyLine([0, ground, width, ground], strokeColor=_grey(0.2),
                           strokeWidth=style.ground * style.line_scale))
        for piece in (*under, *body, *over):
            if len(piece.outline) < 3:
                continue
            fill, stroke, w = _tones(style, piece.style)
            if piece.style == "mat" and not level:
                fill = style.mat_fill_above
            pts = [c for p in piece.outline for c in layout.pt(p)]
            if piece.cut_at is not None:
                if fill is not None:
                    d.add(Polygon(pts, fillColor=_grey(fill), strokeColor=None, strokeWidth=0))
                line = [c for p in _open_outline(piece.outline, piece.cut_at) for c in layout.pt(p)]
                d.add(PolyLine(line, strokeColor=_grey(stroke), strokeWidth=w, strokeLineJoin=1))
            elif fill is None:
                d.add(Polygon(pts, fillColor=None, strokeColor=_grey(stroke), strokeWidth=w,
                              strokeLineJoin=1))
            else:
                d.add(Polygon(pts, fillColor=_grey(fill), strokeColor=_grey(stroke),
                              strokeWidth=w, strokeLineJoin=1))
        if arrow:
            _draw_arrow(d, arrow, layout, style)
        out.append(d)
    return out


def _arrow_reach(arrows: Sequence[Arrow | None], w: float, line_scale: float, scale: float,
                 pad: float) -> tuple[list[float], list[float]]:
    """How far the arrows reach across and up, in world units, drawn at `scale` points to the
    unit: the shaft and the head as drawn with their outlines and white halo, less the
    picture's padding (an arrow may use the padding; the body keeps clear of it)."""
    xs: list[float] = []
    ys: list[float] = []
    for arrow in arrows:
        if arrow is None:
            continue
        if scale <= 0:  # no scale yet: the path alone
            xs += [p[0] for p in arrow.path]
            ys += [p[1] for p in arrow.path]
            continue
        shaft, head = _arrow_shape([(x * scale, y * scale) for x, y in arrow.path], w)
        for points, r in ((shaft, w / 2 + 1.2 * line_scale), (head, max(w / 4, 1.2 * line_scale))):
            r = max(0.0, r - pad)
            for x, y in points:
                xs += [(x - r) / scale, (x + r) / scale]
                ys += [(y - r) / scale, (y + r) / scale]
    return xs, ys


def _point_at(pts: list[P2], run: list[float], s: float) -> P2:
    """The point at arc length s along a polyline (run: the arc length at each vertex)."""
    s = max(0.0, min(run[-1], s))
    k = max(1, bisect.bisect_left(run, s))
    seg = run[k] - run[k - 1]
    t = (s - run[k - 1]) / seg if seg > 0 else 0.0
    return (pts[k - 1][0] + (pts[k][0] - pts[k - 1][0]) * t, pts[k - 1][1] + (pts[k][1] - pts[k - 1][1]) * t)


def _arrow_shape(pts: list[P2], w: float) -> tuple[list[P2], list[P2]]:
    """A path in points drawn as an arrow of shaft width w: the shaft's points and the head's
    corners (tip first).

    The head goes straight on from where the shaft meets it, along the way the shaft runs
    there, so it sits square on the shaft however much the path curves under its length
    (aimed along the chord to the path's end instead, a head covering a bend of the path
    sits askew on its shaft, like a mouse pointer)."""
    head_len, head_w = HEAD_LENGTH * w, HEAD_WIDTH * w
    run = [0.0]
    for a, b in zip(pts, pts[1:]):
        run.append(run[-1] + math.dist(a, b))
    at = max(0.0, run[-1] - head_len)
    base = _point_at(pts, run, at)
    # The way the shaft runs into the base: over its last shaft's width (or the path's start).
    a, b = _point_at(pts, run, at - w), base
    if math.dist(a, b) < 0.25 * w:
        a, b = pts[0], _point_at(pts, run, w)
    n = math.dist(a, b) or 1.0
    ux, uy = (b[0] - a[0]) / n, (b[1] - a[1]) / n
    tip = (base[0] + ux * head_len, base[1] + uy * head_len)
    shaft = [p for p, s in zip(pts, run) if s < at] + [base, (base[0] + ux * w * 0.8, base[1] + uy * w * 0.8)]
    head = [tip, (base[0] - uy * head_w / 2, base[1] + ux * head_w / 2),
            (base[0] + uy * head_w / 2, base[1] - ux * head_w / 2)]
    return shaft, head


def _draw_arrow(d: Drawing, arrow: Arrow, layout: _Layout, style: PoseStyle) -> None:
    """A thick curved shaft with a filled head (_arrow_shape), on a white halo so it shows over the body."""
    w = style.arrow * style.line_scale
    shaft, head = _arrow_shape([layout.pt(p) for p in arrow.path], w)
    flat = [c for p in shaft for c in p]
    white = Color(1, 1, 1)
    d.add(PolyLine(flat, strokeColor=white, strokeWidth=w + 2.4 * style.line_scale,
                   strokeLineCap=1, strokeLineJoin=1))
    corners = [c for p in head for c in p]
    d.add(Polygon(corners, fillColor=white, strokeColor=white, strokeWidth=2.4 * style.line_scale,
                  strokeLineJoin=1))
    d.add(PolyLine(flat, strokeColor=_grey(0.0), strokeWidth=w, strokeLineCap=1, strokeLineJoin=1))
    d.add(Polygon(corners, fillColor=_grey(0.0), strokeColor=_grey(0.0), strokeWidth=0.5 * w,
                  strokeLineJoin=1))
