"""One error model for the whole pipeline.

Library code raises; only the CLI turns an error into an exit code. Every problem
a user can fix is a `Diagnostic` naming the file and the place in it (a JSON path
such as ``$.sections[0].exercises[2]`` or ``line 4, column 7``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple


class Diagnostic(NamedTuple):
    """One problem in one input file, with an optional hint on how to fix it."""

    file: str
    where: str
    message: str
    hint: str | None = None
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.where}: " if self.where else ""
        text = f"{self.severity}: {self.file}: {where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class RoutinepressError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(RoutinepressError):
    """The user's input (spec, catalog, template, image, pose) has problems.

    Carries every problem found, so one run reports them all.
    """

    def __init__(self, diagnostics: list[Diagnostic], warnings: Sequence[Diagnostic] = ()):
        if not diagnostics:
            raise ValueError("InputError needs at least one diagnostic")
        self.diagnostics = list(diagnostics)
        # Found in the same reading: shown after the errors, so a fix does not uncover them one by one.
        self.warnings = list(warnings)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def single(cls, file: str | Path, where: str, message: str, hint: str | None = None):
        return cls([Diagnostic(display_path(file), where, message, hint)])


class LayoutFailure(RoutinepressError):
    """Something in the handout cannot be laid out on a page."""


EXIT_INPUT = 1
EXIT_INTERRUPTED = 130  # the shell's own code for a command ended by Ctrl-C (128 + SIGINT)


def failure_report(exc: BaseException) -> tuple[list[str], int]:
    """The lines a command prints for the error that ended it, and its exit code.

    The user's problems name the file and place; a bug of ours says so in one line, the
    traceback being for --debug. Every write is atomic, so Ctrl-C leaves no partial file.
    """
    if isinstance(exc, InputError):
        return [d.format() for d in [*exc.diagnostics, *exc.warnings]], EXIT_INPUT
    if isinstance(exc, RoutinepressError):
        return [f"error: {exc}"], EXIT_INPUT
    if isinstance(exc, KeyboardInterrupt):
        return ["interrupted"], EXIT_INTERRUPTED
    return [f"internal error: {exc.__class__.__name__}: {exc}",
            "This is a bug in routinepress. Please report it with the command you ran; "
            "--debug shows the traceback."], EXIT_INPUT


def display_path(path: str | Path) -> str:
    """A path as the user would recognise it: relative to the working folder when inside it."""
    try:  # (abspath, not resolve: a spec reached through a link is named as the user named it)
        absolute, folder = os.path.abspath(path), str(_resolved(os.getcwd()))
        # By plain text, as abspath has made both plain (some 25 us less than as Paths, on
        # each of a build's three calls); an odd root ("//") goes the long way.
        if absolute.startswith("//") or folder.startswith("//") or absolute == folder:
            return str(Path(absolute).relative_to(folder))
        inside = folder.rstrip(os.sep) + os.sep
        if absolute.startswith(inside):
            return absolute[len(inside):]
    except (ValueError, OSError):
        pass
    return str(Path(path))


@functools.lru_cache(maxsize=4)
def _resolved(folder: str) -> Path:
    """The working folder, resolved once per name it has: resolving it again looked at each
    folder above it, some 60 us on every message and build. (The name the system gives for
    the working folder has no link in it, so what it resolves to cannot change.)"""
    return Path(folder).resolve()


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The hint for a misspelt name: the closest choice, if one is close enough."""
    import difflib  # only for a mistake: a build that goes well never pays for its import

    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    # or the one choice it begins: "hold" for hold_seconds
    close = close or [c for c in choices if word and c.startswith(word + "_")][:1]
    return f"did you mean '{close[0]}'?" if close else None
