"""Templates and print quality: sizes per template, fonts, paper, margins, QR, fillable boxes."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from conftest import HANDOUTS, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf

from routinepress.catalog import Catalog
from routinepress.errors import InputError
from routinepress.templates import builtin_names, load_template, merge

MIN_BODY = {"standard": 12, "compact": 11, "large-print": 16}
PAGE = {"letter": (612, 792), "a4": (595.28, 841.89)}
MM = 72 / 25.4


def _build(tmp_path: Path, spec: Path, template: str, size: str, *extra: str) -> ReadPdf:
    out = tmp_path / f"{spec.stem}-{template}-{size}.pdf"
    result = run_cli("build", spec, "-o", out, "--template", template, "--page-size", size, *extra)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


def test_builtins_are_listed_and_complete():
    assert set(builtin_names()) == {"standard", "compact", "large-print"}
    result = run_cli("template", "list")
    assert result.code == 0 and all(name in result.stdout for name in MIN_BODY)
    shown = json.loads(run_cli("template", "show", "large-print").stdout)
    assert shown["sizes"]["body"] >= 16
    assert shown["page"] == load_template("standard")["page"]  # inherited from standard


def test_child_wins_field_by_field():
    merged = merge({"a": {"x": 1, "y": 2}, "l": [1, 2]}, {"a": {"y": 3}, "l": [9]})
    assert merged == {"a": {"x": 1, "y": 3}, "l": [9]}


def test_clinic_template_extends_builtin(tmp_path):
    (tmp_path / "clinic.json").write_text(json.dumps({"extends": "large-print", "sizes": {"body": 18}}))
    template = load_template("clinic.json", base=tmp_path)
    assert template["sizes"]["body"] == 18
    assert template["card"]["per_page"] == 1


def test_a_template_loaded_again_follows_edits_to_its_file_and_its_parent(tmp_path):
    parent = tmp_path / "parent.json"
    child = tmp_path / "child.json"
    parent.write_text(json.dumps({"extends": "standard", "sizes": {"body": 12}}))
    child.write_text(json.dumps({"extends": "parent.json", "sizes": {"title": 24}}))
    first = load_template("child.json", base=tmp_path)
    assert (first["sizes"]["body"], first["sizes"]["title"]) == (12, 24)
    assert load_template("child.json", base=tmp_path) is first  # kept while nothing changed
    parent.write_text(json.dumps({"extends": "standard", "sizes": {"body": 13.5}}))
    assert load_template("child.json", base=tmp_path)["sizes"]["body"] == 13.5
    # (each edit changes the file's size too: a file written twice within one clock tick keeps its time)
    child.write_text(json.dumps({"extends": "parent.json", "sizes": {"title": 26.5}}))
    assert load_template("child.json", base=tmp_path)["sizes"]["title"] == 26.5
    child.write_text(json.dumps({"extends": "parent.json", "sizes": {"title": "big"}}))
    with pytest.raises(InputError):
        load_template("child.json", base=tmp_path)


@pytest.mark.parametrize("parts, missing", [([], "'stop_if' and 'cards'"), (["stop_if", "tracker"], "'cards'"),
                                             (["cards", "tracker"], "'stop_if'")])
def test_a_template_without_the_stop_box_or_the_cards_is_refused(tmp_path, parts, missing):
    (tmp_path / "bare.json").write_text(json.dumps({"extends": "standard", "parts": parts}))
    with pytest.raises(InputError) as info:
        load_template("bare.json", base=tmp_path)
    [problem] = info.value.diagnostics
    assert (problem.where, problem.message.split(":")[0]) == ("$.parts", f"leaves out {missing}")


def test_template_errors_name_file_and_path(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"extends": "standard", "sizes": {"body": 8},
                                                   "colours": {"text": "#EEEEEE"}}))
    with pytest.raises(InputError) as info:
        load_template("bad.json", base=tmp_path)
    assert any(d.where == "$.sizes.body" for d in info.value.diagnostics)
    (tmp_path / "pale.json").write_text(json.dumps({"extends": "standard", "colours": {"text": "#EEEEEE"}}))
    with pytest.raises(InputError) as info:
        load_template("pale.json", base=tmp_path)
    assert [d.where for d in info.value.diagnostics] == ["$.colours.text"]
    (tmp_path / "loop.json").write_text(json.dumps({"extends": "loop.json"}))
    with pytest.raises(InputError, match="loop"):
        load_template("loop.json", base=tmp_path)


@pytest.mark.parametrize("template", sorted(MIN_BODY))
@pytest.mark.parametrize("size", ["letter", "a4"])
def test_every_template_builds_every_example(tmp_path, template, size):
    for spec in sorted(HANDOUTS.glob("*.json")):
        pdf = _build(tmp_path, spec, template, size)
        with pdf.plumber() as doc:
            width, height = PAGE[size]
            margin = 12.7 * MM - 0.5
            smallest = 99.0
            for page in doc.pages:
                assert (round(page.width, 1), round(page.height, 1)) == (round(width, 1), round(height, 1))
                for c in page.chars:
                    if c["text"].strip():
                        smallest = min(smallest, c["size"])
                        assert margin <= c["x0"] and c["x1"] <= width - margin, (spec.name, c["text"])
                        assert margin <= c["top"] and c["bottom"] <= height - margin, (spec.name, c["text"])
                for edge in page.edges + page.rects:
                    assert margin <= edge["x0"] and edge["x1"] <= width - margin
                    assert margin <= edge["top"] and edge["bottom"] <= height - margin
            assert smallest >= MIN_BODY[template] - 0.01, (spec.name, smallest)


def test_fonts_are_embedded_and_no_base14(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "standard", "letter")
    with pikepdf.open(pdf.path) as doc:
        fonts = {str(font.get("/BaseFont")): font for page in doc.pages
                 for font in page.Resources.get("/Font", {}).values()}
        assert fonts
        for base, font in fonts.items():
            assert "Atkinson" in base, base
            descriptor = font.FontDescriptor if "/FontDescriptor" in font else font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor, f"{base} is not embedded"


def test_bold_is_really_bold(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "standard", "letter")
    with pdf.plumber() as doc:
        names = {c["fontname"].split("+")[-1] for c in doc.pages[0].chars}
    assert any("Bold" in n for n in names) and any("Bold" not in n for n in names)


def test_large_print_one_exercise_per_page_and_bigger_boxes(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "mixed-short.json", "large-print", "letter")
    spec = json.loads((HANDOUTS / "mixed-short.json").read_text())
    count = sum(len(s["exercises"]) for s in spec["sections"])
    catalog = Catalog()
    entries = [e if isinstance(e, str) else e["ref"] for s in spec["sections"] for e in s["exercises"]]
    card_pages = set()
    for n, ref in enumerate(entries, 1):
        exercise = catalog.get(ref)
        # the card's page: it has the numbered title and the first step (the tracker only has the title)
        pages = set(pdf.pages_with(f"{n}. {exercise.name}")) & set(pdf.pages_with(exercise.steps[0]))
        assert len(pages) == 1, (exercise.name, pages)
        card_pages |= pages
    assert len(card_pages) == count
    boxes = load_template("large-print")["tracker"]["box_size_pt"]
    assert boxes > load_template("standard")["tracker"]["box_size_pt"]
    assert pdf.checkbox_count(boxes) == count * 7 * spec["tracker"]["weeks"]


def test_compact_uses_fewer_pages(tmp_path):
    spec = HANDOUTS / "mixed-short.json"
    standard = _build(tmp_path, spec, "standard", "letter")
    compact = _build(tmp_path, spec, "compact", "letter")
    assert compact.page_count < standard.page_count


def test_missing_glyph_is_reported(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(intro="Go \u2192 then \u2713 done"))
    result = run_cli("build", spec, "-o", tmp_path / "x.pdf", cwd=tmp_path)
    assert result.code == 0
    warning = ("warning: spec.json: $.intro: the font has no glyph for '\u2192' (U+2192), '\u2713' (U+2713): "
               "each prints as an empty box")
    assert warning in result.stderr
    strict = run_cli("build", spec, "-o", tmp_path / "y.pdf", "--strict", cwd=tmp_path)
    assert strict.code == 1 and not (tmp_path / "y.pdf").exists()
    assert warning in run_cli("validate", spec, cwd=tmp_path).stderr  # validate warns as build does


def test_missing_glyphs_are_all_counted(tmp_path):
    many = "".join(chr(0x4E00 + n) for n in range(12))  # twelve CJK characters
    spec = write_spec(tmp_path, minimal_spec(notes=many))
    result = run_cli("validate", spec, cwd=tmp_path)
    assert "warning: spec.json: $.notes: the font has no glyph for" in result.stderr
    assert "and 2 more: each prints as an empty box" in result.stderr


def test_accents_print(tmp_path):
    text = "Żółć gęślą, Straße, déjà vu, año, příliš, Ştefan"
    spec = write_spec(tmp_path, minimal_spec(intro=text))
    out = tmp_path / "accents.pdf"
    result = run_cli("build", spec, "-o", out)
    assert result.code == 0 and "warning" not in result.stderr
    assert text in ReadPdf(out).text


def test_logo_and_clinic_on_page_one(tmp_path):
    from PIL import Image

    Image.new("RGBA", (600, 200), (0, 0, 0, 0)).save(tmp_path / "logo.png")
    spec = write_spec(tmp_path, minimal_spec(clinician={"name": "Jordan Lee", "clinic": "Riverside PT",
                                                        "phone": "555-0100", "logo": "logo.png"}))
    out = tmp_path / "logo.pdf"
    assert run_cli("build", spec, "-o", out).code == 0
    pdf = ReadPdf(out)
    assert "Riverside PT" in pdf.pages_text[0] and "555-0100" in pdf.pages_text[0]
    with pdf.plumber() as doc:
        image = doc.pages[0].images[0]
        assert image["x1"] <= doc.pages[0].width - 12.7 * MM and image["top"] < 200


def test_video_qr_code_decodes_to_its_url(tmp_path):
    import zxingcpp

    url = "https://example.org/videos/bridge"
    (tmp_path / "exercises").mkdir()
    from routinepress.catalog import Catalog

    entry = Catalog().get("bridge").to_document()
    entry.pop("illustrations")
    entry["video_url"] = url
    (tmp_path / "exercises" / "bridge.json").write_text(json.dumps(entry))
    spec = write_spec(tmp_path, minimal_spec())
    out = tmp_path / "qr.pdf"
    assert run_cli("build", spec, "-o", out, "--catalog", tmp_path).code == 0
    pdf = ReadPdf(out)
    assert url in pdf.text
    page = pdf.pages_with(url)[0]
    decoded = {r.text for r in zxingcpp.read_barcodes(pdf.render(page, scale=3))}
    assert url in decoded


def test_fillable_has_one_uniquely_named_field_per_box(tmp_path):
    import pypdf

    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["bridge", "clamshell"]}],
                                             tracker={"weeks": 2}))
    out = tmp_path / "fill.pdf"
    assert run_cli("build", spec, "-o", out, "--fillable").code == 0
    fields = pypdf.PdfReader(out).get_fields()
    names = [n for n in fields if n.startswith("w")]
    assert len(names) == len(set(names)) == 2 * 2 * 7 + 2 * 7  # and a pain score a day
    pdf = ReadPdf(out)
    assert pdf.checkbox_count(load_template("standard")["tracker"]["box_size_pt"]) == 2 * 2 * 7
    for annotation in (a for page in pikepdf.open(out).pages for a in page.get("/Annots", [])):
        assert int(annotation.get("/F", 0)) & 4, "form boxes must print"


def test_a_card_that_runs_onto_another_page_is_named_there(tmp_path):
    # Large print fits a typical card on its page (tighter if it must); two cards given a
    # clinician's note longer than a page cannot fit and continue: the next page must say
    # which exercise it continues, and a page where a card starts must not say "continued".
    spec = json.loads((HANDOUTS / "postpartum-hip.json").read_text())
    entries = [e if isinstance(e, dict) else {"ref": e} for s in spec["sections"] for e in s["exercises"]]
    for section in spec["sections"]:
        section["exercises"] = [e if isinstance(e, dict) else {"ref": e} for e in section["exercises"]]
    entries = [e for s in spec["sections"] for e in s["exercises"]]
    long_note = " ".join(["Keep the movement slow and even, and breathe out as you lift."] * 28)
    for index in (0, 3):
        entries[index]["notes"] = long_note
    pdf = _build(tmp_path, write_spec(tmp_path, spec, "long-notes.json"), "large-print", "letter")
    catalog = Catalog()
    titles = [f"{n}. {e.get('name', catalog.get(e['ref']).name)}" for n, e in enumerate(entries, 1)]
    continued = [n for n, title in enumerate(titles, 1) if pdf.pages_with(f"{title} (continued)")]
    for n in continued:  # on the page after the card's start, and never where it starts
        assert pdf.pages_with(f"{titles[n - 1]} (continued)")[0] > min(pdf.pages_with(titles[n - 1]))
    assert {1, 4} <= set(continued), continued  # (a card with many tips may be taller than a page too)
    assert not any("(continued)" in t for t in pdf.pages_text[pdf.pages_with("Exercise tracker")[0]:])


def test_an_at_a_glance_table_taller_than_a_page_continues_under_its_heading(tmp_path):
    # Every catalog exercise in large print: the table runs over a page, and each page it
    # runs onto names it.
    spec = json.loads((HANDOUTS / "mixed-short.json").read_text())
    spec["sections"] = [{"title": "All", "exercises": Catalog().ids()}]
    pdf = _build(tmp_path, write_spec(tmp_path, spec, "all.json"), "large-print", "letter")
    glance = [i for i, t in enumerate(pdf.pages_text) if "Your exercises at a glance (continued)" in t]
    assert glance and all("Exercise How much How often" in pdf.pages_text[i] for i in glance)
    first = pdf.pages_with("Your exercises at a glance")[0]
    assert "(continued)" not in pdf.pages_text[first].split("Your exercises at a glance")[1][:20]
    assert glance == list(range(first + 1, max(glance) + 1)), "each page the table runs onto says so"


def test_standard_cards_fit_and_never_say_continued(tmp_path):
    pdf = _build(tmp_path, HANDOUTS / "postpartum-hip.json", "standard", "letter")
    spec = json.loads((HANDOUTS / "postpartum-hip.json").read_text())
    count = sum(len(s["exercises"]) for s in spec["sections"])
    starts = [t.split(" (continued)")[0] for t in pdf.pages_text if "(continued)" in t]
    assert not [t for t in starts if t.split(". ")[0].isdigit() and int(t.split(". ")[0]) <= count]


def test_a_week_that_must_split_splits_evenly(tmp_path):
    # Dates in 26 pt leave no room for seven day columns beside the names: 4 + 3 days, never
    # 6 + 1. (The built-in templates keep a week whole; see test_layout.py.)
    (tmp_path / "huge.json").write_text(json.dumps({"extends": "large-print", "sizes": {"small": 26}}))
    spec = json.loads((HANDOUTS / "mixed-short.json").read_text()) | {"template": "huge.json"}
    out = tmp_path / "huge.pdf"
    result = run_cli("build", write_spec(tmp_path, spec), "-o", out, "--page-size", "letter")
    assert result.code == 0, result.stderr
    pdf = ReadPdf(out)
    weekdays = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    tables = [chunk for t in pdf.pages_text for chunk in t.split("Week ")[1:]]
    # (week, its days); a table that continues on the next page repeats its header row
    groups = {(chunk.split()[0], tuple(d for d in weekdays if f" {d} " in f" {chunk} ")) for chunk in tables}
    per_table = [len(days) for _, days in groups]
    weeks = spec["tracker"]["weeks"]
    assert sorted(per_table) == [3] * weeks + [4] * weeks
