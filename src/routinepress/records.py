"""Small records that a one-handout process keeps between runs, one file each, in a folder
of routinepress's cache (ROUTINEPRESS_CACHE_DIR; `off` keeps none).

A record only saves time, never decides anything: a missing, damaged or odd one (a pipe,
a folder) reads as no record, and a cache that cannot be written is left alone. Past
`limit` files the folder is emptied rather than sorted by age.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import cache_root, read_regular


class Records:
    """The records of one kind, in their own folder of the cache; off until enabled."""

    def __init__(self, name: str, limit: int = 4096):
        self.name, self.limit, self.enabled = name, limit, False

    def enable(self) -> None:
        self.enabled = True

    def folder(self) -> Path | None:
        root = cache_root() if self.enabled else None
        return root / self.name if root else None

    def read(self, record: str, most: int = 4096) -> bytes | None:
        """The record's content, or None when there is none to read."""
        where = self.folder()
        if where is None:
            return None
        try:  # (read_regular: a pipe put in its place is refused, not waited on)
            return read_regular(where / record, most)
        except OSError:
            return None

    def write(self, record: str, content: str = "") -> None:
        where = self.folder()
        if where is None:
            return
        try:
            where.mkdir(parents=True, exist_ok=True)
            if len(os.listdir(where)) >= self.limit:
                for name in os.listdir(where):
                    (where / name).unlink(missing_ok=True)
            temporary = where / f".{record}.{os.getpid()}.tmp"
            temporary.write_text(content, encoding="utf-8")
            os.replace(temporary, where / record)  # whole or not at all, for a reader at the same time
        except OSError:
            pass  # a read-only cache folder only costs speed
