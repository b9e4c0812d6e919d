"""Property tests: any valid spec builds; any broken one fails cleanly with a JSON path.

(a) Random valid specs (catalog ids, doses, frequencies, arbitrary unicode text with markup
    characters and long words, 0-12 tracker weeks, optional fields present or not) always
    render, in-process, to a PDF that qpdf (pikepdf) finds sound.
(b) Random mutations of a valid spec (a key deleted, a value of another type, an unknown
    key, a random JSON value) either build, or exit 1 with at least one ``error: `` line
    naming a ``$`` JSON path; never a traceback, an internal error, or another exit code,
    and never a partial output file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re

import pikepdf
from click.testing import CliRunner
from conftest import CATALOG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinepress.build import BuildOptions, render_spec
from routinepress.catalog import Catalog
from routinepress.cli import main

IDS = sorted(p.stem for p in (CATALOG / "exercises").glob("*.json"))
BUILTIN = Catalog()
# function_scoped_fixture: conftest's autouse PDF check takes tmp_path; these tests write
# their files under a module-scoped folder instead, so nothing leaks between examples.
SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# --- strategies ------------------------------------------------------------------------------------

# Any text a clinician could paste: every plane but surrogates and control characters (both
# refused: they cannot be printed), with line breaks, tabs, markup characters and long
# unbroken words mixed in, so escaping and word splitting are exercised every time.
_char = st.characters(exclude_categories=("Cs", "Cc"))
_word = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789/-_.:"), min_size=60, max_size=300)
_bits = st.one_of(st.text(_char, max_size=40), st.sampled_from(["&", "<", ">", "&amp;", "<b>", "</para>", "<br/>",
                                                                "\n", "\n\n", "\t", " "]), _word)


def text(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    pieces = st.lists(_bits, max_size=8).map(" ".join).map(lambda s: s[:max_size])
    return pieces.filter(lambda s: len(s) >= min_size)


def printed(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Text that prints something: a title, a name or a reason to stop of spaces alone is
    refused (spec.blank_diagnostics, tested in test_validation.py)."""
    return text(min_size, max_size).filter(str.strip)


def reps() -> st.SearchStrategy:
    ranges = st.tuples(st.integers(1, 1000), st.integers(1, 1000)).map(
        lambda t: {"min": min(t), "max": max(t)})
    return st.one_of(st.integers(1, 1000), ranges)


def dosage(allow_null: bool) -> st.SearchStrategy[dict]:
    fields = {
        # (seconds in halves and a unit that is a word: agreement.py refuses others, tested there)
        "sets": st.integers(1, 20), "reps": reps(),
        "unit": text(1, 30).filter(lambda u: any(c.isalpha() for c in u) and not any(c.isdigit() for c in u)),
        "hold_seconds": st.integers(1, 1200).map(lambda n: n / 2) | st.integers(1, 600),
        "rest_seconds": st.integers(0, 1200).map(lambda n: n / 2), "duration_seconds": st.integers(1, 7200),
        "side": st.sampled_from(["each", "left", "right", "both", "alternating"]), "load": text(1, 120),
    }
    if allow_null:
        fields = {k: v | st.none() for k, v in fields.items()}
    return st.fixed_dictionaries({}, optional=fields)


def frequency() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional={"times_per_day": st.integers(1, 10), "days_per_week": st.integers(1, 7)})


def _fitting_side(entry: dict) -> dict:
    """A side the exercise can take (agreement.py refuses the others, tested there): one that
    works a side at a time takes any side but "both" (and "alternating" only if it alternates);
    one that works both sides, only "both"."""
    side = entry.get("dosage", {}).get("side")
    if side is None:
        return entry
    sides = BUILTIN.get(entry["ref"]).sides  # (one that cannot alternate takes each, left or right)
    fitting = side if side in sides else "each" if "each" in sides else sides[0]
    return entry | {"dosage": entry["dosage"] | {"side": fitting}}


def _fitting_time(entry: dict) -> dict:
    """A hold that fits in the time, where a time is given (agreement.py refuses a longer one,
    tested there): no hold, or the entry's own when it fits; never the catalog's unseen."""
    dose = entry.get("dosage", {})
    if not dose.get("duration_seconds"):
        return entry
    hold = dose.get("hold_seconds")
    return entry | {"dosage": dose | {"hold_seconds": hold if hold and hold <= dose["duration_seconds"] else None}}


def entry() -> st.SearchStrategy:
    as_object = st.fixed_dictionaries({"ref": st.sampled_from(IDS)}, optional={
        # (a name with no figure: one naming another dose is refused, tested in test_agreement.py)
        "name": printed(1, 120).filter(lambda t: not any(c.isdigit() for c in t)), "dosage": dosage(allow_null=True),
        "frequency": frequency(), "notes": text(0, 2000)})
    return st.one_of(st.sampled_from(IDS), as_object.map(_fitting_side).map(_fitting_time))


def valid_spec() -> st.SearchStrategy[dict]:
    section = st.fixed_dictionaries({"title": printed(1, 200), "exercises": st.lists(entry(), min_size=1, max_size=6)},
                                    optional={"frequency": frequency()})
    iso = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)).map(dt.date.isoformat)
    tracker = st.fixed_dictionaries({}, optional={"weeks": st.integers(0, 12), "start_date": iso,
                                                  "pain_score": st.booleans()})
    return st.fixed_dictionaries(
        {"spec_version": st.just(1), "title": printed(1, 200), "sections": st.lists(section, min_size=1, max_size=3)},
        optional={
            "subtitle": text(0, 200), "date": iso, "language": st.sampled_from(["en", "es", "es-MX", "en-GB", "en-AU"]),
            "patient": st.fixed_dictionaries({}, optional={"name": text(0, 120)}),
            "clinician": st.fixed_dictionaries({}, optional={
                "name": text(0, 120), "credentials": text(0, 60), "clinic": text(0, 120),
                "phone": text(0, 40), "email": text(0, 120), "address": text(0, 200)}),
            "template": st.sampled_from(["standard", "compact", "large-print"]),
            "page_size": st.sampled_from(["letter", "a4"]), "intro": text(0, 5000), "notes": text(0, 5000),
            "stop_if": st.lists(printed(1, 500), max_size=4), "tracker": tracker,
        })


# Mutations may also carry lone surrogates: json.dumps writes them as \uD800 escapes, valid JSON
# syntax that is not text.
_any_char = _char | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 30, 10 ** 30) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(_any_char, max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_char, max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _places(doc, path=()) -> list[tuple]:
    """Every (path to a container, key or index) in the document."""
    found = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        found.append((path, key))
        found += _places(value, path + (key,))
    return found


def _containers(doc, path=()) -> list[tuple]:
    found = [path] if isinstance(doc, dict) else []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        found += _containers(value, path + (key,))
    return found


def _at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def _other_type(value):
    """A value of a different JSON type than `value`."""
    for candidate in ("text", 7, 2.5, True, None, [], {}, [1, "a"], {"x": 1}):
        if type(candidate) is not type(value):
            return candidate
    return None


@st.composite
def mutated_spec(draw) -> dict:
    doc = copy.deepcopy(draw(valid_spec()))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "retype", "unknown", "replace"]))
        if kind == "unknown":
            parent = _at(doc, draw(st.sampled_from(_containers(doc))))
            unknown = draw(st.sampled_from(["titel", "exercices", "rep", "x", "note", "Title", "$schema2"]))
            parent[unknown] = draw(json_value)
            continue
        places = _places(doc)
        if not places:
            break
        path, key = draw(st.sampled_from(places))
        parent = _at(doc, path)
        if kind == "delete":
            del parent[key]
        elif kind == "retype":
            parent[key] = _other_type(parent[key])
        else:
            parent[key] = draw(json_value)
    return doc


# --- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(doc=valid_spec())
def test_any_valid_spec_builds_a_sound_pdf(doc, workdir, catalog):
    spec = workdir / "valid.json"
    spec.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = render_spec(spec, BuildOptions(), catalog)
    assert result.pages >= 1
    assert all(w.severity == "warning" for w in result.warnings)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == result.pages


ERROR_WITH_PATH = re.compile(r"^error: [^:]+: \$[^ ]*: ", re.MULTILINE)


@SETTINGS
@given(doc=mutated_spec())
def test_any_broken_spec_fails_cleanly(doc, workdir):
    spec = workdir / "mutated.json"
    out = workdir / "mutated.pdf"
    out.unlink(missing_ok=True)
    spec.write_text(json.dumps(doc), encoding="utf-8")
    args = ["build", str(spec), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.stderr, result.stderr
    if result.exit_code == 0:
        with pikepdf.open(out) as pdf:
            assert pdf.check_pdf_syntax() == []
    else:
        assert ERROR_WITH_PATH.search(result.stderr), result.stderr
        assert not out.exists()
        assert [p.name for p in workdir.iterdir() if p.suffix == ".tmp"] == []
