"""A small 3D skeleton: proportions, forward kinematics, placement, grounding, reach.

Units are standing heights (H = 1). Segment lengths follow Drillis and Contini as
tabulated by Winter; limb radii are a little generous so the figure reads as a body
at card size. The body frame is x = the patient's right, y = anterior, z = superior
(right-handed), origin midway between the hip joints. World: X, Y horizontal, Z up,
floor at Z = 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import geometry as g
from .geometry import Vec
from .pose import Pose

# Segment lengths (Winter) and joint placement, in standing heights.
HIP_HALF, SHOULDER_HALF, LUMBAR, SHOULDER_Z = 0.062, 0.112, 0.10, 0.29
THIGH, SHANK, ANKLE_H, FOOT = 0.245, 0.246, 0.039, 0.152
UPPER_ARM, FOREARM, HAND = 0.186, 0.146, 0.108
NECK_BASE: Vec = (0.0, -0.005, 0.285)
HEAD_UP, HEAD_R = 0.118, 0.068
# Radii at each end of a limb segment (tapered: thick near the trunk).
R_HIP, R_KNEE, R_ANKLE = 0.054, 0.038, 0.024
R_SHOULDER, R_ELBOW, R_WRIST, R_HAND = 0.038, 0.027, 0.019, 0.024
HAND_REACH = 0.05  # from the wrist to the middle of the palm: the point that holds
# Torso cross-sections: (in thorax frame?, height z, half-width, half-depth, depth offset).
TORSO_RINGS = ((False, -0.06, 0.085, 0.062, -0.022), (False, 0.0, 0.102, 0.074, -0.012),
               (False, 0.07, 0.094, 0.064, 0.0), (True, 0.13, 0.088, 0.06, 0.002),
               (True, 0.2, 0.112, 0.074, 0.012), (True, 0.255, 0.122, 0.066, 0.0),
               (True, 0.30, 0.085, 0.05, -0.01))
# Points of a right foot in the ankle's frame (x lateral, y toward the toes): the
# foot is drawn as the hull of spheres at heel, ankle and the two sides of the toes.
FOOT_POINTS: dict[str, Vec] = {
    "heel": (0.0, -0.032, -ANKLE_H + 0.006), "toes": (0.0, FOOT - 0.04, -ANKLE_H + 0.013),
    "toe_in": (-0.018, FOOT - 0.052, -ANKLE_H + 0.016),
    "toe_out": (0.022, FOOT - 0.062, -ANKLE_H + 0.016), "sole": (0.0, 0.03, -ANKLE_H)}
RING_N = 16  # samples per torso ring
# Heights of the top of each prop that a body point can rest on.
PROP_TOP = {"pillow": 0.045, "towel": 0.032, "step": 0.12, "bench": 0.26, "chair": 0.27}


@dataclass
class Limb:
    """One arm or leg in world coordinates: root, middle and end joints plus the
    points of the hand or foot, which move rigidly with the last segment."""

    side: str
    kind: str  # "leg" or "arm"
    root: Vec
    mid: Vec
    end: Vec
    extras: dict[str, Vec]


@dataclass
class Body:
    limbs: dict[str, Limb]
    torso: list[tuple[bool, Vec]]  # ring samples (whether chest, point)
    neck: Vec
    head: Vec
    nose: Vec
    pelvis: Vec
    shoulders: Vec
    axes: tuple[Vec, Vec, Vec]  # world directions of the pelvis' right, anterior, superior
    chest_axes: tuple[Vec, Vec, Vec] = field(default=((1, 0, 0), (0, 1, 0), (0, 0, 1)))

    def mapped(self, f: Callable[[Vec], Vec], rot: Callable[[Vec], Vec]) -> Body:
        """Apply a rigid motion: f to points, rot to directions."""
        limbs = {k: replace(v, root=f(v.root), mid=f(v.mid), end=f(v.end),
                            extras={n: f(p) for n, p in v.extras.items()})
                 for k, v in self.limbs.items()}
        return Body(limbs, [(c, f(p)) for c, p in self.torso], f(self.neck), f(self.head),
                    f(self.nose), f(self.pelvis), f(self.shoulders),
                    tuple(rot(a) for a in self.axes),  # type: ignore[arg-type]
                    tuple(rot(a) for a in self.chest_axes))  # type: ignore[arg-type]

    def point(self, name: str) -> Vec:
        """A named body point (see pose.BODY_POINTS)."""
        if name == "head":
            return self.head
        if name == "shoulders":
            return self.shoulders
        if name == "pelvis":
            return self.pelvis
        side, part = name.split("_", 1)
        leg, arm = self.limbs[f"{side}_leg"], self.limbs[f"{side}_arm"]
        table = {"hip": leg.root, "knee": leg.mid, "ankle": leg.end, "thigh": g.lerp(leg.root, leg.mid, 0.55),
                 "shin": g.lerp(leg.mid, leg.end, 0.5), "foot": leg.extras["sole"],
                 "heel": leg.extras["heel"], "toes": leg.extras["toes"], "shoulder": arm.root,
                 "elbow": arm.mid, "hand": arm.extras["palm"]}
        return table[part]

    def surface_below(self, name: str) -> float:
        """World height of the lowest surface of a body point (where it touches)."""
        if name == "shoulders":  # the chest and shoulder rings
            return min(p[2] for _, p in self.torso[4 * RING_N:6 * RING_N])
        if name == "pelvis":  # the two lowest pelvic rings
            return min(p[2] for _, p in self.torso[:2 * RING_N])
        if name == "head":
            return self.head[2] - HEAD_R
        part = name.split("_", 1)[1]
        if part == "foot":  # the sole, once the foot is set flat under the ankle
            return self.limbs[f"{name.split('_')[0]}_leg"].end[2] - ANKLE_H
        radius = {"knee": R_KNEE, "hand": R_HAND, "elbow": R_ELBOW, "heel": 0.02, "toes": 0.015,
                  "ankle": R_ANKLE, "hip": R_HIP, "thigh": 0.045, "shin": 0.03,
                  "shoulder": R_SHOULDER}[part]
        return self.point(name)[2] - radius


def signed_angles(pose: Pose) -> dict[str, float]:
    """Clinical angles folded into one signed number per axis (e.g. hip flex = flexion - extension)."""
    out: dict[str, float] = {}
    for side in ("left", "right"):
        for j in ("hip", "shoulder"):
            n = f"{side}_{j}"
            out[f"{n}.flex"] = pose.angle(n, "flexion") - pose.angle(n, "extension")
            out[f"{n}.abd"] = pose.angle(n, "abduction") - pose.angle(n, "adduction")
            out[f"{n}.rot"] = pose.angle(n, "external_rotation") - pose.angle(n, "internal_rotation")
        out[f"{side}_knee.flex"] = pose.angle(f"{side}_knee", "flexion")
        out[f"{side}_elbow.flex"] = pose.angle(f"{side}_elbow", "flexion")
        out[f"{side}_ankle.flex"] = (pose.angle(f"{side}_ankle", "dorsiflexion")
                                     - pose.angle(f"{side}_ankle", "plantarflexion"))
    for j in ("trunk", "neck"):
        out[f"{j}.flex"] = pose.angle(j, "flexion") - pose.angle(j, "extension")
        out[f"{j}.side"] = pose.angle(j, "side_bend_right") - pose.angle(j, "side_bend_left")
        out[f"{j}.rot"] = pose.angle(j, "rotation_right") - pose.angle(j, "rotation_left")
    return out


def _limb_chain(a: dict[str, float], side: str, kind: str) -> tuple[Vec, Vec, Vec, dict[str, Vec]]:
    """Forward kinematics of one limb in its parent's frame, computed as a right limb
    and reflected for the left: abduction and rotation then mirror correctly."""
    j1, j2 = ("hip", "knee") if kind == "leg" else ("shoulder", "elbow")
    # Root rotation: flexion about the lateral axis (limb swings forward), abduction
    # outward, then rotation about the limb's own long axis (external: front turns out).
    r1 = g.mat_mul(g.mat_mul(g.rot_x(a[f"{side}_{j1}.flex"]), g.rot_y(-a[f"{side}_{j1}.abd"])),
                   g.rot_z(-a[f"{side}_{j1}.rot"]))
    if kind == "leg":
        root: Vec = (HIP_HALF, 0.0, 0.0)
        mid = g.add(root, g.mat_vec(r1, (0.0, 0.0, -THIGH)))
        r2 = g.mat_mul(r1, g.rot_x(-a[f"{side}_knee.flex"]))  # knee bends the shin backward
        end = g.add(mid, g.mat_vec(r2, (0.0, 0.0, -SHANK)))
        r3 = g.mat_mul(r2, g.rot_x(a[f"{side}_ankle.flex"]))  # dorsiflexion lifts the toes
        extras = {k: g.add(end, g.mat_vec(r3, v)) for k, v in FOOT_POINTS.items()}
    else:
        root = (SHOULDER_HALF, NECK_BASE[1], SHOULDER_Z)
        mid = g.add(root, g.mat_vec(r1, (0.0, 0.0, -UPPER_ARM)))
        r2 = g.mat_mul(r1, g.rot_x(a[f"{side}_elbow.flex"]))  # elbow bends the forearm forward
        end = g.add(mid, g.mat_vec(r2, (0.0, 0.0, -FOREARM)))
        extras = {"palm": g.add(end, g.mat_vec(r2, (0.0, 0.004, -HAND_REACH)))}
    if side == "left":
        def flip(p: Vec) -> Vec:
            return (-p[0], p[1], p[2])
        return flip(root), flip(mid), flip(end), {k: flip(v) for k, v in extras.items()}
    return root, mid, end, extras


def _local_body(a: dict[str, float]) -> Body:
    """The whole body in its own frame (pelvis at the origin)."""
    pivot: Vec = (0.0, 0.0, LUMBAR)
    # Trunk: flexion tips the chest forward (+z toward +y), side bend right toward +x,
    # rotation right turns the front toward +x.
    r_trunk = g.mat_mul(g.mat_mul(g.rot_z(-a["trunk.rot"]), g.rot_y(a["trunk.side"])),
                        g.rot_x(-a["trunk.flex"]))

    def chest(p: Vec) -> Vec:
        return g.rotate_about(p, pivot, r_trunk)

    torso: list[tuple[bool, Vec]] = []
    for in_chest, z, hw, hd, yc in TORSO_RINGS:
        for i in range(RING_N):
            ang = 2 * math.pi * i / RING_N
            p = (hw * math.cos(ang), yc + hd * math.sin(ang), z)
            torso.append((in_chest, chest(p) if in_chest else p))
    r_neck = g.mat_mul(g.mat_mul(g.rot_z(-a["neck.rot"]), g.rot_y(a["neck.side"])),
                       g.rot_x(-a["neck.flex"]))
    head_local = g.add(NECK_BASE, g.mat_vec(r_neck, (0.0, 0.012, HEAD_UP)))
    nose_local = g.add(head_local, g.mat_vec(r_neck, (0.0, HEAD_R * 0.92, -0.012)))
    limbs = {}
    for side in ("left", "right"):
        root, mid, end, ex = _limb_chain(a, side, "leg")
        limbs[f"{side}_leg"] = Limb(side, "leg", root, mid, end, ex)
        root, mid, end, ex = _limb_chain(a, side, "arm")
        limbs[f"{side}_arm"] = Limb(side, "arm", chest(root), chest(mid), chest(end),
                                    {k: chest(v) for k, v in ex.items()})
    chest_axes = tuple(g.mat_vec(r_trunk, v) for v in ((1, 0, 0), (0, 1, 0), (0, 0, 1)))
    return Body(limbs, torso, chest(NECK_BASE), chest(head_local), chest(nose_local),
                (0.0, 0.0, 0.0), chest((0.0, 0.0, SHOULDER_Z)),
                ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)), chest_axes)  # type: ignore[arg-type]


def position_matrix(pose: Pose) -> g.Mat:
    """Body frame -> world for the position: columns are the world images of the
    patient's right, anterior and superior directions."""
    X, Y, Z = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)
    neg = lambda v: g.mul(v, -1.0)  # noqa: E731
    pos = pose.position
    if pos in ("supine",):
        return g.from_columns(Y, Z, X)
    if pos in ("prone", "quadruped"):
        return g.from_columns(neg(Y), neg(Z), X)
    if pos == "side-lying":
        return g.from_columns(Z, neg(Y), X) if pose.down_side == "left" else g.from_columns(neg(Z), Y, X)
    return g.from_columns(neg(Y), X, Z)  # upright positions face +X


def _tilt_to_supports(body: Body, pose: Pose, heights: dict[str, float]) -> Body:
    """Rigidly move the body so its first support rests at its height and the second
    too, by pitching about the body's own side-to-side axis (never rolling it), then
    put the first support at the world origin so it stays put between poses."""
    sup = list(pose.support)
    if len(sup) >= 2:
        right, ant, _ = body.axes
        axis = right if abs(right[2]) < 0.7 else ant  # side-lying pitches about front-back
        axis = g.unit((axis[0], axis[1], 0.0))

        def tilted(rad: float) -> Body:
            m = g.rot_axis(axis, rad)
            c = body.point(sup[0])
            return body.mapped(lambda p: g.rotate_about(p, c, m), lambda v: g.mat_vec(m, v))

        def error(b: Body) -> float:
            return (b.surface_below(sup[1]) - b.surface_below(sup[0])
                    - (heights[sup[1]] - heights[sup[0]]))

        rad, err = 0.0, error(body)
        for _ in range(20):  # Newton steps with a numeric slope; a few suffice
            if abs(err) < 1e-7:
                break
            slope = (error(tilted(rad + 1e-4)) - err) / 1e-4
            if abs(slope) < 1e-9:
                break
            rad = max(-1.2, min(1.2, rad - err / slope))
            err = error(tilted(rad))
        body = tilted(rad)
    if sup:
        anchor = body.point(sup[0])
        shift = (-anchor[0], -anchor[1], heights[sup[0]] - body.surface_below(sup[0]))
    else:
        low = min(lowest_points(body))
        shift = (-body.pelvis[0], -body.pelvis[1], -low)
    return body.mapped(lambda p: g.add(p, shift), lambda v: v)


def lowest_points(body: Body) -> list[float]:
    """Bottom heights of everything solid, for grounding a pose with no support."""
    out = [p[2] for _, p in body.torso] + [body.head[2] - HEAD_R]
    for limb in body.limbs.values():
        r_mid, r_end = (R_KNEE, R_ANKLE) if limb.kind == "leg" else (R_ELBOW, R_WRIST)
        out += [limb.mid[2] - r_mid, limb.end[2] - r_end]
        out += [p[2] - 0.012 for p in limb.extras.values()]
    return out


def _flatten_foot(limb: Limb, fallback: Vec) -> None:
    """Put a supporting foot's sole flat, pointing where the foot pointed (or fallback)."""
    fwd = g.sub(limb.extras["toes"], limb.extras["heel"])
    fwd = g.unit((fwd[0], fwd[1], 0.0)) if math.hypot(fwd[0], fwd[1]) > 0.03 else fallback
    lat = g.cross(fwd, (0.0, 0.0, 1.0))
    if limb.side == "left":
        lat = g.mul(lat, -1.0)
    for k, (x, y, z) in FOOT_POINTS.items():
        limb.extras[k] = g.add(limb.end, g.add(g.add(g.mul(lat, x), g.mul(fwd, y)), (0.0, 0.0, z)))


def _min_rotation(u: Vec, v: Vec) -> g.Mat:
    """The smallest rotation taking direction u to direction v."""
    u, v = g.unit(u), g.unit(v)
    axis = g.cross(u, v)
    c = max(-1.0, min(1.0, g.dot(u, v)))
    if g.norm(axis) < 1e-9:
        return g.IDENTITY
    return g.rot_axis(axis, math.acos(c))


def solve_reach(limb: Limb, target: Vec, fallback_pole: Vec) -> None:
    """Two-link IK: move the limb's effector (ankle or palm) onto target.

    The elbow or knee keeps bowing the way forward kinematics bent it (the bend
    plane is carried along by the smallest rotation of the root-to-effector line),
    so a rotation the author wrote still shows; a straight limb bows to fallback_pole.
    """
    eff_name = "palm" if limb.kind == "arm" else None
    eff = limb.extras["palm"] if eff_name else limb.end
    l1, l2 = g.norm(g.sub(limb.mid, limb.root)), g.norm(g.sub(eff, limb.mid))
    to_t = g.sub(target, limb.root)
    dist = max(abs(l1 - l2) + 1e-4, min(l1 + l2 - 1e-4, g.norm(to_t)))
    axis_old, axis = g.unit(g.sub(eff, limb.root)), g.unit(to_t)
    q = _min_rotation(axis_old, axis)
    bow = g.sub(limb.mid, limb.root)
    bow = g.mat_vec(q, g.sub(bow, g.mul(axis_old, g.dot(bow, axis_old))))
    bow = g.sub(bow, g.mul(axis, g.dot(bow, axis)))
    if g.norm(bow) < 0.05 * l1:  # (nearly) straight: no bend to keep
        bow = g.sub(fallback_pole, g.mul(axis, g.dot(fallback_pole, axis)))
    bow = g.unit(bow)
    cos_a = (l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist)
    ang = math.acos(max(-1.0, min(1.0, cos_a)))
    new_mid = g.add(limb.root, g.mul(g.add(g.mul(axis, math.cos(ang)), g.mul(bow, math.sin(ang))), l1))
    new_eff = g.add(limb.root, g.mul(axis, dist))
    # Hand or foot and wrist ride along with the last segment.
    q2 = _min_rotation(g.sub(eff, limb.mid), g.sub(new_eff, new_mid))
    move = lambda p: g.add(new_mid, g.mat_vec(q2, g.sub(p, limb.mid)))  # noqa: E731
    limb.extras = {k: move(p) for k, p in limb.extras.items()}
    limb.end = move(limb.end)
    limb.mid = new_mid


# Which joint swings a limb so a further support rests: the segment the point is on.
_SWING_PIVOT = {"knee": ("leg", "root"), "thigh": ("leg", "root"), "shin": ("leg", "mid"),
                "ankle": ("leg", "mid"), "foot": ("leg", "mid"), "heel": ("leg", "mid"),
                "toes": ("leg", "mid"), "elbow": ("arm", "root"), "hand": ("arm", "mid")}


def _rest_on_support(body: Body, name: str, height: float) -> None:
    """Make a third (or later) support rest on its surface by swinging the segment it is
    on about its proximal joint (hip or shoulder for a knee, thigh or elbow; knee or
    elbow for the shin, ankle, foot, heel, toes or hand), in the vertical plane through
    that joint: the smallest swing that puts the point at its height. Points on the
    trunk, hips and shoulders cannot swing and are left as placed; a point that
    cannot reach is swung as low (or high) as it goes."""
    if "_" not in name:
        return
    side, part = name.split("_", 1)
    if part not in _SWING_PIVOT:
        return
    kind, joint = _SWING_PIVOT[part]
    limb = body.limbs[f"{side}_{kind}"]
    delta = height - body.surface_below(name)
    if abs(delta) < 1e-6:
        return
    pivot = limb.root if joint == "root" else limb.mid
    # A foot's surface is measured from the ankle (it is set flat afterwards).
    v = g.sub(limb.end if part == "foot" else body.point(name), pivot)
    a = math.hypot(v[0], v[1])
    if a < 1e-6:
        return  # hanging straight down or up: no swing changes its height
    h = (v[0] / a, v[1] / a, 0.0)
    r = math.hypot(a, v[2])
    z_new = max(-r, min(r, v[2] + delta))
    phi = math.atan2(z_new, math.sqrt(max(0.0, r * r - z_new * z_new))) - math.atan2(v[2], a)
    m = g.rot_axis(g.cross(h, (0.0, 0.0, 1.0)), phi)
    move = lambda p: g.rotate_about(p, pivot, m)  # noqa: E731
    if joint == "root":
        limb.mid = move(limb.mid)
    limb.end = move(limb.end)
    limb.extras = {k: move(p) for k, p in limb.extras.items()}


def blend_angles(a: dict[str, float], b: dict[str, float], t: float) -> dict[str, float]:
    return {k: a[k] + (b[k] - a[k]) * t for k in a}


def place_body(pose: Pose, angles: dict[str, float]) -> Body:
    """Forward kinematics, the position's orientation, then grounding on the supports."""
    m = position_matrix(pose)
    body = _local_body(angles).mapped(lambda p: g.mat_vec(m, p), lambda v: g.mat_vec(m, v))
    if pose.roll:
        # A sideways lean about the body's front-to-back axis (a pelvic drop or hike);
        # grounding only ever pitches, so this is the one way to tilt the pelvis sideways.
        r = g.rot_axis(body.axes[1], math.radians(pose.roll))
        centre = body.pelvis
        body = body.mapped(lambda p: g.rotate_about(p, centre, r), lambda v: g.mat_vec(r, v))
    heights = {s: 0.0 for s in pose.support}
    for prop in pose.props:
        if prop.under in heights:
            heights[prop.under] = PROP_TOP[prop.type]
    body = _tilt_to_supports(body, pose, heights)
    for name in pose.support[2:]:
        _rest_on_support(body, name, heights[name])
    for name in pose.support:
        if name.endswith("_foot"):
            _flatten_foot(body.limbs[name.replace("_foot", "_leg")], body.axes[1])
    return body
