"""Templates as data: JSON files that may `extends` a parent; the child wins field by field."""

from __future__ import annotations

import copy
import math
import os
import string
from pathlib import Path
from typing import Any

from . import resources
from .errors import Diagnostic, InputError, display_path
from .jsonfile import read_json, schema_diagnostics
from .paths import confined

TEMPLATE_SCHEMA = "template.schema.json"
DEFAULT = "standard"
MAX_DEPTH = 8  # files in one chain of `extends`, the template itself included

# The paper sizes a template may be printed on, in mm (the spec or the command line may pick either).
PAPER_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
MIN_TEXT_MM = 60  # the instructions beside stacked pictures: below this a line holds a word or two
MIN_TEXT_EMS = 12  # ... and at least this many body-text ems (some 24 letters), however large the type
PLACEHOLDERS = ("title", "patient", "date", "clinic", "clinician", "page_of")

# Roles that are printed as ink versus shading; a black-and-white printer must keep them apart.
_DARK_ROLES = ("text", "heading", "muted", "stop_border", "checkbox")
_LIGHT_ROLES = ("stop_fill", "table_header_fill")


class Template:
    """A template merged with every parent it extends, read like its JSON (template["card"])."""

    __slots__ = ("name", "data", "files")

    def __init__(self, name: str, data: dict[str, Any], files: tuple[Path, ...] = ()) -> None:
        self.name, self.data = name, data
        self.files = files  # the template's own file and every parent it extends

    def __repr__(self) -> str:
        return f"Template({self.name!r}, files={self.files!r})"

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def page_size(self, override: str | None = None) -> str:
        return override or self.data["page"]["size"]

    def fit_diagnostics(self, page_size: str) -> list[Diagnostic]:
        """Whether this template's pictures and text fit `page_size`; see fit_problems."""
        shown = display_path(self.files[0]) if self.files else self.name
        return [Diagnostic(shown, where, message, hint) for where, message, hint in fit_problems(self.data, page_size)]


def builtin_names() -> list[str]:
    return sorted(p.stem for p in resources.builtin_templates_dir().glob("*.json"))


# Each template loaded, by name and base, with its files' sizes and times: a batch, a
# server or a watcher loads the same one for every handout (reading, checking and merging
# its chain took a millisecond, 2% of a warm build). A Template is never changed once made.
_LOADED: dict[tuple[str, Path | None], tuple[tuple, Template]] = {}
_LOADED_LIMIT = 64


def _files_state(files: tuple[Path, ...]) -> tuple | None:
    """Each file's size and time; None if one cannot be looked at."""
    try:
        return tuple((info.st_size, info.st_mtime_ns) for info in (f.stat() for f in files))
    except OSError:
        return None


def load_template(name: str, base: Path | None = None) -> Template:
    """A built-in name or a path (relative to `base`), fully merged and checked."""
    # (a path with no base is found from the working folder, which may change)
    key = (name, base if base is not None or not is_path(name) else Path.cwd())
    known = _LOADED.get(key)
    if known is not None and known[0] == _files_state(known[1].files):
        return known[1]
    template = _load_template(name, base)
    state = _files_state(template.files)
    if state is not None:
        if len(_LOADED) >= _LOADED_LIMIT:
            _LOADED.clear()
        _LOADED[key] = (state, template)
    return template


def _load_template(name: str, base: Path | None) -> Template:
    files: list[Path] = []
    data = _load_chain(name, base, seen=files)
    data.pop("extends", None)
    data.pop("$schema", None)
    problems = _completeness(data, name) + _essential_parts(data, name) + _contrast(data, name)
    if not problems:
        problems = _running_text(data, display_path(files[0]) if files else name)
    if problems:
        raise InputError(problems)
    return Template(name, data, tuple(files))


def _locate(name: str, base: Path | None) -> Path:
    if not is_path(name):
        file = resources.builtin_templates_dir() / f"{name}.json"
        if not file.is_file():
            hint = f"built-in templates: {', '.join(builtin_names())}"
            if os.path.lexists((base or Path.cwd()) / name):  # a file named like a template: a path says which
                hint += f"; for the file {name}, write ./{name}"
            raise InputError([Diagnostic("template", "", f"unknown template '{name}'", hint)])
        return file
    file = (base or Path.cwd()) / name
    if not file.exists():
        raise InputError.single(file, "", "template file not found")
    return file  # a folder or a pipe is refused when it is read


def _load_chain(name: str, base: Path | None, seen: list[Path]) -> dict[str, Any]:
    """The merged document of `name` and its parents; `seen` collects the files, child first."""
    file = _locate(name, base).resolve()
    if file in seen:
        chain = " -> ".join(display_path(p) for p in [*seen, file])
        raise InputError.single(seen[-1], "$.extends", f"templates extend each other in a loop: {chain}")
    if len(seen) >= MAX_DEPTH:
        raise InputError.single(
            seen[-1], "$.extends", f"the chain of `extends` is too long: at most {MAX_DEPTH} templates, "
            f"counting {display_path(seen[0])} itself",
            "extend a built-in template directly, or merge some of the files")
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
    if is_path(parent):  # a parent file lives beside its child, never outside its folder
        confined(file.parent, parent, named_in=file, where="$.extends")
    return merge(_load_chain(parent, file.parent, seen), doc)


def is_path(name: str) -> bool:
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


# What no handout goes without: when to stop and call, and the exercises.
ESSENTIAL_PARTS = ("stop_if", "cards")


def _essential_parts(data: dict[str, Any], name: str) -> list[Diagnostic]:
    """A template whose parts leave out the stop-if box or the cards would print a handout
    without them, and say nothing."""
    parts = data.get("parts")
    missing = [part for part in ESSENTIAL_PARTS if isinstance(parts, list) and part not in parts]
    if not missing:
        return []
    return [Diagnostic(name, "$.parts", f"leaves out {' and '.join(repr(p) for p in missing)}: every handout "
                       "prints when to stop and call, and the exercises",
                       f"add {', '.join(repr(p) for p in missing)} to parts (the stop-if box first)")]


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


def _running_text(data: dict[str, Any], shown: str) -> list[Diagnostic]:
    """Header and footer text: plain {placeholders} only. A format such as {title:>40000} would
    pad a line to tens of thousands of characters, and an unknown name would print as typed."""
    problems = []
    for part in ("header", "footer"):
        for side, text in data.get(part, {}).items():
            where = f"$.{part}.{side}"
            try:
                fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                          if name is not None]
            except ValueError:
                problems.append(Diagnostic(shown, where, f"{text!r} has a '{{' or '}}' without its pair",
                                           "write {{ or }} for a brace that should print"))
                continue
            for name, spec, conversion in fields:
                shown_field = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
                if name not in PLACEHOLDERS:
                    problems.append(Diagnostic(shown, where, f"unknown placeholder {shown_field}",
                                               "placeholders: " + ", ".join("{" + p + "}" for p in PLACEHOLDERS)))
                elif spec or conversion:
                    problems.append(Diagnostic(shown, where, f"{shown_field} has a format; placeholders take none",
                                               f"write {{{name}}}"))
    return problems


def fit_problems(data: dict[str, Any], page_size: str) -> list[tuple[str, str, str]]:
    """What cannot fit on the page, as (JSON path, message, hint): checked when a build knows
    its paper, so an impossible template gets a message instead of a layout that never ends.

    The sizes follow render/: the frame is the page less the margins and the header and
    footer (1.8 lines of small text each); pictures sit three gaps (0.6 em each) from the text.
    """
    mm = 72 / 25.4  # points per millimetre
    paper_w, paper_h = PAPER_MM[page_size]
    margins, sizes, card = data["page"]["margins_mm"], data["sizes"], data["card"]
    body, small, spacing = sizes["body"], sizes["small"], sizes["line_spacing"]
    frame_w = (paper_w - margins["left"] - margins["right"]) * mm
    frame_h = (paper_h - margins["top"] - margins["bottom"]) * mm - 2 * 1.8 * small * spacing
    picture_w, picture_h = card["illustration_width_mm"] * mm, card["illustration_height_mm"] * mm
    gap = body * 0.6
    problems = []
    if card["pictures"] == "stacked":
        text_w = frame_w - picture_w - 3 * gap
        need = max(MIN_TEXT_MM * mm, MIN_TEXT_EMS * body)
        if text_w < need:
            problems.append((
                "$.card.illustration_width_mm",
                f"{card['illustration_width_mm']:g} mm pictures leave {max(0, text_w) / mm:.0f} mm for the "
                f"instructions beside them on {page_size} paper; they need at least {need / mm:.0f} mm",
                f"use pictures at most {math.floor(max(0, frame_w - 3 * gap - need) / mm)} mm wide, "
                "\"pictures\": \"side-by-side\", or smaller margins or text"))
    elif picture_w + gap > frame_w:
        problems.append((
            "$.card.illustration_width_mm",
            f"{card['illustration_width_mm']:g} mm pictures are wider than the {(frame_w - gap) / mm:.0f} mm "
            f"the margins leave on {page_size} paper", "use narrower pictures or smaller margins"))
    # A picture, its caption and the exercise's name must fit on one page.
    needed_h = picture_h + 2 * small * spacing + sizes["card_title"] * spacing + 2 * gap
    if needed_h > frame_h:
        problems.append((
            "$.card.illustration_height_mm",
            f"{card['illustration_height_mm']:g} mm pictures, with a caption and the exercise's name, are taller "
            f"than the {frame_h / mm:.0f} mm a {page_size} page has between its header and footer",
            f"use pictures at most {math.floor(max(0, frame_h - needed_h + picture_h) / mm)} mm high, "
            "or smaller margins or text"))
    return problems
