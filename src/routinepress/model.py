"""Stage 3: Spec + Catalog -> Handout, plain data holding every word that will be printed.

No reportlab, no catalog objects and no Paths in the result: the model is dumped to
JSON (`build --format json`) and compared with golden files in tests, without drawing a
page. Every decision about *what* is printed is made here, for this patient and this
prescription: steps filled from the dose, warnings chosen for the patient's conditions,
dates written as the language writes them. The renderer only decides *where*.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .catalog import Catalog, Exercise, General, GeneralWarning, Line
from .paths import confined
from .spec import Spec
from .wording import Words

DEFAULT_TRACKER_WEEKS = 2
DAYS = 7


class Picture(NamedTuple):
    file: str  # a pose file or an image, resolved and confined to its catalog (or spec) folder
    caption: str

    @property
    def path(self) -> Path:  # (asked for by each card arrangement tried: made once)
        return _path(self.file)

    @property
    def is_pose(self) -> bool:
        return self.file.endswith(".pose.json")


class Card(NamedTuple):
    number: int
    id: str
    name: str
    kind: str
    summary: str
    dose_rows: tuple[tuple[str, str], ...]  # (label, plain phrase), only what was prescribed
    dose_summary: str  # one line, for the at-a-glance table
    frequency_text: str
    frequency: dict[str, int]  # as prescribed: days_per_week, times_per_day, as_needed
    steps: tuple[str, ...]  # the catalog's, with the prescribed dose written in
    tips: tuple[str, ...]
    care: tuple[str, ...]  # cues printed on the card; reasons to stop go to the stop-if box
    pictures: tuple[Picture, ...]
    notes: str = ""
    mirror: bool = False  # the pictures show the other side working than the dose names
    progressions: tuple[str, ...] = ()  # "When this gets easy", each line naming something the patient can find
    regressions: tuple[str, ...] = ()
    video_url: str = ""


class Section(NamedTuple):
    title: str
    cards: tuple[Card, ...]


class TrackerRow(NamedTuple):
    name: str  # "1. Bridge"
    days_per_week: int  # the prescribed target; 7 when every day
    times_per_day: int  # boxes per day
    target: str  # "3 of 7 days", "2 times a day"; empty for once every day


class Tracker(NamedTuple):
    weeks: int
    pain_score: bool
    rows: tuple[TrackerRow, ...]
    days: tuple[tuple[str, str], ...]  # per column, week after week: ("Mon", "23"), or ("Day 1", "")
    # Per week, its dates ("Nov 23 – 29"): the day columns print only the day of the month,
    # which keeps them narrow and leaves the exercises' names room for one line.
    week_dates: tuple[str, ...]
    # Per column, the weekday in two or so letters ("Mo"), for a table of two weeks side by
    # side (a template's tracker.weeks_per_table); empty without a start date.
    short_weekdays: tuple[str, ...] = ()


class RedFlags(NamedTuple):
    exercise: str  # "3. Clamshell"
    lines: tuple[str, ...]


class Handout(NamedTuple):
    title: str
    language: str
    labels: dict[str, str]  # every fixed word the layout prints, in the handout's language
    sections: tuple[Section, ...]
    stop_if: tuple[str, ...]  # general warnings for this patient, then the routine's own
    red_flags: tuple[RedFlags, ...]  # the exercises' own reasons to stop, for the stop-if box
    tracker: Tracker
    subtitle: str = ""
    date: str = ""  # as the language writes it
    patient: str = ""
    clinician: Mapping[str, str] = MappingProxyType({})  # (read-only: a default shared by every Handout)
    logo: str | None = None
    intro: str = ""
    before_you_start: tuple[str, ...] = ()  # advice for before the first session, at the top
    pain_rule: str = ""  # how much pain is acceptable; printed prominently when set
    notes: str = ""
    template: str = "standard"
    page_size: str | None = None
    dosing_notes: tuple[str, ...] = ()  # the catalog's general advice, unless the spec leaves it out
    show_at_a_glance: bool = True  # the spec may leave the at-a-glance table out
    inputs: tuple[str, ...] = ()  # every file this handout was made from, for make's dependency tracking

    @property
    def cards(self) -> list[Card]:
        return [card for section in self.sections for card in section.cards]

    def input_paths(self) -> tuple[Path, ...]:
        """The inputs as paths, each made once a process (with its hash: they are deduplicated)."""
        return tuple(map(_path, self.inputs))

    def to_json(self) -> dict[str, Any]:
        """A stable, JSON-ready dump of everything printed (for `--format json`, golden tests, hashing)."""
        return _plain(self)


def _plain(value: Any) -> Any:
    """The model as JSON-ready data: each record a dict of its fields, in order, tuples kept as
    tuples. The model holds only records, tuples, dicts and scalars, so nothing needs copying."""
    kind = type(value)
    # (a plain value is taken as it is without a call: most of the model's are, and calling
    # for each took half the time of a handout's signature)
    if kind is tuple or kind is list:
        items = [item if type(item) in _SCALARS else _plain(item) for item in value]
        return tuple(items) if kind is tuple else items
    if kind is dict or kind is MappingProxyType:
        return {key: item if type(item) in _SCALARS else _plain(item) for key, item in value.items()}
    names = getattr(kind, "_fields", None)  # a record (NamedTuple) of the model
    if names is None:
        return value  # str, int, bool, None
    return {name: item if type(item) in _SCALARS else _plain(item) for name, item in zip(names, value)}


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.lru_cache(maxsize=1024)
def _path(file: str) -> Path:
    return Path(file)


def build_model(spec: Spec, catalog: Catalog) -> Handout:
    doc = spec.doc
    language = doc.get("language", "en")
    words = Words(language)
    general = catalog.general()
    conditions = set(doc.get("conditions", []))
    pain_rule = _pain_rule(doc.get("pain_rule"), general)

    # Where each exercise stands, so that a card naming another can say "exercise 5 in this handout".
    entries = []
    for s, section_doc in enumerate(doc["sections"]):
        for e, entry in enumerate(section_doc["exercises"]):
            entry = {"ref": entry} if isinstance(entry, str) else entry
            entries.append((s, entry, _exercise(entry, spec, catalog, f"$.sections[{s}].exercises[{e}]")))
    numbers: dict[str, tuple[int, str]] = {}
    for n, (_, entry, ex) in enumerate(entries, 1):  # an exercise given twice is named by its first card
        numbers.setdefault(ex.id, (n, entry.get("name", ex.name)))

    cards: list[list[Card]] = [[] for _ in doc["sections"]]
    red_flags: dict[tuple[str, ...], list[str]] = {}  # lines -> the cards they are for
    for number, (s, entry, exercise) in enumerate(entries, 1):
        section_frequency = doc["sections"][s].get("frequency", {})
        card = _card(number, entry, exercise, section_frequency, catalog, numbers, words, conditions, bool(pain_rule))
        cards[s].append(card)
        lines = _chosen(_replaced(entry, "red_flags", exercise.red_flags), conditions, bool(pain_rule))
        if lines:  # an exercise given twice (a side each, say) gets its stop lines once, under both names
            red_flags.setdefault(lines, []).append(f"{number}. {card.name}")

    warnings = _general_warnings(general, doc, conditions, bool(pain_rule))
    stop_if = tuple(dict.fromkeys([*(w.line.text for w in warnings if w.kind == "stop"), *doc.get("stop_if", [])]))
    all_cards = [c for section in cards for c in section]
    kinds = {c.kind for c in all_cards}  # a stretches-only routine gets no strength advice
    clinician = dict(doc.get("clinician", {}))
    logo_rel = clinician.pop("logo", None)
    logo = (confined(spec.folder, logo_rel, named_in=spec.path, where="$.clinician.logo", within=spec.limit)
            if logo_rel else None)
    return Handout(
        title=doc["title"], subtitle=doc.get("subtitle", ""),
        date=words.date(dt.date.fromisoformat(doc["date"])) if doc.get("date") else "",
        language=language, labels=words.labels(), patient=doc.get("patient", {}).get("name", ""),
        clinician=clinician, logo=str(logo) if logo else None, intro=doc.get("intro", ""), notes=doc.get("notes", ""),
        sections=tuple(Section(sd["title"], tuple(cs)) for sd, cs in zip(doc["sections"], cards)),
        before_you_start=tuple(w.line.text for w in warnings if w.kind == "before_you_start"),
        pain_rule=pain_rule, stop_if=stop_if,
        # Nothing printed twice: an exercise's red flag that is already a general warning is left out.
        red_flags=tuple(RedFlags(", ".join(names), kept) for lines, names in red_flags.items()
                        if (kept := tuple(x for x in lines if x not in stop_if))),
        dosing_notes=tuple(note.text for note in general.dosing_notes if note.applies_to(kinds, bool(pain_rule)))
        if doc.get("show_dosing_notes", True) else (),
        show_at_a_glance=doc.get("show_at_a_glance", True),
        tracker=_tracker(doc.get("tracker", {}), all_cards, words),
        template=doc.get("template", "standard"), page_size=doc.get("page_size"),
        inputs=_inputs(spec, catalog, [ex for _, _, ex in entries], logo),
    )


def _exercise(entry: dict[str, Any], spec: Spec, catalog: Catalog, where: str) -> Exercise:
    if "custom" in entry:
        return Exercise.from_document(entry["custom"], source_file=spec.path, root=spec.folder, where=f"{where}.custom")
    return catalog.get(entry["ref"])


def _card(number: int, entry: dict[str, Any], exercise: Exercise, section_frequency: dict[str, int],
          catalog: Catalog, numbers: dict[str, tuple[int, str]], words: Words, conditions: set[str],
          pain_rule: bool) -> Card:
    dosage = prescribed_dosage(entry, exercise.default_dosage)
    frequency = prescribed_frequency(entry, section_frequency, exercise.default_frequency)
    steps, dose_rows, dose_summary, frequency_text = _worded(words, exercise, dosage, frequency)
    return Card(
        number=number, id=exercise.id, name=entry.get("name", exercise.name), kind=exercise.kind,
        summary=exercise.summary, dose_rows=dose_rows,
        dose_summary=dose_summary, frequency_text=frequency_text,
        frequency=frequency, steps=steps,
        tips=_chosen(_replaced(entry, "tips", exercise.tips), conditions, pain_rule, "load" in dosage),
        care=_chosen(_replaced(entry, "care", exercise.care), conditions, pain_rule),
        pictures=tuple(Picture(str(i.path), i.caption) for i in exercise.illustrations),
        notes=entry.get("notes", ""),
        # (the pictures show one side working, the right unless the entry says; "each" and
        # "alternating" show them as drawn)
        mirror=dosage.get("side") in ("left", "right") and dosage["side"] != exercise.pictures_side,
        progressions=_next_steps(exercise.progressions, catalog, numbers, words),
        regressions=_next_steps(exercise.regressions, catalog, numbers, words),
        video_url=entry.get("video_url", exercise.video_url or ""),
    )


# What cards say of their dose, and their steps with the dose filled in, by everything that
# decides it: a clinic gives the same exercises at the same doses to many patients, and
# wording them again took a tenth of a millisecond a card.
Worded = tuple[tuple[str, ...], tuple[tuple[str, str], ...], str, str]
_WORDED: dict[tuple, Worded] = {}
_WORDED_LIMIT = 4096


def _worded(words: Words, exercise: Exercise, dosage: dict[str, Any], frequency: dict[str, int]) -> Worded:
    """(steps, dose rows, dose summary, how often) for a card, in the handout's language."""
    key = (words.language, exercise.steps, _frozen(exercise.side_words), _frozen(dosage), _frozen(frequency))
    worded = _WORDED.get(key)
    if worded is None:
        steps = tuple(filled for step in exercise.steps if (filled := words.step(step, dosage, exercise.side_words)))
        worded = (steps, tuple(words.dose_rows(dosage, frequency)), words.dose_summary(dosage),
                  words.frequency(frequency))
        if len(_WORDED) >= _WORDED_LIMIT:
            _WORDED.clear()
        _WORDED[key] = worded
    return worded


def _frozen(mapping: Mapping[str, Any]) -> tuple:
    """A dosage or a frequency as a key, each value with its type: 5 and 5.0 and True are
    equal in Python, and need not print alike (a plural rule may count 1.0 apart from 1)."""
    return tuple(sorted((key, type(value), _frozen(value) if isinstance(value, dict) else value)
                        for key, value in mapping.items()))


def prescribed_dosage(entry: dict[str, Any], default_dosage: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's dosage over the exercise's default, field by field; null removes a default
    (no hold, say)."""
    return {k: v for k, v in ({**default_dosage} | entry.get("dosage", {})).items() if v is not None}


def prescribed_frequency(entry: dict[str, Any], section_frequency: dict[str, int],
                         default_frequency: Mapping[str, int]) -> dict[str, int]:
    """How often: the clinician's, the entry's fields over its section's (as a dosage is read),
    else the catalog's default as a whole. `as_needed` is no schedule: an entry's replaces its
    section's days and times, and an entry's days (or `as_needed: false`) put it back on one.
    (`as_needed: false` otherwise says no more than leaving it out.)"""
    own = entry.get("frequency") or {}
    inherited = dict(section_frequency)
    if own.get("as_needed"):
        inherited = {}
    elif "days_per_week" in own or "as_needed" in own:
        inherited.pop("as_needed", None)
    chosen = _without_false_as_needed({**inherited, **own})
    return chosen or _without_false_as_needed(default_frequency)


def _without_false_as_needed(frequency: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in frequency.items() if not (k == "as_needed" and not v)}


def _replaced(entry: dict[str, Any], field_name: str, lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The catalog's lines, or the clinician's own for this patient ([] drops them all)."""
    if field_name in entry:
        return tuple(Line(text) for text in entry[field_name])
    return lines


def _chosen(lines: tuple[Line, ...], conditions: set[str], pain_rule: bool, loaded: bool = False) -> tuple[str, ...]:
    return tuple(dict.fromkeys(line.text for line in lines if line.applies(conditions, pain_rule, loaded)))


def _next_steps(ids: tuple[str, ...], catalog: Catalog, numbers: dict[str, tuple[int, str]],
                words: Words) -> tuple[str, ...]:
    """Harder or easier variants, each named so the patient can find it: a card in this handout,
    or a name with one line saying what it is. A bare name the patient never saw is left out."""
    lines = []
    for exercise_id in ids:
        if exercise_id in numbers:
            number, name = numbers[exercise_id]
            lines.append(words["next_step_in_handout"].format(name=name, number=number))
        elif exercise_id in catalog and (other := catalog.get(exercise_id)).in_short:
            lines.append(words["next_step_described"].format(name=other.name, in_short=other.in_short))
    return tuple(lines)


def _pain_rule(value: str | dict[str, str] | None, general: General) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return value["text"]
    return next(rule.text for rule in general.pain_rules if rule.id == value)  # checked with the spec


def _general_warnings(general: General, doc: dict[str, Any], conditions: set[str],
                      pain_rule: bool) -> list[GeneralWarning]:
    """The catalog's general warnings for this patient: all the spec names with `use`, else those
    for everyone and for the patient's conditions, less any the spec drops."""
    chosen = doc.get("general_warnings", {})
    if "use" in chosen:
        return [w for w in general.warnings if w.id in chosen["use"]]
    dropped = set(chosen.get("drop", []))
    return [w for w in general.warnings if w.id not in dropped and w.line.applies(conditions, pain_rule)]


def _tracker(tracker_doc: dict[str, Any], cards: list[Card], words: Words) -> Tracker:
    weeks = tracker_doc.get("weeks", DEFAULT_TRACKER_WEEKS)
    days, week_dates, short_weekdays = _calendar(words.language, weeks, tracker_doc.get("start_date"))
    rows = []
    sides = [dict(card.dose_rows).get(words["side"]) for card in cards]
    sides_by_name: dict[str, set] = {}
    for card, side in zip(cards, sides):
        sides_by_name.setdefault(card.name, set()).add(side)
    for card, side in zip(cards, sides):
        label = f"{card.number}. {card.name}"
        if side and len(sides_by_name[card.name]) > 1:  # the same exercise for each side: which row is which
            label += f" ({side[:1].lower()}{side[1:]})"
        days_per_week = card.frequency.get("days_per_week") or DAYS
        times_per_day = card.frequency.get("times_per_day") or 1
        target = []
        if card.frequency.get("as_needed"):  # an alternative or a next step: ticked on the days it is done
            target.append(words["tracker_target_as_needed"])
        elif days_per_week < DAYS:
            target.append(words["tracker_target_days"].format(n=days_per_week))
        if times_per_day > 1:  # (when needed, a most: as the card says it)
            key = "tracker_target_up_to_per_day" if card.frequency.get("as_needed") else "tracker_target_per_day"
            target.append(words[key].format(n=times_per_day))
        rows.append(TrackerRow(label, days_per_week, times_per_day, ", ".join(target)))
    return Tracker(weeks, tracker_doc.get("pain_score", True), tuple(rows), days, week_dates, short_weekdays)


@functools.lru_cache(maxsize=256)
def _calendar(language: str, weeks: int, start: str | None) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...],
                                                                     tuple[str, ...]]:
    """The tracker's columns (weekday and day), its weeks' dates and the short weekdays: the
    same for every handout of a language starting the same day (a clinic's batch, a week's)."""
    words = Words(language)
    if start:
        first = dt.date.fromisoformat(start)
        days = tuple(words.weekday_and_day(first + dt.timedelta(days=n)) for n in range(weeks * DAYS))
        week_dates = tuple(words.week_dates(first + dt.timedelta(weeks=w)) for w in range(weeks))
        short_weekdays = tuple(words.short_weekday(first + dt.timedelta(days=n)) for n in range(weeks * DAYS))
    else:
        days = tuple((words["day"].format(n=d + 1), "") for _ in range(weeks) for d in range(DAYS))
        week_dates = ("",) * weeks
        short_weekdays = ()
    return days, week_dates, short_weekdays


def _inputs(spec: Spec, catalog: Catalog, exercises: list[Exercise], logo: Path | None) -> tuple[str, ...]:
    files = [spec.path, *catalog.general_files()]
    for exercise in exercises:
        files += [exercise.source_file, *(i.path for i in exercise.illustrations)]
    if logo:
        files.append(logo)
    return tuple(dict.fromkeys(str(f) for f in files))

