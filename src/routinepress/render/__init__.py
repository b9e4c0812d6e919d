"""Laying out the handout with reportlab: styles, parts, pictures, the document.

Importing reportlab's paragraph module compiles a URL pattern routinepress never uses
(it serves the `uriWasteReduce` style option): case-insensitive character classes up to
U+FFFF, which cost Python's regex compiler about 27 ms, a tenth of a cold build. The
first module of this package to load imports reportlab's platypus here, with such
patterns compiled on first use instead of at import. Every other pattern compiles as usual:
the stand-in is handed only to that module, in the importing thread, during the import.
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


def _costly(pattern: object, flags: int) -> bool:
    """Case folding over characters past Latin-1 is what makes a compile slow."""
    return bool(flags & re.IGNORECASE) and isinstance(pattern, str) and any(ord(c) > 0xFF for c in pattern)


def _import_platypus() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile
    importer = threading.get_ident()

    def compile_or_defer(pattern, flags=0):
        # Confined: only reportlab's paragraph module, importing in this thread, ever gets a
        # stand-in. Any other caller (another thread, another module) gets a real re.Pattern.
        if (threading.get_ident() == importer and _costly(pattern, flags)
                and sys._getframe(1).f_globals.get("__name__") == _DEFERRED_IN):
            return _PatternOnFirstUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_or_defer
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = compile_now


_DEFERRED_IN = "reportlab.platypus.paragraph"
_import_platypus()
