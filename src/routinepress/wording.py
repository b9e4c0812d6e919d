"""Printed words: labels from the language's strings, and doses as plain phrases.

A patient reads "Hold 5 seconds", "10 to 15 times", "Each side", "4 days a week",
never "3x10 @ 5s". The strings live in locale/<language>.json so a translation is
a data file, not code; plural forms and dates follow the language's CLDR rules (Babel).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from . import cldr

_LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# The labels the page layout prints; the model copies them, so the renderer needs no strings of its own.
LAYOUT_LABELS = (
    "page_of", "patient", "date", "clinician", "stop_if_title", "stop_if_continued", "at_a_glance",
    "dosing_notes_title", "exercise", "dose", "how_often", "steps", "tips", "cautions", "notes_for_you",
    "notes", "tracker", "tracker_intro", "tracker_intro_sessions", "week", "pain_score", "progressions",
    "regressions", "video", "continued", "before_you_start", "pain_rule_title", "red_flags",
)


def available_languages() -> list[str]:
    return list(_languages())


@cache
def _languages() -> tuple[str, ...]:
    """The locale files, listed once: they ship with the package, and their strings are read
    once a process too (a build listed the folder for each spec)."""
    return tuple(sorted(p.stem for p in _LOCALE_DIR.glob("*.json")))


def language_problem(language: str) -> str | None:
    """Why a language tag cannot be printed, or None: it needs our strings and CLDR's rules."""
    primary = language.split("-")[0].lower()
    if primary not in available_languages():
        return (f"no printed words for language '{language}' yet; available: {', '.join(available_languages())} "
                "(a translation is one file, src/routinepress/locale/<language>.json)")
    if not cldr.known(language):
        return f"'{language}' is not a language and region that date and plural rules are known for"
    return None


@cache
def strings(language: str) -> dict[str, Any]:
    """The strings for a BCP 47 tag: its primary language's file over English (for any key it lacks)."""
    english = json.loads((_LOCALE_DIR / "en.json").read_text(encoding="utf-8"))
    file = _LOCALE_DIR / f"{language.split('-')[0].lower()}.json"
    if file.is_file():
        return english | json.loads(file.read_text(encoding="utf-8"))
    return english


_PLACEHOLDER = re.compile(r"\{(hold|time|sides)\}")
# Units a spec may name that the locale files can count ("1 step", "2 pasos"), each with its
# strings' key; any other unit is the clinician's own word and is printed as written.
COUNTED_UNITS = {"reps": "times", "rep": "times", "times": "times", "step": "unit_steps", "steps": "unit_steps",
                 "breath": "unit_breaths", "breaths": "unit_breaths", "steps each way": "unit_steps_each_way"}


class Words:
    """Phrases for one language."""

    def __init__(self, language: str = "en"):
        self.language = language
        self.s = strings(language)

    def __getitem__(self, key: str) -> str:
        return self.s[key]

    def labels(self) -> dict[str, str]:
        return {key: self.s[key] for key in LAYOUT_LABELS}

    def _count(self, key: str, n: float) -> str:
        # CLDR's plural category for this number ("one", "few", "many", "other"); a locale file
        # needs only the forms its language uses, with "other" as the fallback.
        form = cldr.plural(self.language, n) if float(n).is_integer() else "other"
        pattern = self.s.get(f"{key}_{form}", self.s[f"{key}_other"])
        return pattern.format(n=self.number(n))

    def number(self, n: float) -> str:
        """3, or 1.5 with the language's decimal sign ("1,5" in Spanish)."""
        text = _number(n)
        return text if float(n).is_integer() else text.replace(".", cldr.decimal_symbol(self.language))

    def date(self, day: dt.date) -> str:
        """A date as this language and region write it: "Nov 20, 2026", "20 Nov 2026", "20 nov 2026"."""
        return cldr.medium_date(self.language, day)

    def weekday_and_day(self, day: dt.date) -> tuple[str, str]:
        """A tracker column's two lines: ("Mon", "23"); the week's dates name the month."""
        return cldr.weekday(self.language, day), cldr.day_of_month(self.language, day)

    def short_weekday(self, day: dt.date) -> str:
        """A tracker column's weekday where two weeks share a table: "Mo"."""
        return cldr.short_weekday(self.language, day)

    def week_dates(self, first: dt.date) -> str:
        """A tracker week's seven days: "Nov 23 – 29" in en-US, "23 – 29 Nov" in en-GB,
        "23–29 nov" in es; "Nov 30 – Dec 6" across a month's end."""
        return cldr.week_dates(self.language, first)

    def step(self, text: str, dosage: dict[str, Any], side_words: Mapping[str, str] | None = None) -> str:
        """A catalog step with its placeholders filled from the prescription, or "" when nothing is left.

        "{hold} Lower the knee slowly." reads "Hold for 7 seconds. Lower the knee slowly." with a
        7-second hold, and "Lower the knee slowly." with none.
        """
        filled = _PLACEHOLDER.sub(lambda m: self._step_sentence(m.group(1), dosage, side_words or {}), text)
        return re.sub(r"\s{2,}", " ", filled).strip()

    def _step_sentence(self, name: str, dosage: dict[str, Any], side_words: Mapping[str, str]) -> str:
        if name == "hold" and "hold_seconds" in dosage:
            return self.s["step_hold"].format(duration=self.duration(dosage["hold_seconds"]))
        if name == "time" and "duration_seconds" in dosage:
            return self.s["step_time"].format(duration=self.duration(dosage["duration_seconds"]))
        if name == "sides" and dosage.get("side") in side_words:  # the entry's own words for this side
            return side_words[dosage["side"]]
        if name == "sides" and dosage.get("side") in ("each", "alternating", "left", "right"):
            # No "repeats" to do on one side: one of them, or a time with no count
            once = dosage["side"] == "each" and (dosage.get("reps") == 1 or
                                                 ("reps" not in dosage and "duration_seconds" in dosage))
            return self.s["step_sides_each_once" if once else f"step_sides_{dosage['side']}"]
        return ""

    def duration(self, seconds: float) -> str:
        if seconds >= 120 and seconds % 60 == 0 or seconds == 60:
            return self._count("minutes", seconds // 60)
        return self._count("seconds", seconds)

    def reps(self, reps: int | dict[str, int], unit: str | None) -> str:
        if isinstance(reps, dict) and reps["min"] == reps["max"]:
            reps = reps["min"]  # "10 times", not "10 to 10 times"
        key = COUNTED_UNITS.get(unit or "reps")
        if key is None:
            if isinstance(reps, dict):
                return self.s["unit_range"].format(min=reps["min"], max=reps["max"], unit=unit)
            return self.s["unit_other"].format(n=reps, unit=unit)
        if isinstance(reps, dict):
            return self.s[f"{key}_range"].format(min=reps["min"], max=reps["max"])
        return self._count(key, reps)

    def frequency(self, freq: Mapping[str, int]) -> str:
        parts = []
        days = freq.get("days_per_week")
        if freq.get("as_needed"):
            parts.append(self.s["as_needed"])
        elif days == 7:
            parts.append(self.s["days_7"])
        elif days:
            parts.append(self._count("days", days))
        per_day = freq.get("times_per_day")
        if per_day:
            # "when needed, 2 times a day" reads as a schedule: when needed, it is a most
            key = "per_day_up_to" if freq.get("as_needed") else "per_day"
            parts.append(self.s[f"{key}_1"] if per_day == 1 else self.s[f"{key}_other"].format(n=per_day))
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def dose_rows(self, dosage: dict[str, Any], frequency: dict[str, int]) -> list[tuple[str, str]]:
        """(label, plain phrase) pairs for a card's dosage table: only what applies."""
        rows: list[tuple[str, str]] = []
        if "reps" in dosage:
            rows.append((self.s["repeat"], self.reps(dosage["reps"], dosage.get("unit"))))
        if "sets" in dosage:
            rows.append((self.s["sets"], self._count("set", dosage["sets"])))
        if "hold_seconds" in dosage:
            rows.append((self.s["hold"], self.duration(dosage["hold_seconds"])))
        if "duration_seconds" in dosage:
            rows.append((self.s["time"], self.duration(dosage["duration_seconds"])))
        if "rest_seconds" in dosage and dosage["rest_seconds"] > 0:
            rows.append((self.s["rest"], self._rest(dosage)))
        if "side" in dosage:
            rows.append((self.s["side"], self.s[f"side_{dosage['side']}"]))
        if "load" in dosage:
            rows.append((self.s["load"], dosage["load"]))
        if frequency:
            rows.append((self.s["how_often"], self.frequency(frequency)))
        return rows

    def _rest(self, dosage: dict[str, Any]) -> str:
        """Rest between sets only when there are sets to rest between; else between repeats, or after."""
        reps = dosage.get("reps", 1)
        most_reps = reps["max"] if isinstance(reps, dict) else reps
        if dosage.get("sets", 1) > 1:
            key = "rest_between_sets"
        else:
            key = "rest_between_repeats" if most_reps > 1 else "rest_after"
        return self.s[key].format(duration=self.duration(dosage["rest_seconds"]))

    def dose_summary(self, dosage: dict[str, Any]) -> str:
        """One line for the at-a-glance table, e.g. '10 to 15 times, 2 sets. Hold 3 seconds. Each side.'"""
        sentences = []
        amount = []
        if "reps" in dosage:
            amount.append(self.reps(dosage["reps"], dosage.get("unit")))
        if "sets" in dosage:
            amount.append(self._count("set", dosage["sets"]))
        if amount:
            sentences.append(_sentence(", ".join(amount)))
        if "hold_seconds" in dosage:
            sentences.append(self.s["hold_for"].format(duration=self.duration(dosage["hold_seconds"])))
        if "duration_seconds" in dosage:
            sentences.append(self.s["time_for"].format(duration=self.duration(dosage["duration_seconds"])))
        if "side" in dosage:
            sentences.append(self.s[f"side_{dosage['side']}"])
        if "load" in dosage:
            sentences.append(f"{self.s['load']}: {dosage['load']}")
        return ". ".join(sentences) + ("." if sentences else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"
