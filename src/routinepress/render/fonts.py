"""The embedded font family, and the check that every printed character is in it."""

from __future__ import annotations

import threading

import fontpkg_atkinson_hyperlegible as atkinson
from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import replay

REGULAR, BOLD = "Atkinson", "Atkinson-Bold"
# Upright faces only. Slanted letters are harder to read for the people these handouts are
# for, and nothing in a handout asks for them (user text is escaped, so it brings no <i>):
# an <i> reads upright, and the two italic files are never parsed (5 ms of every cold build).
_FILES = {
    REGULAR: "AtkinsonHyperlegible-Regular.ttf",
    BOLD: "AtkinsonHyperlegible-Bold.ttf",
}
# Characters that are layout, not glyphs: a missing one here is no loss.
_IGNORABLE = set("\n\r\t\u00ad\u200b")
# Font programs kept per font, one per subset made: a plain-ASCII handout uses subset 0, so
# a handful covers a batch; the dict is emptied if odd texts ever make more.
_SUBSETS_KEPT = 16


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


class Font(TTFont):
    """reportlab's TrueType font, with a shortcut for plain ASCII text.

    reportlab maps each character to a code of a font subset one at a time, in Python: about
    7% of a warm build. With ASCII kept readable (reportlab's default), the printable
    ASCII characters are always codes 32-126 of subset 0, so a run of them needs no lookup;
    anything else takes reportlab's own path. test_internals checks that the two agree.

    Each document embeds a font program per subset it used, which reportlab cuts from the
    font file again for every document (about half a millisecond a font). The program
    depends only on the face and the subset's codes in order: each is cut once per process
    (test_caches).
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._ascii_is_itself = bool(self._asciiReadable) and all(
            code in self.face.charToGlyph for code in range(32, 127))
        self._subsets: dict[tuple[int, ...], bytes] = {}
        self._cutting = threading.Lock()
        # reportlab asks the face (addSubsetObjects) for each subset's program: the face's
        # own attribute comes before its class's method.
        self.face.makeSubset = self._font_program

    def _font_program(self, subset: list[int]) -> bytes:
        key = tuple(subset)
        # Read once into a local: another thread may empty the dict between two lines here.
        program = self._subsets.get(key)
        if program is None:
            with self._cutting:  # reportlab reads the font through one shared file position
                program = type(self.face).makeSubset(self.face, subset)
            if len(self._subsets) >= _SUBSETS_KEPT:
                self._subsets.clear()
            self._subsets[key] = program
        return program

    def splitString(self, text, doc, encoding="utf-8"):
        if (self._ascii_is_itself and isinstance(text, str) and text.isascii() and text.isprintable()
                and doc in self.state and text):
            answer = [(0, text.encode("ascii"))]
        else:
            answer = super().splitString(text, doc, encoding)
        if getattr(replay.font_uses, "stack", None):  # a drawing is being recorded (replay.py)
            replay.note_use("split", self, (text, encoding), answer)
        return answer

    def addObjects(self, doc) -> None:
        """reportlab's font objects, each subset's widths array formatted once a process."""
        # (the document's font dictionary, where reportlab lists each subset's font object)
        listed = doc.idToObject["BasicFonts"].dict
        before = set(listed)
        super().addObjects(doc)
        for name in listed.keys() - before:
            listed[name].Widths = _KeptWidths(listed[name].Widths.sequence)

    def getSubsetInternalName(self, subset, doc):
        name = super().getSubsetInternalName(subset, doc)
        if getattr(replay.font_uses, "stack", None):
            replay.note_use("name", self, (subset,), name)
        return name


class _KeptWidths(pdfdoc.PDFArray):
    """A subset's widths: 128 or more numbers, formatted by reportlab for every document (a
    thirtieth of a warm build) though they depend only on the face and the subset's codes.
    A number's format depends on no document, so each array's is kept (test_caches)."""

    def format(self, document, IND=b"\n "):
        key = (tuple(self.sequence), rl_config.pdfMultiLine, IND)
        # Read once into a local: another thread may empty the dict between two lines here.
        text = _WIDTHS_FORMATTED.get(key)
        if text is None:
            text = super().format(document, IND)
            if len(_WIDTHS_FORMATTED) >= 2 * _SUBSETS_KEPT:
                _WIDTHS_FORMATTED.clear()
            _WIDTHS_FORMATTED[key] = text
        return text


_WIDTHS_FORMATTED: dict[tuple, bytes] = {}


def path(name: str) -> str:
    """The TrueType file of one of the family's two fonts."""
    return str(atkinson.ROOT / "files" / _FILES[name])


def _register() -> None:
    for name in _FILES:
        pdfmetrics.registerFont(Font(name, path(name)))
    # The family's four mappings (all that registerFontFamily would make), the upright ones
    # last: reportlab reads a font name back (ps2tt) by the last mapping made to it, and an
    # upright face must read back as upright, not italic.
    for bold, italic, name in ((0, 1, REGULAR), (1, 1, BOLD), (0, 0, REGULAR), (1, 0, BOLD)):
        addMapping(REGULAR, bold, italic, name)


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the font cannot print (reportlab would drop them silently)."""
    register()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return {c for c in set(text) - _IGNORABLE if ord(c) not in glyphs}
