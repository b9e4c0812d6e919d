"""Golden pictures: every catalog pose, drawn as a card draws it, against a PNG kept in git.

An intended change to a pose or to the drawing engine is made visible by regenerating:

    make golden-poses        (or: .venv/bin/python tests/test_golden_poses.py)

then looking at the changed PNGs in ``git diff`` before committing them. An unintended
change fails here. The comparison allows small anti-aliasing differences (another
pdfium build, another platform): a pixel counts as changed when its grey level moves by
more than GREY_TOLERANCE, and the picture fails when more than CHANGED_SHARE of its
pixels change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden_poses"
# A compact card's picture (46 x 30 mm) with its line scale, at a resolution that keeps
# every pose under a few kilobytes yet shows a limb that moved.
WIDTH, HEIGHT, LINE_SCALE, DPI = 130.4, 85.0, 0.85, 110
GREY_TOLERANCE = 40
CHANGED_SHARE = 0.004


def _exercises() -> list[tuple[str, list[Path]]]:
    """Each catalog exercise with its drawn poses, in card order."""
    out = []
    for entry in sorted((ROOT / "catalog" / "exercises").glob("*.json")):
        doc = json.loads(entry.read_text(encoding="utf-8"))
        poses = [ROOT / "catalog" / i["src"] for i in doc.get("illustrations", []) if i["src"].endswith(".pose.json")]
        if poses:
            out.append((doc["id"], poses))
    return out


def render(poses: list[Path]) -> list[Image.Image]:
    """The exercise's poses drawn together (one scale, arrows from one to the next), greyscale."""
    sys.path.insert(0, str(ROOT / "src"))
    from routinepress.illustrate import PoseStyle, draw_poses, load_pose
    from routinepress.illustrate.preview import drawing_to_image

    drawings = draw_poses([load_pose(p) for p in poses], WIDTH, HEIGHT, style=PoseStyle(line_scale=LINE_SCALE))
    return [drawing_to_image(d, DPI) for d in drawings]


def _golden_name(pose: Path) -> str:
    return pose.name.replace(".pose.json", ".png")


def changed_share(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels whose grey level differs by more than the tolerance (1.0 if sizes differ)."""
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    changed = sum(diff.point(lambda v: 255 if v > GREY_TOLERANCE else 0).histogram()[255:])
    return changed / (a.width * a.height)


CASES = [pytest.param(pose, images_of, id=pose.name.removesuffix(".pose.json"))
         for images_of, poses in _exercises() for pose in poses]


def test_every_catalog_pose_has_a_golden_picture():
    expected = {_golden_name(pose) for _, poses in _exercises() for pose in poses}
    assert expected == {p.name for p in GOLDEN.glob("*.png")}, "run `make golden-poses` and review the diff"


@pytest.fixture(scope="module")
def drawn() -> dict[str, Image.Image]:
    out = {}
    for _, poses in _exercises():
        out.update({_golden_name(p): image for p, image in zip(poses, render(poses))})
    return out


@pytest.mark.parametrize("pose, exercise", CASES)
def test_pose_matches_its_golden_picture(pose, exercise, drawn, tmp_path):
    name = _golden_name(pose)
    with Image.open(GOLDEN / name) as golden:
        share = changed_share(drawn[name], golden)
    if share > CHANGED_SHARE:
        drawn[name].save(tmp_path / name)
        pytest.fail(f"{name} ({exercise}) changed in {share:.1%} of its pixels; now drawn as {tmp_path / name}. "
                    "If intended, run `make golden-poses` and review the PNGs in git diff.")


def test_the_comparison_sees_a_moved_limb():
    """The tolerance lets anti-aliasing through but not a real change: a knee bent 20 degrees more."""
    sys.path.insert(0, str(ROOT / "src"))
    from routinepress.illustrate import PoseStyle, draw_poses, pose_from_data
    from routinepress.illustrate.preview import drawing_to_image

    data = json.loads((ROOT / "catalog/illustrations/bridge-start.pose.json").read_text(encoding="utf-8"))
    bent = json.loads(json.dumps(data))
    bent["joints"]["right_knee"]["flexion"] += 20
    a, b = (drawing_to_image(draw_poses([pose_from_data(d)], WIDTH, HEIGHT, style=PoseStyle(line_scale=LINE_SCALE))[0],
                             DPI) for d in (data, bent))
    assert changed_share(a, a.copy()) == 0.0
    assert changed_share(a, b) > 3 * CHANGED_SHARE


def regenerate() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.png"):
        old.unlink()
    count = 0
    for _, poses in _exercises():
        for pose, image in zip(poses, render(poses)):
            image.save(GOLDEN / _golden_name(pose), format="PNG", optimize=True)
            count += 1
    print(f"wrote {count} golden pictures to {GOLDEN.relative_to(ROOT)}/; review them with git diff")


if __name__ == "__main__":
    regenerate()
