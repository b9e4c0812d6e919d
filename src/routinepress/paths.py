"""Resolving paths that input files name, without letting them leave their folder."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, TypeVar

from .errors import InputError

T = TypeVar("T")
# The largest picture file a handout may use (render/images.py refuses bigger ones).
MAX_PICTURE_BYTES = 30 * 1024 * 1024


def confined(root: Path, relative: str, *, named_in: Path, where: str, within: Path | None = None) -> Path:
    """`relative` resolved against `root`; it must stay inside `within` (default `root`), symlinks included.

    `named_in` and `where` say which file and JSON path named it, for the error message.
    `within` is wider than `root` for a spec in a clinic folder: its paths may reach the
    clinic's shared logo or template (see config.py).
    """
    if not relative or PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).is_absolute():
        raise InputError.single(
            named_in, where, f"{relative!r} must be a relative path", f"give it relative to {root.resolve()}"
        )
    if "\x00" in relative:
        raise InputError.single(named_in, where, f"{relative!r} contains a NUL character; it is not a usable path")
    try:
        base = root.resolve()
        limit = within.resolve() if within is not None else base
        target = (base / relative).resolve()  # resolve() follows symlinks, so a link out is caught too
        is_file = target.is_file()
    except (OSError, RuntimeError) as exc:  # a name too long, a symlink loop
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError.single(named_in, where, f"{relative!r} is not a usable path ({reason})") from None
    if not target.is_relative_to(limit):
        raise InputError.single(
            named_in, where, f"{relative!r} leaves the folder {limit}",
            "keep pictures and logos inside the folder of the file that names them",
        )
    if not is_file:
        if target.is_dir():
            raise InputError.single(named_in, where, f"{relative!r} is a folder, not a file")
        if target.exists():
            raise InputError.single(named_in, where, f"{relative!r} is not a regular file (a pipe, a device "
                                    "or a socket); it is never opened")
        raise InputError.single(named_in, where, f"file not found: {relative}")
    return target


class NotRegularFile(OSError):
    """An input path names a folder, a pipe, a device or a socket."""


def read_regular(path: Path, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of a regular file. Anything else is refused before a byte is read:
    opening a pipe with no writer, or reading a device, would wait or run forever.

    Raises FileNotFoundError, NotRegularFile (errno-less, its message says what the path is)
    or another OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise NotRegularFile("it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise NotRegularFile("it is not a regular file (a pipe, a device or a socket)")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def cache_root() -> Path | None:
    """Where routinepress keeps what it worked out between runs: ROUTINEPRESS_CACHE_DIR, else
    routinepress/ in the user's cache; None when the setting is `off`."""
    setting = os.environ.get("ROUTINEPRESS_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "routinepress"


@functools.cache
def installed_package(name: str) -> str:
    """Which installed copy of a package this is, found without importing it: its folder,
    with the folder's inode and time (a reinstall or an upgrade replaces the folder)."""
    import importlib.util

    found = importlib.util.find_spec(name)
    origin = Path(found.origin).parent if found and found.origin else None
    try:
        info = os.stat(origin) if origin else None
    except OSError:
        info = None
    return f"{origin} {info and (info.st_ino, info.st_mtime_ns)}"


def while_unchanged(cache: dict[Any, tuple[int, int, Any]], key: Any, file: str | Path, read: Callable[[], T]) -> T:
    """`read()`'s result, kept in `cache` under `key` until `file` changes (its mtime or size).

    Raises OSError when `file` cannot be looked at.
    """
    info = status(file)
    cached = cache.get(key)
    if cached and cached[:2] == (info.st_mtime_ns, info.st_size):
        return cached[2]
    value = read()
    cache[key] = (info.st_mtime_ns, info.st_size, value)
    return value


# Within one build, what the system said of each file it was asked about (thread by thread:
# a server builds several handouts at once). None outside a build.
_builds = threading.local()


@contextlib.contextmanager
def looking_once() -> Iterator[None]:
    """Within it (one build), each file's status is asked of the system once. A build looked
    at each pose file up to five times (each arrangement of its card tried, the /ID, the
    check of the outputs), some 75 looks a handout; a file changed halfway through a build
    could not give one consistent handout anyway, and the next build looks afresh."""
    outer = getattr(_builds, "seen", None)
    if outer is None:
        _builds.seen = {}
    try:
        yield
    finally:
        if outer is None:
            _builds.seen = None


def status(file: str | Path) -> os.stat_result:
    """file.stat() (links followed), asked once per build (looking_once). A failure is not
    remembered: it is raised again on the next look."""
    seen: dict[str, os.stat_result] | None = getattr(_builds, "seen", None)
    if seen is None:
        return os.stat(file)
    name = os.fspath(file)
    info = seen.get(name)
    if info is None:
        info = seen[name] = os.stat(name)
    return info


_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def exists(file: Path) -> bool:
    """file.exists(), as pathlib answers it (other errors raised), asked once per build."""
    try:
        status(file)
    except OSError as exc:
        if exc.errno not in _ABSENT:
            raise
        return False
    except ValueError:  # (a NUL in the name)
        return False
    return True
