"""The embedded font family, and the check that every printed character is in it."""

from __future__ import annotations

import threading

import fontpkg_atkinson_hyperlegible as atkinson
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD, ITALIC, BOLD_ITALIC = "Atkinson", "Atkinson-Bold", "Atkinson-Italic", "Atkinson-BoldItalic"
_FILES = {
    REGULAR: "AtkinsonHyperlegible-Regular.ttf",
    BOLD: "AtkinsonHyperlegible-Bold.ttf",
    ITALIC: "AtkinsonHyperlegible-Italic.ttf",
    BOLD_ITALIC: "AtkinsonHyperlegible-BoldItalic.ttf",
}
# Characters that are layout, not glyphs: a missing one here is no loss.
_IGNORABLE = set("\n\r\t\u00ad\u200b")


_lock = threading.Lock()
_registered = False


def register() -> str:
    """Register the family once per process (bold/italic mapped, so <b> really is bold)."""
    global _registered
    with _lock:
        if not _registered:
            _register()
            _registered = True
    return REGULAR


def _register() -> None:
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(atkinson.ROOT / "files" / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, bold, italic, name)


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the font cannot print (reportlab would drop them silently)."""
    register()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return {c for c in set(text) - _IGNORABLE if ord(c) not in glyphs}
