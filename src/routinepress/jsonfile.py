"""Reading JSON input files strictly, and turning schema errors into diagnostics.

Every input format (spec, catalog entry, template, pose) goes through here, so
they all report problems the same way: file, JSON path, message, hint.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import resources
from .errors import Diagnostic, InputError, did_you_mean, display_path
from .paths import NotRegularFile, read_regular

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

MAX_INPUT_BYTES = 5 * 1024 * 1024  # a routine spec is a few KB; anything this big is a mistake


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


MAX_NUMBER_DIGITS = 100  # no dose needs more; a 5000-digit number is a mistake (or an attack)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with {len(text.lstrip('-'))} digits is too large")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS * 2:
        raise ValueError(f"the number {text[:20]}... is too long")
    value = float(text)
    if math.isinf(value):  # 1e400 overflows to Infinity, which JSON does not allow
        raise ValueError(f"{text} is too large a number")
    return value


def _constant_position(text: str, names: tuple[str, ...] = ("-Infinity", "Infinity", "NaN")) -> int | None:
    """Offset of the first NaN/Infinity outside a string, to point the user at it."""
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "-IN":
            for name in names:
                if text.startswith(name, i):
                    return i
    return None


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)  # rfind is -1 on the first line
    return f"line {line}, column {column}"


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16/32 (what some Windows editors save) would otherwise read as "binary"."""
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            return name
    head = raw.lstrip(b"\x00")[:1]
    if head in (b"{", b"[") and (raw[:2] in (b"{\x00", b"[\x00") or raw[:2] in (b"\x00{", b"\x00[")):
        return "UTF-16"
    return None


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    made = dict(pairs)  # (made at once; key by key only to name a key given twice)
    if len(made) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return made


def read_json(path: Path) -> Any:
    """Parse a JSON file, or raise InputError saying exactly what is wrong with it."""
    shown = display_path(path)
    try:
        raw = read_regular(path, MAX_INPUT_BYTES)  # never a pipe or a device: those could wait forever
    except FileNotFoundError:
        raise InputError.single(path, "", "file not found") from None
    except NotRegularFile as exc:
        raise InputError.single(path, "", f"cannot read: {exc}") from None
    except OSError as exc:
        raise InputError.single(path, "", f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError.single(path, "", f"file is too large (more than {MAX_INPUT_BYTES} bytes)")
    if not raw.strip():
        raise InputError.single(path, "", "file is empty", "a routine spec is a JSON object: {...}")
    wide = _wide_encoding(raw)
    if wide:
        raise InputError.single(path, "", f"the file is {wide} text, not UTF-8", "save the file as UTF-8")
    if b"\x00" in raw:
        raise InputError.single(path, "", "this is a binary file, not JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            path, "", f"not UTF-8 text (bad byte at offset {exc.start})", "save the file as UTF-8"
        ) from None
    try:
        document = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_reject_duplicate_keys,
            parse_int=_parse_int, parse_float=_parse_float,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            [Diagnostic(shown, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:  # NaN/Infinity, huge numbers or duplicate keys, from the hooks above
        where = ""
        if "JSON allows" in str(exc):
            offset = _constant_position(text)
            where = _line_column(text, offset) if offset is not None else ""
        raise InputError([Diagnostic(shown, where, f"invalid JSON: {exc}")]) from None
    except RecursionError:
        raise InputError([Diagnostic(shown, "", "invalid JSON: nested too deeply")]) from None
    nesting = nesting_diagnostics(document, shown, text)
    if nesting:
        raise InputError(nesting)
    # Both can only come from a \u escape (raw control characters are invalid JSON text), so
    # most files need no walk through their strings.
    problems = surrogate_diagnostics(document, shown) if _SURROGATE_ESCAPE.search(text) else []
    if _CONTROL_ESCAPE.search(text):
        problems += control_diagnostics(document, shown)
    if problems:
        raise InputError(problems)
    return document


# A spec's deepest real value (a custom exercise's picture's crop) is about 8 levels down;
# far deeper documents only exhaust the recursion of the defaults merge and the checks.
MAX_NESTING = 40


def nesting_diagnostics(document: Any, shown: str, text: str | None = None) -> list[Diagnostic]:
    """The first value nested deeper than MAX_NESTING, as a diagnostic at its JSON path.
    Given the document's `text`, one with too few brackets to nest that deep is not walked."""
    if text is not None and text.count("[") + text.count("{") <= MAX_NESTING:
        return []
    stack: list[tuple[Any, str, int]] = [(document, "$", 0)]
    while stack:  # iterative, as the document may be nested as deeply as the parser allows
        value, where, depth = stack.pop()
        if depth > MAX_NESTING:
            return [Diagnostic(shown, where, f"nested more than {MAX_NESTING} levels deep; "
                                             "no routinepress file needs that many")]
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}", depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
    return []


# UTF-8 text cannot hold a surrogate; only a \\uD800-\\uDFFF escape can. A lone one is not
# a character, and would crash every step that encodes text (the PDF, the file system).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_CONTROL_ESCAPE = re.compile(r"\\u00[01789][0-9a-fA-F]")


def surrogate_diagnostics(document: Any, shown: str) -> list[Diagnostic]:
    """Strings (and keys) holding a lone surrogate, which no file or PDF can encode."""
    lone = "a lone surrogate (a \\uD800-\\uDFFF escape without its pair), which is not a character"
    found = []
    stack: list[tuple[str, Any]] = [("$", document)]
    while stack:  # iterative: the document may be nested as deeply as the parser allows
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{where}.{key}" if _is_identifier(key) else f"{where}[{json.dumps(key)}]"
                if _has_surrogate(key):
                    found.append(Diagnostic(shown, where, f"the key {json.dumps(key)} has {lone}"))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and _has_surrogate(value):
            found.append(Diagnostic(shown, where, f"the text has {lone}",
                                    "write the character itself, or a complete surrogate pair"))
    return sorted(found, key=lambda d: path_key(d.where, document))


# Control characters cannot be printed, and a NUL breaks the page-number mechanism (it marks
# where "Page X of Y" goes); only line breaks and tabs belong in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_diagnostics(document: Any, shown: str) -> list[Diagnostic]:
    """Strings (and keys) holding a control character other than a line break or a tab."""
    found = []
    stack: list[tuple[str, Any]] = [("$", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{where}.{key}" if _is_identifier(key) else f"{where}[{json.dumps(key)}]"
                if _CONTROL.search(key):
                    found.append(Diagnostic(shown, where, f"the key {json.dumps(key)} has a control character"))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str):
            bad = _CONTROL.search(value)
            if bad:
                found.append(Diagnostic(shown, where, f"the text has a control character (U+{ord(bad.group()):04X}), "
                                        "which cannot be printed", "remove it; only line breaks and tabs may be used"))
    return sorted(found, key=lambda d: path_key(d.where, document))


# What the two walks above look for, as json.dumps(ensure_ascii=False) writes it: a control
# character below U+0020 as an escape (\b, \f, \r, or \u00XX; \n and \t are allowed),
# DEL, the C1 controls and surrogates as themselves. A backslash the text itself holds is
# written doubled, and may so match too: then the walks look, as they always did.
_UNPRINTABLE_DUMPED = re.compile(r"\\[bfr]|\\u00|[\x7f-\x9f\ud800-\udfff]")


def may_be_unprintable(document: Any) -> bool:
    """False when no string or key of `document` has a lone surrogate or a control character
    other than a line break or a tab: one pass of the compiled JSON writer, some five times
    quicker than the two walks, which a document with either (or a doubt) still takes."""
    try:
        text = json.dumps(document, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # not plain JSON data, or nested too deeply
        return True
    return _UNPRINTABLE_DUMPED.search(text) is not None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


# Two validators for one schema. jsonschema (Python) explains what is wrong: its errors carry
# the JSON path, the failing keyword and the branch of a oneOf, which the messages below are
# made from. jsonschema-rs (compiled) only answers yes or no, some 200 times faster, and
# imports in a third of the time; most documents are valid, so a build asks it first and
# loads jsonschema only to explain a "no". It must never say yes where jsonschema says no:
# the schemas keep to keywords and patterns both read alike (tests/test_validation.py).
_fast: dict[str, jsonschema_rs.Draft202012Validator] = {}
_full: dict[str, Draft202012Validator] = {}
_LINKED = ("exercise.schema.json", "routine.schema.json")  # the schemas a $ref may name
_MADE: dict[str, dict] = {}  # schemas completed in code (config.py derives one from the routine schema)
_digests: dict[str, str] = {}  # each schema's fingerprint, for validity.py's records


def register_schema(name: str, schema: dict) -> None:
    """Validate documents of `name` against `schema` instead of schema/<name>."""
    _MADE[name] = schema
    _fast.pop(name, None)
    _digests.pop(name, None)
    _full.pop(name, None)


def _schema(name: str) -> dict:
    return _MADE[name] if name in _MADE else resources.schema(name)


def is_valid(document: Any, schema_name: str) -> bool:
    """Whether `document` fits the schema: the quick check, with no explanation."""
    from . import validity

    if validity.folder() is None:
        return _compiled_check(document, schema_name)
    if schema_name not in _digests:
        own = (json.dumps(_MADE[schema_name], sort_keys=True).encode("utf-8") if schema_name in _MADE
               else resources.schema_bytes(schema_name))
        _digests[schema_name] = validity.digest([own, *map(resources.schema_bytes, _LINKED)])
    record = validity.key(_digests[schema_name], document)
    if validity.known_valid(record):
        return True
    valid = _compiled_check(document, schema_name)
    if valid:
        validity.remember(record)
    return valid


def compile_validator(schema_name: str) -> jsonschema_rs.Draft202012Validator:
    """The quick validator for a schema, compiled once per process. A process about to fork
    workers makes it first: they inherit it, and never import jsonschema-rs themselves (an
    interrupt landing in that import makes its Rust code panic, aloud)."""
    if schema_name not in _fast:
        import jsonschema_rs

        registry = jsonschema_rs.Registry([(s["$id"], s) for s in map(resources.schema, _LINKED)])
        _fast[schema_name] = jsonschema_rs.Draft202012Validator(
            _schema(schema_name), registry=registry, validate_formats=True)
    return _fast[schema_name]


def _compiled_check(document: Any, schema_name: str) -> bool:
    try:
        return compile_validator(schema_name).is_valid(document)
    except (ValueError, OverflowError):  # e.g. an integer wider than 64 bits: let jsonschema judge
        return False


def validator(schema_name: str) -> Draft202012Validator:
    """The explaining validator (jsonschema), loaded on the first document that needs it."""
    if schema_name not in _full:
        from jsonschema import Draft202012Validator, FormatChecker
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in map(resources.schema, _LINKED))
        _full[schema_name] = Draft202012Validator(
            _schema(schema_name), registry=registry, format_checker=FormatChecker())
    return _full[schema_name]


def schema_errors(document: Any, schema_name: str) -> list[ValidationError]:
    """jsonschema's errors for `document`; none, without loading jsonschema, when it is valid."""
    if is_valid(document, schema_name):
        return []
    return list(validator(schema_name).iter_errors(document))


def schema_diagnostics(document: Any, schema_name: str, file: str | Path) -> list[Diagnostic]:
    """Every schema problem in `document`, one diagnostic each, in document order."""
    valid = is_valid(document, schema_name)
    errors = [] if valid else [leaf for e in validator(schema_name).iter_errors(document) for leaf in _expand(e)]
    has_ranges = schema_name in ("routine.schema.json", "exercise.schema.json")
    ranges = range_problems(document, schema_name) if has_ranges else []
    if valid and not ranges:
        return []  # the usual case, and a build checks a dozen files: skip resolving the path
    shown = display_path(file)
    found = list(dict.fromkeys(d for e in errors for d in _diagnostics(e, shown)))  # same problem once
    if not valid and not errors:
        # The compiled check says no and jsonschema finds nothing: their regular expressions
        # differ (Python's $ also matches before a final line break). Never accept such input.
        found = _disagreement(document, schema_name, shown)
    found += [Diagnostic(shown, where, message, hint) for where, message, hint in ranges]
    return sorted(found, key=lambda d: path_key(d.where, document))


def _disagreement(document: Any, schema_name: str, shown: str) -> list[Diagnostic]:
    """Name the text whose line break the compiled check refuses, else say the file is refused."""
    found = []
    stack: list[tuple[str, Any, Any, Any]] = [("$", document, None, None)]
    while stack:
        where, value, parent, key = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}" if _is_identifier(k) else f"{where}[{json.dumps(k)}]", v, value, k)
                         for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v, value, i) for i, v in enumerate(value))
        elif isinstance(value, str) and "\n" in value and parent is not None:
            parent[key] = value.replace("\n", "")
            fixed = is_valid(document, schema_name)
            parent[key] = value
            if fixed:
                found.append(Diagnostic(shown, where, f"{value!r} is not in the expected form",
                                        "remove the line break: this value is one line"))
    return sorted(found, key=lambda d: path_key(d.where, document)) or [Diagnostic(
        shown, "$", "does not fit the schema, though no single field could be named")]


_PATH_PART = re.compile(r"\[(\d+)\]|\.([^.\[]+)|\[(\"(?:[^\"\\\\]|\\\\.)*\")\]")


def path_key(where: str, document: Any = None) -> list[tuple[int, int, str]]:
    """Sort key for JSON paths in document order: $.a[2] before $.a[10].

    With the document, object keys sort in the order the file has them; without it (or for
    a key the document lacks), alphabetically after the keys it has.
    """
    key: list[tuple[int, int, str]] = []
    node = document
    for index, name, quoted_name in _PATH_PART.findall(where):
        if index:
            i = int(index)
            key.append((0, i, ""))
            node = node[i] if isinstance(node, list) and i < len(node) else None
            continue
        name = name or json.loads(quoted_name)
        if isinstance(node, dict) and name in node:
            key.append((0, list(node).index(name), name))
            node = node[name]
        else:
            key.append((1, 0, name))
            node = None
    return key


def _expand(error: ValidationError) -> list[ValidationError]:
    """For oneOf/anyOf failures, every error of the branch the user most likely meant.

    A branch whose JSON type does not fit the value is not what the user meant; of the
    rest, jsonschema's best_match picks one, and all of that branch's errors are kept so
    one run reports them all. The ref/custom choice and "fits no branch's type" stay whole:
    `_diagnostic` words them.
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context or _is_required_choice(error):
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for child in error.context:
        branches.setdefault(child.relative_schema_path[0], []).append(child)
    fitting = {
        b: errs for b, errs in branches.items()
        if not any(e.validator == "type" and len(e.relative_schema_path) == 2 for e in errs)
    }
    if not fitting:
        return [error]
    from jsonschema.exceptions import best_match

    best = best_match([e for errs in fitting.values() for e in errs])
    while best is not None and best.parent is not None and best.parent is not error:
        best = best.parent  # best_match may descend into a nested oneOf: climb back to this one's branch
    chosen = fitting.get(best.relative_schema_path[0]) if best is not None else None
    chosen = chosen or next(iter(fitting.values()))
    return [leaf for child in chosen for leaf in _expand(child)]


def _is_required_choice(error: ValidationError) -> bool:
    """The exercise entry's "ref or custom, not both": branches that differ only in what is required."""
    branches = error.validator_value
    return isinstance(branches, list) and bool(branches) and all(
        isinstance(b, dict) and "required" in b for b in branches
    )


_TYPE_WORDS = {"string": "text", "object": "an object", "array": "a list", "integer": "a whole number",
               "number": "a number", "boolean": "true/false", "null": "null"}


def _type_word(value: Any) -> str:
    """What was written, as the reader wrote it: "true", "10.5, a number with a fraction" ("a
    number" read wrongly beside "expected a whole number")."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        shown = json.dumps(value)
        return f"{shown}, a number with a fraction" if isinstance(value, float) and not value.is_integer() \
            else f"the number {shown}"
    return _TYPE_WORDS["object" if isinstance(value, dict) else "array" if isinstance(value, list) else "string"]


def range_problems(document: Any, schema_name: str) -> list[tuple[str, str, str]]:
    """A reps range must not run backwards ({"min": 15, "max": 10}); JSON Schema cannot say so.
    Each problem is (JSON path, message, hint)."""
    dosages: list[tuple[str, Any]] = []
    if not isinstance(document, dict):
        return []
    if schema_name == "exercise.schema.json":
        dosages.append(("$.default_dosage", document.get("default_dosage")))
    else:
        sections = document.get("sections")
        for s, section in enumerate(sections if isinstance(sections, list) else []):
            exercises = section.get("exercises") if isinstance(section, dict) else None
            for e, entry in enumerate(exercises if isinstance(exercises, list) else []):
                if not isinstance(entry, dict):
                    continue
                where = f"$.sections[{s}].exercises[{e}]"
                dosages.append((f"{where}.dosage", entry.get("dosage")))
                custom = entry.get("custom")
                if isinstance(custom, dict):
                    dosages.append((f"{where}.custom.default_dosage", custom.get("default_dosage")))
    found = []
    for where, dosage in dosages:
        reps = dosage.get("reps") if isinstance(dosage, dict) else None
        if not isinstance(reps, dict):
            continue
        low, high = reps.get("min"), reps.get("max")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
            found.append((f"{where}.reps", f"the range runs backwards: min {low} is more than max {high}",
                          f"write {{\"min\": {high}, \"max\": {low}}}"))
    return found


def _diagnostics(error: ValidationError, file: str) -> list[Diagnostic]:
    if error.validator == "additionalProperties":
        # Every unknown field at once ("rep", "sides" and "hold" in one dosage), not one a run
        allowed = list(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - set(allowed)) or ["?"]
        return [_unknown_field(error.json_path, name, allowed, file) for name in extras[:MAX_UNKNOWN_FIELDS]]
    return [_diagnostic(error, file)]


MAX_UNKNOWN_FIELDS = 10  # an object's unknown fields told at once (a pasted document could have thousands)
MAX_NAME_SHOWN = 60  # characters of an unknown field's name in a message


def _unknown_field(where: str, name: str, allowed: list[str], file: str) -> Diagnostic:
    hint = did_you_mean(name, allowed) if len(name) <= MAX_NAME_SHOWN else None
    hint = hint or f"allowed fields: {', '.join(allowed)}"
    if len(name) > MAX_NAME_SHOWN:  # (a name of half a million characters is not echoed back)
        name = f"{name[:MAX_NAME_SHOWN]}... ({len(name):,} characters)"
    path = f"{where}.{name}" if _is_identifier(name) else f"{where}[{json.dumps(name)}]"
    return Diagnostic(file, path, f"unknown field '{name}'", hint)


def _diagnostic(error: ValidationError, file: str) -> Diagnostic:
    where = error.json_path
    if error.validator == "required":
        return Diagnostic(file, where, error.message.replace("is a required property", "is missing (required)"))
    if error.validator == "format" and error.validator_value == "date":
        return Diagnostic(file, where, f"{error.instance!r} is not a real date",
                          "write dates as YYYY-MM-DD, e.g. 2026-11-23")
    if error.validator == "const":
        return Diagnostic(file, where, f"{error.instance!r} is not supported; expected {error.validator_value!r}")
    if error.validator == "oneOf" and isinstance(error.instance, dict) and _is_required_choice(error):
        has = [k for k in ("ref", "custom") if k in error.instance]
        if not has:
            return Diagnostic(file, where,
                              "an exercise needs either 'ref' (a catalog id) or 'custom' (an inline exercise)")
        if len(has) == 2:
            return Diagnostic(file, where, "an exercise has either 'ref' or 'custom', not both")
    if error.validator in ("oneOf", "anyOf") and error.context:
        # No branch takes a value of this JSON type: say which types would do.
        wanted = [c.validator_value for c in error.context
                  if c.validator == "type" and len(c.relative_schema_path) == 2]
        words = list(dict.fromkeys(_TYPE_WORDS.get(t, str(t)) for t in wanted if isinstance(t, str)))
        if words:
            return Diagnostic(file, where, f"expected {' or '.join(words)}, not {_type_word(error.instance)}")
    if error.validator == "type" and isinstance(error.validator_value, str):
        expected = _TYPE_WORDS.get(error.validator_value, error.validator_value)
        quoted_number = isinstance(error.instance, str) and _looks_numeric(error.instance)
        return Diagnostic(file, where, f"expected {expected}, not {_type_word(error.instance)}",
                          f"write it without quotes: {error.instance.strip()}" if quoted_number else None)
    if error.validator == "enum" and isinstance(error.validator_value, list):
        choices = [str(v) for v in error.validator_value]
        lower = error.instance.lower() if isinstance(error.instance, str) else None
        return Diagnostic(file, where, f"{quoted(error.instance)} is not one of: {', '.join(choices)}",
                          f"write it in lowercase: '{lower}'" if lower in choices else
                          did_you_mean(str(error.instance), choices))
    # Length limits say the limit and the actual length, so the fix is plain.
    count = len(error.instance) if isinstance(error.instance, (str, list)) else 0
    unit = "characters" if isinstance(error.instance, str) else "items"
    if error.validator in ("maxLength", "maxItems") and isinstance(error.instance, (str, list)):
        return Diagnostic(file, where, f"is too long: {count} {unit}, the limit is {error.validator_value}")
    if error.validator in ("minLength", "minItems") and isinstance(error.instance, (str, list)):
        return Diagnostic(file, where, f"is too short: {count} {unit}, at least {error.validator_value} needed")
    if error.validator == "pattern" and isinstance(error.instance, str):
        return Diagnostic(file, where, f"{error.instance!r} is not in the expected form", _pattern_hint(error))
    if error.validator == "exclusiveMinimum" and isinstance(error.instance, (int, float)):
        field = error.absolute_path[-1] if error.absolute_path else None
        return Diagnostic(file, where, f"must be more than {error.validator_value}",
                          f"leave it out, or write null to remove the catalog's {field.removesuffix('_seconds')}"
                          if isinstance(field, str) and field.endswith("_seconds") else None)
    if error.validator == "not" and error.schema.get("description") and isinstance(error.instance, dict):
        # Two fields that contradict each other: the schema says why, at the field it forbids.
        forbidden = [k for k in error.validator_value.get("required", ()) if k in error.instance]
        return Diagnostic(file, f"{where}.{forbidden[0]}" if forbidden else where, error.schema["description"],
                          f"remove {forbidden[0]}" if forbidden else None)
    # Shorten the quoted value, not the sentence: "'TTTT...' is too long" keeps "is too long".
    message = error.message.replace(repr(error.instance), quoted(error.instance))
    if len(message) > 200:
        message = message[:197] + "..."
    return Diagnostic(file, where, message)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def quoted(value: Any) -> str:
    """A value as quoted in a message, its middle cut when it is long."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:40] + "..." + shown[-1:]


def _pattern_hint(error: ValidationError) -> str | None:
    field = error.absolute_path[-1] if error.absolute_path else None
    if field == "language":
        return "a language tag such as en, es or en-GB"
    if field == "logo":
        return "a logo is a .png or .jpg file"
    if "a-z0-9" in str(error.validator_value):
        return "ids are lowercase words joined by hyphens, e.g. 'single-leg-bridge'"
    if "png" in str(error.validator_value):
        return "use a .png or .jpg file (drawn poses end in .pose.json)"
    return None


def _is_identifier(name: str) -> bool:
    return name.replace("_", "a").replace("$", "a").isalnum() and not name[:1].isdigit()
