"""Does the clinician's own text agree with the prescription?

The built-in catalog states no dose at all (patient_text.py guards it). A clinician's text
may: a custom exercise's steps, an overlay entry's, the tips and cautions a spec gives, a
note on a card. Where such text names a figure the prescription does not have ("hold 5
seconds" under a dose of 2, "switch sides" for the left side only), the handout would
contradict itself, which is a clinical error. In steps, which the patient follows, it is an
error; in tips, cautions and notes, which may fairly speak of later ("when 10 is easy, do
15 times"), a warning that --strict turns into an error.

Figures are read in English and Spanish, as numerals; a distance or a size ("6 inches") is
not a dose and is never read as one.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

from .catalog import Catalog, allowed_sides, side_words
from .errors import Diagnostic
from .jsonfile import quoted
from .patient_text import NAMED_SIDE, placeholder_problems, side_named
from .wording import Words

_FIGURE = r"(\d+(?:[.,]\d+)?)(?:\s*(?:to|or|-|\u2013|a|o)\s*(\d+(?:[.,]\d+)?))?\s*"


# What each kind of figure counts; the prescription's values it may name are found by
# `_Prescribed`. Compiled on first use (some 5 ms): most handouts' own text has no numeral.
@functools.cache
def _kinds() -> dict[str, re.Pattern[str]]:
    return {
        "seconds": re.compile(_FIGURE + r"(?:seconds?|secs?|segundos?)\b", re.I),
        "minutes": re.compile(_FIGURE + r"(?:minutes?|mins?|minutos?)\b", re.I),
        "per_day": re.compile(_FIGURE + r"(?:times|veces)\s+(?:a|per|al)\s+(?:day|d[ií]a)\b", re.I),
        "reps": re.compile(_FIGURE + r"(?:times|reps?|repeats?|repetitions?|veces|repeticion(?:es)?)\b"
                           r"(?!\s+(?:a|per|al)\s+(?:day|d[ií]a)\b)", re.I),
        "sets": re.compile(_FIGURE + r"(?:sets?|series?)\b", re.I),
        "days": re.compile(_FIGURE + r"(?:days?|d[ií]as?)\s+(?:a|per|por|a\s+la)\s+(?:week|semana)\b", re.I),
    }


@functools.cache
def _switch() -> re.Pattern[str]:
    return re.compile(r"\b(?:switch(?:es|ing)?\s+sides?|(?:the|your)\s+other\s+side|each\s+(?:side|leg)|"
                      r"cambi[ea]\s+de\s+lado|cada\s+lado|el\s+otro\s+lado)\b", re.I)


# A load that says there is none, which the card would print as the thing to use
_NO_LOAD = {"none", "no", "nothing", "n/a", "na", "-", "no load", "no weight", "no band", "ninguno", "ninguna", "nada"}


@functools.cache
def _every_day() -> re.Pattern[str]:
    return re.compile(r"\b(?:every\s+day|each\s+day|daily|todos\s+los\s+d[ií]as|cada\s+d[ií]a|a\s+diario|"
                      r"diariamente)\b", re.I)


_SPEAKS_OF_TIME = re.compile(r"\b(?:seconds?|minutes?|segundos?|minutos?)\b", re.I)  # "for five seconds"
_DIGIT = re.compile(r"\d")  # text without a numeral names no figure: most lines, read no further


# Found before, by what they were found in: a clinic gives the same exercises at the same
# doses to many patients, and their specs differ elsewhere (file, name, dates). Each is kept
# with the catalog entries it read, and used only while the catalog gives those very entries.
_FOUND: dict[str, tuple[tuple[tuple[str, Any], ...], list[Diagnostic], list[Diagnostic]]] = {}
_FOUND_LIMIT = 1024


def disagreements(doc: dict[str, Any], catalog: Catalog, shown: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, warnings) for a spec that passed the schema and names only known exercises."""
    # (all that is read of the spec: its sections, language and conditions; its name is only
    # the file each finding names, given to the ones kept)
    key = json.dumps([[str(f) for f in catalog.folders], catalog.builtin, doc["sections"],
                      doc.get("language", "en"), doc.get("conditions", [])], sort_keys=True)
    found = _FOUND.get(key)
    refs = [entry if isinstance(entry, str) else entry.get("ref") for section in doc["sections"]
            for entry in section["exercises"]]
    used = tuple((ref, catalog.get(ref)) for ref in dict.fromkeys(r for r in refs if r))
    if found is None or any(a is not b for (_, a), (_, b) in zip(found[0], used)):
        found = (used, *_disagreements(doc, catalog, shown))
        if len(_FOUND) >= _FOUND_LIMIT:
            _FOUND.clear()
        _FOUND[key] = found
    return [d._replace(file=shown) for d in found[1]], [d._replace(file=shown) for d in found[2]]


def _disagreements(doc: dict[str, Any], catalog: Catalog, shown: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    from .model import prescribed_dosage, prescribed_frequency

    words = Words(doc.get("language", "en"))
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for s, section in enumerate(doc["sections"]):
        title_read = False  # a section's title is said once, for its first exercise it contradicts
        for e, entry in enumerate(section["exercises"]):
            entry = {"ref": entry} if isinstance(entry, str) else entry
            where = f"$.sections[{s}].exercises[{e}]"
            exercise = _texts(entry, catalog)
            dosage = prescribed_dosage(entry, exercise["default_dosage"])
            frequency = prescribed_frequency(entry, section.get("frequency", {}), exercise["default_frequency"])
            prescribed = _Prescribed(dosage, frequency)
            steps_at = f"{where}.custom.steps" if "custom" in entry else f"{where}.ref"
            # (a custom exercise by the name the clinician gave it, a catalog one by the id they typed)
            exercise_id = entry["custom"]["name"] if "custom" in entry else entry["ref"]
            if problem := _side_problem(exercise_id, exercise, dosage, "custom" in entry):
                errors.append(Diagnostic(shown, _dose_field_at(entry, where, "side"), problem))
            # The built-in catalog's text passed `catalog check`: it names no figure and no side,
            # and what its placeholders write is the prescription. Only the clinician's is read.
            built_in = "custom" not in entry and catalog.is_builtin(entry["ref"])
            if unexplained_hold(exercise["steps"], dosage):
                warnings.append(_hold_warning(entry, exercise_id, where, shown))
            if not frequency:
                # (the card would say nothing of how often, while the tracker counts it every day)
                warnings.append(Diagnostic(
                    shown, where, f"'{exercise_id}' has no frequency: its card would not say how often, and the "
                    "tracker would ask for it every day",
                    "give it a frequency (days_per_week, or as_needed), here, in its section or in its "
                    "default_frequency", severity="warning"))
            if str(dosage.get("load", "")).strip().lower().strip(".") in _NO_LOAD:
                warnings.append(Diagnostic(
                    shown, _dose_field_at(entry, where, "load"), f"a load of '{dosage['load']}' prints as "
                    f"'Use: {dosage['load']}'", "leave load out for none, or write null to drop the catalog's",
                    severity="warning"))
            errors += _unreadable_dose(entry, dosage, where, shown)
            timing_errors, timing_warnings = _timing_problems(entry, dosage, words, where, shown, exercise)
            errors += timing_errors
            warnings += timing_warnings
            if "custom" not in entry:
                warnings += _dropped_for_this_patient(entry, catalog, set(doc.get("conditions", ())), where, shown)
            for i, step in enumerate(() if built_in else exercise["steps"]):
                step_at = f"{steps_at}[{i}]" if "custom" in entry else steps_at
                errors += [Diagnostic(shown, step_at, f"step {i + 1}: {message}")
                           for message in placeholder_problems(step)]
                filled = words.step(step, dosage, exercise["side_words"]) if "{" in step else step
                for message in _conflicts(filled, prescribed, sides=True):
                    errors.append(Diagnostic(
                        shown, step_at, f"step {i + 1} {message}",
                        "write {hold}, {time} or {sides} where the dose goes (the handout fills them in from "
                        "the dosage), or change the dosage"))
            for field in ("tips", "care", "red_flags"):
                lines = entry[field] if field in entry else () if built_in else exercise[field]
                for i, line in enumerate(lines):
                    for message in _conflicts(line, prescribed, sides=True):
                        warnings.append(Diagnostic(shown, f"{where}.{field}[{i}]" if field in entry else steps_at,
                                                   f"{field} line {i + 1} {message}", severity="warning"))
            # A name is printed on the card, in the table and the tracker: one that names another
            # dose is the clinical error a step's would be. A section's title spans exercises of
            # several doses, and is read as a note is.
            for field, name in (("name", entry.get("name")), ("custom.name", entry.get("custom", {}).get("name"))):
                for message in _conflicts(name, prescribed, sides=True) if name else ():
                    errors.append(Diagnostic(shown, f"{where}.{field}", f"the name {message}",
                                             "leave the dose out of the name: the card prints it under the name"))
            if not title_read and section.get("title"):
                for message in _conflicts(section["title"], prescribed, sides=False)[:1]:
                    title_read = True
                    warnings.append(Diagnostic(
                        shown, f"$.sections[{s}].title", f"the section's title {message} for '{exercise_id}'",
                        "leave doses out of the title: each card prints its own", severity="warning"))
            if entry.get("notes"):
                # (a note may fairly plan the other side for later: only its figures are read)
                for message in _conflicts(entry["notes"], prescribed, sides=False):
                    warnings.append(Diagnostic(shown, f"{where}.notes", message,
                                               "the card prints the prescription's dose above this note",
                                               severity="warning"))
    return errors, warnings


def _hold_warning(entry: dict[str, Any], exercise_id: str, where: str, shown: str) -> Diagnostic:
    """A hold no step explains, at the field that gave it, with the fix that fits where it came from."""
    if "hold_seconds" in entry.get("dosage", {}):
        hint = "leave hold_seconds out: this exercise has no moment to hold"
    elif "custom" in entry:
        hint = "write {hold} in the step where the hold happens"
    else:  # a clinic catalog entry's default
        hint = ('set "hold_seconds": null in the dosage, or write {hold} in the catalog entry\'s step where '
                "the hold happens")
    return Diagnostic(shown, _dose_field_at(entry, where, "hold_seconds"),
                      f"no step of '{exercise_id}' says when to hold, so the card's 'Hold' would explain nothing",
                      hint, severity="warning")


def _unreadable_dose(entry: dict[str, Any], dosage: dict[str, Any], where: str, shown: str) -> list[Diagnostic]:
    """Seconds a patient cannot count ("Hold: 1e-300 seconds", "0.001 seconds"), and a unit
    that is not a word ("Repeat: 10 5 reps", or blank): the schema lets both through."""
    found = []
    for field in ("hold_seconds", "duration_seconds", "rest_seconds"):
        value = dosage.get(field)
        if value is not None and value % 0.5:
            found.append(Diagnostic(shown, _dose_field_at(entry, where, field), f"{value:g} seconds cannot be "
                                    "counted", "write whole seconds, or a half: 1.5"))
    unit = dosage.get("unit")
    if unit is not None and (any(c.isdigit() for c in unit) or not any(c.isalpha() for c in unit)):
        found.append(Diagnostic(shown, _dose_field_at(entry, where, "unit"), f"the unit {quoted(unit)} is not a "
                                "word a count is read with", "write the word alone, as 'steps' or 'breaths': the "
                                "count goes in reps"))
    return found


def _timing_problems(entry: dict[str, Any], dosage: dict[str, Any], words: Words, where: str,
                     shown: str, exercise: dict[str, Any]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """A time that cannot hold the hold is an error; a count and a time together ("10 to 15
    times. For 30 seconds.") leave the patient to guess which to follow, a warning; so do a
    rest between sets with one set, and a time in place of the hold of an exercise held in a
    position (its steps say how long to hold only from a hold)."""
    warnings = []
    if dosage.get("rest_seconds", 0) > 0 and dosage.get("sets", 1) <= 1:
        # (the card reads "between repeats", or "afterwards" for one repeat)
        warnings.append(Diagnostic(
            shown, _dose_field_at(entry, where, "rest_seconds"),
            f"a rest of {words.duration(dosage['rest_seconds'])} and {'1 set' if 'sets' in dosage else 'no sets'}: "
            "the card asks for it between repeats, as there are no sets to rest between",
            "give the number of sets, or leave rest_seconds out (null drops the catalog's)", severity="warning"))
    if "duration_seconds" not in dosage:
        return [], warnings
    time = words.duration(dosage["duration_seconds"])
    if ("hold_seconds" not in dosage and "hold_seconds" in exercise["default_dosage"]
            and any("{hold}" in step for step in exercise["steps"])):
        warnings.append(Diagnostic(
            shown, _dose_field_at(entry, where, "duration_seconds"),
            f"a time of {time} and no hold: the step that says how long to hold the position prints nothing, "
            "so the card never ties the time to it",
            f"to hold the position that long, write hold_seconds: {dosage['duration_seconds']:g} instead "
            "(with reps: 1 for one hold)", severity="warning"))
    if dosage.get("hold_seconds", 0) > dosage["duration_seconds"]:
        return [Diagnostic(shown, _dose_field_at(entry, where, "hold_seconds"),
                           f"a hold of {words.duration(dosage['hold_seconds'])} does not fit in the time, {time}",
                           "shorten the hold, or lengthen the time")], warnings
    if "reps" in dosage:
        given = "reps" in entry.get("dosage", {})
        return [], [Diagnostic(shown, _dose_field_at(entry, where, "duration_seconds"),
                               f"gives both a count ({words.reps(dosage['reps'], dosage.get('unit'))}) and a time "
                               f"({time}): the card asks for both, and a patient cannot tell which to follow",
                               "keep one of them" if given else
                               'for a timed exercise drop the catalog\'s count: "reps": null (in the editor, '
                               "type none in Reps)",
                               severity="warning"), *warnings]
    return [], warnings


def _dose_field_at(entry: dict[str, Any], where: str, field: str) -> str:
    """The JSON path of the field that gave the prescription its `field`: the entry's own
    dosage, a custom exercise's default, or (a catalog's default) the entry's ref."""
    if field in entry.get("dosage", {}):
        return f"{where}.dosage.{field}"
    return f"{where}.custom.default_dosage.{field}" if "custom" in entry else f"{where}.ref"


def _dropped_for_this_patient(entry: dict[str, Any], catalog: Catalog, conditions: set[str], where: str,
                              shown: str) -> list[Diagnostic]:
    """The clinician's own care cues or reasons to stop replace the catalog's, and with them
    a line the catalog keeps for one of this patient's conditions (a surgeon's caution): easy
    to lose unseen, so it is named."""
    found = []
    exercise = catalog.get(entry["ref"])
    for field in ("care", "red_flags"):
        if field not in entry:
            continue
        for line in getattr(exercise, field):
            if line.conditions & conditions and line.text not in entry[field]:
                found.append(Diagnostic(
                    shown, f"{where}.{field}", f"replaces the catalog's {field.replace('_', ' ')}, among them one "
                    f"for this patient's {', '.join(sorted(line.conditions & conditions))}: '{line.text}'",
                    "add it to the list if it still applies", severity="warning"))
    return found


def unexplained_hold(steps: list[str] | tuple[str, ...], dosage: dict[str, Any]) -> bool:
    """A hold prescribed for an exercise whose steps never say when to hold (no {hold}, and
    no step of the clinician's own naming its seconds): the dose band would print "Hold: 3
    seconds" for a walk."""
    if "hold_seconds" not in dosage:
        return False
    return not any("{hold}" in step or _SPEAKS_OF_TIME.search(step) for step in steps)


def _side_problem(exercise_id: str, exercise: dict[str, Any], dosage: dict[str, Any], custom: bool) -> str | None:
    """A catalog entry works one side at a time exactly when a step says {sides} (which side,
    and when to switch); a side that does not fit it would print a card at odds with itself.
    (A custom exercise's steps may name their side in the clinician's own words instead:
    for it, only `both` against a {sides} step, which would drop that step, is refused.)
    One that cannot switch sides on every repeat (`alternates: false`) refuses alternating:
    "Switch sides each time." on side steps, or lying on one side, asks the impossible."""
    side = dosage.get("side")
    allowed = allowed_sides(exercise["steps"], exercise["alternates"])
    choices = ", ".join(allowed[:-1]) + " or " + allowed[-1]
    if side == "both" and "both" not in allowed:
        why = " (its {sides} step says which side)" if custom else ""
        return (f"'{exercise_id}' works one side at a time{why}, so it cannot be done on both sides together; "
                f"use {choices}")
    if side == "alternating" and "each" in allowed and side not in allowed:
        return (f"'{exercise_id}' is done a set on one side, then a set on the other: it cannot switch sides "
                f"on every repeat; use {choices}")
    if side in ("each", "left", "right", "alternating") and side not in allowed and not custom:
        return f"'{exercise_id}' works both sides together, so it has no side to choose; leave side out or use both"
    return None


def _texts(entry: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """The exercise's steps, tips, cautions and defaults, from the spec's custom entry or the catalog."""
    if "custom" in entry:
        doc = entry["custom"]
        def texts(*fields: str) -> list[str]:
            return [line if isinstance(line, str) else line["text"] for field in fields for line in doc.get(field, [])]

        return {"steps": doc["steps"], "tips": texts("tips"), "care": texts("care", "cautions"),
                "red_flags": texts("red_flags"), "default_dosage": doc["default_dosage"],
                "default_frequency": doc.get("default_frequency", {}),
                "side_words": side_words(doc.get("one_side", {}), doc.get("each_side", "")),
                "alternates": doc.get("alternates", True)}
    exercise = catalog.get(entry["ref"])
    return {"steps": exercise.steps, "tips": [line.text for line in exercise.tips],
            "care": [line.text for line in exercise.care], "red_flags": [line.text for line in exercise.red_flags],
            "default_dosage": exercise.default_dosage,
            "default_frequency": exercise.default_frequency, "side_words": exercise.side_words,
            "alternates": exercise.alternates}


class _Prescribed:
    """One exercise's prescription, with the figures its text may name, worked out once."""

    def __init__(self, dosage: dict[str, Any], frequency: dict[str, Any]):
        self.dosage, self.frequency = dosage, frequency
        seconds = {float(dosage[k]) for k in ("hold_seconds", "duration_seconds", "rest_seconds") if k in dosage}
        self.allowed = {
            "seconds": seconds, "minutes": seconds,
            "reps": _counts(dosage.get("reps")), "sets": _counts(dosage.get("sets")),
            "per_day": _counts(frequency.get("times_per_day")), "days": _counts(frequency.get("days_per_week")),
        }


def _conflicts(text: str, prescribed: _Prescribed, sides: bool) -> list[str]:
    """What `text` says that the prescription does not: one message per figure, "every day"
    against fewer days, a side named against a one-side dose, and with `sides`, a switch
    asked for against a one-side or both-sides dose. (A note may fairly plan the other side
    for later, so it is read without `sides`: it may name the other side beside its own.)"""
    found = []
    dosage, frequency, allowed = prescribed.dosage, prescribed.frequency, prescribed.allowed
    if (every := _every_day().search(text)) and (frequency.get("as_needed") or
                                                 frequency.get("days_per_week", 7) != 7):
        found.append(f"says '{every.group(0)}', but the prescription is "
                     + ("when needed" if frequency.get("as_needed") else _said("days_per_week",
                                                                               frequency["days_per_week"])))
    # (a figure as printed: 0.5078125 seconds reads "0.507812 seconds", hence isclose)
    for kind, pattern in _kinds().items() if _DIGIT.search(text) else ():
        for match in pattern.finditer(text):
            values = {_value(v) * (60 if kind == "minutes" else 1) for v in match.groups() if v}
            if not all(any(math.isclose(v, a, rel_tol=1e-5) for a in allowed[kind]) for v in values):
                found.append(f"says '{match.group(0).strip()}', which the prescription does not "
                             f"({_prescribed(kind, dosage, frequency)})")
    side = dosage.get("side")
    if sides and side in ("left", "right", "both") and (switch := _switch().search(text)):
        found.append(f"says '{switch.group(0)}', but the prescription is one side ({side})"
                     if side != "both" else f"says '{switch.group(0)}', but the prescription is both sides together")
    named = list(NAMED_SIDE.finditer(text)) if side in ("left", "right") else []
    # (a note that names the prescribed side too may be planning the other: "your left hip
    # for now; we add the right side next visit". One that names only the other is a slip.)
    if sides or all(side_named(n) != side for n in named):
        found += [f"says '{n.group(0)}', but the prescription is the {side} side only"
                  for n in named if side_named(n) != side]
    return found


def _counts(value: Any) -> set[float]:
    if isinstance(value, dict):
        return {float(value["min"]), float(value["max"])}
    return {float(value)} if value is not None else set()


def _value(figure: str) -> float:
    return float(figure.replace(",", "."))


def _prescribed(kind: str, dosage: dict[str, Any], frequency: dict[str, Any]) -> str:
    keys = {"seconds": ("hold_seconds", "duration_seconds", "rest_seconds"),
            "minutes": ("hold_seconds", "duration_seconds", "rest_seconds"),
            "reps": ("reps",), "sets": ("sets",)}.get(kind)
    given = {**dosage, **frequency}
    keys = keys or (("times_per_day",) if kind == "per_day" else ("days_per_week",))
    stated = [_said(k, given[k]) for k in keys if k in given]
    return "it says " + ", ".join(stated) if stated else f"it gives no {_SAID[keys[0]]}"


# The prescription's fields as a clinician says them ("it says hold 20 seconds", "2 sets")
_SAID = {"hold_seconds": "hold", "duration_seconds": "time", "rest_seconds": "rest", "reps": "reps", "sets": "sets",
         "times_per_day": "times a day", "days_per_week": "days a week"}


def _said(key: str, value: Any) -> str:
    if key.endswith("_seconds"):
        return f"{_SAID[key]} {_shown(value)} seconds"
    one = value == 1
    return {"reps": f"{_shown(value)} {'rep' if one else 'reps'}",
            "sets": f"{_shown(value)} {'set' if one else 'sets'}",
            "times_per_day": "once a day" if one else f"{_shown(value)} times a day",
            "days_per_week": f"{_shown(value)} {'day' if one else 'days'} a week"}[key]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return f"{_shown(value['min'])} to {_shown(value['max'])}"
    return f"{value:g}" if isinstance(value, float) else str(value)
