"""In-process caches (parsed markup, line breaks) change the speed of a build, never its bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import routinepress
from routinepress.render import styles

ROOT = Path(__file__).resolve().parents[1]


class _NeverHit(dict):
    """A line-break cache that never answers, so every paragraph breaks its own lines."""

    def get(self, key, default=None):
        return default


@pytest.fixture
def long_notes_spec(tmp_path) -> Path:
    # Notes long enough that their paragraph is split across pages: splitting edits line
    # breaks, so a paragraph whose breaks are shared must make its own first.
    doc = json.loads((ROOT / "handouts/mixed-short.json").read_text(encoding="utf-8"))
    doc["notes"] = " ".join(["Walk a little every day, and rest when you need to."] * 95)  # over a page
    path = tmp_path / "long-notes.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("template", ["standard", "large-print"])
def test_shared_line_breaks_give_the_bytes_of_fresh_ones(long_notes_spec, template, monkeypatch):
    specs = [long_notes_spec, ROOT / "handouts/therapydia-six.json"]
    warm = {}
    for _ in range(2):  # the second round finds every paragraph's breaks in the cache
        for spec in specs:
            warm[spec] = routinepress.build_handout(spec, template=template)

    split_shared = []
    monkeypatch.setattr(styles, "_BROKEN", _NeverHit())
    for spec in specs:
        assert routinepress.build_handout(spec, template=template) == warm[spec], spec
    monkeypatch.undo()

    # and the long notes really were split from shared breaks in the warm builds
    original = styles.Paragraph.split

    def spy(self, width, height):
        split_shared.append(self._shared)
        return original(self, width, height)

    monkeypatch.setattr(styles.Paragraph, "split", spy)
    assert routinepress.build_handout(long_notes_spec, template=template) == warm[long_notes_spec]
    assert True in split_shared


def test_splitting_a_paragraph_leaves_the_shared_line_breaks_as_they_were():
    style = styles.make_styles(routinepress_template(), "letter").body
    text = " ".join(["<b>Bold words</b> then plain words that run on and on."] * 12)
    first = styles.Paragraph(text, style)
    first.wrap(200, 1000)

    def words(p):
        return [[w.text for w in line.words] for line in p.blPara.lines]

    before = words(first)
    second = styles.Paragraph(text, style)
    second.wrap(200, 1000)
    assert second.blPara is first.blPara  # shared, not broken again
    parts = second.split(200, style.leading * 3.5)
    assert len(parts) == 2
    assert words(first) == before  # the split cut its own copy, not the shared one
    third = styles.Paragraph(text, style)
    third.wrap(200, 1000)
    assert words(third) == before


def routinepress_template():
    from routinepress.templates import load_template

    return load_template("standard")


def test_a_shared_paragraph_splits_as_a_fresh_one_does():
    # Tables split a cell's paragraph with the cell's outer width, not the width it was
    # wrapped at; the split must follow the lines the paragraph was measured with.
    style = styles.make_styles(routinepress_template(), "letter").body
    text = " ".join(["<b>Bold words</b> then plain words that run on and on."] * 12)

    def split_texts(paragraph):
        paragraph.wrap(180, 1000)
        return [[[w.text for w in line.words] for line in part.blPara.lines]
                for part in paragraph.split(220, style.leading * 3.5) if part.wrap(180, 1000)]

    styles._BROKEN.clear()
    fresh = split_texts(styles.Paragraph(text, style))  # breaks its own lines, then shares them
    shared = styles.Paragraph(text, style)
    assert split_texts(shared) == fresh
    assert len(fresh) == 2


def test_line_breaks_are_shared_only_with_the_very_same_style():
    # Keys hold a style's id, and a freed style's id can be given to a new one: the entry
    # also holds the style, and a paragraph of another style breaks its own lines.
    base = styles.make_styles(routinepress_template(), "letter")
    text = "Lift your hips slowly and hold them up while you count to three."
    first = styles.Paragraph(text, base.body)
    first.wrap(150, 1000)
    entry = styles._BROKEN[(text, id(base.body), None, 150)]
    assert entry[0] is base.body
    styles._BROKEN[(text, id(base.small), None, 150)] = entry  # as if small had body's old id
    other = styles.Paragraph(text, base.small)
    other.wrap(150, 1000)
    assert not other._shared and other.blPara is not first.blPara


def test_paragraphs_share_the_parsed_fragments_until_they_break_their_own_lines():
    """A paragraph made from cached markup holds the cached fragments themselves (no copy)
    until it must break lines: then it works on its own copy, so the cache is never
    marked or changed, whatever widths and splits its sharers go through."""
    style = styles.make_styles(routinepress_template(), "letter").body
    text = " ".join(["<b>Bold words</b> then plain words that run on and on."] * 12)
    styles.Paragraph(text, style).wrap(200, 1000)
    cached = styles._PARSED[(text, id(style), None)][1]
    snapshot = [dict(frag.__dict__) for frag in cached]

    shared = styles.Paragraph(text, style)
    assert shared.frags is cached  # not copied
    shared.wrap(200, 1000)  # the shared line breaks: still nothing copied
    assert shared._shared and not shared._owns_frags
    shared.wrap(150, 1000)  # a width nobody broke lines at: its own copy
    assert shared._owns_frags and all(own is not frag for own, frag in zip(shared.frags, cached))
    fresh = styles.Paragraph(text, style)
    fresh.wrap(200, 1000)
    assert len(fresh.split(200, style.leading * 3.5)) == 2
    assert [dict(frag.__dict__) for frag in cached] == snapshot


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_plain_text_skips_the_markup_parser_and_gets_what_it_would_give(template):
    """Text without markup becomes one run in the style's font without reportlab's parser;
    its fragments and text must be exactly the parser's, in every style of every template."""
    from reportlab.platypus import Paragraph as PlatypusParagraph

    from routinepress.templates import load_template

    all_styles = styles.make_styles(load_template(template), "letter")
    texts = ["Lie on your back.", "  Bend your knees.\n  Lift your hips.  ", "Caf\u00e9 \u2013 3\u00d7 a day",
             "a  b   c", "x", "\ttab", "trailing ", "no\u00a0break", "it's \"fine\" > ok", "10 to 15 times"]
    for name in ("body", "body_bold", "small", "caption", "title", "heading", "card_title", "label", "step",
                 "stop_line", "dose", "boxed"):
        style = getattr(all_styles, name)
        for text in texts:
            styles._PARSED.clear()
            ours, theirs = styles.Paragraph(text, style), PlatypusParagraph(text, style)
            assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags], (name, text)
            assert ours.text == theirs.text, (name, text)


def test_a_cards_arrangement_is_chosen_once_and_again_when_its_pictures_change(monkeypatch, tmp_path):
    """cards.py keeps the arrangement each card took. A second build of the same handout
    chooses nothing and gives the same bytes; a picture file that changes (here only its
    time) has its card's arrangement chosen again."""
    import shutil

    from routinepress.render import cards, shelf

    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    spec = tmp_path / "spec.json"
    spec.write_text((ROOT / "handouts/mixed-short.json").read_text(encoding="utf-8"), encoding="utf-8")
    chosen = []
    original = cards._choose
    monkeypatch.setattr(cards, "_choose", lambda *args: chosen.append(args[0].id) or original(*args))
    cards._CHOSEN.clear()
    shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)

    def build() -> bytes:
        return routinepress.build_handout(spec, catalog_dirs=(catalog,))

    first = build()
    assert len(chosen) == 6
    chosen.clear()
    assert build() == first and chosen == []
    pose = next((catalog / "illustrations").glob("bridge-*.pose.json"))
    os.utime(pose, ns=(pose.stat().st_atime_ns, pose.stat().st_mtime_ns + 10**9))
    assert build() == first and chosen == ["bridge"]


def test_a_one_handout_process_recalls_card_arrangements_from_the_last_run(monkeypatch, tmp_path):
    """render/layouts.py records each card's arrangement between runs. A build with the
    records and an empty memory chooses nothing and gives the bytes of the build that made
    them; a changed picture file has its card chosen again; the `off` setting records nothing."""
    import shutil

    from routinepress.render import cards, layouts, shelf

    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    spec = tmp_path / "spec.json"
    spec.write_text((ROOT / "handouts/mixed-short.json").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(layouts.RECORDS, "enabled", True)
    chosen = []
    original = cards._choose
    monkeypatch.setattr(cards, "_choose", lambda *args: chosen.append(args[0].id) or original(*args))

    def fresh_process_build() -> bytes:
        cards._CHOSEN.clear()  # as a new process starts: nothing in memory
        shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
        return routinepress.build_handout(spec, catalog_dirs=(catalog,))

    first = fresh_process_build()
    assert len(chosen) == 6 and len(list((tmp_path / "cache" / "layouts").iterdir())) == 6
    chosen.clear()
    assert fresh_process_build() == first and chosen == []
    pose = next((catalog / "illustrations").glob("clamshell-*.pose.json"))
    os.utime(pose, ns=(pose.stat().st_atime_ns, pose.stat().st_mtime_ns + 10**9))
    assert fresh_process_build() == first and chosen == ["clamshell"]

    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", "off")
    chosen.clear()
    assert fresh_process_build() == first and len(chosen) == 6


def test_a_layout_record_that_is_not_a_file_is_passed_over_at_once(monkeypatch, tmp_path):
    """A pipe or a folder where a record should be is refused without waiting on it, and a
    record that holds no arrangement is not used: each card is chosen again and the build
    gives the same bytes."""
    from routinepress.render import cards, layouts, shelf

    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(layouts.RECORDS, "enabled", True)
    cards._CHOSEN.clear()
    shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
    first = routinepress.build_handout(ROOT / "handouts/mixed-short.json")
    records = sorted((tmp_path / "cache" / "layouts").iterdir())
    records[0].unlink()
    os.mkfifo(records[0])
    records[1].unlink()
    records[1].mkdir()
    records[2].write_text('{"pictures": "sideways", "scale": 1, "extras": "under"}')
    records[3].write_text('{"pictures": "beside"}')
    cards._CHOSEN.clear()
    shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
    assert routinepress.build_handout(ROOT / "handouts/mixed-short.json") == first


def _forget_font_programs() -> list:
    """Empties the fonts' subset programs and the compressed ones, as a new process starts."""
    from reportlab.pdfbase import pdfmetrics

    from routinepress.render import document, fonts

    fonts.register()
    family = [pdfmetrics.getFont(name) for name in fonts._FILES]
    for font in family:
        font._subsets.clear()
    document._DEFLATED.clear()
    return family


def test_a_second_build_cuts_no_font_subset_again_and_gives_the_same_bytes(monkeypatch):
    """fonts.py answers reportlab's face.makeSubset from what it cut before. If reportlab
    stopped asking the face for it (or renamed it), the second build would cut again here."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    cut = []
    real = TTFontFace.makeSubset
    monkeypatch.setattr(TTFontFace, "makeSubset", lambda face, subset: cut.append(list(subset)) or real(face, subset))
    family = _forget_font_programs()
    spec = ROOT / "handouts/therapydia-six.json"
    first = routinepress.build_handout(spec)
    assert len(cut) >= 2  # the regular and the bold font, at least
    kept = {(font.fontName, codes): program for font in family for codes, program in font._subsets.items()}
    assert len(kept) == len(cut)
    for font in family:  # what is kept is exactly what reportlab cuts
        for codes, program in font._subsets.items():
            assert program == real(font.face, list(codes))
    cut.clear()
    assert routinepress.build_handout(spec) == first
    assert cut == []


@pytest.fixture
def accented_spec(tmp_path) -> Path:
    doc = json.loads((ROOT / "handouts/mixed-short.json").read_text(encoding="utf-8"))
    doc["patient"]["name"] = "Jos\u00e9 Mu\u00f1oz"
    doc["intro"] = "Se\u00f1ora, haga los ejercicios despacio, y un caf\u00e9 despu\u00e9s."
    path = tmp_path / "accented.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("accented_first", [True, False])
def test_handouts_with_other_characters_get_their_own_font_subsets(accented_spec, accented_first, tmp_path):
    """A plain ASCII handout and one with accents use subsets of the same length that differ
    in their codes: built one after the other in one process, each must give the bytes of a
    build in a process of its own (no glyph missing, none carried over)."""
    from conftest import run_cli

    ascii_spec = ROOT / "handouts/mixed-short.json"
    fresh = {}
    for spec in (accented_spec, ascii_spec):
        out = tmp_path / f"fresh-{spec.stem}.pdf"
        assert run_cli("build", spec, "-o", out).code == 0
        fresh[spec] = out.read_bytes()

    family = _forget_font_programs()
    order = [accented_spec, ascii_spec] if accented_first else [ascii_spec, accented_spec]
    for spec in order + order:
        assert routinepress.build_handout(spec) == fresh[spec], spec.name
    regular = family[0]._subsets
    assert len(regular) == 2 and len({len(codes) for codes in regular}) == 1  # the case this test is for
    assert any(0xe9 in codes for codes in regular) and not all(0xe9 in codes for codes in regular)


def test_font_programs_alone_are_kept_compressed_and_exactly_as_zlib_makes_them():
    """document._deflate keeps the compressed form of each font program (bytes beginning with
    TrueType's version), and of nothing else: page streams (text) and page-number forms (bytes)
    are compressed each time. Whatever it returns is zlib's output at DEFLATE_LEVEL."""
    import zlib

    from routinepress.render import document

    family = _forget_font_programs()
    routinepress.build_handout(ROOT / "handouts/mixed-short.json", fillable=True)
    programs = {program for font in family for program in font._subsets.values()}
    assert programs and set(document._DEFLATED) == programs
    for program, packed in document._DEFLATED.items():
        assert packed == zlib.compress(program, document.DEFLATE_LEVEL)
        assert document._deflate(program) is packed  # used, not made again

    form = b"1 0 0 1 0 0 cm BT /F2+0 12 Tf (Page 1 of 5) Tj ET"
    text = "BT /F1+0 12 Tf (Lift your hips.) Tj ET"
    assert document._deflate(form) == zlib.compress(form, document.DEFLATE_LEVEL)
    assert document._deflate(text) == zlib.compress(text.encode(), document.DEFLATE_LEVEL)
    assert set(document._DEFLATED) == programs


def test_threads_never_cut_subsets_of_one_font_at_the_same_time(monkeypatch):
    """reportlab cuts a subset by seeking and reading through the face's one file position,
    so two threads cutting at once (the editor builds in threads) can mix up a font program.
    fonts.py cuts one subset of a font at a time; each thread still gets the true program."""
    import functools

    from conftest import run_racing
    from reportlab.pdfbase.ttfonts import TTFontFace

    regular = _forget_font_programs()[0]
    real = TTFontFace.makeSubset
    active, most = [0], [0]

    def cut(face, subset):
        active[0] += 1
        most[0] = max(most[0], active[0])
        try:
            return real(face, subset)
        finally:
            active[0] -= 1

    monkeypatch.setattr(TTFontFace, "makeSubset", cut)
    subsets = [list(range(128)), [0, 0xe9, 0xf1, *range(1, 32), *range(32, 128)]]
    want = [real(regular.face, codes) for codes in subsets]
    wrong = []

    def work(i: int) -> None:
        for _ in range(25):
            regular._subsets.clear()  # every call cuts
            if regular._font_program(subsets[i % 2]) != want[i % 2]:
                wrong.append(i)

    run_racing([functools.partial(work, i) for i in range(4)], 1e-6)  # overlapping cuts would happen
    regular._subsets.clear()
    assert most[0] == 1 and wrong == []


class _ShelfThatKeepsNothing(dict):
    """A card shelf on which nothing stays: every card is made afresh."""

    def __setitem__(self, key, value):
        pass


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_cards_taken_off_the_shelf_print_as_cards_made_afresh(monkeypatch, template):
    """cards.py keeps each card's flowables between builds. A second round of builds makes no
    card (every one comes off the shelf) and gives the bytes of builds that made them all,
    in either order: cards shared between handouts, the tighter layout at a page's foot,
    a card that runs onto a second page (large print), the at-a-glance table (split over two
    pages in large print)."""
    from conftest import REPO

    from routinepress.render import cards, parts, shelf

    specs = [*sorted((ROOT / "handouts").glob("*.json")), REPO / "bench" / "specs" / "standard-8.json"]
    monkeypatch.setattr(shelf, "_SHELF", _ShelfThatKeepsNothing())
    made_afresh = {spec: routinepress.build_handout(spec, template=template) for spec in specs}

    monkeypatch.setattr(shelf, "_SHELF", {})
    for spec in specs:  # made, and put on the shelf
        assert routinepress.build_handout(spec, template=template) == made_afresh[spec], spec.name
    assert shelf._SHELF
    made = []
    original = cards._fitted

    def spy(card, *args):
        flows = original(card, *args)
        made.append((card.id, parts.continues_on_next_page(flows)))
        return flows

    monkeypatch.setattr(cards, "_fitted", spy)
    tables = []
    make_table = parts._at_a_glance
    monkeypatch.setattr(parts, "_at_a_glance", lambda *args: tables.append(1) or make_table(*args))
    for spec in reversed(specs):
        assert routinepress.build_handout(spec, template=template) == made_afresh[spec], spec.name
    # made again: only a card laid out to run onto a second page, which is cut up to print
    assert all(continues for _, continues in made), made
    assert tables == []
    if template == "large-print":
        assert made, "no card ran onto a second page: the case is not tested"


def test_a_card_is_taken_by_one_build_at_a_time():
    """The server builds in threads: a card off the shelf is no longer on it, so a second
    build at the same time makes its own; both go back when their builds end."""
    from routinepress.render import cards, shelf
    from routinepress.render.styles import make_styles

    styles = make_styles(routinepress_template(), "letter")
    body = [styles_paragraph("Lift your hips.", styles)]
    first, second = shelf.Borrowed(), shelf.Borrowed()
    first.hold(("card",), styles, body, cards.WholeCard(list(body), styles).was_placed_whole)
    first.put_back()
    assert first.take(("card",), styles) is body
    assert second.take(("card",), styles) is None
    assert first.take(("card",), make_styles(routinepress_template(), "a4")) is None  # other styles: not this card


def test_a_card_not_placed_whole_is_not_put_back():
    """A card taller than the page's frame is placed piece by piece (reportlab may cut its
    paragraphs and mark the pieces it moved): its flowables do not go back on the shelf.
    One that fits does."""
    import io

    from reportlab.platypus import SimpleDocTemplate

    from routinepress.render import cards, shelf
    from routinepress.render.styles import make_styles

    styles = make_styles(routinepress_template(), "letter")
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=(styles.page_width, styles.page_height))
    short = [styles_paragraph("Lift your hips.", styles)]
    tall = [styles_paragraph("Lift your hips and lower them slowly. " * 8, styles) for _ in range(40)]
    borrowed = shelf.Borrowed()
    story = []
    for key, body in (("short",), short), (("tall",), tall):
        card = cards.WholeCard(list(body), styles)
        borrowed.hold(key, styles, body, card.was_placed_whole)
        story.append(card)
    doc.build(story)
    borrowed.put_back()
    assert borrowed.take(("short",), styles) is short
    assert borrowed.take(("tall",), styles) is None


def styles_paragraph(text: str, looks):
    return styles.Paragraph(text, looks.body)


def _word_positions(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's characters with where they start."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage()
        chars = []
        for i in range(text.count_chars()):
            left, bottom, _, _ = text.get_charbox(i)
            chars.append((text.get_text_range(i, 1), left, bottom))
        pages.append(chars)
    return pages


@pytest.mark.parametrize("room_above", [0, 300, 560])
def test_a_whole_card_places_its_pieces_where_a_frame_would(room_above):
    """A card drawn as one piece (cards.WholeCard) puts each of its flowables where the page's
    frame puts them one by one in a KeepTogether: the same spaces between them, none above the
    first at a page's top, centred pictures centred, and on the next page when it does not fit
    under what is above it (560 points of a 636-point frame)."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import HRFlowable, KeepTogether, SimpleDocTemplate, Spacer

    from routinepress.render import cards
    from routinepress.render.styles import make_styles

    looks = make_styles(routinepress_template(), "letter")
    spaced = ParagraphStyle("spaced", parent=looks.step, spaceBefore=9, spaceAfter=4)  # 9 between two

    def card() -> list:
        title = styles.Paragraph("3. Bridge", looks.card_title)
        narrow = styles.Table([["Centred"]], colWidths=[120], hAlign="CENTER")  # as a picture grid is
        return [HRFlowable(width="100%", thickness=2, spaceBefore=7, spaceAfter=2), title,
                styles.Paragraph("Repeat: <b>10 times</b>", looks.dose), narrow,
                cards.Columns([(150, [styles.Paragraph("Lie on your back. " * 6, looks.step)]),
                               (200, [styles.Paragraph("Keep your back flat. " * 4, looks.body)])], 12),
                styles.Paragraph("Lower slowly.", spaced), styles.Paragraph("Rest.", spaced)]

    def build(wrapper) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=(looks.page_width, looks.page_height), invariant=1)
        above = [Spacer(1, room_above)] if room_above else []
        doc.build([*above, wrapper(card())])
        return out.getvalue()

    as_pieces = _word_positions(build(KeepTogether))
    as_one = _word_positions(build(lambda content: cards.WholeCard(content, looks)))
    # (the same places but for float rounding: the pieces are placed inside the card, not on the page)
    assert [[c for c, _, _ in page] for page in as_one] == [[c for c, _, _ in page] for page in as_pieces]
    assert all(abs(x - x2) < 0.02 and abs(y - y2) < 0.02 for page, page2 in zip(as_one, as_pieces)
               for (_, x, y), (_, x2, y2) in zip(page, page2))
    assert len(as_one) == (2 if room_above == 560 else 1) and "Bridge" in "".join(c for c, _, _ in as_one[-1])


def test_a_glance_table_put_back_is_as_it_was_before_it_was_cut():
    """The at-a-glance table starts under what is above it and continues on the next page:
    cutting it releases its heading from keeping with the table. Put back on the shelf, the
    heading keeps with the table again, as a new one does (else a later handout could
    leave the heading alone at a page's foot)."""
    import io

    from conftest import minimal_spec
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from routinepress.catalog import Catalog
    from routinepress.model import build_model
    from routinepress.render import parts
    from routinepress.render.styles import make_styles
    from routinepress.spec import check_spec

    looks = make_styles(routinepress_template(), "letter")
    exercises = ["bridge", "clamshell", "side-lying-hip-abduction", "standing-hip-extension", "knee-to-chest",
                 "supine-hamstring-stretch"]
    catalog = Catalog()
    handout = build_model(check_spec(minimal_spec(sections=[{"title": "Moves", "exercises": exercises}]),
                                     ROOT / "spec.json", catalog), catalog)
    [glance] = parts.at_a_glance(handout, looks, handout.labels)
    heading = next(f for f in glance._content if isinstance(f, styles.Paragraph))
    assert heading.getKeepWithNext()
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=(looks.page_width, looks.page_height))
    doc.build([Spacer(1, doc.height - 150), glance])  # room for the heading and two rows, not all
    assert glance._parts_for, "the table was not cut: the case is not tested"
    assert not heading.getKeepWithNext()
    assert glance.ready_again() and heading.getKeepWithNext()


def test_a_subsets_widths_are_formatted_once_a_process_as_reportlab_formats_them(accented_spec, monkeypatch):
    """fonts.Font gives each subset's font object a widths array that keeps its formatted
    bytes: a second build formats none again and gives the same bytes, and the bytes are
    those of reportlab's own font objects (its addObjects, the array unkept)."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFont

    from routinepress.render import fonts

    made = []
    real = pdfdoc.PDFArray.format
    monkeypatch.setattr(pdfdoc.PDFArray, "format",
                        lambda self, doc, *a: made.append(type(self)) or real(self, doc, *a))
    fonts._WIDTHS_FORMATTED.clear()
    first = {spec: routinepress.build_handout(spec) for spec in (accented_spec, ROOT / "handouts/mixed-short.json")}
    widths = made.count(fonts._KeptWidths)
    assert widths >= 3 and len(fonts._WIDTHS_FORMATTED) == widths  # two fonts, one with two subsets
    made.clear()
    assert {spec: routinepress.build_handout(spec) for spec in first} == first
    assert fonts._KeptWidths not in made, "a widths array was formatted again"
    monkeypatch.setattr(fonts.Font, "addObjects", TTFont.addObjects)
    assert {spec: routinepress.build_handout(spec) for spec in first} == first


def test_a_running_title_is_fitted_once_a_handout_and_each_handout_fits_its_own(monkeypatch, tmp_path):
    """Large print cuts postpartum-hip's long title in every page's header: the cut is found
    on the first page and kept for the rest (a title is cut once, not once a page), and
    another handout's title is cut for itself."""
    from pdfread import ReadPdf, page_lines
    from reportlab.pdfgen.canvas import Canvas

    from routinepress.render import document

    cuts = []
    shortened = document._shortened
    monkeypatch.setattr(document, "_shortened", lambda text, most: cuts.append(text) or shortened(text, most))
    measured = []
    width = Canvas.stringWidth
    monkeypatch.setattr(Canvas, "stringWidth", lambda self, text, *a: measured.append(text) or width(self, text, *a))
    spec = json.loads((ROOT / "handouts/postpartum-hip.json").read_text(encoding="utf-8"))
    headers = []
    for title in (spec["title"], spec["title"].replace("Hip", "Back and Hip")):
        path = tmp_path / "long-title.json"
        path.write_text(json.dumps(spec | {"title": title}), encoding="utf-8")
        out = tmp_path / "long-title.pdf"
        out.write_bytes(routinepress.build_handout(path, template="large-print"))
        with ReadPdf(out).plumber() as doc:
            pages = [page_lines(page)[0] for page in doc.pages]
        assert len(pages) >= 3 and all(header.startswith(pages[0].split("\u2026")[0]) for header in pages)
        assert cuts.count(title) == 1, "the title was cut again for another page"
        assert measured.count(title) == 1, "the whole title was measured again for another page"
        headers.append(pages[0])
    assert headers[0] != headers[1]
