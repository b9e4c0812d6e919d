"""Images for the browser: catalog thumbnails and page previews, both PNG via pypdfium2."""

from __future__ import annotations

import base64
import io
import tempfile
import threading
from pathlib import Path

from ..catalog import Exercise

THUMB_WIDTH = 240  # pixels: sharp at the editor's 120 CSS pixels on a high-density screen
MAX_PREVIEW_PAGES = 40  # a preview shows the first pages only; the PDF has them all
_lock = threading.Lock()


def thumbnails(exercise: Exercise) -> list[bytes]:
    """Each of the exercise's pictures as a small PNG, in catalog order.

    Cached by the entry's and pictures' files and modification times (drawing a pose
    takes tens of milliseconds); an edited file is drawn again.
    """
    files = (exercise.source_file, *(p.path for p in exercise.illustrations))
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = _draw(exercise)
        with _lock:
            if len(_cache) >= 256:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return found


_cache: dict[tuple, list[bytes]] = {}


def _draw(exercise: Exercise) -> list[bytes]:
    """Each picture as the one-page PDF `illustrate --format pdf` writes, made small and PNG.

    The drawing runs outside the lock; only pdfium's rasterising (quick, one small page)
    holds it, so thumbnails never keep a page preview waiting long.
    """
    from PIL import Image

    from ..render.sheet import exercise_images

    found = []
    with tempfile.TemporaryDirectory(prefix="routinepress-thumbs-") as tmp:
        for file in exercise_images(exercise, Path(tmp), "pdf"):
            if file.suffix == ".pdf":
                image = _first_page(file.read_bytes(), THUMB_WIDTH)
            else:  # a photo: copied as it is
                with Image.open(file) as opened:
                    image = opened.convert("RGB")
            if image.width > THUMB_WIDTH:
                image = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)),
                                     Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PNG", optimize=True)
            found.append(buffer.getvalue())
    return found


def _first_page(pdf: bytes, width: int):
    """The PDF's first page as a PIL image `width` pixels wide."""
    import pypdfium2 as pdfium

    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            return page.render(scale=width / page.get_width()).to_pil()
        finally:
            document.close()


def page_images(pdf: bytes, scale: float) -> list[dict]:
    """The PDF's pages as PNG data URLs, with their pixel sizes (the page keeps its place while loading)."""
    import pypdfium2 as pdfium

    pages = []
    with _lock:  # pdfium is not thread-safe
        document = pdfium.PdfDocument(pdf)
        try:
            for index in range(min(len(document), MAX_PREVIEW_PAGES)):
                image = document[index].render(scale=scale).to_pil()
                buffer = io.BytesIO()
                image.save(buffer, "PNG", compress_level=3)
                pages.append({"png": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
                              "width": image.width, "height": image.height})
        finally:
            document.close()
    return pages
