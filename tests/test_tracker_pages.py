"""The tracker as printed: what its intro asks for, how its weeks share and split pages, and
how a day's boxes sit in their cell. Read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, squash


def _build(tmp_path: Path, doc: dict, *options: str, name: str = "spec") -> ReadPdf:
    out = tmp_path / f"{name}.pdf"
    result = run_cli("build", write_spec(tmp_path, doc, f"{name}.json"), "-o", out, *options)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


def _sessions_spec(times_per_day: int, language: str = "en") -> dict:
    return minimal_spec(language=language, sections=[{"title": "Today", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 7, "times_per_day": times_per_day}}, "clamshell"]}],
        tracker={"weeks": 1, "start_date": "2026-11-23"})


@pytest.mark.parametrize("language,each_day,each_time", [
    ("en", "Tick a box each day you do the exercise.", "Tick a box each time you do the exercise."),
    ("es", "Marque una casilla cada día que haga el ejercicio.", "Marque una casilla cada vez que haga el ejercicio."),
])
def test_the_intro_says_each_time_where_a_day_has_several_boxes(tmp_path, language, each_day, each_time):
    for times, wanted, unwanted in ((1, each_day, each_time), (2, each_time, each_day), (3, each_time, each_day),
                                    (10, each_time, each_day)):
        pdf = _build(tmp_path, _sessions_spec(times, language), name=f"{language}{times}")
        [page] = pdf.pages_with(wanted)
        assert unwanted not in pdf.text and page == pdf.pages_with("Week 1" if language == "en" else "Semana 1")[0]
        assert squash(wanted) in pdf.pages_text[page]
