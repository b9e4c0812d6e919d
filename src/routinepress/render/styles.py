"""Paragraph styles and measurements, all derived from the template."""

from __future__ import annotations

import json
from html import escape
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as PlatypusParagraph
from reportlab.platypus import Table as PlatypusTable
from reportlab.platypus import TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..templates import Template
from . import fonts, replay
from .plaintext import draw_plain

PAGE_SIZES = {"letter": LETTER, "a4": A4}


def esc(text: str) -> str:
    """User text made safe for Paragraph markup; line breaks kept."""
    return escape(text, quote=False).replace("\n", "<br/>")


class Table(PlatypusTable):
    """A platypus Table whose cells start in the embedded font.

    reportlab selects each cell's font before drawing it, even a cell of paragraphs, and
    its default is unembedded Helvetica; that would put a base-14 font in every handout.
    """

    def __init__(self, *args, **kwargs):
        # Measured in full every time (no early stop at the available height), so the size
        # depends on the width alone and can be kept: a card's tables are measured several
        # times at one width (KeepTogether, the frame, an enclosing table).
        kwargs.setdefault("longTableOptimize", False)
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.register(), 10)]))

    _measured_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._measured_at:
            super().wrap(availWidth, availHeight)
            self._measured_at = availWidth
        return self._width, self._height

    # What the table holds, for replay.py (set where a table is made; a part split off has none)
    replay_key: tuple | None = None

    def draw(self) -> None:
        replay.draw(self, self.replay_key, None, super().draw)

    @property
    def header_rows(self) -> int:
        """The rows repeated at the top of each part when the table splits."""
        return self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)

    def row_heights(self, width: float) -> list[float]:
        """Each row's height at this width."""
        self.wrap(width, 1e6)
        return list(self._rowHeights)

    def setStyle(self, tblstyle) -> None:
        super().setStyle(tblstyle)
        self._measured_at = None  # a new style (padding, spans) changes the size

    def split(self, availWidth: float, availHeight: float) -> list:
        parts = super().split(availWidth, availHeight)
        # With splitInRow, reportlab may cut off a first part of no height and leave the rest
        # as it was: the frame never fills and the layout never ends (a card's last, empty
        # row with a point of page left). A rest with nothing in it is dropped (it is only
        # padding); otherwise that is no split, and the table moves to the next page.
        if parts and parts[0].wrap(availWidth, availHeight)[1] <= 0:
            rest = parts[1:]
            if all(not cell for table in rest for row in getattr(table, "_cellvalues", [[1]]) for cell in row):
                return parts[:1]
            return []
        if self.replay_key is not None:  # each part is what this table holds, cut where this room cuts it
            for n, part in enumerate(parts):
                if isinstance(part, Table):
                    part.replay_key = (self.replay_key, availWidth, availHeight, n)
        return parts


_PARSED: dict[tuple[str, int, str | None], tuple[ParagraphStyle, list]] = {}
_PARSED_LIMIT = 5_000  # a few handouts' worth of distinct texts; cleared when full

# What reportlab's wrap leaves on a paragraph, by (text, style id, bullet, width): the style
# itself, and the line breaks and the sizes made from them.
_BROKEN: dict[tuple, tuple[ParagraphStyle, dict]] = {}
# Every attribute reportlab's wrap sets; tests/test_caches.py fails if an upgrade sets another.
_WRAP_RESULT = ("width", "height", "blPara", "frags", "_wrapWidths", "_width_max", "_splitLongWordCount",
                "_hyphenations")


_RUNS: dict[int, tuple[ParagraphStyle, object]] = {}


def _one_run(style: ParagraphStyle):
    """The parser's fragment for a run of plain text in `style` (its text to be replaced)."""
    known = _RUNS.get(id(style))
    if known is None or known[0] is not style:
        [run] = PlatypusParagraph("x", style).frags
        known = _RUNS[id(style)] = (style, run)  # the style kept alive with its id
    return known[1]


class Paragraph(PlatypusParagraph):
    """A platypus Paragraph that breaks its lines once per width and text.

    A card's paragraphs are wrapped several times at the same width (KeepTogether
    measures the card, the table measures its cells, then draws them), and a batch prints
    the same steps, tips and labels in handout after handout. Line breaking depends only on
    the text, the style and the width, so each is broken once per process and the result
    shared: drawing only reads it. Splitting edits it, so a paragraph about to be split
    breaks its own lines first.
    """

    _wrapped: tuple[float, object] | None = None  # (width, the line breaks made for it)
    _key: tuple[str, int, str | None] | None = None  # set when built from text, not split off
    _shared = False  # its line breaks are the ones in _BROKEN
    _owns_frags = True  # False while self.frags is the cached parse, or another's line breaks

    def __init__(self, text: str, style: ParagraphStyle, bulletText: str | None = None, frags=None, **kwargs):
        if frags is not None or kwargs:  # reportlab splitting a paragraph: already parsed
            super().__init__(text, style, bulletText, frags=frags, **kwargs)
            return
        # Parsing markup is a third of a warm build: each (text, style) is parsed once per
        # process. A paragraph copies the fragments only if it breaks its own lines (most
        # take shared line breaks, and never read them): copying them all was 6% of a build.
        key = self._key = (text, id(style), bulletText)
        cached = _PARSED.get(key)
        if cached is None:
            if text and "<" not in text and "&" not in text:
                # No markup: one run in the style's own font, as the parser would make it
                # (most steps and tips; the parser is a fifth of a first build).
                clean = cleanBlockQuotedText(text)
                super().__init__(clean, style, bulletText, frags=[_one_run(style).clone(text=clean)])
            else:
                super().__init__(text, style, bulletText)
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.clear()
                _BROKEN.clear()  # its keys hold style ids that only _PARSED keeps alive
            parsed: list = [frag.clone() for frag in self.frags]  # type: ignore[has-type]
            _PARSED[key] = (style, parsed)  # the style is kept alive with its id
            self._parsed = parsed
        else:
            super().__init__(text, style, bulletText, frags=cached[1])
            self._parsed, self._owns_frags = cached[1], False

    def _own_frags(self) -> None:
        """Its own copy of the parsed fragments, before reportlab breaks lines from them
        (breaking marks and replaces them)."""
        if not self._owns_frags:
            self.frags = [frag.clone() for frag in self._parsed]
            self._owns_frags = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Trusted only while those very line breaks are still attached: splitting and
        # some table code replace or delete blPara, and then the lines are broken again.
        if (self._wrapped is None or self._wrapped[0] != availWidth
                or self._wrapped[1] is not getattr(self, "blPara", None)):
            style, known = _BROKEN.get((*self._key, availWidth), (None, {})) if self._key else (None, {})
            # Only the very style (an id can be reused), and never right-to-left text: drawing
            # reverses its words in place, which would reverse them for every sharer.
            if (style is not None and style is self.style and "autoLeading" not in self.__dict__
                    and style.wordWrap != "RTL"):
                self.__dict__.update(known)
                self._shared, self._owns_frags = True, False
            else:
                self._own_frags()
                super().wrap(availWidth, availHeight)
                self._shared = False
                if self._key:
                    _BROKEN[(*self._key, availWidth)] = (self.style, {n: getattr(self, n) for n in _WRAP_RESULT})
            self._wrapped = (availWidth, self.blPara)
        return self.width, self.height

    def content_key(self) -> tuple | None:
        """Its text, style and bullet, for a key that may outlive it (replay.py): the style
        itself, not its id. None for a part split off."""
        return None if self._key is None else (self._key[0], self.style, self._key[2])

    def drawn_key(self) -> tuple | None:
        """What its drawing depends on, for plaintext.py to keep it by: the text, style and
        bullet, and the width of the line breaks it holds (None for a part split off)."""
        if self._key and self._wrapped and self._wrapped[1] is getattr(self, "blPara", None):
            return (*self._key, self._wrapped[0])
        return None

    def draw(self) -> None:
        if not draw_plain(self):  # (a plain paragraph, in a third of reportlab's time)
            super().draw()

    def split(self, availWidth: float, availHeight: float) -> list:
        if self._shared and self._wrapped:  # break its own lines to cut up, at the width the shared ones were for
            width = self._wrapped[0]
            self._own_frags()
            PlatypusParagraph.wrap(self, width, availHeight)
            self._shared, self._wrapped = False, (width, self.blPara)
        return super().split(availWidth, availHeight)


class Styles(NamedTuple):
    """Everything the parts need to know about the look, precomputed once per build."""

    template: Template
    body: ParagraphStyle
    body_bold: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    card_title: ParagraphStyle
    label: ParagraphStyle
    step: ParagraphStyle
    stop_line: ParagraphStyle
    dose: ParagraphStyle  # the prescription, in a shaded band under the card's title
    boxed: ParagraphStyle  # a bordered paragraph: the clinician's note on a card
    page_width: float
    page_height: float
    margins: dict[str, float]

    @property
    def frame_width(self) -> float:
        return self.page_width - self.margins["left"] - self.margins["right"]

    @property
    def frame_height(self) -> float:
        return self.page_height - self.margins["top"] - self.margins["bottom"] - self.header_space - self.footer_space

    @property
    def header_space(self) -> float:
        return self.small.leading * 1.8

    @property
    def footer_space(self) -> float:
        return self.small.leading * 1.8

    def colour(self, role: str) -> colors.Color:
        return colors.HexColor(self.template["colours"][role])

    @property
    def gap(self) -> float:
        return self.body.fontSize * 0.6


_STYLES: dict[tuple[str, str], Styles] = {}


def make_styles(template: Template, page_size: str) -> Styles:
    """The styles for a template and paper size, made once per process (paragraph parses
    are cached per style object, so equal templates must share their styles)."""
    key = (json.dumps(template.data, sort_keys=True), page_size)
    if key not in _STYLES:
        _STYLES[key] = _make_styles(template, page_size)
    return _STYLES[key]


def _make_styles(template: Template, page_size: str) -> Styles:
    regular = fonts.register()
    sizes, col = template["sizes"], template["colours"]
    spacing = sizes["line_spacing"]
    text, heading = colors.HexColor(col["text"]), colors.HexColor(col["heading"])

    def style(name: str, size: float, font: str = regular, **kw) -> ParagraphStyle:
        kw.setdefault("textColor", text)
        # Step numbers and bullets in the body font at full size (reportlab's default is Helvetica 10 pt).
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * spacing, 2),
                              bulletFontName=fonts.BOLD, bulletFontSize=size, **kw)

    body = sizes["body"]
    width, height = PAGE_SIZES[page_size]
    return Styles(
        template=template,
        body=style("body", body, spaceAfter=body * 0.4),
        body_bold=style("body_bold", body, fonts.BOLD),
        small=style("small", sizes["small"]),
        caption=style("caption", sizes["small"], fonts.BOLD, alignment=TA_CENTER,
                      textColor=colors.HexColor(col["muted"])),
        title=style("title", sizes["title"], fonts.BOLD, textColor=heading, spaceAfter=sizes["title"] * 0.2),
        subtitle=style("subtitle", sizes["heading"], textColor=heading, spaceAfter=body * 0.5),
        heading=style("heading", sizes["heading"], fonts.BOLD, textColor=heading, spaceBefore=body * 0.6,
                      spaceAfter=body * 0.4, keepWithNext=1),
        card_title=style("card_title", sizes["card_title"], fonts.BOLD, textColor=heading, keepWithNext=1),
        label=style("label", body, fonts.BOLD, textColor=heading, spaceBefore=body * 0.3, keepWithNext=1),
        step=style("step", body, leftIndent=body * 1.5, bulletIndent=0, spaceAfter=body * 0.15),
        stop_line=style("stop_line", body, spaceAfter=body * 0.25, leftIndent=body * 1.1),
        # The band's padding is drawn outside the text, so indents keep it inside the frame.
        dose=style("dose", body, backColor=colors.HexColor(col["table_header_fill"]), borderPadding=body * 0.3,
                   leftIndent=body * 0.3, rightIndent=body * 0.3, spaceBefore=body * 0.5, spaceAfter=body * 0.6),
        boxed=style("boxed", body, borderColor=colors.HexColor(col["stop_border"]), borderWidth=1.5,
                    borderPadding=body * 0.4, leftIndent=body * 0.4, rightIndent=body * 0.4,
                    spaceBefore=body * 0.8, spaceAfter=body * 0.6),
        page_width=width, page_height=height,
        margins={k: v * mm for k, v in template["page"]["margins_mm"].items()},
    )


def table_replay_key(rows: list[list], widths: list[float], commands: list[tuple], *more) -> tuple | None:
    """A table's content as replay.py keys it: each cell's text and style (the style itself,
    not its id), the column widths and the style commands; None if a cell is something else."""
    cells: list[object] = []
    for row in rows:
        for cell in row:
            flows = cell if isinstance(cell, list) else [cell]
            for flow in flows:
                if isinstance(flow, str):
                    cells.append(flow)
                elif isinstance(flow, Paragraph) and flow.content_key() is not None:
                    cells.append(flow.content_key())
                else:
                    return None
        cells.append(None)  # the row's end
    return ("table", tuple(cells), tuple(widths), tuple(commands), *more)


def text_width(text: str, style: ParagraphStyle) -> float:
    """How wide `text` prints in `style`'s font and size, on one line."""
    return stringWidth(text, style.fontName, style.fontSize)
