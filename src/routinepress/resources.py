"""Where the built-in data (catalog, templates, schemas) lives.

A wheel carries it inside the package as ``routinepress/data/``; an editable install
of a source checkout reads it from the repository's top-level folders instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    packaged = _PACKAGE / "data"
    if (packaged / "schema").is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent  # src/routinepress -> repository root
    if (checkout / "schema").is_dir():
        return checkout
    raise RuntimeError(f"routinepress data folder not found next to {_PACKAGE}")


def builtin_catalog_dir() -> Path:
    return data_root() / "catalog"


def builtin_templates_dir() -> Path:
    return data_root() / "templates"


@cache
def schema(name: str) -> dict:
    """A schema from schema/ by file name, e.g. ``routine.schema.json``."""
    return json.loads(schema_bytes(name))


@cache
def schema_bytes(name: str) -> bytes:
    """A schema file's bytes, as validity.py fingerprints it (no parse needed)."""
    return (data_root() / "schema" / name).read_bytes()
