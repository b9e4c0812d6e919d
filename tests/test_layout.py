"""Pages a clinic will print: cards that pack and never split, a tracker that matches the
prescription, form boxes on their own pages. Read back from the PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from conftest import HANDOUTS, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, page_lines, squash

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SHORT_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # compact: two weeks share a table


def _build(tmp_path: Path, spec: Path, template: str, *extra: str) -> ReadPdf:
    out = tmp_path / f"{spec.stem}-{template}.pdf"
    result = run_cli("build", spec, "-o", out, "--template", template, *extra)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


def _cards(tmp_path: Path, spec: Path) -> list[dict]:
    out = tmp_path / f"{spec.stem}.model.json"
    assert run_cli("build", spec, "--format", "json", "-o", out).code == 0
    return [card for section in json.loads(out.read_text())["sections"] for card in section["cards"]]


def _card_pages(pdf: ReadPdf, card: dict) -> tuple[list[int], list[int]]:
    """Pages with the card's first step, and the first of those where each later step is found
    (some steps, "then switch sides", are printed by several cards)."""
    first = pdf.pages_with(card["steps"][0])
    if not first:
        return first, []
    later = [min((p for p in pdf.pages_with(step) if p >= first[0]), default=-1) for step in card["steps"][1:]]
    return first, sorted(set(later) | {first[0]})


@pytest.mark.parametrize("template", ["standard", "compact"])
@pytest.mark.parametrize("example", ["therapydia-six", "hip-pain-general"])
def test_cards_share_pages_and_never_split(tmp_path, example, template):
    spec = HANDOUTS / f"{example}.json"
    pdf, cards = _build(tmp_path, spec, template), _cards(tmp_path, spec)
    starts = []
    for card in cards:
        first, last = _card_pages(pdf, card)
        assert len(first) == 1 and first == last, f"{card['name']} split: steps on pages {first} and {last}"
        starts.append(first[0])
    per_page = [starts.count(p) for p in sorted(set(starts))]
    # Two typical cards on most standard card pages; compact as many, three where they fit.
    assert sum(n >= 2 for n in per_page) >= len(per_page) // 2, per_page
    if template == "compact":
        assert len(cards) / len(per_page) >= 1.8, per_page
    assert not [t for t in pdf.pages_text if "(continued)" in t], "no card here is taller than a page"


def test_large_print_gives_each_card_its_own_page_and_splits_only_what_is_taller(tmp_path):
    spec = HANDOUTS / "therapydia-six.json"
    pdf, cards = _build(tmp_path, spec, "large-print"), _cards(tmp_path, spec)
    for card in cards:
        first, last = _card_pages(pdf, card)
        assert len(first) == 1
        others = [c for c in cards if c is not card]
        assert not any(pdf.pages_with(c["steps"][0]) == first for c in others), f"{card['name']} shares a page"
        if first != last:  # only a card taller than a page continues, and says so at the top
            assert pdf.pages_text[last[0]].startswith(f"{card['number']}. {card['name']} (continued)")


@pytest.mark.parametrize("example,template,most", [
    ("therapydia-six", "standard", 5), ("therapydia-six", "compact", 4), ("therapydia-six", "large-print", 9),
    ("mixed-short", "standard", 5), ("mixed-short", "large-print", 9), ("hip-pain-general", "standard", 9),
])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_routines_fit_in_few_pages(tmp_path, example, template, most, paper):
    # The targets are 5, 3 and 9 pages for six exercises (they were 9, 7 and 18) and 9
    # for thirteen (19), on Letter or A4; these bounds are what the layout reaches now (`make
    # pages` prints them for Letter), so a change that costs paper fails here.
    assert _build(tmp_path, HANDOUTS / f"{example}.json", template, "--page-size", paper).page_count <= most


def test_the_at_a_glance_table_starts_on_page_one_when_its_first_rows_fit(tmp_path):
    """mixed-short: under the front matter there is room for the heading and a few rows, not
    the whole table. It starts there and continues under a "(continued)" heading, at least
    two exercises on each side, and the first card follows it on page 2."""
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "standard")
    cards = _cards(tmp_path, HANDOUTS / "mixed-short.json")
    first, rest = pdf.pages_text[0].split("Your exercises at a glance")[1], pdf.pages_text[1]
    names = [f"{card['number']}. {card['name']} " for card in cards]
    on_first = [name for name in names if name in first]
    assert len(on_first) >= 2 and on_first == names[:len(on_first)], on_first
    assert rest.startswith("Your exercises at a glance (continued)")
    continued = rest.split("(continued)")[1].split("1. Knee to chest A gentle")[0]
    assert [name for name in names if name in continued] == names[len(on_first):]
    assert len(names) - len(on_first) >= 2
    assert pdf.pages_with(cards[0]["steps"][0]) == [1]


def test_a_card_takes_smaller_pictures_rather_than_leave_half_a_page_empty(tmp_path):
    """hip-pain-general: under the at-a-glance table the first card misses the room by a few
    lines with the template's 38 mm pictures. It takes 30 mm ones and fits there (its steps
    start further left than the next card's, beside the narrower pictures), whole."""
    spec = HANDOUTS / "hip-pain-general.json"
    pdf, cards = _build(tmp_path, spec, "standard"), _cards(tmp_path, spec)
    assert pdf.pages_with("Your exercises at a glance") == [1]
    first, last = _card_pages(pdf, cards[0])
    assert first == last == [1], "card 1 shares the table's page, whole"
    with pdf.plumber() as doc:
        def step_left(card: dict) -> float:
            page = doc.pages[pdf.pages_with(card["steps"][0])[0]]
            words = card["steps"][0].split()[:3]
            return min(w["x0"] for w in page.extract_words() if w["text"] == words[0])
        assert step_left(cards[0]) < step_left(cards[1]) - 15  # 8 mm less picture = 23 pt


def test_long_tips_take_the_third_column_and_the_cautions_go_under_the_steps(tmp_path):
    """Compact bridge card: four long tips and one caution. With the caution under the steps
    and the tips alone in the third column, the columns end nearer level and the card is
    shorter than with both in the third column, so that arrangement is chosen."""
    pdf = _build(tmp_path, HANDOUTS / "therapydia-six.json", "compact")
    bridge = next(c for c in _cards(tmp_path, HANDOUTS / "therapydia-six.json") if c["name"] == "Bridge")
    [page] = _card_pages(pdf, bridge)[0]
    with pdf.plumber() as doc:
        words = doc.pages[page].extract_words()
        labels = next(w["top"] for w in words if w["text"] == "Tips") - 1  # (under the dose's "How often")
        below = [w for w in words if w["top"] > labels]
        left = {text: min(w["x0"] for w in below if w["text"] == text) for text in ("How", "Tips", "Take")}
        tops = {text: min(w["top"] for w in below if w["text"] == text) for text in ("How", "Tips", "Take")}
    assert abs(left["Take"] - left["How"]) < 1 and left["Tips"] > left["How"] + 100  # care under the steps
    assert abs(tops["Tips"] - tops["How"]) < 1 and tops["Take"] > tops["How"] + 50


def test_a_large_print_card_is_laid_out_tighter_rather_than_continue(tmp_path):
    """The bridge's card (six steps, four tips, a note, both next steps) is taller than a
    large-print page with 70 mm pictures; with smaller pictures and the tips beside the
    steps it fits on one page instead of spilling a few lines onto the next."""
    pdf = _build(tmp_path, HANDOUTS / "therapydia-six.json", "large-print")
    assert not [t for t in pdf.pages_text if "(continued)" in t]
    bridge = next(c for c in _cards(tmp_path, HANDOUTS / "therapydia-six.json") if c["name"] == "Bridge")
    first, last = _card_pages(pdf, bridge)
    assert first == last and pdf.pages_with("When this gets easy: Single-leg bridge") == first


def test_thirteen_exercises_keep_two_weeks_on_one_tracker_page(tmp_path):
    """Names on one line (the day columns print only the day of the month, the week its dates)
    and rows no taller than a box needs: both 13-row weeks share the tracker page."""
    pdf = _build(tmp_path, HANDOUTS / "hip-pain-general.json", "standard")
    assert pdf.pages_with("Week 1 Nov 23 – 29") == pdf.pages_with("Week 2 Nov 30 – Dec 6") == [pdf.page_count - 1]


def _tracker_spec(**tracker) -> dict:
    return minimal_spec(sections=[{"title": "Today", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 7, "times_per_day": 2}},
        {"ref": "clamshell", "frequency": {"days_per_week": 3}},
    ]}], tracker={"weeks": 2, "start_date": "2026-11-23", **tracker})


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_tracker_gives_a_box_per_session_and_shows_the_target(tmp_path, template):
    out = tmp_path / "t.pdf"
    assert run_cli("build", write_spec(tmp_path, _tracker_spec()), "-o", out, "--template", template).code == 0
    pdf = ReadPdf(out)
    from routinepress.templates import load_template

    box = load_template(template)["tracker"]["box_size_pt"]
    days = 7  # in one table's row (compact's two weeks a table do not fit two boxes a day: see below)
    # Twice a day: two boxes a day; three days a week: one box a day, the target on the row.
    assert pdf.checkbox_count(box) == 2 * (2 * 7 + 7)
    tracker_pages = pdf.pages_with("Week 1")
    assert "3 of 7 days" in " ".join(pdf.pages_text[p] for p in tracker_pages)
    with pdf.plumber() as doc:
        for page in doc.pages:
            boxes = sorted((r for r in page.rects if abs(r["width"] - box) < 0.6 and abs(r["height"] - box) < 0.6),
                           key=lambda r: (round(r["top"]), r["x0"]))
            rows: dict[int, list] = {}
            for r in boxes:
                rows.setdefault(round(r["top"]), []).append(r)
            # Every row of a week holds its 7 days: two boxes a day for the twice-a-day
            # exercise, one for the other.
            counts = sorted({len(r) for r in rows.values()})
            assert counts in ([], [days, 2 * days]), sorted(len(r) for r in rows.values())


@pytest.mark.parametrize("template", ["standard", "compact"])
def test_an_exercise_done_when_needed_has_no_days_to_meet(tmp_path, template):
    """An alternative ("only if bridges hurt") is on no schedule: its card and its tracker row
    say "when needed", not the section's 4 of 7 days, and it keeps a box a day to tick."""
    spec = minimal_spec(sections=[{"title": "Strength", "frequency": {"days_per_week": 4}, "exercises": [
        "bridge", {"ref": "posterior-pelvic-tilt", "frequency": {"as_needed": True}},
    ]}], tracker={"weeks": 1, "start_date": "2026-11-23"})
    pdf = _build(tmp_path, write_spec(tmp_path, spec), template)
    text = squash(" ".join(pdf.pages_text))
    assert "How often: 4 days a week" in text and "How often: When needed" in text
    tracker = squash(pdf.pages_text[pdf.pages_with("Week 1")[0]])
    assert "1. Bridge 4 of 7 days" in tracker and "2. Pelvic tilt when needed" in tracker
    assert "Pelvic tilt 4 of 7" not in tracker
    from routinepress.templates import load_template

    assert pdf.checkbox_count(load_template(template)["tracker"]["box_size_pt"]) == 2 * 7


def test_an_entry_refines_its_sections_frequency_field_by_field(tmp_path):
    """A section done twice a day, an exercise in it on 3 days: 3 days a week, still twice a day
    (the entry used to replace the section's whole frequency, dropping the second session)."""
    spec = minimal_spec(sections=[{"title": "Strength", "frequency": {"days_per_week": 7, "times_per_day": 2},
                                   "exercises": [{"ref": "clamshell", "frequency": {"days_per_week": 3}}]}],
                        tracker={"weeks": 1, "start_date": "2026-11-23"})
    pdf = _build(tmp_path, write_spec(tmp_path, spec), "standard")
    assert "How often: 3 days a week, 2 times a day" in squash(" ".join(pdf.pages_text))
    assert "1. Clamshell 3 of 7 days, 2 times a day" in squash(pdf.pages_text[pdf.pages_with("Week 1")[0]])
    assert pdf.checkbox_count(14) == 2 * 7


def test_as_needed_false_is_the_same_as_leaving_it_out_and_true_drops_the_sections_times(tmp_path):
    from routinepress.model import prescribed_frequency

    catalog_default = {"days_per_week": 3}
    assert prescribed_frequency({"frequency": {"as_needed": False}}, {}, catalog_default) == catalog_default
    assert prescribed_frequency({}, {"as_needed": False}, catalog_default) == catalog_default
    # an entry put back on a schedule: the section's "when needed" goes, its times stay
    section = {"as_needed": True, "times_per_day": 2}
    assert prescribed_frequency({"frequency": {"as_needed": False}}, section, catalog_default) == {"times_per_day": 2}
    assert prescribed_frequency({"frequency": {"days_per_week": 4}}, section, {}) == {"days_per_week": 4,
                                                                                     "times_per_day": 2}
    # "when needed" is no schedule: not the section's days, nor its times
    assert prescribed_frequency({"frequency": {"as_needed": True}}, {"days_per_week": 7, "times_per_day": 2},
                                catalog_default) == {"as_needed": True}


def test_when_needed_and_a_number_of_days_contradict(tmp_path):
    spec = minimal_spec(sections=[{"title": "Strength", "exercises": [
        {"ref": "posterior-pelvic-tilt", "frequency": {"as_needed": True, "days_per_week": 3}}]}])
    out = tmp_path / "t.pdf"
    result = run_cli("build", write_spec(tmp_path, spec), "-o", out)
    assert result.code == 1 and not out.exists() and "Traceback" not in result.stderr
    assert "$.sections[0].exercises[0].frequency.days_per_week: as_needed: true sets no schedule" in result.stderr
    assert "hint: remove days_per_week" in result.stderr


@pytest.mark.parametrize("example,template", [
    ("mixed-short", "standard"), ("mixed-short", "compact"), ("mixed-short", "large-print"),
    ("therapydia-six", "large-print"), ("hip-pain-general", "standard"), ("hip-pain-general", "compact"),
    # (13 exercises in 16 pt make a week taller than a page: it splits between rows, header repeated)
])
def test_a_week_stays_whole_on_one_page(tmp_path, example, template):
    pdf = _build(tmp_path, HANDOUTS / f"{example}.json", template)
    weeks = json.loads((HANDOUTS / f"{example}.json").read_text())["tracker"]["weeks"]
    days = SHORT_WEEKDAYS if template == "compact" else WEEKDAYS
    for week in range(1, weeks + 1):
        pages = pdf.pages_with(f"Week {week} ")
        assert len(pages) == 1, f"week {week} on pages {pages}"
        table = pdf.pages_text[pages[0]].split(f"Week {week} ")[1]
        assert all(f"{day} " in table for day in days)


def test_weeks_share_a_page_and_the_tracker_follows_the_cards(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "compact")
    assert pdf.pages_with("Week 1 ") == pdf.pages_with("Week 2 ")
    assert pdf.pages_with("Exercise tracker")[0] == pdf.page_count - 1


def test_every_form_box_belongs_to_the_page_it_is_drawn_on(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "hip-pain-general.json", "large-print", "--fillable")
    with pikepdf.open(pdf.path) as doc:
        owners = [(annot.get("/P").objgen, page.obj.objgen)
                  for page in doc.pages for annot in page.obj.get("/Annots", [])]
    assert owners and all(owner == page for owner, page in owners)
    # 13 exercises, 2 weeks, once a day: one field per box, and one per day for the pain
    # score; the tracker spans several pages.
    assert len(owners) == 13 * 14 + 14 and len({page for _, page in owners}) >= 2
    again = _build(tmp_path / "again", HANDOUTS / "hip-pain-general.json", "large-print", "--fillable")
    assert again.path.read_bytes() == pdf.path.read_bytes()


def test_page_x_of_y_on_every_page(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "hip-pain-general.json", "standard")
    total = pdf.page_count
    for n, text in enumerate(pdf.pages_text, 1):
        assert f"Page {n} of {total}" in text


def test_a_spec_may_leave_the_at_a_glance_table_out(tmp_path):
    doc = json.loads((HANDOUTS / "therapydia-six.json").read_text())
    with_table, without = tmp_path / "with.pdf", tmp_path / "without.pdf"
    assert run_cli("build", write_spec(tmp_path, doc, "a.json"), "-o", with_table).code == 0
    assert run_cli("build", write_spec(tmp_path, doc | {"show_at_a_glance": False}, "b.json"), "-o", without).code == 0
    assert "Your exercises at a glance" in ReadPdf(with_table).text
    assert "Your exercises at a glance" not in ReadPdf(without).text
    assert squash("How to do your exercises") in ReadPdf(without).text  # the advice stays


def test_three_sessions_a_day_keep_the_week_in_one_table(tmp_path):
    spec = minimal_spec(sections=[{"title": "Today", "exercises": [
        {"ref": "bridge", "frequency": {"days_per_week": 7, "times_per_day": 3}}, "clamshell"]}],
        tracker={"weeks": 3, "start_date": "2026-11-23"})
    out = tmp_path / "three.pdf"
    assert run_cli("build", write_spec(tmp_path, spec), "-o", out).code == 0
    pdf = ReadPdf(out)
    assert pdf.checkbox_count(14) == 3 * (3 * 7 + 7)
    for week in (1, 2, 3):
        pages = pdf.pages_with(f"Week {week} ")
        assert len(pages) == 1 and pdf.pages_text[pages[0]].count(f"Week {week} ") == 1  # one table a week
        table = pdf.pages_text[pages[0]].split(f"Week {week} ")[1]
        assert all(f"{day} " in table for day in WEEKDAYS)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_large_print_card_may_start_under_the_end_of_the_table(tmp_path, paper):
    """hip-stretches-gentle: the at-a-glance table ends with two rows at the top of page 3. The
    first card fits under them with its pictures at 0.8 of large print's 70 mm, rather than
    leave the page three quarters empty; every other card still has a page of its own.
    Never smaller than that (they were 35 mm here, smaller than the standard template's):
    the steps beside the pictures start at least 56 mm in from the margin."""
    spec = HANDOUTS / "hip-stretches-gentle.json"
    pdf, cards = _build(tmp_path, spec, "large-print", "--page-size", paper), _cards(tmp_path, spec)
    table_end = pdf.pages_with("Your exercises at a glance (continued)")
    assert table_end == [2]
    first, last = _card_pages(pdf, cards[0])
    assert first == last == table_end
    starts = [_card_pages(pdf, card)[0][0] for card in cards]
    assert len(set(starts)) == len(starts), "no two cards share a page"
    from reportlab.lib.units import mm

    from routinepress.templates import load_template

    template = load_template("large-print")
    margin, width = template["page"]["margins_mm"]["left"] * mm, template["card"]["illustration_width_mm"] * mm
    with pdf.plumber() as doc:
        words = doc.pages[2].extract_words()
        heading = next(i for i, w in enumerate(words) if w["text"] == "How" and words[i + 3]["text"] == "it")
        steps_left = words[heading]["x0"] - margin
    assert 0.8 * width <= steps_left < width  # pictures beside the steps, at 0.8 of their size


def test_every_form_box_sits_on_a_drawn_box(tmp_path):
    """With --fillable each tick field lies exactly on the square printed under it (a viewer
    without forms shows the square; one with forms ticks inside it)."""
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "standard", "--fillable")
    from routinepress.templates import load_template

    size = load_template("standard")["tracker"]["box_size_pt"]
    with pdf.plumber() as doc:
        for page in doc.pages:
            drawn = {(round(r["x0"], 1), round(r["top"], 1)) for r in page.rects if abs(r["width"] - size) < 0.6}
            fields = {(round(a["x0"], 1), round(a["top"], 1)) for a in page.annots
                      if str(a["data"]["FT"]) == "/'Btn'"}  # (the pain scores' text fields: test_fillable)
            assert fields == drawn, f"page {page.page_number}"
            others = [str(a["data"]["FT"]) for a in page.annots if str(a["data"]["FT"]) != "/'Btn'"]
            assert set(others) <= {"/'Tx'"} and len(others) % 7 == 0  # a pain score a day


@pytest.mark.parametrize("example,template,notes_first", [
    ("postpartum-hip", "large-print", False), ("therapydia-six", "large-print", True),
    ("hip-pain-general", "standard", True), ("mixed-short", "compact", True),
])
def test_the_notes_never_stand_alone_on_a_page(tmp_path, example, template, notes_first):
    """The closing notes come before the tracker, as the templates order them, unless they
    would be alone at the top of a page with the first week too tall to follow them: then
    they close the handout, under the last week. Either way they share their page."""
    doc = json.loads((HANDOUTS / f"{example}.json").read_text())
    pdf = _build(tmp_path, HANDOUTS / f"{example}.json", template)
    notes = squash(doc["notes"].split("\n\n")[0])[:40]
    [page] = pdf.pages_with(notes)
    assert (pdf.text.find(notes) < pdf.text.find("Exercise tracker")) == notes_first
    text = pdf.pages_text[page]
    assert "Week " in text or "Repeat:" in text, f"the notes stand alone on page {page + 1}"
    if not notes_first:  # they close the handout, under the last week
        assert page == pdf.page_count - 1 and text.find(f"Week {doc['tracker']['weeks']} ") < text.find(notes)


def test_compact_puts_two_weeks_side_by_side_in_one_table(tmp_path):
    """Compact's tracker.weeks_per_table: 2. Both weeks' dates head one table whose 14 day
    columns take the short weekday names, with a heavier line where the second week starts;
    every box keeps the form-field name it has in a table a week (w2_ex1_d1 ...). Page 7 of
    hip-pain-general holds the last card, the notes and the whole tracker (8 pages before)."""
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "Today", "exercises": [
        "bridge", {"ref": "clamshell", "frequency": {"days_per_week": 3}}]}],
        tracker={"weeks": 2, "start_date": "2026-11-23"}))
    for template in ("compact", "standard"):
        assert run_cli("build", spec, "-o", tmp_path / f"{template}.pdf", "--template", template,
                       "--fillable").code == 0
    compact = ReadPdf(tmp_path / "compact.pdf")
    text = compact.pages_text[compact.pages_with("Exercise tracker")[0]]
    header = text.split("Week 1 Nov 23 – 29 Week 2 Nov 30 – Dec 6 ")[1]
    columns = [f"{day} {date}" for day, date in zip(SHORT_WEEKDAYS * 2, [*range(23, 31), *range(1, 7)])]
    assert header.startswith(" ".join(columns)), header[:120]
    box = 12
    with compact.plumber() as doc:
        page = doc.pages[compact.pages_with("Exercise tracker")[0]]
        rows: dict[int, list] = {}
        for r in page.rects:
            if abs(r["width"] - box) < 0.6 and abs(r["height"] - box) < 0.6:
                rows.setdefault(round(r["top"]), []).append(r)
        assert sorted(len(r) for r in rows.values()) == [14, 14]  # one row an exercise, both weeks
        heavy = [line for line in page.lines if abs(line["linewidth"] - 1.5) < 0.01 and line["x0"] == line["x1"]]
        first_of_week2 = sorted(next(iter(rows.values())), key=lambda r: r["x0"])[7]["x0"]
        assert len(heavy) == 1 and heavy[0]["x0"] < first_of_week2
    def fields(name: str) -> list[str]:
        with pikepdf.open(tmp_path / name) as doc:
            return sorted(str(field.T) for field in doc.Root.AcroForm.Fields)
    named = sorted(f"w{week}_{row}_d{day}" for week in (1, 2) for row in ("ex1", "ex2", "pain") for day in range(1, 8))
    assert fields("compact.pdf") == fields("standard.pdf") == named
    assert ReadPdf(_build(tmp_path / "hgp", HANDOUTS / "hip-pain-general.json", "compact").path).page_count == 7


def test_weeks_keep_a_table_each_where_two_would_not_fit(tmp_path):
    """Two weeks a table (compact) where 14 day columns would leave the names too little room:
    two boxes a day, or boxes too large; and a tracker without dates, whose "Day 1" headings
    have no short form. Each gets a table a week, as the standard template does."""
    (tmp_path / "big-boxes.json").write_text(json.dumps(
        {"extends": "compact", "description": "x", "tracker": {"box_size_pt": 22}}))
    spec = write_spec(tmp_path, _tracker_spec())
    undated = write_spec(tmp_path, _tracker_spec(start_date=None) | {"tracker": {"weeks": 2}}, "undated.json")
    once_a_day = write_spec(tmp_path, minimal_spec(sections=[{"title": "Today", "exercises": ["bridge"]}],
                                                   tracker={"weeks": 2, "start_date": "2026-11-23"}), "once.json")
    for source, template, out in ((spec, "compact", "twice.pdf"),
                                  (once_a_day, str(tmp_path / "big-boxes.json"), "big.pdf"),
                                  (undated, "compact", "undated.pdf")):
        assert run_cli("build", source, "-o", tmp_path / out, "--template", template).code == 0
        pdf = ReadPdf(tmp_path / out)
        assert len(pdf.pages_with("Week 1")) == 1 and "Week 2" in pdf.text
        assert squash("Week 1 Nov 23 – 29 Week 2") not in pdf.text and "Mo 23" not in pdf.text


@pytest.mark.parametrize("example,template,paper", [
    ("postpartum-hip", "large-print", "letter"), ("hip-stretches-gentle", "standard", "a4"),
])
def test_a_section_row_of_the_table_never_ends_a_page(tmp_path, example, template, paper):
    """The at-a-glance table's section rows ("Strength: sides of the hip") each stay on the
    page of their first exercise: in these two the table's page ended with one, its
    exercises on the next page. Wherever a section's name is printed as a line of its own
    (table row, cards' heading), the next line is its first exercise."""
    spec = HANDOUTS / f"{example}.json"
    pdf = _build(tmp_path, spec, template, "--page-size", paper)
    out = tmp_path / f"{spec.stem}.model.json"
    assert run_cli("build", spec, "--format", "json", "-o", out).code == 0
    sections = {s["title"]: s["cards"][0] for s in json.loads(out.read_text())["sections"]}
    seen = 0
    with pdf.plumber() as doc:
        for number, page in enumerate(doc.pages, 1):
            lines = page_lines(page)
            for at, line in enumerate(lines):
                if line in sections:
                    first = sections[line]
                    seen += 1
                    after = lines[at + 1] if at + 1 < len(lines) else ""
                    assert after.startswith(f"{first['number']}. "), f"page {number}: {line!r} then {after!r}"
    assert seen >= 2 * len(sections)  # each in the table and over its cards


def test_a_sections_first_card_keeps_full_size_pictures_where_they_fit_under_its_heading(tmp_path):
    """Large print, Letter: the piriformis stretch under its section's heading is 606 pt tall
    with its pictures at full size, side by side above the steps; the page holds 611 under the
    heading (a page's top drops the space above a heading). Counting that space too left 602,
    and the pictures shrank to 0.8 beside the steps."""
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "Stretches", "exercises": [
        "supine-piriformis-stretch"]}]))
    pdf = _build(tmp_path, spec, "large-print", "--page-size", "letter")
    [page] = pdf.pages_with("Lie face up with your knees bent")  # the card's first step and last
    assert "(continued)" not in pdf.text and pdf.pages_with("Do all your repeats on one side") == [page]
    with pdf.plumber() as doc:
        words = doc.pages[page].extract_words()
    start, stretch = (next(w for w in words if w["text"] == caption) for caption in ("Start", "Stretch"))
    how = next(w for w, after in zip(words, words[1:]) if (w["text"], after["text"]) == ("How", "to"))  # to do it
    assert abs(start["top"] - stretch["top"]) < 1 and how["top"] > start["bottom"]  # side by side, above the steps
    middle = lambda w: (w["x0"] + w["x1"]) / 2  # noqa: E731
    assert middle(stretch) - middle(start) >= 70 * 72 / 25.4  # a full 70 mm picture each


def test_a_section_name_does_not_count_as_a_row_of_the_glance_table(tmp_path):
    """hip-pain-general on A4: page 1 had room for the table's heading, "Stretches" and one
    exercise. A section's name is no row to follow: two exercises or none start there."""
    spec = json.loads((HANDOUTS / "hip-pain-general.json").read_text()) | {"page_size": "a4"}
    path = write_spec(tmp_path, spec, "a4.json")
    pdf = _build(tmp_path, path, "standard")
    cards = _cards(tmp_path, path)
    page = pdf.pages_with("Your exercises at a glance")[0]
    text = pdf.pages_text[page].split("Your exercises at a glance")[1]
    listed = [card for card in cards if f"{card['number']}. {card['name']} " in text]
    assert len(listed) >= 2 or not listed, [card["name"] for card in listed]
