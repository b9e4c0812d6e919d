"""What the `catalog` and `new` commands do: filter, describe, search, check, start a spec."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from . import patient_text
from .agreement import unexplained_hold
from .catalog import Catalog, Exercise, General, Line, load_entry
from .errors import Diagnostic, InputError, did_you_mean, display_path
from .jsonfile import read_json

SEARCH_FIELDS = ("id", "name", "aliases", "targets", "summary")
SEARCH_THRESHOLD = 0.8


def filtered(catalog: Catalog, kind: str | None = None, region: str | None = None,
             equipment: str | None = None) -> list[Exercise]:
    def wanted(ex: Exercise) -> bool:
        return ((kind is None or ex.kind == kind)
                and (region is None or region in ex.body_regions)
                and (equipment is None or any(equipment.lower() in e.lower() for e in ex.equipment)))

    return [ex for ex in map(catalog.get, catalog.ids()) if wanted(ex)]


def table(exercises: list[Exercise]) -> str:
    """A plain-text table: id, name, kind, position, equipment."""
    rows = [("ID", "NAME", "KIND", "POSITION", "EQUIPMENT")]
    rows += [(e.id, e.name, e.kind, e.position, ", ".join(e.equipment) or "-") for e in exercises]
    widths = [min(max(len(r[i]) for r in rows), 40) for i in range(4)]
    lines = []
    for row in rows:
        cells = [_cut(c, w).ljust(w) for c, w in zip(row, widths)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def reading_grade(exercise: Exercise) -> float:
    """US school grade of the steps (Flesch-Kincaid), measured by textstat."""
    import textstat

    return round(textstat.flesch_kincaid_grade(" ".join(exercise.steps)), 1)


def describe(exercise: Exercise) -> str:
    """The whole entry, readably, as `catalog show` prints it."""
    from .wording import Words

    words = Words("en")
    out = [f"{exercise.name}  ({exercise.id})", "=" * (len(exercise.name) + len(exercise.id) + 4)]
    facts = [
        ("Also called", ", ".join(exercise.aliases)), ("Kind", exercise.kind),
        ("Body regions", ", ".join(exercise.body_regions)), ("Targets", ", ".join(exercise.targets)),
        ("Position", exercise.position), ("Equipment", ", ".join(exercise.equipment) or "none"),
        ("Default dose", words.dose_summary(exercise.default_dosage)),
        ("How often", words.frequency(exercise.default_frequency)),
        ("Steps reading grade", f"{reading_grade(exercise)} (US grade, Flesch-Kincaid)"),
    ]
    out += [f"{label + ':':<21}{value}" for label, value in facts if value]
    if exercise.summary:
        out += ["", exercise.summary]
    if exercise.in_short:
        out += ["", f"In short: {exercise.in_short}"]
    lists = (("Steps", exercise.steps, True), ("Tips", map(_shown, exercise.tips), False),
             ("Take care (on the card)", map(_shown, exercise.care), False),
             ("Red flags (in the stop-if box)", map(_shown, exercise.red_flags), False),
             ("For the clinician (never printed)", exercise.clinician_notes, False))
    for title, items, numbered in lists:
        shown = list(items)
        if shown:
            out += ["", f"{title}:"] + [f"  {f'{n}.' if numbered else '-'} {t}" for n, t in enumerate(shown, 1)]
    for title, ids in (("Progressions", exercise.progressions), ("Regressions", exercise.regressions)):
        if ids:
            out += ["", f"{title}: {', '.join(ids)}"]
    if exercise.illustrations:
        pictures = [f"  {i.caption or '-'}: {display_path(i.path)}" for i in exercise.illustrations]
        out += ["", "Illustrations:"] + pictures
    if exercise.video_url:
        out += ["", f"Video: {exercise.video_url}"]
    if exercise.sources:
        sources = [f"  - {s['title']}" + (f" <{s['url']}>" if s.get("url") else "") for s in exercise.sources]
        out += ["", "Sources:"] + sources
    return "\n".join(out)


def general_document(general: General) -> dict[str, Any]:
    """What a spec can name from general.json, as data."""
    return {
        "conditions": [{"id": c.id, "label": c.text} for c in general.conditions],
        "pain_rules": [{"id": r.id, "text": r.text} for r in general.pain_rules],
        "warnings": [{"id": w.id, "kind": w.kind, "text": w.line.text, "conditions": sorted(w.line.conditions),
                      "yields_to_pain_rule": w.line.yields_to_pain_rule} for w in general.warnings],
    }


def describe_general(general: General) -> str:
    """`catalog warnings` as text: ids first, so they can be copied into a spec."""
    out = ["Conditions (a spec's \"conditions\"):"]
    out += [f"  {c.id:<28}{c.text}" for c in general.conditions] or ["  (none)"]
    out += ["", "Pain rules (a spec's \"pain_rule\"):"]
    out += [f"  {r.id:<28}{r.text}" for r in general.pain_rules] or ["  (none)"]
    out += ["", "General warnings (a spec's \"general_warnings\": drop or use by id):"]
    for w in general.warnings:
        who = f"only for {', '.join(sorted(w.line.conditions))}" if w.line.conditions else "everyone"
        where = "before you start" if w.kind == "before_you_start" else "stop-if box"
        extra = "; left out under a pain rule" if w.line.yields_to_pain_rule else ""
        out.append(f"  {w.id:<28}{w.line.text}  [{where}; {who}{extra}]")
    return "\n".join(out)


def _shown(line: Line) -> str:
    """A line with who it is for, as the clinician needs to know it."""
    notes = [f"only for: {', '.join(sorted(line.conditions))}"] if line.conditions else []
    notes += ["left out under a pain rule"] if line.yields_to_pain_rule else []
    notes += ["left out when a load is prescribed"] if line.yields_to_load else []
    return line.text + (f"  [{'; '.join(notes)}]" if notes else "")


MAX_QUERY = 100  # characters of a catalog search: a name and a few words (its work grows with its length)


def search(catalog: Catalog, text: str) -> list[tuple[float, Exercise]]:
    """Entries whose name, aliases, targets or summary match every word of `text`, typos forgiven."""
    query = _words(text)
    if not query:
        return []
    hits = []
    for ex in map(catalog.get, catalog.ids()):
        haystack = set(_words(" ".join(_field_text(ex, f) for f in SEARCH_FIELDS)))
        scores = [max((_similarity(q, w) for w in haystack), default=0.0) for q in query]
        score = min(scores)
        if score >= SEARCH_THRESHOLD:
            hits.append((round(score, 3), ex))
    return sorted(hits, key=lambda hit: (_name_rank(query, hit[1]), -hit[0], hit[1].name.lower(), hit[1].id))


def _name_rank(query: list[str], ex: Exercise) -> tuple[int, int]:
    """How closely the words typed name the exercise, best first: the name itself, the start
    of it, a run of its words, every word somewhere in it, then words found only in its
    targets or summary; at each step its own name before an alias. So "straight leg raise"
    lists Straight leg raise before a leg lift that has the phrase in an alias."""
    names = [_words(ex.name), *(_words(alias) for alias in ex.aliases)]
    return min(((_phrase_rank(query, words), 0 if n == 0 else 1) for n, words in enumerate(names)), default=(4, 0))


def _phrase_rank(query: list[str], words: list[str]) -> int:
    if words == query:
        return 0

    def run_at(start: int) -> bool:  # each word typed matches the name's word there (typos forgiven)
        return start + len(query) <= len(words) and all(
            _similarity(q, words[start + k]) >= SEARCH_THRESHOLD for k, q in enumerate(query))

    if run_at(0):
        return 1
    if any(run_at(start) for start in range(1, len(words))):
        return 2
    if all(any(_similarity(q, w) >= SEARCH_THRESHOLD for w in words) for q in query):
        return 3
    return 4


def _field_text(ex: Exercise, field: str) -> str:
    value = getattr(ex, field)
    return " ".join(value) if isinstance(value, tuple) else str(value)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _similarity(query: str, word: str) -> float:
    if word.startswith(query) and len(query) >= 3:
        return 1.0
    return difflib.SequenceMatcher(None, query, word).ratio()


def check(catalog: Catalog) -> list[Diagnostic]:
    """Every problem in every entry: schema, id vs file name, cross references, pictures, duplicates."""
    from .illustrate import load_pose

    problems: list[Diagnostic] = []
    loaded: list[Exercise] = []
    for file, root in catalog.entry_files():
        try:
            loaded.append(load_entry(file, root, catalog.fallback(root)))
        except InputError as exc:
            problems += exc.diagnostics
    for ex in loaded:
        shown = display_path(ex.source_file)
        for field in ("progressions", "regressions"):
            for i, ref in enumerate(getattr(ex, field)):
                if ref not in catalog:
                    problems.append(Diagnostic(shown, f"$.{field}[{i}]", f"unknown exercise '{ref}'",
                                               catalog.suggest(ref)))
        for picture in ex.illustrations:
            if picture.is_pose:
                try:
                    load_pose(picture.path)
                except InputError as exc:
                    problems += exc.diagnostics
    problems += _duplicates(catalog)
    conditions: set[str] | None = None
    try:
        conditions = {c.id for c in catalog.general().conditions}
    except InputError as exc:
        problems += exc.diagnostics
    for file in catalog.general_files():
        problems += general_text_diagnostics(read_json(file), display_path(file))
    for ex in loaded:
        problems += entry_text_diagnostics(read_json(ex.source_file), display_path(ex.source_file), conditions)
    problems += _replacements_keep_the_sides(catalog, loaded)
    return problems


def _replacements_keep_the_sides(catalog: Catalog, loaded: list[Exercise]) -> list[Diagnostic]:
    """A clinic's entry in place of a built-in one (a translation, say) keeps what the built-in
    says about sides: with the same pictures, the side they show (else a left-only dose draws
    the other leg); whether it can alternate; and its own words for {sides} (else side steps
    go back to "do all your repeats, then switch sides")."""
    if not catalog.builtin:
        return []
    builtin = Catalog()
    problems = []
    for ex in loaded:
        original = builtin.get(ex.id) if ex.id in builtin else None
        if original is None or ex.source_file == original.source_file:
            continue
        shown = display_path(ex.source_file)
        same_pictures = [p.path for p in ex.illustrations] == [p.path for p in original.illustrations]
        if same_pictures and ex.pictures_side != original.pictures_side:
            problems.append(Diagnostic(shown, "$.pictures_side", f"the built-in pictures it uses show the "
                                       f"{original.pictures_side} side working", f'add "pictures_side": '
                                       f'"{original.pictures_side}", as the built-in entry has'))
        if ex.alternates != original.alternates:
            problems.append(Diagnostic(shown, "$.alternates", f"the built-in entry says alternates: "
                                       f"{str(original.alternates).lower()}", "say the same, unless the steps differ"))
        for field in ("one_side", "each_side"):
            if getattr(original, field) and not getattr(ex, field):
                problems.append(Diagnostic(shown, "$", f"has no {field}, which the built-in entry gives: its "
                                           "{sides} sentence would fall back to the general one",
                                           f"translate the built-in entry's {field}"))
    return problems


PATIENT_FIELDS = ("summary", "in_short", "steps", "one_side", "each_side", "tips", "care", "red_flags", "cautions")


def entry_text_diagnostics(doc: dict[str, Any], shown: str, conditions: set[str] | None = None) -> list[Diagnostic]:
    """Patient text in an exercise entry that states a dose or talks about sources, and
    lines limited to a condition the catalog does not define."""
    problems = []
    for field in PATIENT_FIELDS:
        value = doc.get(field)
        if isinstance(value, dict):  # one_side: {"left": ..., "right": ...}, which may name its side
            problems += [Diagnostic(shown, f"$.{field}.{key}", message) for key, text in value.items()
                         for message in patient_text.problems(text, names_a_side=True)]
            continue
        else:
            lines = [(f"$.{field}", value)] if isinstance(value, str) else [
                (f"$.{field}[{i}]", item) for i, item in enumerate(value or [])]
        for where, line in lines:
            if not isinstance(line, dict):
                problems += [Diagnostic(shown, where, message) for message in patient_text.problems(line)]
                continue
            problems += [Diagnostic(shown, f"{where}.text", message) for message in patient_text.problems(line["text"])]
            for c, condition in enumerate(line.get("conditions", [])):
                if conditions is not None and condition not in conditions:
                    problems.append(Diagnostic(shown, f"{where}.conditions[{c}]", f"unknown condition '{condition}'",
                                               did_you_mean(condition, sorted(conditions))))
    steps, dosage = doc.get("steps"), doc.get("default_dosage")
    if isinstance(steps, list) and isinstance(dosage, dict) and unexplained_hold(
            [step for step in steps if isinstance(step, str)], dosage):
        problems.append(Diagnostic(shown, "$.default_dosage.hold_seconds", "no step says when to hold",
                                   "write {hold} in the step where the hold happens, or drop the hold"))
    for i, picture in enumerate(doc.get("illustrations", [])):  # a caption prints under its picture
        if isinstance(picture, dict) and picture.get("caption"):
            problems += [Diagnostic(shown, f"$.illustrations[{i}].caption", message)
                         for message in patient_text.problems(picture["caption"])]
    return problems


def general_text_diagnostics(doc: dict[str, Any], shown: str) -> list[Diagnostic]:
    """The same guard on general.json's warnings and dosing notes (pain rules are the clinician's
    choice of figures, so they are left alone), and ids and conditions that must match up."""
    problems = []
    lines = [(f"$.warnings[{i}].text", w["text"]) for i, w in enumerate(doc.get("warnings", []))]
    lines += [(f"$.stop_if[{i}]", w) for i, w in enumerate(doc.get("stop_if", []))]
    lines += [(f"$.dosing_notes[{i}]" + ("" if isinstance(n, str) else ".text"), n if isinstance(n, str) else n["text"])
              for i, n in enumerate(doc.get("dosing_notes", []))]
    for where, text in lines:
        problems += [Diagnostic(shown, where, message) for message in patient_text.problems(text)]
    conditions = {c["id"] for c in doc.get("conditions", [])}
    for i, warning in enumerate(doc.get("warnings", [])):
        for c, condition in enumerate(warning.get("conditions", [])):
            if condition not in conditions:
                problems.append(Diagnostic(shown, f"$.warnings[{i}].conditions[{c}]",
                                           f"unknown condition '{condition}'",
                                           did_you_mean(condition, sorted(conditions))))
    for field in ("conditions", "warnings", "pain_rules"):
        seen: set[str] = set()
        for i, item in enumerate(doc.get(field, [])):
            if item["id"] in seen:
                problems.append(Diagnostic(shown, f"$.{field}[{i}].id", f"id '{item['id']}' is used twice"))
            seen.add(item["id"])
    return problems




def _duplicates(catalog: Catalog) -> list[Diagnostic]:
    """Two clinic folders defining one id is ambiguous (overriding the built-in one is not)."""
    seen: dict[str, Path] = {}
    problems = []
    for folder in catalog.folders[1:] if catalog.folders else []:
        for file in sorted((folder / "exercises").glob("*.json")):
            if file.stem in seen:
                problems.append(Diagnostic(
                    display_path(file), "$.id", f"'{file.stem}' is also defined in {display_path(seen[file.stem])}",
                    "keep one of them, or give one a different id",
                ))
            else:
                seen[file.stem] = file
    return problems


def starter_spec(catalog: Catalog, exercise_ids: list[str], title: str) -> dict[str, Any]:
    """A valid spec with these exercises at their default doses, grouped by kind."""
    unknown = [i for i in exercise_ids if i not in catalog]
    if unknown:
        raise InputError([Diagnostic("--exercise", "", f"unknown exercise '{i}'", catalog.suggest(i)) for i in unknown])
    repeated = sorted({i for i in exercise_ids if exercise_ids.count(i) > 1})
    if repeated:  # (a second card of the same exercise at the same dose: a slip of the command line)
        raise InputError([Diagnostic("--exercise", "", f"'{i}' is given more than once", "give each exercise once")
                          for i in repeated])
    groups: dict[str, list[str]] = {}
    for exercise_id in exercise_ids:
        kind = catalog.get(exercise_id).kind
        group = ("Stretches" if kind in ("stretch", "mobility")
                 else "Strengthening" if kind == "strength" else "Balance and control")
        groups.setdefault(group, []).append(exercise_id)
    return {
        "spec_version": 1,
        "title": title,
        "patient": {"name": ""},
        "sections": [
            {"title": name, "exercises": [{"ref": i, "dosage": catalog.get(i).default_dosage} for i in ids]}
            for name, ids in groups.items()
        ],
        "stop_if": [],
        "tracker": {"weeks": 2},
    }


def dump(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
