"""Templates fuzzed from their schema: if validate accepts one, build makes a PDF, in seconds.

The strategy is read from schema/template.schema.json itself (every field, its type, range,
choices and pattern), so a field added to the schema is fuzzed too. Header and footer text
mixes the placeholders, formats such as {title:>40000}, stray braces and plain words. Each
example is checked as the CLI would: the spec is validated (schema, template meaning and
fit on the paper) and, when that passes, built; the build must not raise and must end
within the hang guard.
"""

from __future__ import annotations

import io
import json
import math
import signal
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinepress.build import BuildOptions, render_checked
from routinepress.catalog import Catalog
from routinepress.errors import InputError
from routinepress.model import build_model
from routinepress.spec import load_spec
from routinepress.templates import PLACEHOLDERS

SCHEMA = json.loads((REPO / "schema" / "template.schema.json").read_text(encoding="utf-8"))
HANG_GUARD_S = 10
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_RUNNING_BITS = st.one_of(
    st.sampled_from(["{" + p + "}" for p in PLACEHOLDERS]),
    st.sampled_from(["{title:>40000}", "{title:W>400}", "{patient!r}", "{0}", "{nope}", "{", "}", "{{", "}}",
                     "Page", " - ", "  "]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
)


def _text(schema: dict) -> st.SearchStrategy[str]:
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    limit = schema.get("maxLength", 60)
    return st.lists(_RUNNING_BITS, max_size=6).map(lambda bits: "".join(bits)[:limit])


def from_schema(schema: dict) -> st.SearchStrategy:
    """A strategy for documents that fit `schema` (the subset of JSON Schema the template uses)."""
    if "$ref" in schema:
        return from_schema(SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[-1]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        fields = {k: from_schema(v) for k, v in schema.get("properties", {}).items()
                  if k not in ("$schema", "extends", "description")}
        return st.fixed_dictionaries({}, optional=fields)
    if kind == "array":
        items = from_schema(schema["items"])
        return st.lists(items, unique=schema.get("uniqueItems", False), max_size=8)
    if kind == "integer":
        return st.integers(schema.get("minimum", -1000), schema.get("maximum", 1000))
    if kind == "number":
        low, high = schema.get("minimum", -1000), schema.get("maximum", 1000)
        # The ends of each range often: that is where pictures stop fitting beside the text.
        return st.one_of(st.sampled_from([low, high]), st.integers(math.ceil(low), math.floor(high)),
                         st.floats(low, high, allow_nan=False, allow_infinity=False))
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return _text(schema)
    raise AssertionError(f"the template schema uses {schema}; teach from_schema about it")


def templates() -> st.SearchStrategy[dict]:
    return from_schema(SCHEMA).map(lambda doc: {"extends": "standard", **doc})


class _Hang(Exception):
    pass


def _guarded(call):
    def alarm(_signum, _frame):
        raise _Hang
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_GUARD_S)
    try:
        return call()
    except _Hang:
        pytest.fail(f"still running after {HANG_GUARD_S} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@SETTINGS
@given(template=templates(), page_size=st.sampled_from([None, "letter", "a4"]),
       exercises=st.lists(st.sampled_from(["bridge", "clamshell", "resisted-hip-flexion", "hip-hike",
                                           "copenhagen-side-plank-modified"]), min_size=1, max_size=3))
def test_a_template_validate_accepts_builds(template, page_size, exercises, workdir, catalog):
    (workdir / "fuzzed.json").write_text(json.dumps(template), encoding="utf-8")
    doc = {"spec_version": 1, "title": "Hip program for a long-named patient, weeks one to four",
           "patient": {"name": "Sample Patient"}, "date": "2026-11-20", "template": "fuzzed.json",
           "clinician": {"name": "Jordan Lee", "clinic": "Riverside Physical Therapy and Rehabilitation"},
           "sections": [{"title": "Moves", "exercises": exercises}], "tracker": {"weeks": 1}}
    if page_size:
        doc["page_size"] = page_size
    spec_path = workdir / "spec.json"
    spec_path.write_text(json.dumps(doc), encoding="utf-8")
    try:  # what `routinepress validate` does
        spec = load_spec(spec_path, catalog)
        build_model(spec, catalog)
    except InputError as exc:
        assert all(d.severity == "error" and d.message for d in exc.diagnostics)
        return
    rendered = _guarded(lambda: render_checked(spec, catalog, BuildOptions()))
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf:
        assert len(pdf.pages) == rendered.pages >= 1


def test_the_strategy_reaches_both_outcomes(workdir, catalog):
    """The fuzzing is worth something only if it makes templates validate both accepts and refuses."""
    from hypothesis import find

    accepted = find(templates(), lambda t: _validates(t, workdir, catalog),
                    settings=settings(max_examples=200, database=None))
    refused = find(templates(), lambda t: not _validates(t, workdir, catalog),
                   settings=settings(max_examples=200, database=None))
    assert accepted is not None and refused is not None


def _validates(template: dict, workdir: Path, catalog: Catalog) -> bool:
    (workdir / "probe.json").write_text(json.dumps(template), encoding="utf-8")
    spec_path = workdir / "probe-spec.json"
    spec_path.write_text(json.dumps({"spec_version": 1, "title": "T", "template": "probe.json",
                                     "sections": [{"title": "M", "exercises": ["bridge"]}]}), encoding="utf-8")
    try:
        load_spec(spec_path, catalog)
    except InputError:
        return False
    return True
