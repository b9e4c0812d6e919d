"""Motion arrows keep their shape at every picture size the templates print.

An arrowhead is sized in points (the template's line weight) and the motion it shows in
the figure's own units, so a card's pictures shrunk to fit a page give the same head a
shorter path. The drawn arrow is read back from the drawing: its head must sit square on
the shaft where the shaft meets it (it was aimed along the chord of a bend in the path and
sat askew, like a mouse pointer, or had no shaft at all) and stay inside the picture.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Polygon, PolyLine
from reportlab.lib.units import mm

from routinepress.illustrate import PoseStyle, draw_poses, load_pose
from routinepress.render.cards import FALLBACK_SCALES, MIN_PICTURE_MM

ROOT = Path(__file__).resolve().parents[1]


def smallest_picture(template: str) -> tuple[float, float, float]:
    """Width and height (points) of the template's smallest card picture, and its line scale."""
    card = json.loads((ROOT / "templates" / f"{template}.json").read_text(encoding="utf-8"))["card"]
    width_mm = card["illustration_width_mm"]
    scale = min([1.0, *(s for s in FALLBACK_SCALES if width_mm * s >= MIN_PICTURE_MM)])
    return width_mm * mm * scale, card["illustration_height_mm"] * mm * scale, card["line_scale"]


def moving_exercises() -> list[tuple[str, list[Path]]]:
    out = []
    for entry in sorted((ROOT / "catalog" / "exercises").glob("*.json")):
        doc = json.loads(entry.read_text(encoding="utf-8"))
        poses = [ROOT / "catalog" / i["src"] for i in doc.get("illustrations", []) if i["src"].endswith(".pose.json")]
        if len(poses) >= 2:
            out.append((doc["id"], poses))
    return out


def drawn_arrow(drawing, shaft_width: float) -> tuple[list, list] | None:
    """The black shaft's points and the black head's three corners (tip first), if drawn."""
    shafts = [s for s in drawing.contents if isinstance(s, PolyLine) and s.strokeLineCap == 1
              and s.strokeColor.red == 0 and abs(s.strokeWidth - shaft_width) < 1e-9]
    heads = [s for s in drawing.contents if isinstance(s, Polygon) and s.fillColor is not None
             and s.fillColor.red == 0 and abs(s.strokeWidth - 0.5 * shaft_width) < 1e-9]
    if not shafts:
        return None
    assert len(shafts) == 1 and len(heads) == 1
    pairs = lambda flat: list(zip(flat[::2], flat[1::2]))  # noqa: E731
    return pairs(shafts[0].points), pairs(heads[0].points)


def head_on_shaft(shaft: list, head: list, shaft_width: float) -> tuple[float, float, float]:
    """(angle in degrees between the head's axis and the shaft's direction where it enters the
    head, length of shaft outside the head, difference of the head's two side lengths)."""
    tip, left, right = head
    base = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
    axis = math.atan2(tip[1] - base[1], tip[0] - base[0])
    ux, uy = math.cos(axis), math.sin(axis)
    outside = [p for p in shaft if (p[0] - base[0]) * ux + (p[1] - base[1]) * uy < -1e-6]
    if not outside:
        return 180.0, 0.0, 0.0
    run = [*outside, base]
    length = sum(math.dist(a, b) for a, b in zip(run, run[1:]))
    # The shaft's direction over its last width before the head.
    back, k = 0.0, len(run) - 1
    while k > 0 and back + math.dist(run[k - 1], run[k]) < shaft_width:
        back += math.dist(run[k - 1], run[k])
        k -= 1
    a, b = run[k - 1] if k > 0 else run[0], run[k]
    t = min(1.0, (shaft_width - back) / (math.dist(a, b) or 1.0))
    start = (b[0] + (a[0] - b[0]) * t, b[1] + (a[1] - b[1]) * t)
    into = math.atan2(base[1] - start[1], base[0] - start[0])
    angle = abs((math.degrees(axis - into) + 180) % 360 - 180)
    return angle, length, math.dist(tip, left) - math.dist(tip, right)


@pytest.mark.parametrize("template", ["compact", "standard", "large-print"])
def test_every_arrowhead_sits_square_on_a_shaft_in_the_smallest_pictures(template):
    width, height, line_scale = smallest_picture(template)
    style = PoseStyle(line_scale=line_scale)
    shaft_width = style.arrow * line_scale
    seen = 0
    for exercise, paths in moving_exercises():
        for drawing in draw_poses([load_pose(p) for p in paths], width, height, style=style)[1:]:
            arrow = drawn_arrow(drawing, shaft_width)
            if arrow is None:
                continue
            seen += 1
            shaft, head = arrow
            angle, shaft_length, sides = head_on_shaft(shaft, head, shaft_width)
            head_length = math.dist(head[0], ((head[1][0] + head[2][0]) / 2, (head[1][1] + head[2][1]) / 2))
            assert angle < 3, f"{exercise} ({template}): the head turns {angle:.1f} degrees off its shaft"
            assert abs(sides) < 1e-6, f"{exercise} ({template}): the head's sides differ by {sides:.3f} pt"
            assert shaft_length > 0.9 * head_length, (
                f"{exercise} ({template}): {shaft_length:.1f} pt of shaft behind a {head_length:.1f} pt head")
            for x, y in head:
                assert -0.5 <= x <= width + 0.5 and -0.5 <= y <= height + 0.5, f"{exercise}: the head leaves the frame"
    assert seen >= 20, "most catalog exercises draw an arrow"
