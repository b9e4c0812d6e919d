"""Raster pictures (a clinic's photos and logos) made safe and print-sized.

Every file goes through Pillow before reportlab sees it: reportlab alone would pass
a JPEG through unchecked (no EXIF rotation, no decompression-bomb check) and
re-encode a PNG at full size on every build.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from pathlib import Path
from typing import NamedTuple

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ..errors import InputError
from ..paths import MAX_PICTURE_BYTES, read_regular

MAX_PPI = 300
MAX_SOURCE_PIXELS = 40_000_000  # ~ a 40 MP photo; larger is refused, not decoded
MAX_IMAGES_PER_BUILD = 400
JPEG_QUALITY = 88


class PreparedImage(NamedTuple):
    reader: ImageReader
    width_px: int
    height_px: int
    mode: str  # Pillow mode after preparation: "RGB", or "L" when grayscale

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px


class RasterImage(Flowable):
    """A prepared picture at a fixed printed size (reportlab's Image wants a file, not a reader)."""

    def __init__(self, prepared: PreparedImage, width: float, height: float):
        super().__init__()
        self.prepared, self.width, self.height = prepared, width, height

    def draw(self) -> None:
        self.canv.drawImage(self.prepared.reader, 0, 0, self.width, self.height)


class ImageCache:
    """Decodes each distinct picture once per build, keyed by content and print size."""

    def __init__(self, grayscale: bool = False):
        self.grayscale = grayscale
        self._prepared: dict[tuple[str, int, int], PreparedImage] = {}
        self.decoded = 0  # how many times a file was actually decoded (tests check the cache)

    def get(self, path: Path, box_width_pt: float, box_height_pt: float) -> PreparedImage:
        data = _read(path)
        key = (hashlib.sha256(data).hexdigest(), round(box_width_pt), round(box_height_pt))
        if key not in self._prepared:
            if len(self._prepared) >= MAX_IMAGES_PER_BUILD:
                raise InputError.single(path, "",
                                        f"too many distinct pictures in one build (limit {MAX_IMAGES_PER_BUILD})")
            self.decoded += 1
            self._prepared[key] = _prepare(path, data, box_width_pt, box_height_pt, self.grayscale)
        return self._prepared[key]


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PICTURE_BYTES:
            raise InputError.single(
                path, "",
                f"picture file is too large ({size // 1_000_000} MB; limit {MAX_PICTURE_BYTES // 1_000_000} MB)"
            )
        data = read_regular(path, MAX_PICTURE_BYTES)  # a pipe swapped in after the check is refused too
    except OSError as exc:
        raise InputError.single(path, "", f"cannot read the picture ({exc.strerror or exc})") from None
    if len(data) > MAX_PICTURE_BYTES:
        raise InputError.single(path, "", f"picture file is too large (limit {MAX_PICTURE_BYTES // 1_000_000} MB)")
    return data


def _prepare(path: Path, data: bytes, box_w: float, box_h: float, grayscale: bool) -> PreparedImage:
    try:
        with warnings.catch_warnings():
            # Pillow only warns about damaged metadata ("Corrupt EXIF data"); the pixels decide.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG", "MPO"):
                raise InputError.single(path, "", f"is a {image.format} file; use PNG or JPEG")
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise InputError.single(path, "", f"picture is too large ({image.width}x{image.height} pixels)")
            # A phone's MPO is a JPEG with more frames after it (a depth map, a second view):
            # the first frame is the photo.
            source_format = "JPEG" if image.format == "MPO" else image.format
            image = _upright(image)
            image.load()
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError.single(path, "", "picture is too large to open safely: it has more pixels than any photo",
                                "save it again at the size of a photo (under 40 megapixels)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InputError.single(path, "", "is not a readable PNG or JPEG picture: the file is damaged, cut short, "
                                "or another kind of file", "save the picture again as PNG or JPEG") from None

    image = _flatten(image)
    if grayscale:
        image = image.convert("L")
    # Never keep more pixels than 300 ppi at the largest size it will print.
    limit_w, limit_h = round(box_w / 72 * MAX_PPI), round(box_h / 72 * MAX_PPI)
    scale = min(1.0, limit_w / image.width, limit_h / image.height)
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    if source_format == "JPEG":
        # A JPEG buffer passes through reportlab undecoded: small files, fast builds.
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False)
        buffer.seek(0)
        return PreparedImage(ImageReader(buffer), image.width, image.height, image.mode)
    return PreparedImage(ImageReader(image), image.width, image.height, image.mode)


_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, as ImageOps.exif_transpose does, without rewriting the EXIF.

    exif_transpose re-serialises the EXIF block and crashes (struct.error, TypeError) on
    damaged tags; EXIF too damaged to read is ignored here, as a photo viewer would.
    """
    try:
        orientation = image.getexif().get(_ORIENTATION)
    except (struct.error, TypeError, KeyError, IndexError, ValueError, SyntaxError, OSError):
        return image
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(method) if method is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent parts become white paper, not black; 16-bit grey becomes 8-bit grey."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I"):
        # Pillow clips these to 0-255 when converting, so a 16-bit grey (0-65535) would print
        # almost white: scale the levels down instead.
        return image.convert("I").point(lambda level: level / 257).convert("L")
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    return image
