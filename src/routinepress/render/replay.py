"""A flowable's drawing kept as the PDF operators it wrote, and written again instead of drawn.

A batch or a server prints the same exercise cards handout after handout, and drawing a
card's columns (its steps beside its pictures) was a third of the drawing in a warm build.
What a flowable writes is a function of what it holds (the caller's key), its size, the
canvas's graphics state where it starts (its operators are relative to its origin), and
the fonts: each document names its fonts in the order it first meets them, and gives a
character outside plain ASCII the next free code of a subset. So a recording keeps, beside
the operators, every use of a font the drawing made (each text split into codes, each
subset's name asked for) and their answers. A replay makes the same uses, in the same order,
on the new document: its fonts are then named and coded exactly as drawing would leave
them, and the operators are written only if every answer is the one recorded; otherwise
the flowable is drawn.

A recorded drawing (a pose) is a form object of the document (forms.py): its uses are kept
with the fonts', and a replay makes them again, registering the form where it is new.

A drawing is kept only if writing operators was all it did: nothing else on the canvas or
the document changed (no image, link or transparency registered, no form but recorded
drawings' forms, each object added one of those), every font name in
its operators is one a recorded use answered, and it neither began by merging into the
operator before it nor ends with one the next could merge into (reportlab folds a transform
into the `cm` just written). tests/test_replay.py builds the examples with and without
replaying and compares the bytes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

# Fonts report their uses here while a drawing in this thread is recorded (fonts.Font);
# a stack, since a recorded flowable may hold another.
font_uses = threading.local()

# The graphics state a drawing starts in, but where it is: its operators are relative to it.
_ENTRY_STATE = tuple(name for name in Canvas.STATE_ATTRIBUTES if name != "_currentMatrix")
_FONT_NAME = re.compile(r"/F\d+(?:\+\d+)?")
# What a drawing may leave set, to be set again by a replay. Not the transparency state, which
# is the page's resources too.
_LEFT_SET = tuple(name for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate")
# The document's parts that a recorded font use may change (a font named the first time).
_FONT_PARTS = ("fontMapping", "delayedFonts")
# ... and those a form's first use changes (an object registered), with the canvas's list of
# the forms its page uses.
_OBJECT_PARTS = ("objectcounter", "idToObject", "idToObjectNumberAndVersion", "numberToId")


class Recording(NamedTuple):
    owner: Any  # the object the caller's key names by id (kept alive with it)
    operators: str  # what the drawing wrote, one entry of the page's list
    # ("split", font, args, answer), ("name", font, args, answer), ("form", use, args, None), in order
    uses: tuple[tuple, ...]
    pdf_version: Any  # the document's version when it was drawn (transparency raises it)
    # The graphics state it left (a colour or line width set and not restored): its
    # drawOn restores the state right after, but until then it is as drawing leaves it.
    state_after: dict[str, Any]


_RECORDED: dict[tuple, Recording] = {}
_RECORDED_CHARACTERS = 0
_LIMIT_CHARACTERS = 48_000_000  # about a hundred handouts' worth of different cards
_counts = {"replayed": 0, "recorded": 0, "refused": 0}  # for the tests


def draw(flowable, key: Hashable | None, owner: Any, drawing: Callable[[], None]) -> None:
    """Run `drawing` (the flowable's own draw, on flowable.canv), or write what it wrote
    for the same key, size, starting state and owner. `key` None: always draw."""
    canvas = flowable.canv
    entry = _entry_state(canvas) if key is not None else None
    if entry is None:
        drawing()
        return
    full_key = (key, id(owner), getattr(flowable, "width", None), getattr(flowable, "height", None), entry)
    known = _RECORDED.get(full_key)
    if (known is not None and known.owner is owner and known.pdf_version == canvas._doc._pdfVersion
            and _same_uses(known.uses, canvas)):
        if known.operators:
            canvas._code.append(known.operators)
        canvas.__dict__.update(known.state_after)
        _counts["replayed"] += 1
        return
    recording = _record(canvas, drawing, owner)
    if recording is None:
        _counts["refused"] += 1
        return
    _keep(full_key, recording)


def _keep(key: tuple, recording: Recording) -> None:
    global _RECORDED_CHARACTERS
    if _RECORDED_CHARACTERS + len(recording.operators) > _LIMIT_CHARACTERS:
        _RECORDED.clear()
        _RECORDED_CHARACTERS = 0
    _RECORDED[key] = recording
    _RECORDED_CHARACTERS += len(recording.operators)
    _counts["recorded"] += 1


def _same_uses(uses: tuple[tuple, ...], canvas) -> bool:
    """Make the recorded uses on `canvas`'s document, in order, up to the first font use that
    answers otherwise; whether all answered as recorded. Drawing makes the same uses first, up
    to that one, and making one again changes nothing (a form's name listed twice on a page is
    one entry of its resources): a drawing after a mismatch writes what it would have. (Past a
    mismatch the next use may not even apply: a subset this document never made.)"""
    doc = canvas._doc
    for kind, font, args, answer in uses:
        if kind == "form":
            font(canvas, *args)  # forms.use: nothing to answer
            continue
        method = font.splitString if kind == "split" else font.getSubsetInternalName
        if method(*args[:1], doc, *args[1:]) != answer:
            return False
    return True


def note_use(kind: str, font, args: tuple, answer) -> None:
    """Called by fonts.Font for each split and name while a recording is made in this thread."""
    for uses in font_uses.stack:
        uses.append((kind, font, args, answer))


def _record(canvas, drawing: Callable[[], None], owner: Any) -> Recording | None:
    """Draw, watching what changes; the recording, or None if the drawing did more than
    write operators and use fonts."""
    code, doc = canvas._code, canvas._doc
    start = len(code)
    before_last = code[-1] if code else None
    canvas_before, doc_before = _snapshot(canvas.__dict__), _snapshot(doc.__dict__)
    fonts_before = set(doc.fontMapping)
    objects_before, forms_before = doc.objectcounter, len(canvas._formsinuse)
    uses: list[tuple] = []
    stack = getattr(font_uses, "stack", None)
    if stack is None:
        stack = font_uses.stack = []
    stack.append(uses)
    try:
        drawing()
    finally:
        stack.pop()  # ours: one held inside it has taken its own off already
    if canvas._code is not code or len(code) < start or (start and code[start - 1] is not before_last):
        return None
    written = code[start:]
    if written and written[-1].endswith(" cm"):
        return None  # the next transform would fold into it: as one entry, it could not
    canvas_after = _snapshot(canvas.__dict__)
    if not _unchanged(canvas_before, canvas_after, ("_code", "_formsinuse", *_LEFT_SET)):
        return None
    state_after = {name: canvas.__dict__[name] for name in _LEFT_SET if canvas_before[name] != canvas_after[name]}
    if not _unchanged(doc_before, _snapshot(doc.__dict__), _FONT_PARTS + _OBJECT_PARTS):
        return None
    if not _only_forms_used(uses, canvas, objects_before, forms_before):
        return None
    used_fonts = {font.fontName for kind, font, _, _ in uses if kind != "form"}
    if not set(doc.fontMapping) - fonts_before <= used_fonts:
        return None  # a font named some other way (a standard font): its name is not recorded
    operators = "\n".join(written)
    answered = {answer for kind, _, _, answer in uses if kind == "name"}
    if any(name not in answered for name in _FONT_NAME.findall(operators)):
        return None
    return Recording(owner, operators, _telling(uses), doc._pdfVersion, state_after)


def _only_forms_used(uses: list[tuple], canvas, objects_before: int, forms_before: int) -> bool:
    """Whether each object the drawing added to the document is a form it used (forms.use),
    and the page's list of forms grew by exactly those uses: all a replay makes again."""
    from reportlab.pdfbase.pdfdoc import xObjectName

    doc = canvas._doc
    used = [args[0].name for kind, _, args, _ in uses if kind == "form"]
    if canvas._formsinuse[forms_before:] != used:
        return False
    added = {doc.numberToId.get(n) for n in range(objects_before + 1, doc.objectcounter + 1)}
    return added <= {xObjectName(name) for name in used}


def _telling(uses: list[tuple]) -> tuple[tuple, ...]:
    """The uses that can change a document or answer otherwise in another: a card makes
    dozens, and most are plain ASCII text in a font already used, which fonts.Font codes
    as itself and which changes nothing (test_internals; a no-break space is coded as a
    space), or a use made before: the same text split again (a bullet on every tip) or a
    subset's name asked again answers as the first time did, and changes nothing."""
    kept: list[tuple] = []
    split_fonts: set = set()
    made: set = set()
    for use in uses:
        kind, font, args, answer = use
        if kind == "form":
            kept.append(use)  # each kept: it lists the form on the page
            continue
        if (kind, font, args) in made:
            continue
        made.add((kind, font, args))
        if kind == "split":
            text = args[0].replace("\xa0", " ") if isinstance(args[0], str) else args[0]
            plain = (getattr(font, "_ascii_is_itself", False) and isinstance(text, str) and text.isascii()
                     and text.isprintable() and answer == [(0, text.encode("ascii"))])
            if plain and font in split_fonts:
                continue
            split_fonts.add(font)
        kept.append(use)
    return tuple(kept)


def _snapshot(attributes: dict) -> dict[str, tuple[int, int | None]]:
    """Each attribute's identity, and its length if it has one (lists and dicts grow in place)."""
    return {name: (id(value), len(value) if isinstance(value, (list, dict, set, tuple)) else None)
            for name, value in attributes.items()}


def _unchanged(before: dict, after: dict, allowed: tuple[str, ...]) -> bool:
    if before.keys() != after.keys():
        return False
    return all(before[name] == after[name] for name in before if name not in allowed)


def _entry_state(canvas) -> tuple | None:
    """The canvas's graphics state as a key (colours by value); None if some part of it
    cannot be told apart by value (then nothing is recorded or replayed)."""
    out = []
    attributes = canvas.__dict__
    for name in _ENTRY_STATE:
        value = attributes.get(name)
        if type(value) not in _SCALARS:
            value = _frozen(value)
            if value is _UNKNOWN:
                return None
        out.append(value)
    return tuple(out)


_SCALARS = frozenset((int, float, str, bool, type(None)))


_UNKNOWN = object()


def _frozen(value):
    if type(value) in _SCALARS:
        return value
    if type(value) in (tuple, list):
        items = tuple(_frozen(item) for item in value)
        return _UNKNOWN if any(item is _UNKNOWN for item in items) else (type(value).__name__, items)
    if type(value) is Color:
        return ("rgb", value.red, value.green, value.blue, value.alpha)
    if type(value).__name__ == "ExtGState":
        return _frozen(sorted(value._d.items()))
    return _UNKNOWN
