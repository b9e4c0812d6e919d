"""The catalog's general dosing notes, printed as "How to do your exercises" unless the spec says not to."""

from __future__ import annotations

import json

from conftest import minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, squash

from routinepress.catalog import Catalog

HEADING = "How to do your exercises"


def _build(tmp_path, doc: dict, *extra) -> ReadPdf:
    out = tmp_path / "notes.pdf"
    result = run_cli("build", write_spec(tmp_path, doc), "-o", out, *extra)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


def _notes(kinds: set[str]) -> list[str]:
    return [n.text for n in Catalog().general().dosing_notes if n.applies_to(kinds)]


def test_dosing_notes_are_printed_by_default_before_the_table(tmp_path):
    both = minimal_spec(sections=[{"title": "Moves", "exercises": ["bridge", "knee-to-chest"]}])
    notes = _notes({"strength", "stretch"})
    assert len(notes) == len(Catalog().general().dosing_notes), "a stretch and a strength move: every note"
    text = _build(tmp_path, both).text
    assert text.count(HEADING) == 1
    for note in notes:
        assert squash(note) in text
    # After the clinician's intro and the warnings, before the table of the exercises.
    assert text.index("Stop and call your clinic if:") < text.index(HEADING)
    assert text.index(HEADING) < text.index(squash(notes[-1])) < text.index("Your exercises at a glance")


def test_a_routine_gets_only_the_notes_for_its_kinds_of_exercise(tmp_path):
    general = Catalog().general().dosing_notes
    stretch_only = {n.text for n in general if n.kinds == {"stretch"}}
    strength_only = {n.text for n in general if n.kinds == {"strength"}}
    everyone = {n.text for n in general if n.kinds is None}
    assert stretch_only and strength_only and everyone
    stretches = _build(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["knee-to-chest"]}])).text
    strength = _build(tmp_path, minimal_spec()).text  # the bridge
    for text, wanted, unwanted in ((stretches, stretch_only, strength_only), (strength, strength_only, stretch_only)):
        assert all(squash(n) in text for n in wanted | everyone)
        assert not any(squash(n) in text for n in unwanted)


def test_dosing_notes_heading_comes_from_the_language(tmp_path):
    text = _build(tmp_path, minimal_spec(language="es")).text
    assert "Cómo hacer sus ejercicios" in text and HEADING not in text


def test_spec_can_leave_the_dosing_notes_out(tmp_path):
    text = _build(tmp_path, minimal_spec(show_dosing_notes=False)).text
    assert HEADING not in text
    for note in Catalog().general().dosing_notes:
        assert squash(note.text) not in text
    assert "Your exercises at a glance" in text  # only the notes go


def test_show_dosing_notes_must_be_true_or_false(tmp_path):
    result = run_cli("validate", write_spec(tmp_path, minimal_spec(show_dosing_notes="no")))
    assert result.code == 1
    assert "$.show_dosing_notes: expected true/false" in result.stderr


def test_clinic_catalog_notes_replace_the_builtin_ones_and_none_print_no_heading(tmp_path):
    clinic = tmp_path / "clinic"
    (clinic / "exercises").mkdir(parents=True)
    general = clinic / "general.json"
    general.write_text(json.dumps({"stop_if": ["Clinic rule only."], "dosing_notes": ["Warm up first."]}))
    text = _build(tmp_path, minimal_spec(), "--catalog", clinic).text
    assert HEADING in text and "Warm up first." in text
    assert not any(squash(n) in text for n in _notes({"strength"}))

    general.write_text(json.dumps({"stop_if": ["Clinic rule only."]}))
    text = _build(tmp_path, minimal_spec(), "--catalog", clinic).text
    assert "Clinic rule only." in text
    assert HEADING not in text, "no heading over an empty list"
    assert "Your exercises at a glance" in text


def test_a_clinic_note_limited_to_kinds_is_checked_and_applied(tmp_path):
    clinic = tmp_path / "clinic"
    (clinic / "exercises").mkdir(parents=True)
    general = clinic / "general.json"
    general.write_text(json.dumps({"dosing_notes": [{"text": "Balance near a counter.", "kinds": ["balance"]},
                                                    {"text": "Warm up first.", "kinds": ["strength"]}]}))
    text = _build(tmp_path, minimal_spec(), "--catalog", clinic).text
    assert "Warm up first." in text and "Balance near a counter." not in text
    general.write_text(json.dumps({"dosing_notes": [{"text": "Warm up first.", "kinds": ["cardio"]}]}))
    result = run_cli("validate", write_spec(tmp_path, minimal_spec()), "--catalog", clinic)
    assert result.code == 1 and "general.json" in result.stderr and "$.dosing_notes[0]" in result.stderr
