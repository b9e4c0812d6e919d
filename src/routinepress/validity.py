"""Documents already found valid, remembered by content so the next process need not ask.

The compiled schema check is fast, but importing it and building its validators costs a
cold build some 15 ms, about as much as laying out a page. The catalog entries, templates
and general warnings a build checks are the same from run to run, and so is a spec built
again after an edit elsewhere; a "yes" depends only on the schema, the document and the
validator, so it is recorded under a hash of the three (never a "no": that path must
explain itself anyway). The records are empty files beside the drawing cache, under the
same setting (ROUTINEPRESS_CACHE_DIR; `off` disables both).

Only a one-handout process uses them (coldstart.py turns them on): a process that builds
again and again has the compiled check loaded, and asks it quicker than it could hash.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import __version__
from .paths import installed_package
from .records import Records

RECORDS = Records("valid")  # empty files, named by the hash of what was found valid


def enable() -> None:
    RECORDS.enable()


def disable() -> None:
    """For a process that goes on to check many documents with the validator loaded."""
    RECORDS.enabled = False


def folder() -> Path | None:
    """The records' folder, `valid` in the cache; None when they are not in use."""
    return RECORDS.folder()


def validator_id() -> str:
    """What identifies the checking code: our version and the installed jsonschema-rs."""
    return f"{__version__} {installed_package('jsonschema_rs')}"


def digest(schemas: list[bytes]) -> str:
    """A schema's fingerprint, with the schemas it refers to: a hash of their files' bytes
    (some 3 ms less than writing the parsed schemas out again to hash them)."""
    hashed = hashlib.sha256()
    for text in schemas:
        hashed.update(b"%d:" % len(text))
        hashed.update(text)
    return hashed.hexdigest()


def key(schema_digest: str, document: Any) -> str:
    """A hash of the validator, the schema and the document."""
    text = json.dumps([validator_id(), schema_digest, document], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def known_valid(record: str) -> bool:
    return RECORDS.read(record, 0) is not None


def remember(record: str) -> None:
    RECORDS.write(record)
