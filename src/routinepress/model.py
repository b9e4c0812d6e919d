"""Stage 3: Spec + Catalog -> Handout, the plain data a page layout needs.

No reportlab here: the model can be dumped to JSON and compared in tests without
drawing a page. Every decision about *what* is printed is made here; the renderer
only decides *where*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog, Exercise
from .paths import confined
from .spec import Spec
from .wording import Words

DEFAULT_TRACKER_WEEKS = 2


@dataclass(frozen=True)
class Card:
    number: int
    name: str
    exercise: Exercise
    dosage: dict[str, Any]
    frequency: dict[str, int]
    dose_rows: tuple[tuple[str, str], ...]
    dose_summary: str
    frequency_text: str
    notes: str = ""
    mirror: bool = False  # the pose files draw the right side working; a left-side dose mirrors them
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Tracker:
    weeks: int
    start_date: dt.date | None
    pain_score: bool
    rows: tuple[str, ...]  # one per exercise, "1. Bridge"


@dataclass(frozen=True)
class Handout:
    title: str
    language: str
    sections: tuple[Section, ...]
    stop_if: tuple[str, ...]  # general warnings, then the routine's own
    cautions: tuple[tuple[str, str], ...]  # (exercise name, caution) for the stop-if box
    tracker: Tracker
    subtitle: str = ""
    date: str = ""
    patient: str = ""
    clinician: dict[str, str] = field(default_factory=dict)
    logo: Path | None = None
    intro: str = ""
    notes: str = ""
    template: str = "standard"
    page_size: str | None = None
    dosing_notes: tuple[str, ...] = ()  # the catalog's general advice, unless the spec leaves it out

    @property
    def cards(self) -> list[Card]:
        return [card for section in self.sections for card in section.cards]

    def to_json(self) -> dict[str, Any]:
        """A stable, JSON-ready dump of everything printed (for golden tests and hashing)."""
        return {
            "title": self.title, "subtitle": self.subtitle, "date": self.date,
            "language": self.language, "patient": self.patient, "clinician": self.clinician,
            "logo": self.logo.name if self.logo else None, "intro": self.intro, "notes": self.notes,
            "template": self.template, "page_size": self.page_size, "stop_if": list(self.stop_if),
            "dosing_notes": list(self.dosing_notes),
            "cautions": [list(c) for c in self.cautions],
            "sections": [
                {"title": s.title, "cards": [_card_json(c) for c in s.cards]} for s in self.sections
            ],
            "tracker": {
                "weeks": self.tracker.weeks, "pain_score": self.tracker.pain_score,
                "start_date": self.tracker.start_date.isoformat() if self.tracker.start_date else None,
                "rows": list(self.tracker.rows),
            },
        }


def _card_json(card: Card) -> dict[str, Any]:
    ex = card.exercise
    return {
        "number": card.number, "id": ex.id, "name": card.name, "dosage": card.dosage,
        "frequency": card.frequency, "dose_rows": [list(r) for r in card.dose_rows],
        "dose_summary": card.dose_summary, "frequency_text": card.frequency_text,
        "notes": card.notes, "mirror": card.mirror, "steps": list(ex.steps), "tips": [t.text for t in ex.tips],
        "care": [t.text for t in ex.care],
        "illustrations": [{"file": i.path.name, "caption": i.caption} for i in ex.illustrations],
        "progressions": list(card.progressions), "regressions": list(card.regressions),
    }


def build_model(spec: Spec, catalog: Catalog) -> Handout:
    doc = spec.doc
    language = doc.get("language", "en")
    words = Words(language)
    sections = []
    number = 0
    for s, section_doc in enumerate(doc["sections"]):
        cards = []
        for e, entry in enumerate(section_doc["exercises"]):
            number += 1
            where = f"$.sections[{s}].exercises[{e}]"
            cards.append(_card(number, entry, section_doc.get("frequency", {}), spec, catalog, words, where))
        sections.append(Section(section_doc["title"], tuple(cards)))

    all_cards = [c for s in sections for c in s.cards]
    tracker_doc = doc.get("tracker", {})
    start = tracker_doc.get("start_date")
    clinician = dict(doc.get("clinician", {}))
    logo_rel = clinician.pop("logo", None)
    logo = (confined(spec.folder, logo_rel, named_in=spec.path, where="$.clinician.logo", within=spec.limit)
            if logo_rel else None)
    general = catalog.general()
    kinds = {c.exercise.kind for c in all_cards}  # a stretches-only routine gets no strength advice
    return Handout(
        title=doc["title"], subtitle=doc.get("subtitle", ""), date=doc.get("date", ""),
        language=language, patient=doc.get("patient", {}).get("name", ""), clinician=clinician,
        logo=logo, intro=doc.get("intro", ""), notes=doc.get("notes", ""),
        sections=tuple(sections),
        stop_if=tuple(dict.fromkeys([*(w.line.text for w in general.warnings), *doc.get("stop_if", [])])),
        dosing_notes=tuple(note.text for note in general.dosing_notes if note.applies_to(kinds))
        if doc.get("show_dosing_notes", True) else (),
        cautions=tuple(dict.fromkeys((c.name, x) for c in all_cards for x in c.exercise.red_flags)),
        tracker=Tracker(
            weeks=tracker_doc.get("weeks", DEFAULT_TRACKER_WEEKS),
            start_date=dt.date.fromisoformat(start) if start else None,
            pain_score=tracker_doc.get("pain_score", True),
            rows=tuple(f"{c.number}. {c.name}" for c in all_cards),
        ),
        template=doc.get("template", "standard"),
        page_size=doc.get("page_size"),
    )


def _card(number: int, entry: str | dict, section_frequency: dict, spec: Spec, catalog: Catalog,
          words: Words, where: str) -> Card:
    if isinstance(entry, str):
        entry = {"ref": entry}
    if "custom" in entry:
        exercise = Exercise.from_document(
            entry["custom"], source_file=spec.path, root=spec.folder, where=f"{where}.custom"
        )
    else:
        exercise = catalog.get(entry["ref"])
    # The spec's dosage wins field by field; null removes a default (no hold, say).
    dosage = {k: v for k, v in (exercise.default_dosage | entry.get("dosage", {})).items() if v is not None}
    frequency = entry.get("frequency") or section_frequency or exercise.default_frequency
    return Card(
        number=number, name=entry.get("name", exercise.name), exercise=exercise,
        dosage=dosage, frequency=dict(frequency),
        dose_rows=tuple(words.dose_rows(dosage, frequency)),
        dose_summary=words.dose_summary(dosage), frequency_text=words.frequency(frequency),
        notes=entry.get("notes", ""), mirror=dosage.get("side") == "left",
        progressions=_names(catalog, exercise.progressions),
        regressions=_names(catalog, exercise.regressions),
    )


def _names(catalog: Catalog, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(catalog.get(i).name for i in ids if i in catalog)

