"""Card arrangements remembered between runs, for the one-handout process a Makefile starts.

Choosing a card's arrangement builds and measures three to six of them, and in a new
process every paragraph is parsed and broken for the first time: a third of a cold build.
The arrangement depends only on the card, the template and paper, the labels, the picture
files and the layout code, so each choice is recorded under a hash of all of them, as a
small file beside the drawing cache (same setting: ROUTINEPRESS_CACHE_DIR, `off` for none).
A handout built again after an edit elsewhere lays out each unchanged card once.

Only coldstart.py turns the records on: a process that builds again and again keeps its
choices in memory (cards.py), and asks them quicker than it could hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from .. import __version__
from ..paths import installed_package
from ..records import Records

RECORDS = Records("layouts")  # each a card's arrangement, as the fields of cards.Layout


def enable() -> None:
    RECORDS.enable()


@functools.cache
def _engine() -> str:
    """The code that lays cards out and sizes their pictures, the font and reportlab."""
    from reportlab import Version

    package = Path(__file__).resolve().parent.parent
    sources = sorted((package / "render").glob("*.py")) + sorted((package / "illustrate").glob("*.py"))
    code = b"".join(p.read_bytes() for p in sources)
    return hashlib.sha256(code + f"{__version__} {Version} {installed_package('fontpkg_atkinson_hyperlegible')}"
                          .encode()).hexdigest()


def record_name(parts: tuple) -> str | None:
    """The record for a choice made from `parts` (everything it depends on, as text and
    numbers); None when records are off."""
    if RECORDS.folder() is None:
        return None
    text = json.dumps([_engine(), parts], default=repr, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def recall(record: str | None) -> dict | None:
    """The arrangement recorded, as the fields of cards.Layout; None if there is none."""
    content = RECORDS.read(record) if record else None
    try:
        fields = json.loads(content) if content else None
    except ValueError:
        return None  # damaged: choose again
    return fields if isinstance(fields, dict) else None


def remember(record: str | None, fields: dict) -> None:
    if record:
        RECORDS.write(record, json.dumps(fields))
