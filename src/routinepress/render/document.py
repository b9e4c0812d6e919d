"""Handout + Template -> PDF bytes. The only place that assembles a reportlab document."""

from __future__ import annotations

import copy
import io
import zlib
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from .. import __version__
from ..errors import Diagnostic, LayoutFailure
from ..model import Handout
from ..templates import Template
from . import fonts, formatting, parts
from .pictures import PictureSource
from .printed import glyph_warnings, pdf_id, portable_json
from .shelf import Borrowed
from .styles import Styles, esc, make_styles, text_width
from .tracker import tracker

# Deflate without ASCII85: ~20% smaller files and ~10% faster, and still plain PDF.
rl_config.useA85 = 0


def _deflate(text: str | bytes) -> bytes:
    if isinstance(text, str):
        return zlib.compress(text.encode("utf8"), DEFLATE_LEVEL)
    if not text.startswith(_TRUETYPE):
        return zlib.compress(text, DEFLATE_LEVEL)
    # A font program: the same few (fonts.py cuts each subset once) in every document.
    packed = _DEFLATED.get(text)
    if packed is None:
        packed = zlib.compress(text, DEFLATE_LEVEL)
        if len(_DEFLATED) >= _DEFLATED_LIMIT:
            _DEFLATED.clear()
        _DEFLATED[text] = packed
    return packed


# Every stream reportlab writes (pages, fonts, forms) goes through this one filter object.
# zlib's default level 6 made compressing a sixth of a warm build; level 1 takes a third
# of that time for files about a tenth larger (test_internals checks the hook still holds).
DEFLATE_LEVEL = 1
pdfdoc.PDFZCompress.encode = _deflate
# Page streams come as text; the bytes are font programs (about 19 KB each, kept compressed
# here, keyed by their bytes) and page-number forms (small, each page its own: not kept).
# Every TrueType font program begins with the sfnt version 1.0.
_TRUETYPE = b"\x00\x01\x00\x00"
_DEFLATED: dict[bytes, bytes] = {}
_DEFLATED_LIMIT = 32
# Names and numbers are formatted with answers kept (formatting.py).
formatting.install()


class RenderResult(NamedTuple):
    pdf: bytes
    pages: int
    warnings: list[Diagnostic]


class RenderOptions(NamedTuple):
    page_size: str | None = None  # overrides spec and template
    fillable: bool = False
    grayscale_images: bool = False


DEFAULT_OPTIONS = RenderOptions()


def render(handout: Handout, template: Template, options: RenderOptions = DEFAULT_OPTIONS,
           source_name: str = "", spec_doc: Any = None) -> RenderResult:
    page_size = options.page_size or handout.page_size or template["page"]["size"]
    styles = make_styles(template, page_size)
    words = handout.labels
    pictures = PictureSource(grayscale=options.grayscale_images)
    borrowed = Borrowed()  # cards and tables printed before, from the shelf (shelf.py)
    printed = handout.to_json()  # everything the handout prints, serialised once for both uses below
    portable = portable_json(printed)
    warnings = glyph_warnings(printed, source_name, spec_doc, portable)

    builders = {
        # Before-you-start advice heads the warnings; the pain rule sits beside the reasons to stop.
        "stop_if": lambda: (parts.before_you_start(handout, styles, words) + parts.stop_box(handout, styles, words)
                            + parts.pain_rule(handout, styles, words)),
        "intro": lambda: parts.intro(handout, styles),
        # The general advice opens the overview: after the clinician's intro, how to do any
        # exercise, then which ones, the table staying next to the cards it lists. Built
        # with this part so that no template has to name a new one to print it.
        "at_a_glance": lambda: (parts.dosing_notes(handout, styles, words)
                              + parts.at_a_glance(handout, styles, words, borrowed)),
        "cards": lambda: parts.cards(handout, styles, words, pictures, borrowed),
        "notes": lambda: parts.closing_notes(handout, styles, words),
        "tracker": lambda: tracker(handout, styles, words, options.fillable),
    }
    story = parts.front_matter(handout, styles, words, pictures)
    order = template["parts"]
    for i, part in enumerate(order):
        if part == "tracker" and i and order[i - 1] == "notes":
            continue  # built with the notes
        if part == "notes" and order[i + 1:i + 2] == ["tracker"]:
            story += parts.notes_then_tracker(builders["notes"](), builders["tracker"]())
        else:
            story += builders[part]()

    buffer = io.BytesIO()
    doc = _document(buffer, handout, styles, page_size)
    signature = pdf_id(portable, template.data, page_size, options.fillable)
    running = _running_text(handout, template, words, styles)
    try:
        doc.build(story, canvasmaker=_canvas_class(styles, running, signature))
    except LayoutError:
        culprit = _culprit(handout, styles, words, page_size)
        raise LayoutFailure(
            f"{source_name}: {culprit} does not fit on one page with the template {template.name} on "
            f"{page_size.upper() if len(page_size) == 2 else page_size.title()} paper "
            f"(a picture, table row or word taller or wider than the page); "
            f"use larger paper, or a template with smaller margins or smaller text"
        ) from None
    borrowed.put_back()  # (only after a build that ended: a failed one's cards are made afresh)
    return RenderResult(buffer.getvalue(), doc.page, warnings)


def _culprit(handout: Handout, styles: Styles, words: parts.Words, page_size: str) -> str:
    """Which part cannot be laid out: each exercise card is tried alone (only on failure)."""
    for card in handout.cards:
        try:
            _document(io.BytesIO(), handout, styles, page_size).build(
                parts.card_flowables(card, styles, words, PictureSource()))
        except LayoutError:
            return f"exercise {card.number} ({card.name})"
    return "part of the handout"


class _BodyFrame(Frame):
    """The page's one frame. reportlab deep-copies the current frame each time it measures a
    KeepTogether (cards, tracker weeks), so that anything the measuring adds to the frame is
    added to the copy; a copy with its own attributes is all that needs (3% of a build)."""

    def __deepcopy__(self, memo: dict) -> _BodyFrame:
        return copy.copy(self)


def _document(buffer: io.BytesIO, handout: Handout, styles: Styles, page_size: str) -> BaseDocTemplate:
    m = styles.margins
    frame = _BodyFrame(
        m["left"], m["bottom"] + styles.footer_space, styles.frame_width, styles.frame_height,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )
    author = ", ".join(x for x in (handout.clinician.get("name"), handout.clinician.get("clinic")) if x)
    doc = BaseDocTemplate(
        buffer, pagesize=(styles.page_width, styles.page_height),
        leftMargin=m["left"], rightMargin=m["right"], topMargin=m["top"], bottomMargin=m["bottom"],
        title=handout.title, author=author or "routinepress",
        subject=f"Home exercise program{' for ' + handout.patient if handout.patient else ''}",
        creator=f"routinepress {__version__}", producer=f"routinepress {__version__}",
        keywords="home exercise program", lang=handout.language,
        invariant=1, initialFontName=fonts.REGULAR, initialFontSize=styles.body.fontSize,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc


def _running_text(handout: Handout, template: Template, words: parts.Words,
                  styles: Styles) -> dict[str, dict[str, str]]:
    values = {
        "title": handout.title, "patient": handout.patient, "date": handout.date,
        "clinic": handout.clinician.get("clinic", ""), "clinician": handout.clinician.get("name", ""),
    }
    half = (styles.page_width - styles.margins["left"] - styles.margins["right"]) / 2
    out: dict[str, dict[str, str]] = {}
    for where in ("header", "footer"):
        out[where] = {}
        for side, pattern in template[where].items():
            # {page_of} is filled in per page once the total is known.
            out[where][side] = _format(pattern, values | {"page_of": "\x00"}).strip()
            if side == "right" and "{patient}" in pattern and _width(out[where][side], styles) > half:
                # The right side gets at most half the line and is cut at its end: a long
                # name is shortened instead, so that the date after it still prints.
                name, most = handout.patient, len(handout.patient) - 1
                while most > 0 and _width(_format(pattern, values | {"patient": _shortened(name, most),
                                                                     "page_of": "88"}), styles) > half:
                    most -= 1
                out[where][side] = _format(pattern, values | {"patient": _shortened(name, most),
                                                              "page_of": "\x00"}).strip()
    out["page_of"] = {"pattern": words["page_of"]}
    return out


def _width(text: str, styles: Styles) -> float:
    """A running line's width, its page number ("\x00") taken as two digits."""
    return text_width(text.replace("\x00", "88"), styles.small)


def _format(pattern: str, values: dict[str, str]) -> str:
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        return pattern


def _canvas_class(styles: Styles, running: dict, signature: str) -> type[Canvas]:
    """A canvas that draws the header and footer on each page as it ends.

    "Page X of Y" needs the total, known only at the end: each page draws a reference to a
    small form (XObject) that holds its page-number text, and the forms are written once the
    total is known. Pages are not held back, so a form box made on a page belongs to it.
    """
    page_of_pattern = running["page_of"]["pattern"]
    muted, rule = styles.colour("muted"), styles.colour("rule")  # (each parsed once, not once a page)

    class RunningCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_numbers: list[tuple[str, str, str, float]] = []  # (form name, font, size) per page
            # The running lines are the same on every page: each is measured and fitted once.
            self._fitted: dict[tuple[str, str, float, float], str] = {}
            self._right_widths: dict[tuple[str, str], float] = {}
            # Two handouts with equal metadata would otherwise share a PDF /ID in invariant mode.
            self._doc.updateSignature(signature)

        def showPage(self) -> None:
            self._draw_running(len(self._page_numbers) + 1)
            super().showPage()

        def save(self) -> None:
            total = len(self._page_numbers)
            # The resources reportlab gives each of these forms (the document's fonts, every
            # procedure set), formatted once for all of them (test_internals).
            resources = pdfdoc.PDFResourceDictionary()
            resources.basicFonts()
            resources.allProcs()
            shared = _FormattedOnce(resources)
            for number, (name, text, font, size) in enumerate(self._page_numbers, 1):
                text = text.replace("\x00", page_of_pattern.format(page=number, pages=total))
                width = self.stringWidth(text, font, size)
                # Drawn right-aligned at the form's origin, which the page placed at the line's end.
                self.beginForm(name, lowerx=-width - 1, lowery=-size, upperx=1, uppery=size * 1.5)
                self.setFillColor(muted)
                self.setFont(font, size)
                self.drawRightString(0, 0, text)
                self.endForm(Resources=shared)
            super().save()

        def _draw_running(self, number: int) -> None:
            # Widths are reserved for a two-digit total (or the page's own digits if longer).
            guess = page_of_pattern.format(page=number, pages="8" * max(2, len(str(number))))
            m, size = styles.margins, styles.small.fontSize
            left, right = m["left"], styles.page_width - m["right"]
            top = styles.page_height - m["top"]
            self.saveState()
            self.setFillColor(muted)
            # Baselines keep ascenders and descenders inside the margins home printers do not clip.
            for where, baseline in (("header", top - size), ("footer", m["bottom"] + size * 0.35)):
                texts = running[where]
                # The right side (patient, date, page number) is short and must stay whole:
                # it gets what it needs, up to half the line; the left (title) gets the rest.
                right_text = texts.get("right", "")
                right_width = self._right_widths.get((right_text, guess))
                if right_width is None:
                    right_width = self._right_widths[right_text, guess] = min(
                        self.stringWidth(right_text.replace("\x00", guess), fonts.REGULAR, size), (right - left) / 2)
                if "\x00" in right_text:
                    name = f"page_of_{number}_{where}"
                    self._page_numbers.append((name, right_text, fonts.REGULAR, size))
                    self.saveState()
                    self.translate(right, baseline)
                    self.doForm(name)
                    self.restoreState()
                else:
                    self._clipped(right_text, right, baseline, size, right_width, align="right")
                self._clipped(texts.get("left", "").replace("\x00", guess), left, baseline, size,
                              right - left - right_width - size, align="left")
            self.setStrokeColor(rule)
            self.setLineWidth(0.75)
            self.line(left, top - size * 1.45, right, top - size * 1.45)
            self.restoreState()

        def _clipped(self, text: str, x: float, y: float, size: float, max_width: float, align: str) -> None:
            """Running text is one line: shorten with an ellipsis rather than run into the margin."""
            if not text:
                return
            font = fonts.BOLD if align == "left" else fonts.REGULAR
            fitted = self._fitted.get((text, font, size, max_width))
            if fitted is None:
                fitted = self._fitted[text, font, size, max_width] = self._fit(text, font, size, max_width)
            self.setFont(font, size)
            (self.drawString if align == "left" else self.drawRightString)(x, y, fitted)

        def _fit(self, text: str, font: str, size: float, max_width: float) -> str:
            if self.stringWidth(text, font, size) <= max_width:
                return text

            # The longest prefix that fits with an ellipsis, found by halving (text may be long).
            def fits(n: int) -> bool:
                return self.stringWidth(text[:n].rstrip() + "\u2026", font, size) <= max_width

            low, high = 0, max(0, len(text) - 2)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(middle) else (low, middle - 1)
            return _shortened(text, low)

    return RunningCanvas


class _FormattedOnce(pdfdoc.PDFObject):
    """An object written several times into one document, formatted the first time."""

    def __init__(self, content: pdfdoc.PDFObject):
        self.content = content
        self.formatted: bytes | None = None

    def format(self, document) -> bytes:
        if self.formatted is None:
            self.formatted = self.content.format(document)
        return self.formatted


def _shortened(text: str, most: int) -> str:
    """The first `most` characters of `text`, cut back to the end of a whole word, with an
    ellipsis: "Hip Mobility and Strength After…" reads; "... After Pregna…" makes a slow
    reader stop at a word that is not one. A first word longer than the room is cut inside."""
    if most < len(text) and not text[most].isspace():
        space = text.rfind(" ", 0, most)
        if space > 0:
            most = space
    return text[:most].rstrip().rstrip(",;:-\u2013\u2014").rstrip() + "\u2026"


__all__ = ["RenderOptions", "RenderResult", "render", "esc"]
