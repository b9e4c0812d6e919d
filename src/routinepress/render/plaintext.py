"""Paragraphs drawn straight into the page: the same operators reportlab writes, in a
fraction of the time.

Drawing paragraphs was a third of a warm build, nearly all of it reportlab's general
machinery: a text object, and each line formatted through several layers that handle
links, underlines, images in text, justification and right-to-left scripts. A handout's
paragraphs use none of that: left-aligned or centred lines in one font, or in runs of
bold and plain, perhaps a number or bullet hanging in the margin, perhaps a shaded or
bordered box. `draw_plain` writes their text operators itself, line for line and byte for
byte as reportlab would, so a handout's PDF is unchanged. Anything more returns False, and
reportlab draws it.

tests/test_internals.py builds every example in every template both ways and compares the
bytes, so a reportlab upgrade that writes text differently fails there, not on paper.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.geomutils import normalizeTRBL
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import paragraph as rl_paragraph

# What a paragraph writes, by its text, style, bullet and width (the line-break cache's
# key): a batch or a server prints the same steps in handout after handout. Kept with font
# names left as places to fill (each document numbers its fonts in the order it meets
# them), and only for plain ASCII, whose codes are the same in every document (a no-break
# space too: it is written as a space).
_DRAWN: dict[tuple, tuple[Any, str, tuple[tuple[Any, int], ...], tuple[Any, ...]]] = {}
_DRAWN_LIMIT = 5_000
_NAME = "\x00"  # where a font's name goes (never in text: control characters are refused, and escaped)


def draw_plain(para) -> bool:
    """Draw a wrapped platypus Paragraph on its canvas as reportlab's drawPara would, if it is
    plain (see the module's doc); False, having drawn nothing, if it is not."""
    style, lines = para.style, para.blPara
    if not _is_plain(para, style, lines):
        return False
    canvas = para.canv
    doc = canvas._doc
    first = lines if lines.kind == 0 else lines.lines[0]  # (as reportlab measures from)
    cur_y = (para.height - first.fontSize if rl_paragraph.paraFontSizeHeightOffset
             else para.height - getattr(first, "ascent", first.fontSize))
    # The bullet or number first, as reportlab draws it first (a "•" is coded as each
    # document first meets it, so it is written afresh every time).
    bullet = _bullet(para, canvas, style, cur_y) if para.bulletText else ""
    if bullet is None:
        return False
    key = para.drawn_key()
    known = _DRAWN.get(key) if key else None
    if known is not None and known[0] is style:
        _, template, fonts, colours = known
        if any(_text_colour(canvas, colour) is None for colour in colours):
            return False  # (only if the page's transparency changed since: reportlab writes it)
        for font, _subset in fonts:  # (its subsets set up as reportlab's first use sets them)
            if doc not in font.state:
                font.splitString(" ", doc)
    else:
        recorded = _record(style, lines, canvas, cur_y)
        if recorded is None:
            return False
        template, fonts, colours, ascii_only = recorded
        if key and ascii_only:
            if len(_DRAWN) >= _DRAWN_LIMIT:
                _DRAWN.clear()
            _DRAWN[key] = (style, template, fonts, colours)  # (the style kept alive with its id)
    # The font names, asked in the order the page uses them: a document numbers its fonts
    # as they are first asked for.
    parts = template.split(_NAME)
    text = parts[0] + "".join(font.getSubsetInternalName(subset, doc) + part
                              for (font, subset), part in zip(fonts, parts[1:]))
    _box(canvas, para, style)
    # One entry for what saveState, the bullet, setFillColor, the text and restoreState write
    # (the page joins its entries with line ends); the canvas's own state is the same after
    # them as before, so it is not touched.
    canvas._code.append("\n".join(op for op in ("q", bullet, text, "Q") if op))
    return True


def _record(style, lines, canvas, cur_y: float) -> tuple[str, tuple, tuple, bool] | None:
    """What the paragraph's text writes (its colour, then its text object), font names left
    as places to fill; those fonts and subsets in order, the colours it sets, and whether all
    its text was plain ASCII. None if it is more than plain after all."""
    fonts: list[tuple[Any, int]] = []
    colours: list[Any] = []
    ops = []
    if lines.kind == 0:
        colour = _text_colour(canvas, lines.textColor)
        if colour is None:
            return None
        ops.append(colour)
        colours.append(lines.textColor)
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, cur_y)} Tm"]
    centred = style.alignment == TA_CENTER
    ascii_only: bool | None
    if lines.kind == 0:
        ascii_only = _one_font_lines(code, lines, style.leading, canvas._doc, centred, fonts)
    else:
        ascii_only = _mixed_lines(code, lines, style.leading, canvas, centred, fonts, colours)
        if ascii_only is None:
            return None
    code.append("ET")
    ops.append(" ".join(code))
    return "\n".join(ops), tuple(fonts), tuple(colours), ascii_only


def _plain_ascii(text: str) -> bool:
    """Printable ASCII (a no-break space counts: the fonts write it as a space)."""
    text = text.replace("\xa0", " ")
    return text.isascii() and text.isprintable()


def _one_font_lines(code: list[str], lines, leading: float, doc, centred: bool,
                    fonts: list[tuple[Any, int]]) -> bool:
    """reportlab's lines of one font and colour (kind 0): words, with a line a hair too long
    set with tighter word spaces, as reportlab sets it; a centred line moved in by half its
    spare width, and back. Whether all of it was plain ASCII."""
    font, switch, subset = getFont(lines.fontName), f"{fp_str(lines.fontSize)} Tf {fp_str(leading)} TL", -1
    ascii_only = True
    for extra, words in lines.lines:
        text = " ".join(words)
        spaces = len(words) + text.count("\xa0") - 1 if extra <= -1e-8 else 0
        shift = 0.5 * extra if centred and spaces <= 0 else 0.0
        if spaces > 0:
            code.append(f"{fp_str(extra / float(spaces))} Tw")
        _move(code, shift)
        subset = _show(code, text, font, doc, switch, subset, fonts)
        ascii_only = ascii_only and _plain_ascii(text)
        code[-1] += " T*"
        if spaces > 0:
            code.append("0 Tw")
        _move(code, -shift)
    return ascii_only


def _mixed_lines(code: list[str], lines, leading: float, canvas, centred: bool,
                 fonts: list[tuple[Any, int]], colours: list[Any]) -> bool | None:
    """reportlab's lines of fragments (kind 1: bold and plain runs, several sizes or colours),
    as its _putFragLine writes them; whether all of it was plain ASCII, or None for anything
    more (links, underlines, raised or shaded text, images)."""
    doc, font, key, colour, switch, subset = canvas._doc, None, None, None, "", -1
    ascii_only = True
    for n, line in enumerate(lines.lines):
        frags = line.words
        if any(hasattr(f, "cbDefn") or getattr(f, "us_lines", None) or getattr(f, "link", None)
               or getattr(f, "backColor", None) or getattr(f, "rise", 0) for f in frags):
            return None
        spaces = 0
        if line.extraSpace <= -1e-8:
            spaces = line.wordCount + sum(f.text.count("\xa0") for f in frags) - 1
        shift = 0.5 * line.extraSpace if centred and spaces <= 0 else 0.0
        if spaces > 0:
            code.append(f"{fp_str(line.extraSpace / float(spaces))} Tw")
        _move(code, shift)
        if n == 0:  # the leading, set as the first line starts (after its spacing and move)
            code.append(f"{fp_str(leading)} TL")
        for f in frags:
            if key != (f.fontName, f.fontSize):
                key, font, subset = (f.fontName, f.fontSize), getFont(f.fontName), -1
                if not font._dynamicFont:
                    return None
                switch = f"{fp_str(f.fontSize)} Tf {fp_str(leading)} TL"
            if colour != f.textColor:
                colour = f.textColor
                colour_op = _text_colour(canvas, colour)
                if colour_op is None:
                    return None
                code.append(colour_op)
                colours.append(colour)
            subset = _show(code, f.text, font, doc, switch, subset, fonts)
            ascii_only = ascii_only and _plain_ascii(f.text)
            if f is frags[-1]:
                code[-1] += " T*"
        if spaces > 0:
            code.append("0 Tw")
        _move(code, -shift)
    return ascii_only


def _move(code: list[str], dx: float) -> None:
    """Move the line start across by dx, as reportlab's text object does: a move straight
    after another is merged with it (its written, rounded value read back), and a move of
    next to nothing is not written."""
    if -1e-6 <= dx <= 1e-6:
        return
    if code[-1].endswith(" Td"):
        dx += float(code.pop().split()[0])
    code.append(f"{fp_str(dx, 0)} Td")


def _box(canvas, para, style) -> None:
    """The paragraph's shading and border, drawn before its text, as reportlab draws them."""
    fill = style.backColor
    line_colour, line_width = getattr(style, "borderColor", None), getattr(style, "borderWidth", None)
    stroked = bool(line_colour and line_width)
    if not (fill or stroked):
        return
    top, right, bottom, left = normalizeTRBL(getattr(style, "borderPadding", 0))
    x, width = style.leftIndent - left, para.width - style.leftIndent - style.rightIndent + left + right
    canvas.saveState()
    radius = getattr(style, "borderRadius", 0) if stroked else 0
    if stroked:
        canvas.setStrokeColor(line_colour)
        canvas.setLineWidth(line_width)
    if fill:
        canvas.setFillColor(fill)
    shape = dict(stroke=int(stroked), fill=int(bool(fill)))
    if radius:
        canvas.roundRect(x, -bottom, width, para.height + top + bottom, radius, **shape)
    else:
        canvas.rect(x, -bottom, width, para.height + top + bottom, **shape)
    canvas.restoreState()


def _is_plain(para, style, lines) -> bool:
    """Whether reportlab would draw this paragraph with nothing more than this module writes."""
    return (
        lines.kind in (0, 1) and bool(lines.lines) and style.alignment in (TA_LEFT, TA_CENTER)
        and not style.firstLineIndent and not getattr(style, "endDots", None)
        and not para.debug and not any(getattr(para, "_offsets", None) or ())
        and style.wordWrap not in ("RTL", "CJK")
        and not getattr(lines, "us_lines", None) and not getattr(lines, "link", None)
        and getattr(para, "autoLeading", getattr(style, "autoLeading", "")) not in ("max", "min")
        and "preformatted" not in type(para).__name__.lower()
        and (para.bulletText is None or (isinstance(para.bulletText, str) and style.bulletAnchor == "start"))
        and (lines.kind == 1 or getFont(lines.fontName)._dynamicFont) and para.canv.bottomup
    )


def _bullet(para, canvas, style, cur_y: float) -> str | None:
    """The text object reportlab's _drawBullet writes for a paragraph's bullet or number, in
    its own font and colour; None where it would write more than this does."""
    text, size = para.bulletText, style.bulletFontSize
    font = getFont(style.bulletFontName)
    end = style.bulletIndent + stringWidth(text, style.bulletFontName, size) + size * 0.6
    colour = _text_colour(canvas, getattr(style, "bulletColor", style.textColor))
    if end - style.leftIndent > 1e-6 or not font._dynamicFont or colour is None:
        return None  # (a wide bullet pushes the first line right: reportlab moves it with Td)
    code = ["BT", f"1 0 0 1 {fp_str(style.bulletIndent, cur_y + getattr(style, 'bulletOffsetY', 0))} Tm", colour]
    _show(code, text, font, canvas._doc, f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL", -1)
    code.append("ET")
    return " ".join(code)


def _text_colour(canvas, colour) -> str | None:
    """The fill-colour operator a text object writes for `colour`; None where it would write
    more (a CMYK separation, or a change of transparency)."""
    if canvas._enforceColorSpace or isinstance(colour, CMYKColor) or not isinstance(colour, Color):
        return None
    alpha = getattr(colour, "alpha", None)
    if alpha is not None:
        if canvas._extgstate._d.get("ca", 1) != alpha:
            return None
        canvas._doc.ensureMinPdfVersion("transparency")
    return f"{fp_str((colour.red, colour.green, colour.blue))} rg"


def _show(code: list[str], text: str, font, doc, switch: str, subset: int,
          fonts: list[tuple[Any, int]] | None = None) -> int:
    """Append `text` as reportlab's text object shows it: the subset's font when it changes,
    then each run; the subset in use after it. With `fonts`, each font's name is left as a
    place to fill, and the font and subset are added to `fonts` in the order of the places."""
    runs = []
    for run_subset, run in font.splitString(text, doc):
        if run_subset != subset:
            if fonts is None:
                name = font.getSubsetInternalName(run_subset, doc)
            else:
                name = _NAME
                fonts.append((font, run_subset))
            runs.append(f"{name} {switch}")
            subset = run_subset
        runs.append(f"({escapePDF(run)}) Tj")
    code.append(" ".join(runs))
    return subset
