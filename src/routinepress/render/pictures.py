"""A card's pictures: drawn poses (replayed from drawings.py's recordings), photos through the
image cache, and the grid that sets them over their captions."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from reportlab.platypus import Flowable

from ..catalog import Illustration
from ..model import Picture
from .drawings import RecordedDrawing, draw_poses_recorded
from .styles import Paragraph, Styles, esc


class PictureSource:
    """Per-build caches: each photo decoded once; drawn poses shared by the whole process,
    and within a build looked up once per size (a card tries several arrangements, and the
    process-wide lookup reads each pose file's state from disk to notice an edit)."""

    def __init__(self, grayscale: bool = False):
        self.grayscale = grayscale
        self._poses: dict[tuple, list[RecordedDrawing]] = {}

    @functools.cached_property
    def images(self):
        """The photo cache; Pillow is imported only for handouts that have photos."""
        from .images import ImageCache

        return ImageCache(grayscale=self.grayscale)

    def flowables(self, illustrations: Sequence[Picture | Illustration], width: float, height: float,
                  mirror: bool, line_scale: float) -> list[Flowable]:
        """One flowable per illustration, each within width x height points."""
        out: list[Flowable | None] = [None] * len(illustrations)
        pose_indexes = [i for i, ill in enumerate(illustrations) if ill.is_pose]
        if pose_indexes:
            # Poses of one exercise are drawn together: same scale, arrows from one to the next.
            key = (tuple(str(illustrations[i].path) for i in pose_indexes), width, height, mirror, line_scale)
            if key not in self._poses:
                paths = [illustrations[i].path for i in pose_indexes]
                self._poses[key] = draw_poses_recorded(paths, width, height, mirror, line_scale)
            for i, drawn in zip(pose_indexes, self._poses[key]):
                # a flowable of its own for each use (reportlab attaches the canvas to it)
                out[i] = RecordedDrawing(drawn.width, drawn.height, drawn.operators)
        for i, ill in enumerate(illustrations):
            if not ill.is_pose:
                from .images import RasterImage

                prepared = self.images.get(ill.path, width, height)
                w, h = _fit(prepared.aspect, width, height)
                out[i] = RasterImage(prepared, w, h)
        return [f for f in out if f is not None]


def _fit(aspect: float, width: float, height: float) -> tuple[float, float]:
    if width / height > aspect:
        return height * aspect, height
    return width, width / aspect


def picture_grid(pictures: list[Flowable], captions: list[str], styles: Styles, cell_width: float,
                 columns: int | None) -> PictureGrid:
    """Pictures with their captions underneath; `columns` None fits as many as the frame allows."""
    gap = styles.gap
    per_row = columns or max(1, int((styles.frame_width + gap) // (cell_width + gap)))
    cells = [(picture, Paragraph(esc(caption), styles.caption)) for picture, caption in zip(pictures, captions)]
    return PictureGrid([cells[i:i + per_row] for i in range(0, len(cells), per_row)], per_row, cell_width + gap, gap)


class PictureGrid(Flowable):
    """Rows of pictures, each centred in its cell over its caption: drawn flat, where a table
    of flowables would lay out and draw every cell on its own. Centred in a frame."""

    PAD = 1.0  # above and below each picture and caption

    def __init__(self, rows: list[list[tuple[Flowable, Flowable]]], per_row: int, cell: float, gap: float):
        super().__init__()
        self.rows, self.cell, self.gap = rows, cell, gap
        self.width = per_row * cell
        self.hAlign = "CENTER"
        self._bands: list[tuple[float, float]] | None = None  # per row: (pictures' band, captions' band)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._bands is None:
            inner = self.cell - self.gap
            self._bands = [(max(p.wrap(inner, 1e6)[1] for p, _ in row) + 2 * self.PAD,
                            max(c.wrap(inner, 1e6)[1] for _, c in row) + 2 * self.PAD) for row in self.rows]
        self.height = sum(a + b for a, b in self._bands)
        return self.width, self.height

    def draw(self) -> None:
        self.wrap(self.width, self.height)
        assert self._bands is not None
        inner, top = self.cell - self.gap, self.height
        for row, (pictures_band, captions_band) in zip(self.rows, self._bands):
            for column, (picture, caption) in enumerate(row):
                left = column * self.cell + self.gap / 2
                width, _ = picture.wrap(inner, 1e6)
                picture.drawOn(self.canv, left + (inner - width) / 2, top - pictures_band + self.PAD)
                caption.wrap(inner, 1e6)
                caption.drawOn(self.canv, left, top - pictures_band - captions_band + self.PAD)
            top -= pictures_band + captions_band
