"""Printed words: labels from the language's strings, and doses as plain phrases.

A patient reads "Hold 5 seconds", "10 to 15 times", "Each side", "4 days a week",
never "3x10 @ 5s". The strings live in locale/<language>.json so a translation is
a data file, not code.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def available_languages() -> list[str]:
    return sorted(p.stem for p in _LOCALE_DIR.glob("*.json"))


@cache
def strings(language: str) -> dict[str, Any]:
    """The strings for a BCP 47 tag: exact match, then its primary language, then English."""
    english = json.loads((_LOCALE_DIR / "en.json").read_text(encoding="utf-8"))
    for candidate in (language, language.split("-")[0].lower()):
        file = _LOCALE_DIR / f"{candidate}.json"
        if file.is_file():
            return english | json.loads(file.read_text(encoding="utf-8"))
    return english


class Words:
    """Phrases for one language."""

    def __init__(self, language: str = "en"):
        self.language = language
        self.s = strings(language)

    def __getitem__(self, key: str) -> str:
        return self.s[key]

    def _count(self, key: str, n: float) -> str:
        form = "one" if n == 1 else "other"
        return self.s[f"{key}_{form}"].format(n=_number(n))

    def duration(self, seconds: float) -> str:
        if seconds >= 120 and seconds % 60 == 0 or seconds == 60:
            return self._count("minutes", seconds // 60)
        return self._count("seconds", seconds)

    def reps(self, reps: int | dict[str, int], unit: str | None) -> str:
        if unit in (None, "reps", "rep", "times"):
            if isinstance(reps, dict):
                return self.s["times_range"].format(min=reps["min"], max=reps["max"])
            return self._count("times", reps)
        if isinstance(reps, dict):
            return self.s["unit_range"].format(min=reps["min"], max=reps["max"], unit=unit)
        return self.s["unit_one" if reps == 1 else "unit_other"].format(n=reps, unit=unit)

    def frequency(self, freq: dict[str, int]) -> str:
        parts = []
        days = freq.get("days_per_week")
        if days == 7:
            parts.append(self.s["days_7"])
        elif days:
            parts.append(self._count("days", days))
        per_day = freq.get("times_per_day")
        if per_day:
            parts.append(self.s["per_day_1"] if per_day == 1 else self.s["per_day_other"].format(n=per_day))
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
            rows.append((self.s["rest"], self.s["rest_for"].format(duration=self.duration(dosage["rest_seconds"]))))
        if "side" in dosage:
            rows.append((self.s["side"], self.s[f"side_{dosage['side']}"]))
        if "load" in dosage:
            rows.append((self.s["load"], dosage["load"]))
        if frequency:
            rows.append((self.s["how_often"], self.frequency(frequency)))
        return rows

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
