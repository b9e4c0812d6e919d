"""routinepress.toml: the settings a clinic folder shares (catalog overlays, output folder, spec defaults).

The nearest routinepress.toml at or above a spec's folder is in force; its folder is the
*clinic folder*. Where paths resolve is the one rule here with a choice in it:

- a path is read relative to the file that writes it: a spec's paths against the spec's
  folder, the config's (catalog folders, output, a default logo or template file) against
  the config's folder;
- no path leaves the clinic folder, or, for a spec with no config above it, the spec's own
  folder (what it has always been). A spec in handouts/ may so name `../logos/clinic.png`.

`apply_defaults` rewrites a default's path relative to the spec's folder, so every later
stage sees one kind of path and checks it the same way it checks the spec's own.
"""

from __future__ import annotations

import copy
import functools
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any, NamedTuple

from . import resources
from .errors import Diagnostic, InputError, display_path
from .jsonfile import path_key, register_schema, schema_diagnostics
from .paths import confined
from .templates import is_path, merge  # a spec over the defaults merges as a child template over its parent

CONFIG_NAME = "routinepress.toml"
CONFIG_SCHEMA = "config.schema.json"
MAX_CONFIG_BYTES = 256 * 1024  # a config is a few hundred bytes
_NOT_DEFAULTS = ("$schema", "spec_version")  # a spec's own business, never a clinic's default
# The default fields that hold a path; a template holds one only when it looks like a file name.
_LOGO = ("clinician", "logo")
_TEMPLATE = ("template",)


class Config(NamedTuple):
    file: Path | None  # the routinepress.toml in force; None when there is none
    root: Path  # its folder (or the start folder when there is none)
    catalog_dirs: tuple[Path, ...] = ()  # overlay folders, resolved against root, confined to it
    defaults: Mapping[str, Any] = MappingProxyType({})  # top-level spec fields (read-only: a shared default)
    output: Path | None = None  # where builds go


def config_file(start: Path) -> Path | None:
    """The nearest routinepress.toml at or above `start` (a folder, or a file in one)."""
    start = Path(start).absolute()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
    return None


def clinic_root(start: Path) -> Path | None:
    """The clinic folder `start` lies in (the folder of its routinepress.toml), if any."""
    file = config_file(start)
    return file.parent.resolve() if file else None


def find_config(start: Path) -> Config:
    """The config in force for `start` (a folder, or a spec file); InputError on a bad one."""
    file = config_file(start)
    if file is None:
        start = Path(start).absolute()
        return Config(None, (start if start.is_dir() else start.parent).resolve())
    return load_config(file)


def load_config(file: Path) -> Config:
    """Read and check one routinepress.toml: syntax, schema, then the paths it names."""
    shown = display_path(file)
    doc = _read_toml(file, shown)
    problems = check_document(doc, file)
    # The paths are checked too, where their types are right, so one run reports every problem.
    root = file.parent.resolve()
    names = doc.get("catalog")
    catalog_dirs = [_folder(root, name, shown, f"catalog[{i}]", problems, must_exist=True)
                    for i, name in enumerate(names if isinstance(names, list) else []) if isinstance(name, str)]
    output = doc.get("output")
    output = _folder(root, output, shown, "output", problems, must_exist=False) if isinstance(output, str) else None
    defaults = doc.get("defaults", {})
    if isinstance(defaults, dict):
        problems += _default_path_problems(defaults, root, file)
    if problems:
        unique = dict.fromkeys(problems)  # a bad value can fail the schema and a path check alike
        raise InputError(sorted(unique, key=lambda d: path_key("$." + d.where if d.where else "$", doc)))
    return Config(file.resolve(), root, tuple(d for d in catalog_dirs if d), defaults, output)


def check_document(doc: dict[str, Any], file: Path) -> list[Diagnostic]:
    """A parsed config's problems of form (schema, values TOML has and JSON lacks); not its paths."""
    problems = _non_json_values(doc, display_path(file))
    _register_schema()
    return problems + [_toml_where(d) for d in schema_diagnostics(_as_json(doc), CONFIG_SCHEMA, file)]


def apply_defaults(doc: dict, config: Config, folder: Path | None = None) -> dict:
    """A new spec document: the config's defaults, overridden by `doc` field by field.

    Objects (clinician, tracker) merge key by key; any other value in the spec replaces the
    default whole. `folder` is where the spec's paths resolve (its file's folder; default the
    clinic folder): a default's logo or template file is rewritten relative to it.
    """
    if not isinstance(doc, dict):
        return doc  # not a spec at all: check_spec says so
    if not config.defaults:
        return copy.deepcopy(doc)
    return merge(rebased_defaults(config, Path(folder) if folder is not None else config.root), doc)


def rebased_defaults(config: Config, folder: Path) -> dict[str, Any]:
    """The defaults, with their paths made relative to `folder` instead of the config's folder."""
    defaults = copy.deepcopy(dict(config.defaults))
    for keys in (_LOGO, _TEMPLATE):
        holder = _holder(defaults, keys)
        value = holder.get(keys[-1]) if holder is not None else None
        if holder is not None and isinstance(value, str) and (keys != _TEMPLATE or is_path(value)):
            moved = os.path.relpath(config.root / value, Path(folder).resolve())
            holder[keys[-1]] = PurePosixPath(Path(moved)).as_posix()
    return defaults


@functools.cache
def _register_schema() -> None:
    """config.schema.json, its `defaults` completed from the routine schema's own fields.

    Each default points at the routine schema's definition of that field, so a field added to
    the spec is a field allowed here, checked the same way, with no change to this code.
    """
    schema = copy.deepcopy(resources.schema(CONFIG_SCHEMA))
    routine = resources.schema("routine.schema.json")
    fields = {name: {"$ref": "routine.schema.json#/properties/" + name.replace("~", "~0").replace("/", "~1")}
              for name in routine["properties"] if name not in _NOT_DEFAULTS}
    schema["properties"]["defaults"].update(additionalProperties=False, properties=fields)
    register_schema(CONFIG_SCHEMA, schema)


def _read_toml(file: Path, shown: str) -> dict[str, Any]:
    import tomllib  # only a folder with a config pays for it

    try:
        with open(file, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise InputError.single(file, "", f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise InputError.single(file, "", f"file is too large (more than {MAX_CONFIG_BYTES} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(file, "", f"not UTF-8 text (bad byte at offset {exc.start})",
                                "save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        where = f"line {at[1]}, column {at[2]}" if at else ""
        message = message[: at.start()] if at else re.sub(r"\s*\(at end of document\)$", "", message)
        raise InputError([Diagnostic(shown, where, f"invalid TOML: {message}")]) from None
    except RecursionError:
        raise InputError([Diagnostic(shown, "", "invalid TOML: nested too deeply")]) from None


def _non_json_values(doc: Any, shown: str, where: str = "") -> list[Diagnostic]:
    """TOML has dates and inf/nan; a spec field has neither (a date is a "YYYY-MM-DD" string)."""
    found = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _non_json_values(value, shown, f"{where}.{key}" if where else key)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += _non_json_values(value, shown, f"{where}[{i}]")
    elif hasattr(doc, "isoformat"):  # datetime.date, datetime.datetime, datetime.time
        found.append(Diagnostic(shown, where, f"{doc.isoformat()} is a TOML date or time, not text",
                                f'put it in quotes: "{doc.isoformat()}"'))
    elif isinstance(doc, float) and not math.isfinite(doc):
        found.append(Diagnostic(shown, where, f"{doc} is not a number routinepress accepts"))
    return found


def _as_json(doc: Any) -> Any:
    """A copy the schema can read: dates as their text, inf and nan as null (both reported already)."""
    if isinstance(doc, dict):
        return {key: _as_json(value) for key, value in doc.items()}
    if isinstance(doc, list):
        return [_as_json(value) for value in doc]
    if hasattr(doc, "isoformat"):
        return doc.isoformat()
    if isinstance(doc, float) and not math.isfinite(doc):
        return None
    return doc


def _toml_where(diagnostic: Diagnostic) -> Diagnostic:
    """A JSON path as a TOML key path: `$.defaults.clinician.phone` -> `defaults.clinician.phone`."""
    where = diagnostic.where.removeprefix("$").removeprefix(".")
    return Diagnostic(diagnostic.file, where, diagnostic.message, diagnostic.hint)


def _folder(root: Path, name: str, shown: str, where: str, found: list[Diagnostic], *,
            must_exist: bool) -> Path | None:
    """A folder the config names: relative, inside the clinic folder, and (for a catalog) there."""
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
        found.append(Diagnostic(shown, where, f"{name!r} must be a relative path", f"give it relative to {root}"))
        return None
    try:
        target = (root / name).resolve()  # follows symlinks: a link out is caught too
    except (OSError, RuntimeError, ValueError) as exc:
        found.append(Diagnostic(shown, where, f"{name!r} is not a usable path ({exc})"))
        return None
    if not target.is_relative_to(root):
        found.append(Diagnostic(shown, where, f"{name!r} leaves the folder {root}",
                                "keep catalog and output folders inside the clinic folder"))
        return None
    if must_exist and not target.is_dir():
        found.append(Diagnostic(shown, where, f"catalog folder not found: {name}",
                                f"create {name}/exercises/, or take it out of `catalog`"))
        return None
    if target.exists() and not target.is_dir():
        found.append(Diagnostic(shown, where, f"{name!r} is a file, not a folder"))
        return None
    return target


def _default_path_problems(defaults: dict[str, Any], root: Path, file: Path) -> list[Diagnostic]:
    """A default logo or template file: inside the clinic folder, present, and (a template) loadable."""
    from .templates import load_template  # no reportlab; loaded only when a config names a template

    shown = display_path(file)
    found = []
    holder = _holder(defaults, _LOGO)
    logo = holder.get("logo") if holder else None
    if isinstance(logo, str):
        try:
            confined(root, logo, named_in=file, where="defaults.clinician.logo")
        except InputError as exc:
            found += exc.diagnostics
    template = defaults.get("template")
    if isinstance(template, str):
        try:
            if is_path(template):
                confined(root, template, named_in=file, where="defaults.template")
            load_template(template, base=root)
        except InputError as exc:
            # "unknown template" names no file; say which config key asked for it
            found += [Diagnostic(shown, "defaults.template", d.message, d.hint) if d.file == "template" else d
                      for d in exc.diagnostics]
    return found


def _holder(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The object that holds the last of `keys`, or None when the path is not there."""
    holder: Any = doc
    for key in keys[:-1]:
        holder = holder.get(key) if isinstance(holder, dict) else None
    return holder if isinstance(holder, dict) else None
