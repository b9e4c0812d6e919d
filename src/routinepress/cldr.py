"""The CLDR answers a handout needs, from Babel, remembered.

A handout asks the language's rules a handful of questions: the plural category of 3,
"Mon" and "23" for each tracker day, "Nov 23 – 29" for each week, a start date. Babel answers them exactly, but
importing it and loading one language's data costs a cold build some 15 ms. So every
answer is kept in memory, and a one-handout process (coldstart.py turns it on) also keeps
them in a small file per language beside the drawing cache: the next build asking the same
questions never imports Babel. The file is keyed by the installed Babel, so an upgrade
starts afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from .paths import cache_root, installed_package

LIMIT = 20_000  # answers kept per language; past this they are forgotten (and asked again)
enabled = False  # the files are used (a one-handout process)
_answers: dict[str, dict[str, str]] = {}
_changed: set[str] = set()


def enable() -> None:
    global enabled
    enabled = True


def plural(language: str, n: int | float) -> str:
    """CLDR's plural category of n ("one", "few", "many", "other"); 3 and 3.0 may differ."""
    return _answer(language, f"plural {n!r}")


def medium_date(language: str, day: dt.date) -> str:
    return _answer(language, f"medium {day.isoformat()}")


def weekday(language: str, day: dt.date) -> str:
    return _answer(language, f"weekday {day.isoformat()}")


def short_weekday(language: str, day: dt.date) -> str:
    """The weekday in two or so letters ("Mo"), for a table of two weeks side by side."""
    return _answer(language, f"short-weekday {day.isoformat()}")


def day_of_month(language: str, day: dt.date) -> str:
    return _answer(language, f"day {day.isoformat()}")


def week_dates(language: str, first: dt.date) -> str:
    """The seven days from `first`: "Nov 23 – 29", "23 – 29 Nov", "Nov 30 – Dec 6"."""
    return _answer(language, f"week {first.isoformat()}")


def decimal_symbol(language: str) -> str:
    """What separates a number's whole part from its fraction: "." in English, "," in Spanish."""
    return _answer(language, "decimal-symbol -")


def known(language: str) -> bool:
    """Whether CLDR has date and plural rules for this language and region."""
    answers = _load(language)
    if answers.get("known") == "yes":
        return True
    from babel import UnknownLocaleError

    try:
        _locale(language)
    except (UnknownLocaleError, ValueError):
        return False
    _keep(language, "known", "yes")
    return True


def _answer(language: str, question: str) -> str:
    found = _load(language).get(question)
    if found is None:
        found = _keep(language, question, _ask_babel(language, question))
    return found


def _ask_babel(language: str, question: str) -> str:
    kind, _, argument = question.partition(" ")
    locale = _locale(language)
    if kind == "plural":
        return locale.plural_form(float(argument) if "." in argument else int(argument))
    if kind == "decimal-symbol":
        from babel.numbers import get_decimal_symbol

        return get_decimal_symbol(locale)
    from babel.dates import format_date, format_interval, format_skeleton

    day = dt.date.fromisoformat(argument)
    if kind == "medium":
        return format_date(day, "medium", locale=locale)
    if kind == "weekday":
        return format_date(day, "EEE", locale=locale)
    if kind == "short-weekday":
        return format_date(day, "EEEEEE", locale=locale)
    if kind == "week":
        dates = format_interval(day, day + dt.timedelta(days=6), "MMMd", locale=locale)
        # CLDR spaces the dash with thin spaces, which the handout's font does not have.
        return dates.replace("\u2009", " ").replace("\u202f", "\u00a0")
    return format_skeleton("d", day, locale=locale)


@cache
def _locale(language: str) -> Any:
    from babel import Locale

    return Locale.parse(language.replace("-", "_"))


def _keep(language: str, question: str, answer: str) -> str:
    answers = _load(language)
    if len(answers) >= LIMIT:
        answers.clear()
    answers[question] = answer
    if enabled:
        _changed.add(language)
    return answer


def _load(language: str) -> dict[str, str]:
    if language not in _answers:
        _answers[language] = {}
        file = _file(language)
        if file is not None:
            try:
                loaded = json.loads(file.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and all(isinstance(v, str) for v in loaded.values()):
                    _answers[language] = loaded
            except (OSError, ValueError):
                pass  # none yet, or damaged: Babel answers again
    return _answers[language]


def save() -> None:
    """Write the new answers of a one-handout process (nothing otherwise)."""
    for language in sorted(_changed):
        file = _file(language)
        if file is None or language not in _answers:
            continue
        tmp = None
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_answers[language], fh, sort_keys=True)
            os.replace(tmp, file)
            tmp = None
        except OSError:
            pass  # a read-only cache folder only costs speed
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
    _changed.clear()


def _file(language: str) -> Path | None:
    root = cache_root() if enabled else None
    if root is None:
        return None
    name = hashlib.sha256(f"{language} {installed_package('babel')}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return root / "cldr" / f"{name}.json"
