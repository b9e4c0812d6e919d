"""A card's pictures: drawn poses as vector graphics, photos through the image cache."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ..catalog import Illustration
from .images import ImageCache, RasterImage
from .styles import Styles, esc


class PictureSource:
    """Per-build caches: each pose file parsed once, each photo decoded once."""

    def __init__(self, grayscale: bool = False):
        self.images = ImageCache(grayscale=grayscale)
        self._poses: dict[Path, object] = {}

    def pose(self, path: Path):
        from ..illustrate import load_pose

        if path not in self._poses:
            self._poses[path] = load_pose(path)
        return self._poses[path]

    def flowables(self, illustrations: tuple[Illustration, ...], width: float, height: float,
                  mirror: bool, line_scale: float) -> list[Flowable]:
        """One flowable per illustration, each within width x height points."""
        out: list[Flowable | None] = [None] * len(illustrations)
        pose_indexes = [i for i, ill in enumerate(illustrations) if ill.is_pose]
        if pose_indexes:
            from ..illustrate import PoseStyle, draw_poses

            # Poses of one exercise are drawn together: same scale, arrows from one to the next.
            poses = [self.pose(illustrations[i].path) for i in pose_indexes]
            drawings = draw_poses(poses, width, height, mirror=mirror, style=PoseStyle(line_scale=line_scale))
            for i, drawing in zip(pose_indexes, drawings):
                out[i] = drawing
        for i, ill in enumerate(illustrations):
            if not ill.is_pose:
                prepared = self.images.get(ill.path, width, height)
                w, h = _fit(prepared.aspect, width, height)
                out[i] = RasterImage(prepared, w, h)
        return [f for f in out if f is not None]


def _fit(aspect: float, width: float, height: float) -> tuple[float, float]:
    if width / height > aspect:
        return height * aspect, height
    return width, width / aspect


def picture_grid(pictures: list[Flowable], captions: list[str], styles: Styles, cell_width: float,
                 columns: int | None) -> Table:
    """Pictures with their captions underneath; `columns` None fits as many as the frame allows."""
    gap = styles.gap
    per_row = columns or max(1, int((styles.frame_width + gap) // (cell_width + gap)))
    rows: list[list[object]] = []
    for start in range(0, len(pictures), per_row):
        chunk = list(zip(pictures, captions))[start:start + per_row]
        rows.append([p for p, _ in chunk] + [""] * (per_row - len(chunk)))
        rows.append([Paragraph(esc(c), styles.caption) for _, c in chunk] + [""] * (per_row - len(chunk)))
    table = Table(rows, colWidths=[cell_width + gap] * per_row, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), gap / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table
