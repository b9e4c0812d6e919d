"""The clinic folder the server works on: its handouts, its catalog, and builds of its specs.

Nothing is kept between requests except what is on disk (a catalog, a config, a spec
are read again each time), so several worker processes can share one folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import BuildOptions, Rendered, catalog_folders, render_checked, write_atomic
from ..catalog import Catalog
from ..config import Config, apply_defaults, find_config
from ..errors import Diagnostic, InputError
from ..jsonfile import MAX_INPUT_BYTES
from ..model import build_model
from ..paths import NotRegularFile, read_regular
from ..spec import Spec, check_spec

HANDOUTS = "handouts"
# A handout name becomes a file name: letters, digits, '-' and '_', no dots, so it can
# never name a folder above, a hidden file or another extension.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
UNSAVED = "untitled"  # the name a spec is built under before it has one
UNREADABLE = "unreadable"  # the version of a file that cannot be read: no If-Match matches it


class NotFound(Exception):
    """A handout or catalog entry that does not exist."""


class Changed(Exception):
    """A save whose precondition failed: the handout changed since it was opened (another
    window, another clinician), or a new handout's name is already taken. `exists`: whether
    a file of that name is there now (the editor offers to save anew when it is not)."""

    def __init__(self, message: str, *, exists: bool):
        super().__init__(message)
        self.exists = exists


def version_of(data: bytes) -> str:
    """A handout file's version, for the ETag a save must quote back to replace it."""
    return hashlib.sha256(data).hexdigest()[:32]


def bad_name(name: str) -> InputError:
    return InputError([Diagnostic("request", "name", f"{name[:40]!r} is not a usable handout name",
                                  "use letters, digits, '-' and '_' (up to 80), e.g. jane-hip-week-1")])


@dataclass(frozen=True)
class ClinicFolder:
    root: Path

    @property
    def handouts(self) -> Path:
        return self.root / HANDOUTS

    # --- the folder's settings -------------------------------------------------------
    def config(self) -> Config:
        """The routinepress.toml in force for handouts/, read afresh (InputError on a bad one)."""
        return find_config(self.handouts if self.handouts.is_dir() else self.root)

    def catalog(self, config: Config | None = None) -> Catalog:
        """The built-in catalog with the config's overlays (entries are cached by file mtime)."""
        return Catalog(catalog_folders(config or self.config(), BuildOptions()))

    # --- handouts --------------------------------------------------------------------
    def spec_path(self, name: str) -> Path:
        """handouts/NAME.json, refusing any name that could leave the folder."""
        if not isinstance(name, str) or not NAME.match(name):
            raise bad_name(str(name))
        target = self.handouts / f"{name}.json"
        # handouts/ itself (or the file) could be a symbolic link that points elsewhere
        resolved = target.resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise InputError([Diagnostic("request", "name", "that handout lies outside the clinic folder")])
        return target

    def list_handouts(self) -> list[dict[str, Any]]:
        found = []
        for file in sorted(self.handouts.glob("*.json")) if self.handouts.is_dir() else []:
            if not NAME.match(file.stem) or not file.resolve().is_relative_to(self.root.resolve()):
                continue
            try:  # a title is worth reading a spec for, not a huge file; a pipe would never answer
                raw = read_regular(file, MAX_INPUT_BYTES)
            except NotRegularFile:
                continue  # not a handout: a pipe, a device or a folder named *.json
            except OSError:
                raw = b""
            try:
                title = json.loads(raw).get("title") if len(raw) <= MAX_INPUT_BYTES else None
            except (ValueError, AttributeError, RecursionError):
                title = None
            found.append({"name": file.stem, "title": title if isinstance(title, str) else None})
        return found

    def read_handout(self, name: str) -> tuple[Any, str]:
        """The spec and its version. (The version is read first: should the file be replaced
        in between, a save quoting it is refused rather than taken over the newer file.)"""
        from ..jsonfile import read_json

        path = self.spec_path(name)
        if not path.is_file():
            raise NotFound(f"no handout named {name}")
        version = self._version(path)
        return read_json(path), version or ""

    def save_handout(self, name: str, doc: Any, *, if_match: tuple[str, ...] | None = None,
                     if_absent: bool = False) -> tuple[Path, str]:
        """Check the spec as a build would, then write it atomically; a spec that would not
        build is refused, so every file in handouts/ builds (`make` builds them all).

        `if_match`: replace only a version the editor opened (two windows on one handout
        would otherwise each save over the other unseen), "*" any existing one; an empty
        tuple matches nothing. `if_absent`: only a new file.
        The check and the write hold the folder's lock, which other server processes share."""
        self.check(doc, name)
        path = self.spec_path(name)
        data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        with _locked(self.handouts):
            current = self._version(path)
            if if_absent and current is not None:
                raise Changed(f"handouts/{name}.json already exists", exists=True)
            if if_match is not None and current is None:
                raise Changed(f"handouts/{name}.json does not exist (it may have been removed or renamed "
                              "since you opened it)", exists=False)
            if if_match is not None and (current == UNREADABLE or ("*" not in if_match and current not in if_match)):
                raise Changed(f"handouts/{name}.json was saved by someone else (another window?) since you "
                              "opened it", exists=True)
            write_atomic(path, data)
        return path, version_of(data)

    @staticmethod
    def _version(path: Path) -> str | None:
        try:
            return version_of(read_regular(path, MAX_INPUT_BYTES))
        except FileNotFoundError:
            return None
        except OSError:
            return UNREADABLE  # matches no version a client holds, nor "*"

    # --- building ----------------------------------------------------------------------
    def checked(self, doc: Any, name: str | None = None) -> tuple[Spec, Catalog]:
        """The spec as `routinepress build handouts/NAME.json` reads it: the config's defaults
        filled in, checked against the schema and the catalog."""
        config = self.config()
        catalog = self.catalog(config)
        path = self.spec_path(name or UNSAVED)
        return check_spec(apply_defaults(doc, config, path.parent), path, catalog), catalog

    def check(self, doc: Any, name: str | None = None) -> None:
        """As `routinepress validate` checks a spec: schema, catalog and model."""
        build_model(*self.checked(doc, name))

    def build(self, doc: Any, name: str | None = None) -> Rendered:
        """The PDF that `routinepress build handouts/NAME.json` writes for this spec."""
        return render_checked(*self.checked(doc, name), BuildOptions())


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder` for the length of a check and a write: flock on the
    folder itself, so server processes sharing a clinic folder wait for each other."""
    try:
        import fcntl
    except ImportError:  # (no flock on Windows: one process, and saves are rare)
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # no handouts/ folder: nothing to lock, and the write says what is wrong
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)
