"""Stage 1: a routine spec file -> a validated JSON document.

Problems are collected, not raised one at a time: the schema's, then the catalog
references', so a clinician fixes a spec in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

from .agreement import disagreements
from .catalog import Catalog
from .config import Config, apply_defaults, clinic_root
from .errors import Diagnostic, InputError, did_you_mean, display_path
from .jsonfile import (
    control_diagnostics,
    may_be_unprintable,
    path_key,
    read_json,
    schema_diagnostics,
    surrogate_diagnostics,
)
from .paths import confined

ROUTINE_SCHEMA = "routine.schema.json"
SUPPORTED_VERSION = 1
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # the schema's id pattern
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # the schema's language tag pattern
_IMAGE = re.compile(r"\.(png|PNG|jpe?g|JPE?G)$")
_PICTURE = re.compile(r"\.(pose\.json|png|PNG|jpe?g|JPE?G)$")


class Spec(NamedTuple):
    path: Path
    doc: dict[str, Any]
    root: Path | None = None  # the folder its paths may not leave (config.py); None: its own folder
    warnings: tuple[Diagnostic, ...] = ()  # text that may disagree with the dose (agreement.py)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def limit(self) -> Path:
        return self.root or self.folder


def load_spec(path: Path, catalog: Catalog, config: Config | None = None) -> Spec:
    """Read and check a spec against the schema and the catalog; InputError lists every problem.

    With a config (the one in force for the spec's folder), its defaults fill in what the
    spec leaves out.
    """
    doc = read_json(path)
    if config is None:
        return check_spec(doc, path, catalog)
    if config.defaults:  # (without any, the document just read is already a new one: no copy)
        doc = apply_defaults(doc, config, path.parent)
    # The config in force for the spec's folder was found already: its folder is the clinic's.
    return _checked(doc, path, catalog, config.root if config.file else None)


def check_spec(doc: Any, path: Path, catalog: Catalog, root: Path | None = None) -> Spec:
    """Check an already parsed spec; `path` names it in messages and anchors its relative paths.

    `root` is the folder its paths may not leave; by default the clinic folder the spec is in
    (the nearest routinepress.toml's), else the spec's own folder.
    """
    return _checked(doc, path, catalog, root or clinic_root(path.parent))


def _checked(doc: Any, path: Path, catalog: Catalog, root: Path | None) -> Spec:
    """check_spec with the clinic folder known (None: there is none)."""
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
    # A dict from the API never went through read_json.
    problems = surrogate_diagnostics(doc, shown) + control_diagnostics(doc, shown) if may_be_unprintable(doc) else []
    if problems:
        raise InputError(problems)
    # Over the size limit is refused on that alone, before any work entry by entry: 30,000
    # unknown ids took half a minute of "did you mean" and a 4 MB answer.
    problems = size_diagnostics(doc, shown)
    if problems:
        raise InputError(problems)
    problems = schema_diagnostics(doc, ROUTINE_SCHEMA, path)
    problems += reference_diagnostics(doc, catalog, shown)
    problems += path_diagnostics(doc, path, root)
    problems += template_diagnostics(doc, path, root)
    problems += date_diagnostics(doc, shown)
    problems += tailoring_diagnostics(doc, catalog, shown)
    problems += blank_diagnostics(doc, shown)
    warnings: list[Diagnostic] = []
    if not problems:  # (every exercise known and well formed: its text can be read against its dose)
        problems, warnings = disagreements(doc, catalog, shown)
        warnings += english_text_warnings(doc, catalog, shown)
    if problems:
        raise InputError(sorted(problems, key=lambda d: path_key(d.where, doc)), warnings)
    return Spec(path, doc, root, tuple(warnings))


def english_text_warnings(doc: dict[str, Any], catalog: Catalog, shown: str) -> list[Diagnostic]:
    """A handout in another language whose exercise text or warnings come from the built-in
    catalog, which is written in English: the patient would read English under a PDF that
    declares the other language. A warning (--strict refuses it), since a clinic may print
    one before its translated entries are ready."""
    language = doc.get("language", "en")
    if language.split("-")[0].lower() == "en":
        return []
    refs = [entry if isinstance(entry, str) else entry.get("ref") for section in doc["sections"]
            for entry in section["exercises"]]
    english = list(dict.fromkeys(ref for ref in refs if ref and catalog.is_builtin(ref)))
    general = ["the general warnings (general.json)"] if catalog.general_is_builtin() else []
    if not english and not general:
        return []
    # (the general warnings named always, not counted among the exercises: "and 2 more" of 5)
    named = english if len(english) <= 5 else english[:4] + [f"{len(english) - 4} more exercises"]
    named += general  # ("1 more" names none)
    shown_ids = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    return [Diagnostic(
        shown, "$.language", f"the handout is in '{language}', but the built-in catalog's text for {shown_ids} "
        "is in English and will print in English",
        "give --catalog (or routinepress.toml's catalog) a folder whose entries and general.json are written in "
        "this language; they replace the built-in ones id by id", severity="warning")]


def reference_diagnostics(doc: dict[str, Any], catalog: Catalog, shown: str) -> list[Diagnostic]:
    """Unknown catalog ids, with a 'did you mean' hint; skips entries the schema already rejected."""
    found: list[Diagnostic] = []
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
            # An id the schema already rejected (wrong form) is reported once, by the schema.
            if isinstance(ref, str) and _ID.fullmatch(ref) and ref not in catalog:
                found.append(Diagnostic(shown, where, f"unknown exercise '{ref}'", catalog.suggest(ref)))
    return found


def blank_diagnostics(doc: dict[str, Any], shown: str) -> list[Diagnostic]:
    """Text that must print something (the title, a section's title, an exercise's name, a
    reason to stop) but is only spaces: the schema counts a space as text."""
    named: list[tuple[str, Any]] = [("$.title", doc.get("title"))]
    stop_if, sections = doc.get("stop_if"), doc.get("sections")
    for i, line in enumerate(stop_if if isinstance(stop_if, list) else []):
        named.append((f"$.stop_if[{i}]", line))
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(section, dict):
            continue
        named.append((f"$.sections[{s}].title", section.get("title")))
        exercises = section.get("exercises")
        for e, entry in enumerate(exercises if isinstance(exercises, list) else []):
            if isinstance(entry, dict):
                named.append((f"$.sections[{s}].exercises[{e}].name", entry.get("name")))
                custom = entry.get("custom")
                if isinstance(custom, dict):
                    named.append((f"$.sections[{s}].exercises[{e}].custom.name", custom.get("name")))
    return [Diagnostic(shown, where, "is blank: only spaces, so nothing would print there",
                       "write the text, or leave the field out where it may be left out")
            for where, value in named if isinstance(value, str) and value and not value.strip()]


def path_diagnostics(doc: dict[str, Any], path: Path, root: Path | None = None) -> list[Diagnostic]:
    """Files the spec names (logo, custom pictures): present, inside the spec's folder, and
    for drawn poses, valid.

    Checked here, with the schema, so one run reports them all; values the schema
    rejects are skipped (already reported).
    """
    named: list[tuple[str, Any, re.Pattern[str], Path | None]] = []
    clinician = doc.get("clinician")
    if isinstance(clinician, dict):  # a logo may be the clinic's, anywhere in the clinic folder
        named.append(("$.clinician.logo", clinician.get("logo"), _IMAGE, root))
    sections = doc.get("sections")
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        exercises = section.get("exercises") if isinstance(section, dict) else None
        for e, entry in enumerate(exercises if isinstance(exercises, list) else []):
            custom = entry.get("custom") if isinstance(entry, dict) else None
            pictures = custom.get("illustrations") if isinstance(custom, dict) else None
            for i, item in enumerate(pictures if isinstance(pictures, list) else []):
                src = item.get("src") if isinstance(item, dict) else None
                where = f"$.sections[{s}].exercises[{e}].custom.illustrations[{i}].src"
                named.append((where, src, _PICTURE, None))  # a custom exercise's pictures stay beside the spec
    found = []
    for where, value, pattern, within in named:
        if isinstance(value, str) and value and pattern.search(value):
            try:
                target = confined(path.parent, value, named_in=path, where=where, within=within)
                if target.name.endswith(".pose.json"):
                    from .illustrate import load_pose  # the drawing code loads only when a pose is named

                    load_pose(target)  # a broken pose is reported by validate too, not only by build
            except InputError as exc:
                found += exc.diagnostics
    return found


def tailoring_diagnostics(doc: dict[str, Any], catalog: Catalog, shown: str) -> list[Diagnostic]:
    """Ids the schema cannot know: conditions, pain rules and warnings come from the catalog's
    general.json, and the language must be one we have words and CLDR rules for."""
    from .wording import language_problem

    found: list[Diagnostic] = []
    language = doc.get("language")
    # A tag the schema rejects (wrong form) is reported once, by the schema.
    if isinstance(language, str) and _LANGUAGE.fullmatch(language) and (problem := language_problem(language)):
        found.append(Diagnostic(shown, "$.language", problem))
    general = catalog.general()
    known = {
        "conditions": {c.id for c in general.conditions},
        "pain_rule": {r.id for r in general.pain_rules},
        "warnings": {w.id for w in general.warnings},
    }
    named: list[tuple[str, str, Any]] = []
    if isinstance(doc.get("conditions"), list):
        named += [("conditions", f"$.conditions[{i}]", c) for i, c in enumerate(doc["conditions"])]
    if isinstance(doc.get("pain_rule"), str):
        named.append(("pain_rule", "$.pain_rule", doc["pain_rule"]))
    chosen = doc.get("general_warnings")
    for key in ("drop", "use"):
        ids = chosen.get(key) if isinstance(chosen, dict) else None
        if isinstance(ids, list):
            named += [("warnings", f"$.general_warnings.{key}[{i}]", w) for i, w in enumerate(ids)]
    what = {"conditions": "condition", "pain_rule": "pain rule", "warnings": "general warning"}
    for kind, where, value in named:
        if isinstance(value, str) and _ID.fullmatch(value) and value not in known[kind]:
            hint = did_you_mean(value, sorted(known[kind])) or "`routinepress catalog warnings` lists them"
            found.append(Diagnostic(shown, where, f"unknown {what[kind]} '{value}'", hint))
    return found


MAX_EXERCISES = 100  # in all sections together: some 300 pages at most, built in seconds


def size_diagnostics(doc: dict[str, Any], shown: str) -> list[Diagnostic]:
    """The schema limits each section; JSON Schema cannot count across sections."""
    sections = doc.get("sections")
    count = sum(len(s["exercises"]) for s in sections if isinstance(s, dict) and isinstance(s.get("exercises"), list)
                ) if isinstance(sections, list) else 0
    if count <= MAX_EXERCISES:
        return []
    return [Diagnostic(shown, "$.sections", f"has too many exercises: {count} in all, the limit is {MAX_EXERCISES}",
                       "split the routine into several handouts")]


MAX_TRACKER_DAYS = 12 * 7  # the schema's most weeks


def date_diagnostics(doc: dict[str, Any], shown: str) -> list[Diagnostic]:
    """A real date can still be too late for a tracker: its columns are dated day by day."""
    tracker = doc.get("tracker")
    start = tracker.get("start_date") if isinstance(tracker, dict) else None
    if not isinstance(start, str):
        return []
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        return []  # not a date at all: the schema says so
    if day > dt.date.max - dt.timedelta(days=MAX_TRACKER_DAYS):
        return [Diagnostic(shown, "$.tracker.start_date",
                           f"'{start}' is too late: the tracker's dates would run past {dt.date.max.isoformat()}")]
    return []


def template_diagnostics(doc: dict[str, Any], path: Path, root: Path | None = None) -> list[Diagnostic]:
    """The spec's template: a built-in name, or a file inside the spec's folder that loads."""
    from .templates import PAPER_MM, load_template

    name = doc.get("template")
    if not isinstance(name, str) or not name:
        return []
    shown = display_path(path)
    if "/" in name or "\\" in name or name.endswith(".json"):
        try:
            confined(path.parent, name, named_in=path, where="$.template", within=root)
        except InputError as exc:
            return exc.diagnostics
    try:
        template = load_template(name, base=path.parent)
    except InputError as exc:
        # "unknown template" names no file; say which spec and field asked for it.
        return [Diagnostic(shown, "$.template", d.message, d.hint) if d.file == "template" else d
                for d in exc.diagnostics]
    page_size = doc.get("page_size")
    return template.fit_diagnostics(template.page_size(page_size if page_size in PAPER_MM else None))


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null",
             int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
