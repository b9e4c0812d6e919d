"""Recorded drawings (the poses, a video's QR code) placed on pages as Form XObjects.

A pose's operators are 10-50 KB, and a handout prints a dozen of them: written into the page
streams, they were most of the text deflated on every build (about 180 KB of 240 KB). As a
form, a drawing is one object of its document, used by name from any page; its object's bytes
(dictionary and deflated stream) depend only on the operators and its size, so they are made
once per process and written as they are into every later document.

A form draws in the graphics state of the page where it is used, as the same operators written
inline would, and a pose leaves no state behind it (renderPDF wraps it in q ... Q): the pages
render the same either way (tests/test_forms.py compares pixels and text with inline drawing).

A card's columns that hold poses are replayed (replay.py): a form's use is recorded with the
fonts' uses, and a replay makes it again on the new document (registering the form there first
if it is new), so that the document holds the same objects, numbered alike, as drawing gives.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import NamedTuple

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

from . import replay


class Packed(NamedTuple):
    name: str  # the form's name in a document (canvas.doForm's)
    body: bytes  # the object's dictionary and compressed stream, as written in the file


_PACKED: dict[tuple[str, float, float], Packed] = {}
_PACKED_LIMIT = 512  # a catalog's worth of poses in each size; emptied when full
# zlib's default level, not the page streams' level 1: a form is compressed once a process,
# so a tenth smaller is worth taking about 1.6 times as long (measured on the shipped poses).
DEFLATE_LEVEL = 6


def place(canvas, operators: str, width: float, height: float) -> None:
    """Draw `operators` at the canvas's origin, as a use of their form."""
    packed = _packed(operators, width, height)
    use(canvas, packed)
    canvas._code.append(f"/{pdfdoc.xObjectName(packed.name)} Do")


def use(canvas, packed: Packed) -> None:
    """The form is in the canvas's document, and in the current page's resources. A recorded
    drawing that used it (replay.py) makes the same use when it is written again."""
    doc = canvas._doc
    if not doc.hasForm(packed.name):
        # Registered where it is first used, as reportlab numbers its objects: a replayed
        # card registers it at the same point, and the objects are numbered alike.
        doc.Reference(_FormObject(packed.body), pdfdoc.xObjectName(packed.name))
    canvas._formsinuse.append(packed.name)  # what showPage lists in the page's XObjects
    if getattr(replay.font_uses, "stack", None):
        replay.note_use("form", use, (packed,), None)


def _packed(operators: str, width: float, height: float) -> Packed:
    # Read once into a local: another thread may empty the dict between two lines here.
    key = (operators, width, height)
    packed = _PACKED.get(key)
    if packed is None:
        packed = _pack(operators, width, height)
        if len(_PACKED) >= _PACKED_LIMIT:
            _PACKED.clear()
        _PACKED[key] = packed
    return packed


def _pack(operators: str, width: float, height: float) -> Packed:
    data = operators.encode("utf8")
    # Named by content: two drawings with the same operators and size are one form in a document
    # (64 bits: short, since every page lists the names of the forms it uses).
    name = "d" + hashlib.sha256(data + f" {width!r} {height!r}".encode()).hexdigest()[:16]
    stream = zlib.compress(data, DEFLATE_LEVEL)
    # The box clips the form. It is the drawing's box with a margin as large again on every
    # side: a line's cap or an arrowhead may reach past the box a drawing was made for, and
    # inline operators were never clipped.
    box = fp_str(-width, -height, 2 * width, 2 * height)
    # (FormType 1 and an identity Matrix are the defaults; a pose needs no resources)
    head = (f"<< /Type /XObject /Subtype /Form /BBox [ {box} ] /Resources << >> "
            f"/Filter /FlateDecode /Length {len(stream)} >>\nstream\n")
    return Packed(name, head.encode("ascii") + stream + b"\nendstream\n")


class _FormObject(pdfdoc.PDFObject):
    """A form's object in one document: its bytes, made once (a document names each object
    it registers, so every document needs an object of its own)."""

    def __init__(self, body: bytes):
        self.body = body

    def format(self, document) -> bytes:
        if not isinstance(document.encrypt, pdfdoc.NoEncryption):
            raise ValueError("a recorded drawing's form cannot be written into an encrypted document")
        return self.body
