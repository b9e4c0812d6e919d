"""The quick validity check (jsonschema-rs) never accepts what jsonschema rejects.

A build asks the compiled validator first and loads jsonschema only to explain a failure
(src/routinepress/jsonfile.py). If the two ever disagreed the wrong way, an invalid
document would pass unexplained into the pipeline, so every document the project has, every
bad-input case, and random mutations of a valid spec are put to both.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from test_properties import SETTINGS, mutated_spec

from routinepress.errors import InputError
from routinepress.jsonfile import is_valid, read_json, validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ("routine.schema.json", "exercise.schema.json", "template.schema.json",
           "general.schema.json", "pose.schema.json")


def jsonschema_accepts(document, schema_name: str) -> bool:
    return not any(True for _ in validator(schema_name).iter_errors(document))


def _documents(folder: Path) -> list[tuple[Path, object]]:
    """Every file the strict reader takes: only those ever reach a validator."""
    found = []
    for path in sorted(folder.rglob("*.json")):
        try:
            found.append((path, read_json(path)))
        except InputError:
            continue  # the corpus has files that are not JSON at all
    return found


SHIPPED = {
    "routine.schema.json": [*ROOT.glob("handouts/*.json"), *ROOT.glob("bench/specs/*.json")],
    "exercise.schema.json": list(ROOT.glob("catalog/exercises/*.json")),
    "template.schema.json": list(ROOT.glob("templates/*.json")),
    "general.schema.json": [ROOT / "catalog/general.json"],
    "pose.schema.json": list(ROOT.glob("catalog/illustrations/*.pose.json")),
}


@pytest.mark.parametrize("schema_name", SCHEMAS)
def test_every_shipped_document_passes_both(schema_name):
    assert SHIPPED[schema_name]
    for path in SHIPPED[schema_name]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert is_valid(doc, schema_name), path
        assert jsonschema_accepts(doc, schema_name), path


BAD = _documents(ROOT / "tests" / "bad_inputs")


@pytest.mark.parametrize("schema_name", SCHEMAS)
def test_the_bad_input_corpus_gets_the_same_verdict_from_both(schema_name):
    assert len(BAD) > 40
    rejected = 0
    for path, doc in BAD:
        verdict = jsonschema_accepts(doc, schema_name)
        assert is_valid(doc, schema_name) == verdict, path
        rejected += not verdict
    assert rejected > 0


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/video?id=1", True), ("https://exa mple.org", False),
    ("https://example.org/\x1c", False), ("https://example.org/\x85x", False),
    ("https://example.org/\ufeff", False), ("https://example.org/\u2003", False),
    ("ftp://example.org", False)])
def test_video_links_are_judged_alike(url, ok):
    # Python's \\s and the Rust regex's \\s differ on a few control characters; the schema
    # names them, so both engines draw the line in the same place.
    entry = json.loads((ROOT / "catalog/exercises/bridge.json").read_text(encoding="utf-8"))
    entry["video_url"] = url
    assert jsonschema_accepts(entry, "exercise.schema.json") is ok
    assert is_valid(entry, "exercise.schema.json") is ok


def test_numbers_too_wide_for_the_fast_check_go_to_jsonschema():
    entry = json.loads((ROOT / "catalog/exercises/bridge.json").read_text(encoding="utf-8"))
    entry["default_dosage"]["sets"] = 10 ** 30
    assert not is_valid(entry, "exercise.schema.json")
    assert not jsonschema_accepts(entry, "exercise.schema.json")


@SETTINGS
@given(mutated_spec())
def test_random_mutations_never_pass_the_fast_check_alone(doc):
    if is_valid(doc, "routine.schema.json"):
        assert jsonschema_accepts(doc, "routine.schema.json")


def test_a_valid_build_does_not_load_jsonschema(tmp_path):
    # The point of the quick check: a cold build of valid input skips jsonschema's imports.
    out = tmp_path / "out.pdf"
    code = ("import sys; from routinepress.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'referencing')))")
    done = subprocess.run([sys.executable, "-c", code, "build", str(ROOT / "handouts/mixed-short.json"),
                           "-o", str(out)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert out.stat().st_size > 0


def test_every_unknown_field_is_named_at_once_with_its_likely_meaning(tmp_path):
    from conftest import minimal_spec, run_cli, write_spec

    spec = minimal_spec(sections=[{"title": "A", "exercises": [
        {"ref": "bridge", "dosage": {"rep": 10, "hold": 5, "sides": "Left", "side": "Left"}}]}])
    spec["x" * 5000] = 1  # a pasted document's stray key: named, not echoed whole
    path = write_spec(tmp_path, spec)
    result = run_cli("validate", path)
    lines = result.stderr.splitlines()
    at = f"{path}: $.sections[0].exercises[0].dosage"
    for name, hint in (("rep", "did you mean 'reps'?"), ("hold", "did you mean 'hold_seconds'?"),
                       ("sides", "did you mean 'side'?")):
        assert f"  hint: {hint}" == lines[lines.index(f"error: {at}.{name}: unknown field '{name}'") + 1]
    assert "  hint: write it in lowercase: 'left'" in lines
    assert any("(5,000 characters)" in line for line in lines) and len(result.stderr) < 2000


def test_a_number_in_quotes_is_told_to_lose_them(tmp_path):
    from conftest import minimal_spec, run_cli, write_spec

    spec = minimal_spec(sections=[{"title": "A", "frequency": {"days_per_week": "3"}, "exercises": ["bridge"]}])
    result = run_cli("validate", write_spec(tmp_path, spec))
    assert ("spec.json: $.sections[0].frequency.days_per_week: expected a whole number, not text\n"
            "  hint: write it without quotes: 3") in result.stderr
