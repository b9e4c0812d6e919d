"""`routinepress watch`: build, then build again whenever a file a handout was made from changes.

What to watch is what the build says it used (the same list a depfile gets: the spec, the
config, the catalog entries and their pictures, the template, the logo), plus the overlay
catalog folders, where a new entry may replace one the handout uses. A build that fails
prints its problems and leaves the last good PDF where it was; the watch goes on.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildOptions, batch_outputs, output_name, render_spec, write_atomic
from .errors import Diagnostic, InputError, RoutinepressError, display_path


@dataclass
class Watched:
    spec: Path
    output: Path
    inputs: set[Path] = field(default_factory=set)  # files (and overlay folders) the last build read
    started: int = 0  # time.time_ns() when the last build began


def outputs(specs: list[Path], output: Path | None, default: Path | None) -> list[Path]:
    """The same rule as `build`: one spec -> a file (or a file in a folder), several -> a folder."""
    target = output or default
    if len(specs) == 1 and not (target and target.is_dir()):
        return [target or Path(output_name(specs[0]))]
    return batch_outputs(specs, target or Path.cwd())


def check_targets(specs: list[Path], targets: list[Path]) -> None:
    """Each spec must be there to start with (a misspelt name was watched for ever), and a
    handout must never be written over its own spec."""
    missing = [spec for spec in specs if not spec.exists()]
    if missing:
        raise InputError([Diagnostic(display_path(spec), "", "file not found",
                                     "check the name: watch starts from a spec that exists (one deleted while "
                                     "watched is built again when it comes back)") for spec in missing])
    for spec, target in zip(specs, targets):
        if _resolved(spec) == _resolved(target):
            raise InputError.single(target, "", "is the spec itself; the handout would overwrite it",
                                    "write the PDF to another file, e.g. -o handout.pdf")


def watch(specs: list[Path], targets: list[Path], options: BuildOptions, echo: Callable[[str, bool], None],
          *, debounce_ms: int = 400) -> None:
    """Build each spec, then rebuild the ones whose files change, until interrupted (Ctrl-C)."""
    import watchfiles  # only this command needs it

    jobs = [Watched(spec, target) for spec, target in zip(specs, targets)]
    for job in jobs:
        _build(job, options, echo)
    while True:
        folders = _folders(jobs)
        announced = False
        # An empty set now and then (yield_on_timeout) says the watcher is in place: only then
        # is "watching" printed, so an edit made after it is never missed.
        for changes in watchfiles.watch(*folders, recursive=False, debounce=debounce_ms, step=50,
                                        rust_timeout=500, yield_on_timeout=True):
            changed = {_resolved(Path(p)) for _, p in changes}
            for job in jobs:
                # Before the watcher was in place (the first build, a change of folders) an edit
                # sends no event: a file newer than the build that read it says so instead.
                if any(p in job.inputs or p.parent in job.inputs for p in changed) or (not announced and _stale(job)):
                    _build(job, options, echo)
            if not announced:
                echo(f"watching {len(folders)} folder(s) for changes; Ctrl-C stops", False)
                announced = True
            if _folders(jobs) != folders:
                break  # the handouts now use files elsewhere: watch those folders instead


def _build(job: Watched, options: BuildOptions, echo: Callable[[str, bool], None]) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    job.started = time.time_ns()
    job.inputs |= _always_watched(job.spec)
    try:
        rendered = render_spec(job.spec, options)  # a fresh catalog: a new overlay entry is seen
    except InputError as exc:
        for diagnostic in [*exc.diagnostics, *exc.warnings]:
            echo(diagnostic.format(), True)
        kept = f"; {display_path(job.output)} kept as it was" if job.output.exists() else ""
        echo(f"[{stamp}] {display_path(job.spec)}: not built{kept}", True)
        return
    except RoutinepressError as exc:
        echo(f"error: {display_path(job.spec)}: {exc}", True)
        return
    try:
        write_atomic(job.output, rendered.data)
    except InputError as exc:
        echo(exc.diagnostics[0].format(), True)
        return
    for warning in rendered.warnings:
        echo(warning.format(), True)
    job.inputs = {_resolved(p) for p in rendered.inputs} | _always_watched(job.spec)
    pages = "1 page" if rendered.pages == 1 else f"{rendered.pages} pages"
    echo(f"[{stamp}] wrote {display_path(job.output)} ({pages})", False)


# A file's time stamp comes from a clock that may lag the one time.time_ns() reads by a tick.
_CLOCK_SLACK_NS = 20_000_000


def _stale(job: Watched) -> bool:
    """Whether a file the last build read has changed since that build began."""
    for path in job.inputs:
        try:
            if path.stat().st_mtime_ns > job.started - _CLOCK_SLACK_NS:
                return True
        except OSError:
            continue  # gone: an event (or the next build) tells
    return False


def _always_watched(spec: Path) -> set[Path]:
    """The spec, and the config files that govern it, even when the build failed before reading them."""
    from .config import CONFIG_NAME, config_file

    found = {_resolved(spec)}
    file = config_file(spec.parent)
    if file is not None:
        found.add(_resolved(file))
        try:
            from .config import load_config

            found |= {_resolved(d / "exercises") for d in load_config(file).catalog_dirs}
        except InputError:
            pass  # a broken config: its own file is watched, and fixing it rebuilds
    else:
        found.add(_resolved(spec.parent / CONFIG_NAME))  # one created beside the spec takes effect
    return found


def _folders(jobs: list[Watched]) -> tuple[Path, ...]:
    """The folders to watch, each without its subfolders: a file's own folder, an overlay folder itself.

    A folder, not a file, is watched: editors save by writing a new file and renaming it.
    """
    found = set()
    for job in jobs:
        for path in job.inputs:
            folder = path if path.is_dir() else path.parent
            if folder.is_dir():
                found.add(folder)
    return tuple(sorted(found))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
