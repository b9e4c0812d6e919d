"""The built-in catalog: complete, plain, cross-referenced; and the catalog commands."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import textstat
from conftest import CATALOG, HANDOUTS, run_cli
from pdfread import ReadPdf, squash

from routinepress import catalog_tools
from routinepress.catalog import Catalog
from routinepress.wording import Words

# The ids the public contract fixes (shared/design/catalog.md).
CONTRACT_IDS = {
    "hip-rotation-mobility", "kneeling-hip-flexor-stretch", "adductor-rock-back", "resisted-hip-flexion",
    "bridge", "single-leg-bridge", "good-morning", "bulgarian-split-squat", "lateral-step-up",
    "banded-side-step", "banded-backward-walk", "lateral-lunge-adductor-slide", "sumo-squat",
    "copenhagen-side-plank-modified", "supine-hamstring-stretch", "side-lying-it-band-stretch",
    "supine-piriformis-stretch", "posterior-pelvic-tilt", "straight-leg-raise", "side-lying-hip-abduction",
    "prone-straight-leg-raise", "prone-hip-extension-bent-knee", "hip-hike", "clamshell",
    "reverse-clamshell", "knee-to-chest", "double-knee-to-chest", "butterfly-stretch",
    "lower-trunk-rotation", "standing-hip-flexion", "standing-hip-extension", "standing-hip-abduction",
}
MAX_STEPS_GRADE = 7.0


def test_catalog_covers_the_contract(catalog):
    assert CONTRACT_IDS <= set(catalog.ids())


def test_catalog_check_passes():
    result = run_cli("catalog", "check")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize("exercise_id", sorted(CONTRACT_IDS))
def test_entry_is_complete_and_plain(catalog, exercise_id):
    ex = catalog.get(exercise_id)
    assert ex.summary and ex.position and ex.targets and ex.steps and (ex.care or ex.red_flags) and ex.sources
    assert ex.in_short and ex.clinician_notes
    assert len(ex.illustrations) >= 2
    grade = textstat.flesch_kincaid_grade(" ".join(ex.steps))
    assert grade <= MAX_STEPS_GRADE, f"{exercise_id} steps read at grade {grade}"
    for progression in ex.progressions + ex.regressions:
        assert progression in catalog
    # A step is an instruction, not a choice: "Or strap a weight to one ankle" offered a band
    # patient a load the prescription never gave, under a title and pictures with a band.
    offers = [step for step in ex.steps if re.search(r"(^|[.!?] )Or ", step)]
    assert not offers, f"{exercise_id}: a step offers a choice: {offers}"


def test_article_facts_carried_over(catalog):
    bridge = catalog.get("bridge")
    assert "single-leg-bridge" in bridge.progressions
    assert "posterior-pelvic-tilt" in bridge.regressions
    assert catalog.get("supine-hamstring-stretch").default_dosage == {"reps": 3, "hold_seconds": 60, "side": "each"}
    assert catalog.get("banded-side-step").default_dosage["reps"] == 15
    # Where the articles disagree the entry says what it chose, to the clinician only.
    flexor = catalog.get("kneeling-hip-flexor-stretch")
    assert "60" in " ".join(flexor.clinician_notes)
    assert not any("60" in tip.text for tip in flexor.tips)
    piriformis = catalog.get("supine-piriformis-stretch")
    assert any("sciatic" in c.text.lower() or "tingl" in c.text.lower() for c in piriformis.care + piriformis.red_flags)


def test_general_warnings_are_data_and_replaceable(tmp_path, catalog):
    warnings = catalog.general().warnings
    assert len(warnings) >= 5 and len({w.id for w in warnings}) == len(warnings)
    (tmp_path / "exercises").mkdir()
    # The older form still reads: plain sentences for everyone, numbered so a spec can drop one.
    (tmp_path / "general.json").write_text(json.dumps({"stop_if": ["Clinic rule only."]}))
    (clinic,) = Catalog([tmp_path]).general().warnings
    assert (clinic.id, clinic.line.text, clinic.kind) == ("stop-if-1", "Clinic rule only.", "stop")


def test_list_filters_and_json(catalog):
    result = run_cli("catalog", "list", "--kind", "stretch", "--json")
    assert result.code == 0
    listed = json.loads(result.stdout)
    assert listed and all(e["kind"] == "stretch" for e in listed)
    assert {e["id"] for e in listed} == {i for i in catalog.ids() if catalog.get(i).kind == "stretch"}
    table = run_cli("catalog", "list", "--equipment", "band").stdout
    assert "banded-side-step" in table and "knee-to-chest" not in table
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "KIND"]


def test_show_prints_entry_and_grade():
    result = run_cli("catalog", "show", "bridge")
    assert result.code == 0
    assert "Bridge  (bridge)" in result.stdout
    assert "Steps reading grade:" in result.stdout
    missing = run_cli("catalog", "show", "brige")
    assert missing.code == 1 and "did you mean 'bridge'?" in missing.stderr


@pytest.mark.parametrize("query,expected", [
    ("clamshel", "clamshell"), ("glute bridge", "bridge"), ("piriformis", "supine-piriformis-stretch"),
    ("monster walk", "banded-side-step"), ("hamstrng", "supine-hamstring-stretch"),
])
def test_search_forgives_typos(catalog, query, expected):
    hits = [ex.id for _, ex in catalog_tools.search(catalog, query)]
    assert expected in hits[:3], hits


def test_a_search_longer_than_the_servers_limit_is_refused_at_once():
    result = run_cli("catalog", "search", "x" * 150)
    assert result.code == 1
    assert result.stderr.startswith("error: search: the search is 150 characters long; at most 100")
    assert "x" * 150 not in result.stderr


def test_search_without_match_exits_1():
    assert run_cli("catalog", "search", "zzzzqqq").code == 1


def test_check_reports_broken_overlay(tmp_path):
    folder = tmp_path / "clinic"
    shutil.copytree(CATALOG / "exercises", folder / "exercises", ignore=shutil.ignore_patterns("[!b]*"))
    entry = json.loads((folder / "exercises" / "bridge.json").read_text())
    entry["progressions"] = ["single-leg-brige"]
    entry.pop("illustrations")
    (folder / "exercises" / "bridge.json").write_text(json.dumps(entry))
    (folder / "exercises" / "wrong-name.json").write_text(json.dumps(entry))
    result = run_cli("catalog", "check", folder, cwd=tmp_path)
    assert result.code == 1
    assert "clinic/exercises/bridge.json: $.progressions[0]: unknown exercise 'single-leg-brige'" in result.stderr
    assert "did you mean 'single-leg-bridge'?" in result.stderr
    assert (
        "clinic/exercises/wrong-name.json: $.id: id 'bridge' differs from the file name 'wrong-name'"
        in result.stderr
    )


def test_a_clinic_folder_named_again_on_the_command_line_is_one_folder(tmp_path):
    """In a clinic folder, `catalog check catalog` named the folder routinepress.toml names:
    each entry was reported as its own duplicate."""
    assert run_cli("init", tmp_path / "clinic", "--clinic", "X").code == 0
    shutil.copy(CATALOG / "exercises" / "clamshell.json", tmp_path / "clinic" / "catalog" / "exercises")
    result = run_cli("catalog", "check", "catalog", cwd=tmp_path / "clinic")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("ok: ") and "2 folder(s)" in result.stdout


def test_new_writes_a_valid_starter_spec(tmp_path):
    out = tmp_path / "starter.json"
    result = run_cli("new", out, "-e", "bridge", "-e", "knee-to-chest", "--title", "Starter")
    assert result.code == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["title"] == "Starter"
    assert run_cli("validate", out).code == 0
    again = run_cli("new", out, "-e", "bridge")
    assert again.code == 1 and "already exists" in again.stderr


def test_new_writes_nothing_validate_would_refuse(tmp_path):
    out = tmp_path / "starter.json"
    bell = run_cli("new", out.name, "-e", "bridge", "--title", "Hip\x07program", cwd=tmp_path)
    assert bell.code == 1
    assert bell.stderr.startswith("error: starter.json: $.title: the text has a control character (U+0007)")
    twice = run_cli("new", out, "-e", "bridge", "-e", "clamshell", "-e", "bridge")
    assert twice.code == 1
    assert twice.stderr.splitlines() == ["error: --exercise: 'bridge' is given more than once",
                                         "  hint: give each exercise once"]
    assert not out.exists()


@pytest.mark.parametrize("spec_path", sorted(HANDOUTS.glob("*.json")), ids=lambda p: p.stem)
def test_example_handout_prints_every_name_and_dose(tmp_path, catalog, spec_path):
    out = tmp_path / f"{spec_path.stem}.pdf"
    result = run_cli("build", spec_path, "-o", out)
    assert result.code == 0, result.stderr
    text = ReadPdf(out).text
    spec = json.loads(spec_path.read_text())
    words = Words(spec.get("language", "en"))
    for section in spec["sections"]:
        for entry in section["exercises"]:
            entry = {"ref": entry} if isinstance(entry, str) else entry
            ex = catalog.get(entry["ref"])
            assert squash(entry.get("name", ex.name)) in text
            dosage = {k: v for k, v in (ex.default_dosage | entry.get("dosage", {})).items() if v is not None}
            assert squash(words.dose_summary(dosage)) in text
