"""Templates as data: JSON files that may `extends` a parent; the child wins field by field."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import resources
from .errors import Diagnostic, InputError, display_path
from .jsonfile import read_json, schema_diagnostics
from .paths import confined

TEMPLATE_SCHEMA = "template.schema.json"
DEFAULT = "standard"
MAX_DEPTH = 8

# Roles that are printed as ink versus shading; a black-and-white printer must keep them apart.
_DARK_ROLES = ("text", "heading", "muted", "stop_border", "checkbox")
_LIGHT_ROLES = ("stop_fill", "table_header_fill")


@dataclass(frozen=True)
class Template:
    name: str
    data: dict[str, Any]
    files: tuple[Path, ...] = ()  # the template's own file and every parent it extends
    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def page_size(self, override: str | None = None) -> str:
        return override or self.data["page"]["size"]


def builtin_names() -> list[str]:
    return sorted(p.stem for p in resources.builtin_templates_dir().glob("*.json"))


def load_template(name: str, base: Path | None = None) -> Template:
    """A built-in name or a path (relative to `base`), fully merged and checked."""
    files: list[Path] = []
    data = _load_chain(name, base, seen=files)
    data.pop("extends", None)
    data.pop("$schema", None)
    problems = _completeness(data, name) + _contrast(data, name)
    if problems:
        raise InputError(problems)
    return Template(name, data, tuple(files))


def _locate(name: str, base: Path | None) -> Path:
    if not _is_path(name):
        file = resources.builtin_templates_dir() / f"{name}.json"
        if not file.is_file():
            raise InputError([Diagnostic(
                "template", "", f"unknown template '{name}'", f"built-in templates: {', '.join(builtin_names())}"
            )])
        return file
    file = (base or Path.cwd()) / name
    if not file.is_file():
        raise InputError.single(file, "", "template file not found")
    return file


def _load_chain(name: str, base: Path | None, seen: list[Path]) -> dict[str, Any]:
    """The merged document of `name` and its parents; `seen` collects the files, child first."""
    file = _locate(name, base).resolve()
    if file in seen or len(seen) >= MAX_DEPTH:
        chain = " -> ".join(display_path(p) for p in [*seen, file])
        raise InputError.single(file, "$.extends", f"templates extend each other in a loop: {chain}")
    seen.append(file)
    doc = read_json(file)
    if not isinstance(doc, dict):
        raise InputError.single(file, "$", "a template is a JSON object")
    problems = schema_diagnostics(doc, TEMPLATE_SCHEMA, file)
    if problems:
        raise InputError(problems)
    parent = doc.get("extends")
    if parent is None:
        return copy.deepcopy(doc)
    if _is_path(parent):  # a parent file lives beside its child, never outside its folder
        confined(file.parent, parent, named_in=file, where="$.extends")
    return merge(_load_chain(parent, file.parent, seen), doc)


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith(".json")


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: objects merge key by key, anything else (lists too) the child replaces."""
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _completeness(data: dict[str, Any], name: str) -> list[Diagnostic]:
    """A template that extends nothing must set every field the standard one does."""
    reference = read_json(resources.builtin_templates_dir() / f"{DEFAULT}.json")
    missing = []

    def walk(ref: dict[str, Any], got: dict[str, Any], path: str) -> None:
        for key, value in ref.items():
            if key in ("$schema", "description", "extends"):
                continue
            if key not in got:
                missing.append(Diagnostic(name, f"{path}.{key}", "is missing",
                                          f"add \"extends\": \"{DEFAULT}\" to inherit it"))
            elif isinstance(value, dict) and isinstance(got[key], dict):
                walk(value, got[key], f"{path}.{key}")

    walk(reference, data, "$")
    return missing


def _contrast(data: dict[str, Any], name: str) -> list[Diagnostic]:
    colours = data.get("colours", {})
    problems = []
    for role in _DARK_ROLES:
        if role in colours and luminance(colours[role]) > 0.45:
            problems.append(Diagnostic(
                name, f"$.colours.{role}",
                f"{colours[role]} is too light to print as text or lines on a black-and-white printer"))
    for role in _LIGHT_ROLES:
        if role in colours and luminance(colours[role]) < 0.7:
            problems.append(Diagnostic(
                name, f"$.colours.{role}",
                f"{colours[role]} is too dark a shading: text on it would not read in black and white"))
    return problems


def luminance(hex_colour: str) -> float:
    """Grey level 0 (black) to 1 (white) that a black-and-white printer would use."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b
