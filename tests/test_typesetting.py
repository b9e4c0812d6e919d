"""Lines that break where a reader expects: a shortened running title ends on a whole word, a
separator ends its line, a dose value and a number with its unit stay on one line. Read back
from the PDFs' words and their positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HANDOUTS, run_cli
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
