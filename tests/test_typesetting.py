"""Lines that break where a reader expects: a shortened running title ends on a whole word, a
separator ends its line, a dose value and a number with its unit stay on one line. Read back
from the PDFs' words and their positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HANDOUTS, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, page_lines

ELLIPSIS = "\u2026"


def _build(tmp_path: Path, example: str, template: str, paper: str = "letter") -> ReadPdf:
    out = tmp_path / f"{example}-{template}-{paper}.pdf"
    result = run_cli("build", HANDOUTS / f"{example}.json", "-o", out, "--template", template, "--page-size", paper)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


@pytest.mark.parametrize("example,paper", [
    ("postpartum-hip", "letter"), ("postpartum-hip", "a4"), ("hip-pain-general", "letter"),
])
def test_a_running_title_too_long_for_the_header_ends_on_a_whole_word(tmp_path, example, paper):
    """Large print's header holds the title and, on the right, the patient and the date; these
    two titles do not fit beside them. The title is cut after a whole word ("... After…"),
    never inside one ("... After Pregna…"), and the patient and date stay whole."""
    spec = json.loads((HANDOUTS / f"{example}.json").read_text())
    title, right = spec["title"], f"{spec['patient']['name']} "
    pdf = _build(tmp_path, example, "large-print", paper)
    with pdf.plumber() as doc:
        headers = [page_lines(page)[0] for page in doc.pages]
    for number, header in enumerate(headers, 1):
        assert ELLIPSIS in header and right in header, f"page {number}: {header!r}"
        kept = header.split(ELLIPSIS)[0]
        assert title.startswith(kept) and title[len(kept)] == " ", f"page {number}: {header!r}"
        assert len(kept.split()) >= 4  # most of the title is still there


def _broken_inside(pdf: ReadPdf, phrase: str) -> list[str]:
    """Where `phrase` runs over two lines, broken at one of its spaces: "page 3: 'Every' | 'day'"."""
    words = phrase.split()
    found = []
    for number, lines in enumerate(pdf.pages_lines, 1):
        for above, below in zip(lines, lines[1:]):
            for cut in range(1, len(words)):
                if above.rstrip().endswith(" ".join(words[:cut])) and below.lstrip().startswith(" ".join(words[cut:])):
                    found.append(f"page {number}: {above.strip()!r} | {below.strip()!r}")
    return found


def test_a_long_patient_name_is_shortened_so_the_date_still_prints(tmp_path):
    name = "Maria-Concepción Featherstonehaugh-Villanueva de los Santos"
    spec = write_spec(tmp_path, minimal_spec(patient={"name": name}, date="2026-11-30"))
    out = tmp_path / "name.pdf"
    assert run_cli("build", spec, "-o", out).code == 0
    pdf = ReadPdf(out)
    assert pdf.page_count > 1
    # page 2's running header (page 1 prints the name whole under the title)
    header = next(line for line in pdf.pages_lines[1] if "Nov 30, 2026" in line)
    assert "Maria-Concepción\u2026" in header and name not in header  # cut at a whole word


def test_a_separator_in_the_clinician_line_ends_its_line(tmp_path):
    """mixed-short, large print: the clinician's name, clinic, phone and email wrap onto a
    second line. The dot between two of them stays at the end of the first line; a line
    that starts with "·" reads as a list, or as a stray mark."""
    pdf = _build(tmp_path, "mixed-short", "large-print")
    lines = pdf.pages_lines[0]
    start = next(i for i, line in enumerate(lines) if line.startswith("Your clinician:"))
    assert lines[start].rstrip().endswith("\u00b7"), lines[start:start + 2]  # it wraps, after a dot
    assert lines[start + 1].strip() == "555-0100 \u00b7 clinic@example.org"
    starts = [line for page in pdf.pages_lines for line in page if line.lstrip().startswith(("\u00b7", "|"))]
    assert not starts


def _dose_bands(tmp_path: Path, spec: Path) -> set[str]:
    """Each card's dose band as one line of text: "Repeat: 3 times | Hold: 30 seconds | ..."."""
    out = tmp_path / f"{spec.stem}.model.json"
    assert run_cli("build", spec, "--format", "json", "-o", out).code == 0
    return {" | ".join(f"{label}: {value}" for label, value in card["dose_rows"])
            for section in json.loads(out.read_text())["sections"] for card in section["cards"]}


@pytest.mark.parametrize("example", ["therapydia-six", "postpartum-hip", "hip-pain-general"])
def test_a_dose_band_breaks_only_between_its_values(tmp_path, example):
    """Large print's dose band wraps; it used to break inside a value, "How often: Every" at
    the end of a line and "day" at the start of the next (therapydia-six page 5), or "3 days"
    and "a week" (postpartum-hip page 9). Each of its lines but the last ends at a bar now."""
    pdf = _build(tmp_path, example, "large-print")
    expected = _dose_bands(tmp_path, HANDOUTS / f"{example}.json")
    found = []
    for lines in pdf.pages_lines:
        for at, line in enumerate(lines):
            if line.startswith("Repeat: "):
                found += [lines[at:end] for end in range(at + 1, at + 6)
                          if " ".join(part.strip() for part in lines[at:end]) in expected]
    assert {" ".join(part.strip() for part in band) for band in found} == expected
    assert any(len(band) > 1 for band in found)  # some bands do wrap
    broken = [band for band in found if not all(line.rstrip().endswith("|") for line in band[:-1])]
    assert not broken


def test_a_long_load_still_wraps_and_keeps_its_numbers_with_their_units(tmp_path):
    """A load is free text of up to 120 letters: too long to keep on one line, it wraps as
    any text does, but "2 kg" and "12 inches" are not cut in two."""
    load = ("a 2 kg ankle weight on the working leg, or a long band tied about 12 inches "
            "above the knee, whichever you have at home")
    assert len(load) <= 120
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "Moves", "exercises": [
        {"ref": "bridge", "dosage": {"load": load}}]}]))
    out = tmp_path / "load.pdf"
    assert run_cli("build", spec, "-o", out, "--template", "large-print").code == 0
    pdf = ReadPdf(out)
    card = next(page for page in pdf.pages_lines if any(line.startswith("Repeat: ") for line in page))
    start = next(i for i, line in enumerate(card) if line.startswith("Repeat: "))
    band = " ".join(line.strip() for line in card[start:start + 4])
    assert f"Use: {load}" in band
    assert not any(load in line for line in card)  # it wraps: too long to keep on one line
    assert not _broken_inside(pdf, "2 kg") and not _broken_inside(pdf, "12 inches")


@pytest.mark.parametrize("language, label, first", [("en", "How often:", "3 days a week,"),
                                                    ("es", "Con qué frecuencia:", "3 días a la semana,")])
def test_a_value_longer_than_half_the_band_breaks_at_its_commas(tmp_path, language, label, first):
    """"How often: 3 days a week, 2 times a day" is too long to keep whole in large print: it
    breaks after the comma, not as "How often: 3 days" / "a week, ..." (a review finding)."""
    spec = write_spec(tmp_path, minimal_spec(language=language, sections=[{
        "title": "S", "frequency": {"days_per_week": 3, "times_per_day": 2}, "exercises": ["bridge"]}]))
    out = tmp_path / "band.pdf"
    assert run_cli("build", spec, "-o", out, "--template", "large-print").code == 0
    lines = [line.strip() for page in ReadPdf(out).pages_lines for line in page]
    at = next(i for i, line in enumerate(lines) if label in line)
    said = lines[at][lines[at].index(label):]
    assert said.startswith(f"{label} {first}"), lines[at:at + 2]


UNIT_PHRASES = ("12 inches", "15 inches", "8 inches", "1 minute", "3 seconds", "5 seconds", "30 seconds")


@pytest.mark.parametrize("example,template", [
    ("therapydia-six", "compact"), ("hip-pain-general", "large-print"), ("hip-pain-general", "standard"),
    ("mixed-short", "large-print"),
])
def test_a_number_stays_on_the_line_of_its_unit(tmp_path, example, template):
    """Steps, tips, notes and the table's doses: "about 12" at the end of one line and
    "inches" at the start of the next made the reader carry a bare number over (therapydia-six
    compact, the side-lying leg lift; "Hold 3 / seconds" in large print's table)."""
    pdf = _build(tmp_path, example, template)
    text = " ".join(" ".join(page) for page in pdf.pages_lines)
    printed = [phrase for phrase in UNIT_PHRASES if phrase in text or _broken_inside(pdf, phrase)]
    assert printed
    broken = [where for phrase in printed for where in _broken_inside(pdf, phrase)]
    assert not broken
