"""Stage 2: catalog folders -> exercise entries.

A catalog is a list of folders, the built-in one first; a later folder's entry
overrides an earlier one with the same id. Entries load lazily, by id, so a build
reads only the exercises its spec uses.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from . import resources
from .errors import Diagnostic, InputError, did_you_mean, display_path
from .jsonfile import read_json, schema_diagnostics
from .paths import confined, exists, while_unchanged

EXERCISE_SCHEMA = "exercise.schema.json"
GENERAL_SCHEMA = "general.schema.json"


class Illustration(NamedTuple):
    path: Path  # resolved, confined to its catalog (or spec) folder
    caption: str

    @property
    def is_pose(self) -> bool:
        return self.path.name.endswith(".pose.json")


class Line(NamedTuple):
    """A line a patient may read (a tip, a care cue, a red flag, a warning), and who it is for."""

    text: str
    conditions: frozenset[str] = frozenset()  # empty: everyone
    yields_to_pain_rule: bool = False  # a generic "stop if it hurts": a spec's pain rule replaces it
    yields_to_load: bool = False  # "your therapist may add a band": not said to a patient given one

    @classmethod
    def from_document(cls, item: str | dict[str, Any]) -> Line:
        if isinstance(item, str):
            return cls(item)
        return cls(item["text"], frozenset(item.get("conditions", ())), item.get("yields_to_pain_rule", False),
                   item.get("yields_to_load", False))

    def applies(self, conditions: set[str], pain_rule: bool, loaded: bool = False) -> bool:
        """For a patient with these conditions, under a pain rule or not, given a load or not."""
        if self.yields_to_pain_rule and pain_rule or self.yields_to_load and loaded:
            return False
        return not self.conditions or bool(self.conditions & conditions)


def side_words(one_side: Mapping[str, str], each_side: str) -> dict[str, str]:
    """An entry's own words for {sides}, by prescribed side: one_side's for left and right,
    each_side's for each; a side not here takes the handout's usual sentence."""
    return {**one_side, **({"each": each_side} if each_side else {})}


def allowed_sides(steps: Sequence[str], alternates: bool) -> tuple[str, ...]:
    """The sides an entry may be prescribed with: one side at a time when a step says {sides}
    (which side, and when to switch), else both together (agreement.py refuses the rest)."""
    if not any("{sides}" in step for step in steps):
        return ("both",)
    return ("each", "left", "right", "alternating") if alternates else ("each", "left", "right")


def _lines(items: list[Any]) -> tuple[Line, ...]:
    return tuple(Line.from_document(item) for item in items)


class Exercise(NamedTuple):
    """One catalog entry, validated, with its picture paths resolved."""

    id: str
    name: str
    kind: str
    body_regions: tuple[str, ...]
    steps: tuple[str, ...]
    default_dosage: dict[str, Any]
    source_file: Path
    aliases: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    position: str = ""
    equipment: tuple[str, ...] = ()
    summary: str = ""
    tips: tuple[Line, ...] = ()
    care: tuple[Line, ...] = ()  # cues printed on the card; the older `cautions` field reads as these
    red_flags: tuple[Line, ...] = ()  # reasons to stop, printed in the stop-if box
    in_short: str = ""  # what the exercise is, in a sentence, for a card that names it as a next step
    clinician_notes: tuple[str, ...] = ()  # for `catalog show` only, never printed on a handout
    default_frequency: Mapping[str, Any] = MappingProxyType({})  # (read-only: a shared default)
    one_side: Mapping[str, str] = MappingProxyType({})  # {sides} for "left" and "right", where "leg" is unclear
    each_side: str = ""  # {sides} for "each", where "switch sides" would not say what to do (stepping sideways)
    alternates: bool = True  # False: done lying on one side, stepping sideways...: no switching every repeat
    pictures_side: str = "right"  # the side that works in its pictures; a dose for the other mirrors them
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    illustrations: tuple[Illustration, ...] = ()
    video_url: str | None = None
    sources: tuple[dict[str, str], ...] = ()

    @classmethod
    def from_document(cls, doc: dict[str, Any], *, source_file: Path, root: Path, where: str = "$",
                      fallback: Path | None = None) -> Exercise:
        """Build from a document that already passed the schema; resolves picture paths under `root`,
        then, for a picture not there, under `fallback` (the built-in catalog, for an overlay)."""
        pictures = tuple(
            Illustration(
                _picture([root, fallback] if fallback else [root], item["src"], source_file,
                         f"{where}.illustrations[{i}].src"),
                item.get("caption", ""),
            )
            for i, item in enumerate(doc.get("illustrations", []))
        )
        tuples = ("aliases", "targets", "equipment", "progressions", "regressions", "sources", "clinician_notes")
        return cls(
            id=doc["id"], name=doc["name"], kind=doc["kind"],
            body_regions=tuple(doc["body_regions"]), steps=tuple(doc["steps"]),
            default_dosage=dict(doc["default_dosage"]), source_file=source_file,
            position=doc.get("position", ""), summary=doc.get("summary", ""),
            default_frequency=dict(doc.get("default_frequency", {})), one_side=dict(doc.get("one_side", {})),
            each_side=doc.get("each_side", ""), alternates=doc.get("alternates", True),
            pictures_side=doc.get("pictures_side", "right"),
            illustrations=pictures, video_url=doc.get("video_url"), in_short=doc.get("in_short", ""),
            tips=_lines(doc.get("tips", [])), care=_lines(doc.get("care", []) + doc.get("cautions", [])),
            red_flags=_lines(doc.get("red_flags", [])),
            **{k: tuple(doc.get(k, ())) for k in tuples},
        )

    def to_document(self) -> dict[str, Any]:
        """The entry as JSON-ready data (paths shown as the user would see them)."""
        doc: dict[str, Any] = {
            "id": self.id, "name": self.name, "aliases": list(self.aliases), "kind": self.kind,
            "body_regions": list(self.body_regions), "targets": list(self.targets),
            "position": self.position, "equipment": list(self.equipment), "summary": self.summary,
            "steps": list(self.steps), "tips": _line_docs(self.tips), "care": _line_docs(self.care),
            "red_flags": _line_docs(self.red_flags),
            "default_dosage": self.default_dosage, "default_frequency": dict(self.default_frequency),
            "progressions": list(self.progressions), "regressions": list(self.regressions),
            "illustrations": [{"src": display_path(i.path), "caption": i.caption} for i in self.illustrations],
            "sources": [dict(s) for s in self.sources],
        }
        if self.in_short:
            doc["in_short"] = self.in_short
        if self.clinician_notes:
            doc["clinician_notes"] = list(self.clinician_notes)
        if self.video_url:
            doc["video_url"] = self.video_url
        if self.one_side:
            doc["one_side"] = dict(self.one_side)
        if self.each_side:
            doc["each_side"] = self.each_side
        if not self.alternates:
            doc["alternates"] = False
        if self.pictures_side != "right":
            doc["pictures_side"] = self.pictures_side
        return doc

    @property
    def side_words(self) -> dict[str, str]:
        return side_words(self.one_side, self.each_side)

    @property
    def sides(self) -> tuple[str, ...]:
        return allowed_sides(self.steps, self.alternates)


def _line_docs(lines: tuple[Line, ...]) -> list[Any]:
    """Lines as an entry writes them: plain text unless limited to some patients."""
    docs: list[Any] = []
    for line in lines:
        if not line.conditions and not line.yields_to_pain_rule and not line.yields_to_load:
            docs.append(line.text)
            continue
        doc: dict[str, Any] = {"text": line.text}
        if line.conditions:
            doc["conditions"] = sorted(line.conditions)
        if line.yields_to_pain_rule:
            doc["yields_to_pain_rule"] = True
        if line.yields_to_load:
            doc["yields_to_load"] = True
        docs.append(doc)
    return docs


def _picture(roots: list[Path], src: str, named_in: Path, where: str) -> Path:
    """The picture in the first of `roots` that has it; never a file outside them.

    A clinic's translated copy of an entry keeps drawing the built-in poses this way."""
    for root in roots[:-1]:
        if not _absent_inside(root, src):
            return confined(root, src, named_in=named_in, where=where)
    return confined(roots[-1], src, named_in=named_in, where=where)


def _absent_inside(root: Path, src: str) -> bool:
    """`src` stays inside `root` but names nothing there (an escape is never "absent": it is refused)."""
    try:
        base = root.resolve()
        target = (base / src).resolve()
        return target.is_relative_to(base) and not os.path.lexists(target)
    except (OSError, RuntimeError, ValueError):
        return False


class DosingNote(NamedTuple):
    """A line of general advice; with `kinds`, only for routines with an exercise of one."""

    text: str
    kinds: frozenset[str] | None = None  # None: every routine
    yields_to_pain_rule: bool = False  # left out under a pain rule, which says how much pain is fine

    def applies_to(self, kinds: set[str], pain_rule: bool = False) -> bool:
        return (self.kinds is None or bool(self.kinds & kinds)) and not (pain_rule and self.yields_to_pain_rule)


class GeneralWarning(NamedTuple):
    """A general warning: a reason to stop, or advice for before the first session."""

    id: str
    line: Line
    kind: str = "stop"  # or "before_you_start"


class Named(NamedTuple):
    """An id with its text: a condition (with its label) or a pain rule."""

    id: str
    text: str


class General(NamedTuple):
    """Catalog-wide content: conditions, general warnings, pain rules and dosing notes."""

    warnings: tuple[GeneralWarning, ...] = ()
    dosing_notes: tuple[DosingNote, ...] = ()
    conditions: tuple[Named, ...] = ()
    pain_rules: tuple[Named, ...] = ()

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> General:
        warnings = [GeneralWarning(w["id"], Line.from_document(w), w.get("kind", "stop"))
                    for w in doc.get("warnings", [])]
        # The older form: plain sentences for everyone, numbered so that a spec can drop one.
        warnings += [GeneralWarning(f"stop-if-{n}", Line(text)) for n, text in enumerate(doc.get("stop_if", []), 1)]
        notes = tuple(DosingNote(n) if isinstance(n, str) else
                      DosingNote(n["text"], frozenset(n["kinds"]) if "kinds" in n else None,
                                 n.get("yields_to_pain_rule", False))
                      for n in doc.get("dosing_notes", []))
        return cls(tuple(warnings), notes,
                   tuple(Named(c["id"], c["label"]) for c in doc.get("conditions", [])),
                   tuple(Named(r["id"], r["text"]) for r in doc.get("pain_rules", [])))


class Catalog:
    """Exercise entries from one or more folders; later folders win."""

    def __init__(self, folders: list[Path] | None = None, *, builtin: bool = True):
        self.builtin = builtin
        # A folder named twice (routinepress.toml's, and again on the command line) is one
        # folder, in its last place: read twice, each entry was its own duplicate.
        named: dict[Path, Path] = {}
        for folder in ([resources.builtin_catalog_dir()] if builtin else []) + list(folders or []):
            resolved = folder.resolve()
            named.pop(resolved, None)
            named[resolved] = folder
        self.folders: list[Path] = list(named.values())
        for folder in self.folders:
            if not folder.is_dir():
                raise InputError.single(folder, "", "catalog folder not found")
        self._files: dict[str, tuple[Path, Path]] = {}  # id -> (entry file, catalog root)
        for root in self.folders:
            for file in sorted((root / "exercises").glob("*.json")):
                self._files[file.stem] = (file, root)
        self._loaded: dict[str, Exercise] = {}

    def ids(self) -> list[str]:
        return sorted(self._files)

    def __contains__(self, exercise_id: str) -> bool:
        return exercise_id in self._files

    def get(self, exercise_id: str) -> Exercise:
        """The entry for `exercise_id`; InputError if its file is invalid, KeyError if unknown."""
        if exercise_id not in self._loaded:
            file, root = self._files[exercise_id]
            self._loaded[exercise_id] = load_entry(file, root, self.fallback(root))
        return self._loaded[exercise_id]

    def is_builtin(self, exercise_id: str) -> bool:
        """Whether the entry in force comes from the built-in catalog (written in English)."""
        return self.builtin and self._files[exercise_id][1] == self.folders[0]

    def general_is_builtin(self) -> bool:
        """Whether the general.json in force is the built-in one (written in English)."""
        files = self.general_files()
        return self.builtin and bool(files) and files[0].parent == self.folders[0]

    def fallback(self, root: Path) -> Path | None:
        """Where an overlay entry's pictures are looked for when its own folder lacks them."""
        return self.folders[0] if self.builtin and root != self.folders[0] else None

    def suggest(self, unknown: str) -> str | None:
        """A 'did you mean' hint for an unknown id, matching ids and names."""
        return did_you_mean(unknown, self.ids())

    def general_files(self) -> list[Path]:
        """The general.json in force: the last folder's that has one."""
        # exists(), not is_file(): a folder or a pipe by that name is reported when read, not skipped.
        found = [root / "general.json" for root in self.folders if exists(root / "general.json")]
        return found[-1:]

    def general(self) -> General:
        """From the last folder that has general.json (a clinic's catalog can replace the built-in)."""
        files = self.general_files()
        if not files:
            return General()
        return while_unchanged(_GENERAL, files[0], files[0], lambda: _read_general(files[0]))

    def entry_files(self) -> list[tuple[Path, Path]]:
        """Every (entry file, catalog root), including ones an overlay hides."""
        return [(f, root) for root in self.folders for f in sorted((root / "exercises").glob("*.json"))]


# The general.json files read so far, kept like the entries below (a spec check and the model both ask).
_GENERAL: dict[Path, tuple[int, int, General]] = {}

# Validated entries, shared by every Catalog in the process; a changed file (mtime or
# size) is read again. Saves the schema check on every build of a batch or an embedding app.
_ENTRIES: dict[tuple[Path, Path, Path | None], tuple[int, int, Exercise]] = {}


def load_entry(file: Path, root: Path, fallback: Path | None = None) -> Exercise:
    return while_unchanged(_ENTRIES, (file, root, fallback), file, lambda: _read_entry(file, root, fallback))


def _read_general(file: Path) -> General:
    doc = read_json(file)
    problems = schema_diagnostics(doc, GENERAL_SCHEMA, file)
    if problems:
        raise InputError(problems)
    return General.from_document(doc)


def _read_entry(file: Path, root: Path, fallback: Path | None) -> Exercise:
    doc = read_json(file)
    problems = schema_diagnostics(doc, EXERCISE_SCHEMA, file)
    if not problems and doc["id"] != file.stem:
        message = f"id '{doc['id']}' differs from the file name '{file.stem}'"
        problems.append(Diagnostic(display_path(file), "$.id", message))
    if problems:
        raise InputError(problems)
    return Exercise.from_document(doc, source_file=file, root=root, fallback=fallback)
