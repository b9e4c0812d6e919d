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
    from PIL import Image

    from ..render.sheet import exercise_images

    with tempfile.TemporaryDirectory(prefix="routinepress-thumbs-") as tmp, _lock:
        files = exercise_images(exercise, Path(tmp), "png")
        found = []
        for file in files:
            with Image.open(file) as opened:
                image = opened.convert("RGB")
            if image.width > THUMB_WIDTH:
                image = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)),
                                     Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            found.append(buffer.getvalue())
    return found


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
