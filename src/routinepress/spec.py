"""Stage 1: a routine spec file -> a validated JSON document.

Problems are collected, not raised one at a time: the schema's, then the catalog
references', so a clinician fixes a spec in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import Diagnostic, InputError, display_path
from .jsonfile import read_json, schema_diagnostics

ROUTINE_SCHEMA = "routine.schema.json"
SUPPORTED_VERSION = 1


@dataclass(frozen=True)
class Spec:
    path: Path
    doc: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.path.parent


def load_spec(path: Path, catalog: Catalog) -> Spec:
    """Read and check a spec against the schema and the catalog; InputError lists every problem."""
    doc = read_json(path)
    shown = display_path(path)
    if not isinstance(doc, dict):
        raise InputError([Diagnostic(shown, "$", f"a routine spec is a JSON object, not {_json_type(doc)}")])
    version = doc.get("spec_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SUPPORTED_VERSION:
        raise InputError([Diagnostic(
            shown, "$.spec_version",
            f"spec_version {version} is newer than this routinepress understands ({SUPPORTED_VERSION})",
            "upgrade routinepress, or write the spec for version 1",
        )])
    problems = schema_diagnostics(doc, ROUTINE_SCHEMA, path)
    problems += reference_diagnostics(doc, catalog, shown)
    if problems:
        raise InputError(problems)
    return Spec(path, doc)


def reference_diagnostics(doc: dict[str, Any], catalog: Catalog, shown: str) -> list[Diagnostic]:
    """Unknown catalog ids, with a 'did you mean' hint; skips entries the schema already rejected."""
    found = []
    sections = doc.get("sections")
    if not isinstance(sections, list):
        return found
    for s, section in enumerate(sections):
        exercises = section.get("exercises") if isinstance(section, dict) else None
        if not isinstance(exercises, list):
            continue
        for e, entry in enumerate(exercises):
            where = f"$.sections[{s}].exercises[{e}]"
            if isinstance(entry, dict):
                ref, where = entry.get("ref"), f"{where}.ref"
            else:
                ref = entry
            if isinstance(ref, str) and ref not in catalog:
                found.append(Diagnostic(shown, where, f"unknown exercise '{ref}'", catalog.suggest(ref)))
    return found


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
