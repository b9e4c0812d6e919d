"""Reading JSON input files strictly, and turning schema errors into diagnostics.

Every input format (spec, catalog entry, template, pose) goes through here, so
they all report problems the same way: file, JSON path, message, hint.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Iterable

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from . import resources
from .errors import Diagnostic, InputError, display_path

MAX_INPUT_BYTES = 5 * 1024 * 1024  # a routine spec is a few KB; anything this big is a mistake


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def read_json(path: Path) -> Any:
    """Parse a JSON file, or raise InputError saying exactly what is wrong with it."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(path, "", "file not found") from None
    except IsADirectoryError:
        raise InputError.single(path, "", "is a folder, not a JSON file") from None
    except OSError as exc:
        raise InputError.single(path, "", f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError.single(path, "", f"file is too large ({len(raw)} bytes; the limit is {MAX_INPUT_BYTES})")
    if not raw.strip():
        raise InputError.single(path, "", "file is empty", "a routine spec is a JSON object: {...}")
    if b"\x00" in raw:
        raise InputError.single(path, "", "this is a binary file, not JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            path, "", f"not UTF-8 text (bad byte at offset {exc.start})", "save the file as UTF-8"
        ) from None
    try:
        return json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_reject_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            [Diagnostic(shown, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:  # NaN/Infinity or duplicate keys, from the hooks above
        raise InputError([Diagnostic(shown, "", f"invalid JSON: {exc}")]) from None
    except RecursionError:
        raise InputError([Diagnostic(shown, "", "invalid JSON: nested too deeply")]) from None


def _registry() -> Registry:
    resources_ = [
        (s["$id"], Resource.from_contents(s))
        for s in (resources.schema(n) for n in ("exercise.schema.json", "routine.schema.json"))
    ]
    return Registry().with_resources(resources_)


_validators: dict[str, Draft202012Validator] = {}


def validator(schema_name: str) -> Draft202012Validator:
    if schema_name not in _validators:
        _validators[schema_name] = Draft202012Validator(
            resources.schema(schema_name), registry=_registry(), format_checker=FormatChecker()
        )
    return _validators[schema_name]


def schema_diagnostics(document: Any, schema_name: str, file: str | Path) -> list[Diagnostic]:
    """Every schema problem in `document`, one diagnostic each, in document order."""
    shown = display_path(file)
    errors = sorted(validator(schema_name).iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [_diagnostic(_most_specific(e), shown) for e in errors]


def _most_specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the branch error the user most likely meant."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        # An object entry that matched no branch: prefer the errors from branches of the same JSON type.
        same_type = [c for c in error.context if c.validator != "type"]
        deeper = best_match(same_type or error.context)
        if deeper is None or deeper is error:
            break
        error = deeper
    return error


def _diagnostic(error: ValidationError, file: str) -> Diagnostic:
    where = error.json_path
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - set(allowed))
        name = extras[0] if extras else "?"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed fields: {', '.join(allowed)}"
        path = f"{where}.{name}" if _is_identifier(name) else f"{where}[{json.dumps(name)}]"
        return Diagnostic(file, path, f"unknown field '{name}'", hint)
    if error.validator == "required":
        return Diagnostic(file, where, error.message.replace("is a required property", "is missing (required)"))
    if error.validator == "format" and error.validator_value == "date":
        return Diagnostic(file, where, f"{error.instance!r} is not a real date", "write dates as YYYY-MM-DD, e.g. 2026-11-23")
    if error.validator == "const":
        return Diagnostic(file, where, f"{error.instance!r} is not supported; expected {error.validator_value!r}")
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        has = [k for k in ("ref", "custom") if k in error.instance]
        if not has:
            return Diagnostic(file, where, "an exercise needs either 'ref' (a catalog id) or 'custom' (an inline exercise)")
        if len(has) == 2:
            return Diagnostic(file, where, "an exercise has either 'ref' or 'custom', not both")
    if error.validator == "pattern" and isinstance(error.instance, str):
        return Diagnostic(file, where, f"{error.instance!r} is not in the expected form", _pattern_hint(error))
    message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return Diagnostic(file, where, message)


def _pattern_hint(error: ValidationError) -> str | None:
    if "a-z0-9" in str(error.validator_value):
        return "ids are lowercase words joined by hyphens, e.g. 'single-leg-bridge'"
    if "png" in str(error.validator_value):
        return "use a .png or .jpg file (drawn poses end in .pose.json)"
    return None


def _is_identifier(name: str) -> bool:
    return name.replace("_", "a").replace("$", "a").isalnum() and not name[:1].isdigit()


def raise_if(diagnostics: Iterable[Diagnostic]) -> None:
    diagnostics = list(diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        raise InputError(diagnostics)
