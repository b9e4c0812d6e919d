"""Laying out the handout with reportlab: styles, parts, pictures, the document.

Importing reportlab's platypus compiles patterns routinepress never uses, or uses rarely: a
URL pattern in its paragraph module (serving the `uriWasteReduce` style option: case-
insensitive character classes up to U+FFFF, about 27 ms of Python's regex compiler), the CJK
word wrap of reportlab.lib.textsplit (a class of 53,000 code points, about 4 ms), and a few
milliseconds more: hyphenation's word patterns, the Python syntax colouring of its code
listings (PyFontify), CSS colour functions, date formats. The first module of this package
to load imports platypus here, with the patterns of those modules compiled on first use
instead of at import. Every other pattern compiles as usual: the stand-in is handed only
to those modules, in the importing thread, during the import. Each of them uses its
patterns only through their methods (pattern.match(...)), never hands one to re's own
functions or asks whether it is a re.Pattern, which a stand-in is not.
"""

from __future__ import annotations

import re
import sys
import threading


class _PatternOnFirstUse:
    """Stands in for a compiled pattern; compiles it the first time it is used."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return getattr(self._compiled, name)


def _import_platypus() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile
    importer = threading.get_ident()

    def compile_or_defer(pattern, flags=0):
        # Confined: only those reportlab modules, importing in this thread, ever get a
        # stand-in. Any other caller (another thread, another module) gets a real re.Pattern.
        if (threading.get_ident() == importer and isinstance(pattern, str)
                and sys._getframe(1).f_globals.get("__name__") in _DEFERRED_IN):
            return _PatternOnFirstUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_or_defer
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = compile_now


_DEFERRED_IN = ("reportlab.platypus.paragraph", "reportlab.lib.textsplit", "reportlab.lib.PyFontify",
                "reportlab.lib.colors", "reportlab.lib.normalDate", "reportlab.platypus.paraparser")
_import_platypus()
