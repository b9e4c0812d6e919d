"""The quick way through a one-handout `routinepress build`, the command a Makefile runs
once per handout.

Most of such a process is fixed cost, not layout: starting Python, importing click,
reportlab and the schema validator, and tearing all of it down again. For the plain
command line `build SPEC [-o OUT] [--depfile FILE]` this module
- skips click (the parse is trivial);
- lets reportlab import Pillow's image module without running it (a handout without
  photos or a logo never uses it);
- keeps pyphen out of reportlab (it only serves hyphenation, which no style asks for);
- turns on validity.py's, cldr.py's and render/layouts.py's records (build.keeping_records,
  as click's `build` does): documents known to be valid need no schema validator, dates
  and plurals asked before no Babel, and cards laid out before no choosing of their
  arrangement.
Any other command line goes to click, which stays the one definition of the options;
this path must behave exactly like it (tests/test_coldstart.py runs both).
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import sys
import types
from pathlib import Path

# A module reportlab imports at start-up that a handout of drawn poses never calls into: it
# is loaded on the first use of one of its attributes instead (reportlab only keeps a
# reference at import; a photo or a logo uses it, and then it loads). A plain `import X`
# statement would load it at once on Python 3.11, which is why pyphen is hidden instead.
DEFERRED = ("PIL.Image",)

# Modules reportlab imports at start-up only to call into later, in what a handout never
# asks of it. Each is a stand-in until its first use, when the real module loads, which
# spares a cold build some 10-20 ms. Each name is imported from it with `from X import
# name` and only ever called, so the stand-in hands out a function that calls the real one.
STAND_INS: dict[str, tuple[str, ...]] = {
    # Evaluating expressions in documents reportlab reads (templates, colour strings): it
    # brings in inspect, ast's helpers, dis and tokenize.
    "reportlab.lib.rl_safe_eval": ("rl_safe_exec", "rl_safe_eval", "safer_globals", "rl_extended_literal_eval"),
    # reportlab's temporary files, and our caches' atomic writes (only when a cache is
    # written): with shutil, random, bz2 and lzma.
    "tempfile": (),
    # reportlab's store of flowables on disk.
    "pickle": (),
}


def plain_build(args: list[str]) -> tuple[Path, str | None, Path | None] | None:
    """(spec, -o, --depfile) when `args` is `build SPEC` with at most -o/--output and --depfile,
    each once with a separate value; None for anything else, which click then handles."""
    if not args or args[0] != "build":
        return None
    spec: str | None = None
    values: dict[str, str] = {}
    words = iter(args[1:])
    for word in words:
        option = {"-o": "output", "--output": "output", "--depfile": "depfile"}.get(word)
        if option:
            value = next(words, None)
            if option in values or not value or value.startswith("-"):
                return None
            values[option] = value
        elif word.startswith("-") or spec is not None or not word:
            return None  # another option, --help, a second spec: click's to handle
        else:
            spec = word
    depfile = values.get("depfile")
    if spec is None or (depfile and os.path.isdir(depfile)):
        return None  # click explains these
    return Path(spec), values.get("output"), Path(depfile) if depfile else None


def quick_build(args: list[str]) -> int | None:
    """Run a plain `build` command line; its exit code, or None when it is not one."""
    parsed = plain_build(args)
    if parsed is None:
        return None
    spec, output, depfile = parsed
    # No cyclic garbage collection: the process builds one handout and ends, freeing it all.
    # The collector's passes over the objects the imports and the layout make (some 60 of
    # them) were 6% of the build; reference counting still frees everything else as it goes.
    gc.disable()
    defer_imports(DEFERRED)
    stand_in_until_used(STAND_INS)
    import_reportlab_without_pyphen()
    from .build import BuildOptions, build_one, keeping_records, single_target
    from .errors import failure_report

    try:
        with keeping_records():
            built = build_one(spec, single_target(spec, output), BuildOptions(), depfile=depfile)
    except (Exception, KeyboardInterrupt) as exc:
        lines, code = failure_report(exc)
        print(*lines, sep="\n", file=sys.stderr)
        return code
    for warning in built.warnings:
        print(warning.format(), file=sys.stderr)
    try:
        print(built.summary(), flush=True)
    except BrokenPipeError:  # the reader left (`| head -0`): end with 1 and no traceback, as click does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def defer_imports(names: tuple[str, ...]) -> None:
    """Make each module load on its first attribute access rather than when imported.

    For a single-threaded process only: Python 3.11's lazy loader is not safe when two
    threads touch a module first at once, so the library and the server never do this.
    """
    import importlib.util

    for name in names:
        if name in sys.modules:
            continue
        parent, _, child = name.rpartition(".")
        try:
            found = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if found is None or found.loader is None:
            continue
        found.loader = importlib.util.LazyLoader(found.loader)
        module = importlib.util.module_from_spec(found)
        sys.modules[name] = module
        found.loader.exec_module(module)
        if parent:
            setattr(sys.modules[parent], child, module)


class _StandIn(types.ModuleType):
    """A module's place in sys.modules until something uses it: then the real module loads,
    takes that place, and answers (through the stand-in, for whoever imported it before)."""

    def __init__(self, name: str, callables: tuple[str, ...]):
        super().__init__(name)
        for function in callables:
            setattr(self, function, functools.partial(self._call, function))

    def _real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def _call(self, function: str, *args, **kwargs):
        return getattr(self._real(), function)(*args, **kwargs)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # (the import system's questions: a module not yet loaded)
            raise AttributeError(name)
        return getattr(self._real(), name)


def stand_in_until_used(modules: dict[str, tuple[str, ...]]) -> None:
    """Put a stand-in for each module not yet imported (for a single-threaded process only,
    as defer_imports)."""
    for name, callables in modules.items():
        if name not in sys.modules:
            sys.modules[name] = _StandIn(name, callables)


def import_reportlab_without_pyphen() -> None:
    """Import reportlab's paragraphs as if pyphen were not installed (their hyphenation is
    off unless a style names a language, and none of ours does); later imports see it."""
    if "reportlab.platypus.paragraph" in sys.modules or "pyphen" in sys.modules:
        return
    sys.modules["pyphen"] = None  # type: ignore[assignment]  # the import system's "not installed"
    try:
        from . import render  # noqa: F401  # imports reportlab.platypus
    finally:
        if "pyphen" in sys.modules and sys.modules["pyphen"] is None:
            del sys.modules["pyphen"]
