"""The handout, end to end: build real specs with the CLI and read the PDF back."""

from __future__ import annotations

import json

import pytest
from conftest import HANDOUTS, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf, squash

from routinepress.catalog import Catalog
from routinepress.model import build_model
from routinepress.spec import check_spec
from routinepress.templates import load_template
from routinepress.wording import Words

LETTER = (612, 792)
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[dict, ReadPdf]:
    out = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    result = run_cli("build", HANDOUTS / "mixed-short.json", "-o", out)
    assert result.code == 0, result.stderr
    assert f"wrote {out}" in result.stdout or "wrote" in result.stdout
    return json.loads((HANDOUTS / "mixed-short.json").read_text()), ReadPdf(out)


def test_every_page_has_header_and_page_x_of_y(mixed):
    spec, pdf = mixed
    assert pdf.page_count >= 3
    for number, text in enumerate(pdf.pages_text, 1):
        assert spec["title"] in text
        assert spec["patient"]["name"] in text
        assert f"Page {number} of {pdf.page_count}" in text
        assert spec["clinician"]["clinic"] in text


def test_page_one_has_stop_box_with_general_spec_and_exercise_warnings(mixed):
    spec, pdf = mixed
    first = pdf.pages_text[0]
    assert "Stop and call your clinic if:" in first
    general = [w.line.text for w in Catalog().general().warnings if not w.line.conditions]
    assert general, "the catalog must carry general warnings as data"
    # The spec sets a pain rule: the generic "pain does not settle" warning gives way to it.
    for line in general:
        assert (squash(line) in first) != ("does not settle" in line), line
    for line in spec["stop_if"]:
        assert squash(line) in first
    assert squash("2. Piriformis stretch lying down: Pain or tingling in your leg does not go away") in first


def test_stop_box_is_shaded_and_bordered(mixed):
    _, pdf = mixed
    with pdf.plumber() as doc:
        page = doc.pages[0]
        shaded = [r for r in page.rects if r.get("fill") and r["width"] > 400 and r["height"] > 100]
        assert shaded, "the stop-if box needs a shaded background"
        colour = shaded[0]["non_stroking_color"]
        grey = colour[0] if isinstance(colour, (list, tuple)) else colour
        assert 0.7 < grey < 0.97, "shading light enough to read text on, dark enough to see on paper"
        thick = [e for e in page.edges if e.get("linewidth", 0) >= 2]
        assert thick, "the stop-if box needs a heavy border"


def test_at_a_glance_lists_every_exercise_with_its_dose(mixed):
    spec, pdf = mixed
    catalog, words = Catalog(), Words("en")
    glance_page = pdf.pages_with("Your exercises at a glance")[0]
    text = pdf.pages_text[glance_page] + " " + pdf.pages_text[glance_page + 1]
    for section in spec["sections"]:
        for entry in section["exercises"]:
            ref = entry if isinstance(entry, str) else entry["ref"]
            dosage = catalog.get(ref).default_dosage | (entry.get("dosage", {}) if isinstance(entry, dict) else {})
            assert squash(catalog.get(ref).name) in text
            assert squash(words.dose_summary(dosage)) in text


def test_cards_show_steps_and_plain_dose_and_do_not_split(mixed, tmp_path):
    spec, pdf = mixed
    catalog = Catalog()
    # The steps as printed: the catalog's, with the prescribed dose written in.
    for card in build_model(check_spec(spec, tmp_path / "spec.json", catalog), catalog).cards:
        # The card's page has its numbered title and its first step (the at-a-glance table and
        # the tracker repeat only the title); a card that did not split has its last step there too.
        card_pages = set(pdf.pages_with(f"{card.number}. {card.name}")) & set(pdf.pages_with(card.steps[0]))
        assert len(card_pages) == 1, card.name
        assert card_pages <= set(pdf.pages_with(card.steps[-1])), f"{card.name} split across pages"
        for step in card.steps:
            assert squash(step) in pdf.text
            assert "{" not in step


def test_dose_reads_as_plain_words(tmp_path):
    doc = minimal_spec(sections=[{"title": "S", "frequency": {"days_per_week": 4}, "exercises": [
        {"ref": "clamshell", "dosage": {"sets": 2, "reps": {"min": 10, "max": 15}, "hold_seconds": 5, "side": "each"}},
    ]}])
    out = tmp_path / "dose.pdf"
    assert run_cli("build", write_spec(tmp_path, doc), "-o", out).code == 0
    text = ReadPdf(out).text
    for phrase in ("Hold 5 seconds", "10 to 15 times", "Each side", "4 days a week", "2 sets"):
        assert phrase in text


def test_null_in_a_dosage_removes_the_default(tmp_path):
    doc = minimal_spec(sections=[{"title": "S", "exercises": [
        {"ref": "bridge", "dosage": {"hold_seconds": None, "reps": 12}}]}], tracker={"weeks": 0})
    out = tmp_path / "nohold.pdf"
    result = run_cli("build", write_spec(tmp_path, doc), "-o", out)
    assert result.code == 0, result.stderr
    text = ReadPdf(out).text
    assert "12 times" in text
    assert "Hold" not in text.split("How to do it")[0].split("1. Bridge")[-1]


def test_notes_escape_markup_characters(tmp_path):
    note = "Ice 10-15 min after & rest if pain <3 or use <band> loop"
    doc = minimal_spec(sections=[{"title": "S", "exercises": [{"ref": "bridge", "notes": note}]}],
                       intro="A & B <i>not italic</i>")
    out = tmp_path / "escape.pdf"
    result = run_cli("build", write_spec(tmp_path, doc), "-o", out)
    assert result.code == 0, result.stderr
    text = ReadPdf(out).text
    assert note in text
    assert "A & B <i>not italic</i>" in text


def test_tracker_has_one_box_per_exercise_per_day(tmp_path):
    doc = minimal_spec(sections=[{"title": "S", "exercises": ["bridge", "clamshell", "knee-to-chest"]}],
                       tracker={"weeks": 3, "start_date": "2026-11-23"})
    out = tmp_path / "tracker.pdf"
    assert run_cli("build", write_spec(tmp_path, doc), "-o", out).code == 0
    pdf = ReadPdf(out)
    box = load_template("standard")["tracker"]["box_size_pt"]
    assert pdf.checkbox_count(box) == 3 * 3 * 7
    assert "Exercise tracker" in pdf.text
    assert "Pain (0-10)" in pdf.text
    # dated weeks and columns: Monday 23 November to Sunday 13 December
    assert "Nov 23 – 29 Mon 23" in pdf.text and "Dec 7 – 13" in pdf.text and "Sun 13" in pdf.text
    assert "Week 3" in pdf.text


def test_tracker_weeks_zero_means_no_tracker(tmp_path):
    out = tmp_path / "none.pdf"
    assert run_cli("build", write_spec(tmp_path, minimal_spec(tracker={"weeks": 0})), "-o", out).code == 0
    pdf = ReadPdf(out)
    assert "Exercise tracker" not in pdf.text
    assert pdf.checkbox_count(load_template("standard")["tracker"]["box_size_pt"]) == 0


@pytest.mark.parametrize("size,expected", [("letter", LETTER), ("a4", A4)])
def test_page_size(tmp_path, size, expected):
    out = tmp_path / f"{size}.pdf"
    assert run_cli("build", write_spec(tmp_path, minimal_spec(page_size=size)), "-o", out).code == 0
    with ReadPdf(out).plumber() as pdf:
        for page in pdf.pages:
            assert (round(page.width, 1), round(page.height, 1)) == (round(expected[0], 1), round(expected[1], 1))


def test_body_text_is_at_least_12_pt(mixed):
    _, pdf = mixed
    with pdf.plumber() as doc:
        sizes = {round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip()}
    assert min(sizes) >= 12


def test_same_input_gives_identical_bytes_and_different_inputs_different_ids(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    other = write_spec(tmp_path, minimal_spec(title="Another routine"), "other.json")
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    for src, out in ((spec, a), (spec, b), (other, c)):
        assert run_cli("build", src, "-o", out).code == 0
    assert a.read_bytes() == b.read_bytes()
    import pypdf

    assert pypdf.PdfReader(a).trailer["/ID"] != pypdf.PdfReader(c).trailer["/ID"]


def test_the_same_files_in_another_folder_give_identical_bytes(tmp_path):
    """A clinic folder copied elsewhere (or the project cloned to another path) builds the
    same PDF, /ID included: the ID follows what the files hold, not where they are."""
    import shutil

    first = tmp_path / "clinic-a"
    (first / "catalog" / "exercises").mkdir(parents=True)
    entry = json.loads((HANDOUTS.parent / "catalog" / "exercises" / "bridge.json").read_text())
    entry["id"], entry["name"] = "clinic-bridge", "Our bridge"
    (first / "catalog" / "exercises" / "clinic-bridge.json").write_text(json.dumps(entry))
    spec = write_spec(first, minimal_spec(sections=[{"title": "S", "exercises": ["clinic-bridge"]}]))
    second = tmp_path / "elsewhere" / "clinic-b"
    shutil.copytree(first, second)
    outputs = []
    for folder, spec_arg in ((first, spec.name), (second, str(second / spec.name))):
        out = tmp_path / f"{folder.name}.pdf"
        result = run_cli("build", spec_arg, "--catalog", "catalog", "-o", out, cwd=folder)
        assert result.code == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_default_output_is_spec_name_in_current_folder(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(), "knee.json")
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("build", spec, cwd=work)
    assert result.code == 0, result.stderr
    assert (work / "knee.pdf").is_file()
    assert "wrote knee.pdf (" in result.stdout and "page" in result.stdout


def test_several_specs_go_to_an_output_folder(tmp_path):
    a = write_spec(tmp_path, minimal_spec(), "a.json")
    b = write_spec(tmp_path, minimal_spec(title="B"), "b.json")
    result = run_cli("build", a, b, "-o", tmp_path / "out")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pdf", "b.pdf"]
    assert result.stdout.count("wrote ") == 2


def test_metadata(tmp_path):
    import pypdf

    out = tmp_path / "meta.pdf"
    doc = minimal_spec(language="es", clinician={"name": "Jordan Lee", "clinic": "Riverside PT"},
                       patient={"name": "Ana"})
    assert run_cli("build", write_spec(tmp_path, doc), "-o", out).code == 0
    reader = pypdf.PdfReader(out)
    assert reader.metadata.title == "Test routine"
    assert reader.metadata.author == "Jordan Lee, Riverside PT"
    assert "Ana" in reader.metadata.subject
    assert reader.metadata.creator.startswith("routinepress")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Pare y llame a su clínica si:" in ReadPdf(out).text  # labels come from the language


def test_custom_exercise_with_photo(tmp_path):
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (400, 300), (200, 200, 200)).save(tmp_path / "images" / "towel.png")
    doc = minimal_spec(sections=[{"title": "S", "exercises": [{"custom": {
        "id": "towel-squeeze", "name": "Towel squeeze", "kind": "strength", "body_regions": ["hip"],
        "steps": ["Sit tall with a rolled towel between your knees.", "Squeeze the towel for 5 seconds, then relax."],
        "illustrations": [{"src": "images/towel.png", "caption": "Squeeze"}],
        "default_dosage": {"reps": 10, "hold_seconds": 5}}}]}])
    out = tmp_path / "custom.pdf"
    result = run_cli("build", write_spec(tmp_path, doc), "-o", out)
    assert result.code == 0, result.stderr
    pdf = ReadPdf(out)
    assert "Towel squeeze" in pdf.text and "Squeeze" in pdf.text
    with pdf.plumber() as doc_:
        assert sum(len(p.images) for p in doc_.pages) == 1


@pytest.mark.parametrize("template,language,heading,continued,label", [
    ("standard", "en", "Stop and call your clinic if:", "Stop and call your clinic if (continued):",
     "With these exercises:"),
    # 17 pt: the box runs over four pages, so a continued part is itself continued; and
    # (with no clinician line) page 1 would end on the cautions' label were it not kept
    # with the first caution.
    ("large-print", "es", "Pare y llame a su clínica si:", "Pare y llame a su clínica si (continuación):",
     "Con estos ejercicios:"),
])
def test_stop_box_continues_with_its_heading_in_one_closed_box_per_page(tmp_path, template, language,
                                                                        heading, continued, label):
    spec = json.loads((HANDOUTS / "postpartum-hip.json").read_text()) | {"language": language}
    # A clinician's long list of their own warnings: more than page 1 has room for.
    spec["stop_if"] = spec.get("stop_if", []) + [f"Warning number {n} written for this patient alone."
                                                 for n in range(14)]
    if template == "large-print":
        del spec["clinician"]
    out = tmp_path / "long.pdf"
    result = run_cli("build", write_spec(tmp_path, spec), "-o", out, "--template", template,
                     "--page-size", "letter")
    assert result.code == 0, result.stderr
    pdf = ReadPdf(out)
    catalog = Catalog()
    handout = build_model(check_spec(spec, tmp_path / "spec.json", catalog), catalog)
    # Text only the box prints: the warnings, and each exercise's red flags after its name.
    cautions = [f"{flags.exercise}: {flags.lines[0]}" for flags in handout.red_flags]
    only_in_box = list(handout.stop_if) + cautions
    pages = sorted({p for line in only_in_box for p in pdf.pages_with(line)})
    assert pages[0] == 0 and len(pages) >= 2, "this routine's box must continue on page 2"
    assert pages == list(range(len(pages))), "the box runs on from page to page"
    assert pdf.pages_with(heading) == [0]
    assert pdf.pages_with(continued) == pages[1:], "each continued part, and only those, say so"
    for page in pages:
        assert pdf.pages_text[page].count(heading.rstrip(":")) == 1, f"one box, one heading on page {page + 1}"
    assert pdf.pages_with(label) == pdf.pages_with(cautions[0]), "the cautions' label stays with them"
    with pdf.plumber() as doc:
        for page in pages:
            # reportlab may paint the shading in stacked pieces; they must touch, as one box.
            # (the box's own grey: the at-a-glance table may start under it, its header shaded too)
            grey = load_template(template)["colours"]["stop_fill"]
            shaded = sorted((r for r in doc.pages[page].rects if r.get("fill") and r["width"] > 400
                             and _is_grey(r.get("non_stroking_color"), grey)), key=lambda r: r["top"])
            assert shaded, f"no shaded box on page {page + 1}"
            assert all(abs(a["bottom"] - b["top"]) < 0.5 for a, b in zip(shaded, shaded[1:])), \
                f"one shaded box on page {page + 1}"
            box = {"top": shaded[0]["top"], "bottom": shaded[-1]["bottom"]}
            rules = [e for e in doc.pages[page].edges
                     if e["orientation"] == "h" and e.get("linewidth", 0) >= 2 and e["width"] > 400]
            for side in ("top", "bottom"):
                assert any(abs(e["top"] - box[side]) < 2 for e in rules), f"page {page + 1}: box open at the {side}"


def _is_grey(colour, hex_grey: str) -> bool:
    """Whether a pdfplumber fill colour (grey level or RGB, 0-1) is the template's #RRGGBB grey."""
    level = int(hex_grey[1:3], 16) / 255
    values = colour if isinstance(colour, (list, tuple)) else [colour]
    return bool(values) and all(v is not None and abs(v - level) < 0.01 for v in values)


@pytest.mark.parametrize("template", ["standard", "large-print"])
def test_an_exercises_stop_lines_taller_than_a_page_still_build(tmp_path, template):
    """30 long reasons to stop for one exercise (the schema allows 30 of 2,000 characters):
    the row they share is taller than a page. It gets the full width and splits at its lines,
    instead of 'does not fit on one page' (and a 500 from the server)."""
    lines = [f"Stop if your hip pain gets sharp and stays for more than a day after you do this ({n})."
             for n in range(30)]
    spec = minimal_spec(sections=[{"title": "A", "exercises": [
        {"ref": "clamshell", "red_flags": lines}, "bridge"]}])
    out = tmp_path / "t.pdf"
    result = run_cli("build", write_spec(tmp_path, spec), "-o", out, "--template", template)
    assert result.code == 0, result.stderr
    pdf = ReadPdf(out)
    text = squash(" ".join(pdf.pages_text))
    assert "Clamshell: Stop if your hip pain gets sharp" in text and "after you do this (29)." in text
    assert "Bridge: " in text  # the other exercise's stop line still has its place


def test_no_warnings_at_all_print_no_empty_stop_box(tmp_path):
    spec = minimal_spec(general_warnings={"use": []},
                        sections=[{"title": "A", "exercises": [{"ref": "clamshell", "red_flags": []}]}])
    out = tmp_path / "t.pdf"
    assert run_cli("build", write_spec(tmp_path, spec), "-o", out).code == 0
    assert "Stop and call your clinic" not in " ".join(ReadPdf(out).pages_text)
