"""PNG previews of pose drawings, and a small command for pose authors.

    python -m routinepress.illustrate.preview catalog/illustrations/bridge-*.pose.json -o /tmp/poses

renders each exercise's poses (start, any middle ones, end) side by side with their
motion arrow into DIR/<exercise-id>.png, at card size, so an author can look.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing

from routinepress.errors import InputError

from .draw import PoseStyle, draw_poses
from .pose import load_pose


def drawing_to_image(drawing: Drawing, dpi: int = 150) -> Image.Image:
    """Rasterise through a one-page PDF (renderPM would need pycairo); greyscale."""
    pdf = pdfium.PdfDocument(renderPDF.drawToString(drawing))
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        pdf.close()


def pose_to_png(drawing: Drawing, path: Path, *, dpi: int = 150) -> None:
    drawing_to_image(drawing, dpi).save(Path(path), format="PNG", optimize=False)


def _stage_order(path: Path) -> tuple[str, int, str]:
    """Group by exercise id; start first, end last, anything else between."""
    m = re.match(r"(.+)-([a-z0-9]+)\.pose\.json$", path.name)
    exercise, stage = (m.group(1), m.group(2)) if m else (path.name, "")
    return exercise, {"start": 0, "end": 2}.get(stage, 1), stage


def render_files(files: Sequence[Path], out_dir: Path, *, width: float = 200, height: float = 130,
                 dpi: int = 150, mirror: bool = False, line_scale: float = 1.0) -> list[Path]:
    groups: dict[str, list[Path]] = {}
    for f in sorted(files, key=_stage_order):
        groups.setdefault(_stage_order(f)[0], []).append(f)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise, paths in groups.items():
        poses = [load_pose(p) for p in paths]
        images = [drawing_to_image(d, dpi) for d in draw_poses(
            poses, width, height, mirror=mirror, style=PoseStyle(line_scale=line_scale))]
        gap = max(2, dpi // 20)
        sheet = Image.new("L", (sum(i.width for i in images) + gap * (len(images) - 1),
                                max(i.height for i in images)), 160)
        x = 0
        for img in images:
            sheet.paste(img, (x, 0))
            x += img.width + gap
        target = out_dir / f"{exercise}{'-mirrored' if mirror else ''}.png"
        sheet.save(target, format="PNG")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routinepress.illustrate.preview",
                                     description="Render pose files to PNG previews.")
    parser.add_argument("files", nargs="+", type=Path, help="*.pose.json files")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("--size", default="200x130", help="points per picture, WxH")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--mirror", action="store_true", help="draw the other side")
    parser.add_argument("--line-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (float(v) for v in args.size.lower().split("x"))
    try:
        for path in render_files(args.files, args.out, width=width, height=height, dpi=args.dpi,
                                 mirror=args.mirror, line_scale=args.line_scale):
            print(path)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
