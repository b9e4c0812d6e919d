"""Drawn poses recorded once as PDF operators, and replayed: in this process, from the
drawing cache on disk, or from the drawings shipped with the package (shipped.py).

A recording depends only on the pose files, the picture's size, side and line weight, this
module and the illustrate package, and reportlab's version: the cache key hashes exactly
those, so a change to how pictures are laid out on a card keeps every recording.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

from reportlab.platypus import Flowable

from ..errors import InputError
from ..jsonfile import MAX_INPUT_BYTES
from ..paths import read_regular, while_unchanged
from . import forms, shipped

# Drawn poses depend only on the pose files' content and the drawing parameters, so a
# process that builds many handouts (a batch worker, an embedding program) draws each once.
# What is kept is the recording (width, height, operators); each use gets its own flowable,
# since reportlab attaches a canvas to a flowable while placing it (threads build at once).
Recording = tuple[float, float, str]
_DRAWN: dict[str, list[Recording]] = {}
_DRAWN_LIMIT = 512
_FONT_ONLY = re.compile(r"BT /F\d+ [\d.]+ Tf [\d.]+ TL ET")


def draw_poses_recorded(paths: list[Path], width: float, height: float, mirror: bool,
                        line_scale: float) -> list[Flowable]:
    """The poses of one exercise as flowables, replayed from a recording wherever one is kept."""
    key = _key(paths, width, height, mirror, line_scale)
    # Read once into a local: another thread may clear the dict between any two lines here.
    recordings = _DRAWN.get(key)
    if recordings is None:
        # The built-in exercises come recorded with the package (shipped.py); others are drawn once per machine.
        recordings = (shipped.recordings(key) or _from_disk(key)
                      or _to_disk(key, _record(paths, width, height, mirror, line_scale)))
        if len(_DRAWN) >= _DRAWN_LIMIT:
            _DRAWN.clear()
        _DRAWN[key] = recordings
    return [RecordedDrawing(*recording) for recording in recordings]


def _key(paths: list[Path], width: float, height: float, mirror: bool, line_scale: float) -> str:
    """What a drawing depends on: the pose files' content, its size, side and line weight, the
    drawing code and reportlab's version."""
    return hashlib.sha256(repr((
        _engine_version(), [_pose_digest(p) for p in paths],
        round(width, 3), round(height, 3), mirror, line_scale,
    )).encode()).hexdigest()


# Each pose file's digest, kept while the file is unchanged: a build asks for the same
# exercise's drawing once for every arrangement of its card it tries.
_POSE_DIGESTS: dict[Path, tuple[int, int, str]] = {}


def _pose_digest(path: Path) -> str:
    try:
        return while_unchanged(_POSE_DIGESTS, path, path,
                               lambda: hashlib.sha256(read_regular(path, MAX_INPUT_BYTES)).hexdigest())
    except OSError as exc:
        raise InputError.single(path, "", f"cannot read the pose file ({exc.strerror or exc})") from None


def _record(paths: list[Path], width: float, height: float, mirror: bool, line_scale: float) -> list[Recording]:
    from ..illustrate import PoseStyle, draw_poses, load_pose

    poses = [load_pose(p) for p in paths]
    drawings = draw_poses(poses, width, height, mirror=mirror, style=PoseStyle(line_scale=line_scale))
    return [(r.width, r.height, r.operators) for r in map(RecordedDrawing.record, drawings)]


@functools.cache
def _engine_version() -> str:
    """A hash of the drawing code itself and reportlab's version (it writes the operators):
    a changed engine or an upgraded reportlab never reuses an old recording."""
    from reportlab import Version

    package = Path(__file__).resolve().parent.parent
    sources = sorted((package / "illustrate").glob("*.py")) + [Path(__file__).resolve()]  # this module
    code = b"".join(p.read_bytes() for p in sources) + f"reportlab {Version}".encode()
    return hashlib.sha256(code).hexdigest()[:16]


def _cache_dir() -> Path | None:
    """Where recordings persist between runs: ROUTINEPRESS_CACHE_DIR itself, else drawings/ in
    routinepress's cache; None when it is `off`."""
    from ..paths import cache_root

    root = cache_root()
    return root if root is None or os.environ.get("ROUTINEPRESS_CACHE_DIR") else root / "drawings"


def _from_disk(key: str) -> list[Recording] | None:
    folder = _cache_dir()
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8")) if folder else None
        return [(d["width"], d["height"], d["operators"]) for d in data] if data else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no cache, or a damaged entry: draw again


def _to_disk(key: str, recorded: list[Recording]) -> list[Recording]:
    folder = _cache_dir()
    if folder:
        data = [{"width": w, "height": h, "operators": ops} for w, h, ops in recorded]
        tmp = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, folder / f"{key}.json")
            tmp = None
        except OSError:
            pass  # a read-only home folder only costs speed
        finally:  # an interrupted write (Ctrl-C) leaves no stray file either
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
    return recorded


class RecordedDrawing(Flowable):
    """A vector drawing rendered to PDF operators once and replayed on every later use.

    Drawn poses are paths in greys, with no fonts, images or transparency, so their
    operators need no page resources and are the same wherever they are placed:
    replaying them gives the same bytes as drawing again, without formatting
    thousands of coordinates on every build. On a page they are a form (forms.py),
    compressed once per process.
    """

    def __init__(self, width: float, height: float, operators: str):
        super().__init__()
        self.width, self.height, self.operators = width, height, operators

    @classmethod
    def record(cls, drawing) -> RecordedDrawing:
        from reportlab.graphics import renderPDF
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(io.BytesIO())
        renderPDF.draw(drawing, canvas, 0, 0, showBoundary=False)
        # renderPDF selects its default font (unembedded Helvetica) at the start of every
        # drawing although a pose has no text; dropping that no-op keeps base-14 fonts out.
        operators = [op for op in canvas._code if not _FONT_ONLY.fullmatch(op)]
        return cls(drawing.width, drawing.height, "\n".join(operators))

    def draw(self) -> None:
        forms.place(self.canv, self.operators, self.width, self.height)
