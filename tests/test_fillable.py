"""--fillable: the tracker as a form a patient fills on screen. Every field read back from the
PDF: a pain score field in each day's pain cell, and a spoken name (/TU) on every field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import HANDOUTS, minimal_spec, run_cli, write_spec
from PIL import ImageChops
from reportlab.pdfbase.pdfmetrics import stringWidth

from routinepress.templates import load_template

READ_ONLY = 1  # bit 1 of a field's /Ff


def _build(tmp_path: Path, spec: Path, template: str, *extra: str) -> Path:
    out = tmp_path / f"{spec.stem}-{template}.pdf"
    result = run_cli("build", spec, "-o", out, "--template", template, "--fillable", *extra)
    assert result.code == 0, result.stderr
    return out


def _fields(pdf: Path) -> list[tuple[int, pikepdf.Dictionary]]:
    """Every widget, with the number (from 0) of the page whose /Annots holds it; each is
    checked to name that same page as its /P."""
    found = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            for annot in page.obj.get("/Annots", []):
                assert annot.P.objgen == page.obj.objgen, f"{annot.T} is drawn on page {number + 1}, /P says another"
                found.append((number, {key: annot[key] for key in annot.keys() if key != "/P"}))
    return found


def _rect(field) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in field["/Rect"])


def _vertical_and_horizontal(page) -> tuple[list[float], list[float]]:
    """The grid's lines (0.5 pt, and 1.5 pt between two weeks), as x of the vertical ones and
    y (from the bottom, as PDF rectangles are) of the horizontal ones."""
    grid = [line for line in page.lines if round(line["linewidth"], 2) in (0.5, 1.5)]
    return ([line["x0"] for line in grid if line["x0"] == line["x1"]],
            [line["y0"] for line in grid if line["y0"] == line["y1"]])


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_the_pain_row_has_a_score_field_in_each_days_cell(tmp_path, template):
    """therapydia-six, letter: each day's pain cell, in every template (compact's two weeks
    side by side too), holds a text field for its score: over the cell's drawn line and
    inside the cell's grid lines, two characters long, in type no smaller than the template's
    small text and narrow enough for "10" to fit; a viewer shows what is typed in it there."""
    pdf = _build(tmp_path, HANDOUTS / "therapydia-six.json", template)
    small = load_template(template)["sizes"]["small"]
    fields = _fields(pdf)
    scores = [(page, field) for page, field in fields if field["/FT"] == "/Tx"]
    assert sorted(str(field["/T"]) for _, field in scores) == sorted(
        f"w{week}_pain_d{day}" for week in (1, 2) for day in range(1, 8))
    for _, field in scores:
        assert not int(field.get("/Ff", 0)) & READ_ONLY and int(field["/MaxLen"]) == 2
        font, size = re.match(r"/(\w+) (\d+(?:\.\d+)?) Tf", str(field["/DA"])).groups()
        x0, y0, x1, y1 = _rect(field)
        assert float(size) >= small and y1 - y0 >= float(size), field["/T"]
        assert stringWidth("10", "Helvetica", float(size)) + 4 <= x1 - x0, field["/T"]  # (/Helv: Helvetica)
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for number, field in scores:
            page = doc.pages[number]
            x0, y0, x1, y1 = _rect(field)
            xs, ys = _vertical_and_horizontal(page)
            lines = [line for line in page.lines if round(line["linewidth"], 2) == 1.0 and line["y0"] == line["y1"]
                     and x0 <= line["x0"] < line["x1"] <= x1 and y0 < line["y0"] < y1]
            assert len(lines) == 1, f"{field['/T']}: {len(lines)} score lines under it"
            # The cell is the grid lines round the field: none crosses it, and it fills the
            # cell to within a point and a half each side.
            left, right = max(x for x in xs if x <= x0), min(x for x in xs if x >= x1)
            below, above = max(y for y in ys if y <= y0), min(y for y in ys if y >= y1)
            assert not [x for x in xs if x0 < x < x1] and not [y for y in ys if y0 < y < y1]
            assert max(x0 - left, right - x1, y0 - below, above - y1) <= 1.5, field["/T"]

    # Typed in (as a viewer stores it), "10" shows inside each field and nowhere else.
    scale = 2
    tracker_page = scores[0][0]
    assert {page for page, _ in scores} == {tracker_page}
    empty = _render(pdf, tracker_page, scale)
    filled_pdf = tmp_path / "filled.pdf"
    with pikepdf.open(pdf) as doc:
        for field in doc.Root.AcroForm.Fields:
            if field.FT == "/Tx":
                field.V = pikepdf.String("10")
        doc.Root.AcroForm.NeedAppearances = True  # (a viewer draws a typed value afresh)
        doc.save(filled_pdf)
    filled = _render(filled_pdf, tracker_page, scale)
    changed = ImageChops.difference(empty.convert("L"), filled.convert("L")).point(lambda v: 255 if v > 60 else 0)
    height = empty.height
    for _, field in scores:
        x0, y0, x1, y1 = _rect(field)
        box = (int(x0 * scale), int(height - y1 * scale), int(x1 * scale) + 1, int(height - y0 * scale) + 1)
        assert changed.crop(box).getbbox(), f"{field['/T']}: nothing shows"
        changed.paste(0, box)
    assert changed.getbbox() is None, "the typed score shows outside its cell"


def _render(pdf: Path, page: int, scale: float):
    doc = pdfium.PdfDocument(str(pdf))
    try:
        doc.init_forms()  # a viewer's form layer: draws each field's value
        return doc[page].render(scale=scale, may_draw_forms=True).to_pil()
    finally:
        doc.close()


def test_every_field_has_a_spoken_name_in_the_handouts_words(tmp_path):
    """A screen reader speaks a field's /TU: the week and day as printed over the column and
    the row's printed name, in the handout's language; where a day has two boxes, which one
    (with the row's printed target). The field names (/T) stay as programs know them."""
    assert dict((str(f["/T"]), str(f["/TU"])) for _, f in _fields(
        _build(tmp_path, HANDOUTS / "therapydia-six.json", "standard")))["w1_ex1_d1"] == "Week 1, Mon 23: 1. Clamshell"

    spec = write_spec(tmp_path, minimal_spec(language="es", sections=[{"title": "Hoy", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 3, "times_per_day": 2}}, "clamshell"]}],
        tracker={"weeks": 2, "start_date": "2026-11-23"}))
    model = tmp_path / "model.json"
    assert run_cli("build", spec, "--format", "json", "-o", model).code == 0
    tracker = json.loads(model.read_text())["tracker"]
    week, pain = json.loads(model.read_text())["labels"]["week"], json.loads(model.read_text())["labels"]["pain_score"]
    spoken: dict[str, str] = {}
    for column, (weekday, date) in enumerate(tracker["days"]):
        w, d = column // 7 + 1, column % 7 + 1
        day = f"{week.format(n=w)}, {weekday} {date}"
        for r, row in enumerate(tracker["rows"], 1):
            if row["times_per_day"] == 1:
                spoken[f"w{w}_ex{r}_d{d}"] = f"{day}: {row['name']}"
            for n in range(1, row["times_per_day"] + 1 if row["times_per_day"] > 1 else 1):
                spoken[f"w{w}_ex{r}_d{d}_{n}"] = f"{day}: {row['name']}, {row['target']}: {n}"
        spoken[f"w{w}_pain_d{d}"] = f"{day}: {pain}"
    assert spoken["w1_ex1_d3_2"] == "Semana 1, mié 25: 1. Bridge, 3 de 7 días, 2 veces al día: 2"
    assert spoken["w2_pain_d7"] == "Semana 2, dom 6: Dolor (0-10)"
    for template in ("compact", "large-print"):
        got = {str(field["/T"]): str(field["/TU"]) for _, field in _fields(_build(tmp_path, spec, template))}
        assert got == spoken, template
