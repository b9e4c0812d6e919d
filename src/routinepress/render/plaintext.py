"""Plain paragraphs drawn straight into the page: the same operators reportlab writes, in a
third of the time.

Drawing paragraphs was a third of a warm build. Most of a handout's paragraphs are plain:
one font and colour, left-aligned, perhaps a bullet or number hanging in the margin (a
step, a tip, a label, a tracker row). For those, reportlab's general drawing code builds a
text object and formats each line through several layers. `draw_plain` writes the very
same text operators itself: line for line, byte for byte, so a handout's PDF is unchanged.
Anything else (markup that changes font or colour mid-line, centring, links, underlines,
borders, right-to-left text) returns False and is drawn by reportlab.

tests/test_internals.py draws a corpus of paragraphs both ways and compares the bytes, so a
reportlab upgrade that writes text differently fails there rather than in a printed page.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import paragraph as rl_paragraph


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
    bullet = _bullet(para, canvas, style, cur_y) if para.bulletText else ""
    if bullet is None:
        return False
    leading = style.leading
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, cur_y)} Tm"]
    if lines.kind == 0:
        _one_font_lines(code, lines, leading, doc)
    elif not _mixed_lines(code, lines, leading, canvas):
        return False
    code.append("ET")
    canvas.saveState()
    if bullet:
        canvas._code.append(bullet)
    if lines.kind == 0:  # (one colour: set outside the text object; mixed ones set theirs inside)
        canvas.setFillColor(lines.textColor)
    canvas._code.append(" ".join(code))
    canvas.restoreState()
    return True


def _one_font_lines(code: list[str], lines, leading: float, doc) -> None:
    """reportlab's lines of one font and colour (kind 0): words, with a line a hair too long
    set with tighter word spaces, as reportlab sets it."""
    font, switch, subset = getFont(lines.fontName), f"{fp_str(lines.fontSize)} Tf {fp_str(leading)} TL", -1
    for extra, words in lines.lines:
        text = " ".join(words)
        spaces = len(words) + text.count("\xa0") - 1 if extra <= -1e-8 else 0
        if spaces > 0:
            code.append(f"{fp_str(extra / float(spaces))} Tw")
        subset = _show(code, text, font, doc, switch, subset)
        code[-1] += " T*"
        if spaces > 0:
            code.append("0 Tw")


def _mixed_lines(code: list[str], lines, leading: float, canvas) -> bool:
    """reportlab's lines of fragments (kind 1: bold and plain runs, several sizes or colours),
    as its _putFragLine writes them; False for anything more (links, underlines, raised or
    shaded text, images)."""
    doc, font, key, colour, switch, subset = canvas._doc, None, None, None, "", -1
    for n, line in enumerate(lines.lines):
        frags = line.words
        if any(hasattr(f, "cbDefn") or getattr(f, "us_lines", None) or getattr(f, "link", None)
               or getattr(f, "backColor", None) or getattr(f, "rise", 0) for f in frags):
            return False
        spaces = 0
        if line.extraSpace <= -1e-8:
            spaces = line.wordCount + sum(f.text.count("\xa0") for f in frags) - 1
            if spaces > 0:
                code.append(f"{fp_str(line.extraSpace / float(spaces))} Tw")
        if n == 0:  # the leading, set as the first line starts (after its word spacing)
            code.append(f"{fp_str(leading)} TL")
        for f in frags:
            if key != (f.fontName, f.fontSize):
                key, font, subset = (f.fontName, f.fontSize), getFont(f.fontName), -1
                if not font._dynamicFont:
                    return False
                switch = f"{fp_str(f.fontSize)} Tf {fp_str(leading)} TL"
            if colour != f.textColor:
                colour = f.textColor
                colour_op = _text_colour(canvas, colour)
                if colour_op is None:
                    return False
                code.append(colour_op)
            subset = _show(code, f.text, font, doc, switch, subset)
            if f is frags[-1]:
                code[-1] += " T*"
        if spaces > 0:
            code.append("0 Tw")
    return True


def _is_plain(para, style, lines) -> bool:
    return (
        lines.kind in (0, 1) and bool(lines.lines) and style.alignment == TA_LEFT and not style.firstLineIndent
        and not getattr(style, "endDots", None)
        and not para.debug and not any(getattr(para, "_offsets", None) or ())
        and style.wordWrap not in ("RTL", "CJK") and not style.backColor
        and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None))
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


def _show(code: list[str], text: str, font, doc, switch: str, subset: int) -> int:
    """Append `text` as reportlab's text object shows it: the subset's font when it changes,
    then each run; the subset in use after it."""
    runs = []
    for run_subset, run in font.splitString(text, doc):
        if run_subset != subset:
            runs.append(f"{font.getSubsetInternalName(run_subset, doc)} {switch}")
            subset = run_subset
        runs.append(f"({escapePDF(run)}) Tj")
    code.append(" ".join(runs))
    return subset
