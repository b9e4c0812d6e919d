"""What the `catalog` and `new` commands do: filter, describe, search, check, start a spec."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from .catalog import Catalog, Exercise, load_entry
from .errors import Diagnostic, InputError, display_path

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
    for title, items, numbered in (("Steps", exercise.steps, True), ("Tips", exercise.tips, False),
                                   ("Cautions", exercise.cautions, False)):
        if items:
            out += ["", f"{title}:"] + [f"  {f'{n}.' if numbered else '-'} {t}" for n, t in enumerate(items, 1)]
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
    return sorted(hits, key=lambda hit: (-hit[0], hit[1].id))


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
    try:
        catalog.general()
    except InputError as exc:
        problems += exc.diagnostics
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
