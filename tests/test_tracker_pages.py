"""The tracker as printed: what its intro asks for, how its weeks share and split pages, and
how a day's boxes sit in their cell. Read back from the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, page_lines, squash


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


def _weeks_pages(pdf: ReadPdf, weeks: int, word: str = "Week") -> list[int]:
    """The page each week's table is on; a week found on two pages fails (weeks stay whole)."""
    pages = []
    for week in range(1, weeks + 1):
        found = pdf.pages_with(f"{word} {week} ")
        assert len(found) == 1, f"{word} {week} on pages {found}"
        pages.append(found[0])
    return pages


LONG_NAMES = ["Bridge with a squeeze of the buttocks and a slow lowering back down to the floor",
              "Clamshell lying on your side with a loop band around the thighs just above the knees",
              "Towel squeeze sitting in a firm chair with a rolled bath towel between the knees"]


@pytest.mark.parametrize("case", ["spanish-three-a-day", "long-names"])
def test_large_print_weeks_share_a_page_where_two_fit(tmp_path, case):
    """Two large-print weeks of four rows share a Letter page: three boxes a day (two lines of
    boxes) in Spanish, and names that wrap to three lines. Each week was a few points taller
    than half the page (the cells' 1.3 line spacing), so every week took a page of its own."""
    if case == "spanish-three-a-day":
        doc = minimal_spec(language="es", sections=[{"title": "Fuerza", "frequency": {
            "days_per_week": 7, "times_per_day": 3}, "exercises": [
            "bridge", "clamshell", {"ref": "supine-hamstring-stretch", "dosage": {"reps": 2, "side": "each"}},
            "banded-side-step"]}], tracker={"weeks": 2, "start_date": "2027-02-26"})
        pdf = _build(tmp_path, doc, "--template", "large-print", "--page-size", "letter")
        pages = _weeks_pages(pdf, 2, "Semana")
        assert pages[0] == pages[1] == pdf.page_count - 1
    else:
        refs = ["bridge", "clamshell", "butterfly-stretch"]
        doc = minimal_spec(sections=[{"title": "Strength", "frequency": {"days_per_week": 5}, "exercises": [
            *({"ref": ref, "name": name} for ref, name in zip(refs, LONG_NAMES)),
            {"ref": "standing-hip-abduction", "frequency": {"as_needed": True}}]}],
            tracker={"weeks": 3, "start_date": "2027-01-29"})
        pdf = _build(tmp_path, doc, "--template", "large-print", "--page-size", "letter")
        pages = _weeks_pages(pdf, 3)
        assert pages[1] == pages[2] == pdf.page_count - 1 and pages[0] == pages[1] - 1


BIG_SECTIONS = [  # 25 exercises, 1, 2 and 3 boxes a day: a week is taller than a Letter page
    {"title": "Warm-up", "frequency": {"days_per_week": 7, "times_per_day": 2}, "exercises": [
        "adductor-rock-back", "banded-backward-walk", "banded-side-step", "bridge", "bulgarian-split-squat",
        "butterfly-stretch"]},
    {"title": "Strength A", "frequency": {"days_per_week": 3}, "exercises": [
        "clamshell", "copenhagen-side-plank-modified", "double-knee-to-chest", "good-morning", "hip-hike",
        "hip-rotation-mobility", "knee-to-chest", "kneeling-hip-flexor-stretch",
        {"ref": "single-leg-bridge", "frequency": {"as_needed": True}}]},
    {"title": "Cool-down", "exercises": ["supine-piriformis-stretch"]},
    {"title": "Strength B", "frequency": {"days_per_week": 3, "times_per_day": 3}, "exercises": [
        "lateral-lunge-adductor-slide", "lateral-step-up", "lower-trunk-rotation", "posterior-pelvic-tilt",
        "prone-hip-extension-bent-knee", "prone-straight-leg-raise", "resisted-hip-flexion", "reverse-clamshell",
        "side-lying-hip-abduction"]},
]


def _week_parts(pdf: ReadPdf) -> list[tuple[int, int, list[int]]]:
    """Each part of a week's table as printed: (page, week, its exercise rows' numbers). A week
    split over pages repeats its header row, so each part starts with "Week N"."""
    parts = []
    with pdf.plumber() as doc:
        for number, page in enumerate(doc.pages, 1):
            week = None
            for line in page_lines(page):
                if found := re.match(r"Week (\d+)\b", line):
                    week = int(found[1])
                    parts.append((number, week, []))
                elif week and (row := re.match(r"(\d+)\. ", line)):
                    parts[-1][2].append(int(row[1]))
    return parts


@pytest.mark.parametrize("template,paper,strength_b", [("standard", "letter", 9), ("large-print", "a4", 7)])
def test_a_week_taller_than_a_page_leaves_three_rows_or_more_on_each(tmp_path, template, paper, strength_b):
    """25 or 23 rows a week, three weeks: the first part of a week starts under what comes
    before, the next fills a page, and the last was one row alone at the top of a page
    (standard Letter week 3 at 21 rows, large print A4 week 1). Every part now has three or
    more rows, in order, none lost, its header row repeated. (Standard Letter's 21 rows now
    fit a page, their three boxes a day two over one.)"""
    sections = [*BIG_SECTIONS[:3], BIG_SECTIONS[3] | {"exercises": BIG_SECTIONS[3]["exercises"][:strength_b]}]
    doc = minimal_spec(sections=sections, tracker={"weeks": 3, "start_date": "2026-12-28", "pain_score": False})
    pdf = _build(tmp_path, doc, "--template", template, "--page-size", paper)
    parts = _week_parts(pdf)
    rows = 16 + strength_b
    for week in (1, 2, 3):
        mine = [numbers for _, w, numbers in parts if w == week]
        assert len(mine) >= 2, f"week {week} is taller than a page: {parts}"
        assert [n for numbers in mine for n in numbers] == list(range(1, rows + 1)), mine
        assert min(len(numbers) for numbers in mine) >= 3, [(page, len(n)) for page, w, n in parts if w == week]


def _day_cells(page, box: float, gap: float = 3.4) -> dict[tuple[float, float], list[dict]]:
    """The tracker boxes on a page, by the cell (its left and top grid lines) each sits in,
    each at least `gap` from its cell's lines."""
    verticals = sorted({line["x0"] for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01})
    rules = sorted({line["top"] for line in page.lines if line["x1"] - line["x0"] > 100})  # not a pain line
    cells: dict[tuple[float, float], list[dict]] = {}
    for r in page.rects:
        if abs(r["width"] - box) < 0.6 and abs(r["height"] - box) < 0.6:
            left, right = max(x for x in verticals if x <= r["x0"]), min(x for x in verticals if x >= r["x1"])
            top, bottom = max(y for y in rules if y <= r["top"]), min(y for y in rules if y >= r["bottom"])
            # a visible gap to the cell's lines on all four sides
            assert min(r["x0"] - left, right - r["x1"], r["top"] - top, bottom - r["bottom"]) >= gap, r
            cells.setdefault((left, top), []).append(r)
    return cells


@pytest.mark.parametrize("template,paper,times,lines", [
    ("standard", "a4", 3, [3]), ("large-print", "letter", 3, [2, 1]),
    ("standard", "letter", 10, [2] * 5), ("large-print", "a4", 10, [2] * 5),
    ("large-print", "letter", 1, [1]),  # one box a day: 20 pt boxes in 25 pt rows touched the rows' lines
])
def test_a_days_boxes_keep_apart_in_a_tidy_grid(tmp_path, template, paper, times, lines):
    """Several boxes a day: a gap of 3.5 pt or more between two boxes and from a box to its
    cell's lines (ten a day used to touch the row lines and read as one grid across the
    week); all in a line where the week fits (three a day on A4 too), else two columns with
    a short last line centred; the whole week in one table; each form field on its box."""
    from routinepress.templates import load_template

    box = load_template(template)["tracker"]["box_size_pt"]
    doc = minimal_spec(sections=[{"title": "Today", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 7, "times_per_day": times}}]}],
        tracker={"weeks": 1, "start_date": "2026-11-23"})
    pdf = _build(tmp_path, doc, "--template", template, "--page-size", paper, "--fillable")
    [page_index] = pdf.pages_with("Week 1")
    assert pdf.pages_text[page_index].count("Week 1") == 1  # one table: no day groups
    with pdf.plumber() as plumbed:
        page = plumbed.pages[page_index]
        cells = _day_cells(page, box)
        assert len(cells) == 7 and all(len(b) == times for b in cells.values())
        for boxes in cells.values():
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    apart = max(b["x0"] - a["x1"], a["x0"] - b["x1"], b["top"] - a["bottom"], a["top"] - b["bottom"])
                    assert apart >= 3.4, (a, b)
            rows: dict[int, list[dict]] = {}
            for r in boxes:
                rows.setdefault(round(r["top"]), []).append(r)
            shape = [sorted(rows[top], key=lambda r: r["x0"]) for top in sorted(rows)]
            assert [len(line) for line in shape] == lines
            middle = [sum(r["x0"] + r["x1"] for r in line) / (2 * len(line)) for line in shape]
            assert max(middle) - min(middle) < 0.1  # every line centred in the cell: 2 over 1 is tidy
        fields = {(round(a["x0"], 1), round(a["top"], 1)) for a in page.annots if str(a["data"]["FT"]) == "/'Btn'"}
        drawn = {(round(r["x0"], 1), round(r["top"], 1)) for boxes in cells.values() for r in boxes}
        assert fields == drawn


@pytest.mark.parametrize("template", ["standard", "compact"])
def test_fewer_boxes_than_another_rows_sit_centred_in_their_cell(tmp_path, template):
    """Once a day beside twice a day: the one box sits in the middle of its day, not against
    the next day's line, where it read as the next day's."""
    from routinepress.templates import load_template

    box = load_template(template)["tracker"]["box_size_pt"]
    doc = minimal_spec(sections=[{"title": "Today", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 7, "times_per_day": 2}},
        {"ref": "clamshell", "frequency": {"days_per_week": 7}}]}], tracker={"weeks": 1, "start_date": "2026-11-23"})
    pdf = _build(tmp_path, doc, "--template", template)
    [page_index] = pdf.pages_with("Week 1")
    with pdf.plumber() as plumbed:
        page = plumbed.pages[page_index]
        verticals = sorted({line["x0"] for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01})
        cells = _day_cells(page, box, gap=2)  # (standard's rows pad a line of boxes by 2 pt)
        single = [boxes[0] for boxes in cells.values() if len(boxes) == 1]
        assert len(single) == 7 and sum(len(b) == 2 for b in cells.values()) == 7
        for r in single:
            left, right = max(x for x in verticals if x <= r["x0"]), min(x for x in verticals if x >= r["x1"])
            assert abs((r["x0"] + r["x1"]) / 2 - (left + right) / 2) < 0.1, (r, left, right)


def _ten_with_three_a_day(weeks: int) -> dict:
    """Review E's clinic program: ten exercises, one of them up to three times a day."""
    return minimal_spec(page_size="letter", show_at_a_glance=False, sections=[
        {"title": "Daily", "frequency": {"days_per_week": 7}, "exercises": [
            "knee-to-chest", "lower-trunk-rotation", "supine-piriformis-stretch", "butterfly-stretch"]},
        {"title": "Strength", "frequency": {"days_per_week": 3}, "exercises": [
            "bridge", "clamshell", "prone-straight-leg-raise", "standing-hip-abduction", "banded-backward-walk"]},
        {"title": "When your back is stiff", "frequency": {"as_needed": True, "times_per_day": 3},
         "exercises": ["double-knee-to-chest"]}],
        tracker={"weeks": weeks, "start_date": "2026-12-07"})


def test_a_days_boxes_stack_where_that_puts_more_weeks_on_a_page(tmp_path):
    """Three boxes a day side by side made the days so wide that four names wrapped, and each
    week came just over half a page: six weeks took six half-empty pages. Two over one gives
    the names room, and two weeks share each page. A single week keeps its boxes in a line."""
    from routinepress.templates import load_template

    box = load_template("standard")["tracker"]["box_size_pt"]
    six = _build(tmp_path, _ten_with_three_a_day(6), name="six")
    pages = _weeks_pages(six, 6)
    assert len(set(pages)) <= 4, pages  # was 6: a page each
    one = _build(tmp_path, _ten_with_three_a_day(1), name="one")
    for pdf, shape in ((six, [2, 1]), (one, [3])):
        with pdf.plumber() as plumbed:
            page = plumbed.pages[pdf.pages_with("Week 1 ")[0]]
            cells = [boxes for boxes in _day_cells(page, box, gap=2).values() if len(boxes) == 3]
            assert len(cells) in (7, 14)  # a week's days (two weeks on the page: both)
            assert [len(line) for line in _lines_of(cells[0])] == shape


def _lines_of(boxes: list[dict]) -> list[list[dict]]:
    rows: dict[int, list[dict]] = {}
    for r in boxes:
        rows.setdefault(round(r["top"]), []).append(r)
    return [rows[top] for top in sorted(rows)]
