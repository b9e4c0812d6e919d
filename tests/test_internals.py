"""Internals that could fail under load or after an upgrade (issue 13, section 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HANDOUTS
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as PlatypusParagraph

from routinepress.render import drawings, styles

POSES = sorted((Path(__file__).resolve().parents[1] / "catalog" / "illustrations").glob("bridge-*.pose.json"))


def test_re_compile_stand_in_never_reaches_another_thread():
    """While routinepress.render imports reportlab, another thread compiling the very kind of
    pattern that is deferred gets a real re.Pattern."""
    program = r'''
import re, sys, threading
costly = "[a-z\u00a1-\uffff]+"
seen, stop = [], threading.Event()
def compile_all_the_time():
    while not stop.is_set():
        seen.append(type(re.compile(costly, re.IGNORECASE)))
        re.purge()
thread = threading.Thread(target=compile_all_the_time)
thread.start()
import routinepress.render  # noqa
stop.set(); thread.join()
import reportlab.platypus.paragraph as paragraph
assert re.compile is re.__dict__["compile"] and re.compile.__module__ == "re", re.compile
assert seen and set(seen) == {re.Pattern}, set(seen)
assert type(paragraph.uri_pat).__name__ == "_PatternOnFirstUse"  # the one deferred pattern
assert paragraph.uri_pat.match("https://example.org/x")
print("ok", len(seen))
'''
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def test_drawing_cache_key_changes_with_reportlabs_version(monkeypatch):
    import reportlab

    before = drawings._engine_version()
    monkeypatch.setattr(reportlab, "Version", reportlab.Version + ".upgraded")
    drawings._engine_version.cache_clear()
    try:
        assert drawings._engine_version() != before
    finally:
        monkeypatch.undo()
        drawings._engine_version.cache_clear()
    assert drawings._engine_version() == before


class _ClearedByAnotherThread(dict):
    """A drawing cache that another thread empties right after every store."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.clear()


def test_drawing_cache_cleared_between_store_and_use(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", "off")
    monkeypatch.setattr(drawings, "_DRAWN", _ClearedByAnotherThread())
    drawn = drawings.draw_poses_recorded(POSES, 150, 100, False, 1.0)
    assert len(drawn) == len(POSES) == 2
    assert all(d.operators for d in drawn)


def _set_by_wrap(paragraph) -> set[str]:
    before = {k: id(v) for k, v in paragraph.__dict__.items()}
    paragraph.wrap(120, 1000)
    return {k for k, v in paragraph.__dict__.items() if before.get(k) != id(v)}


def test_shared_line_breaks_copy_everything_reportlabs_wrap_sets():
    """If a reportlab upgrade makes wrap set another attribute, sharing would leave it out: fail."""
    style = ParagraphStyle("probe", fontName="Helvetica", fontSize=12, leading=14)
    samples = [("Plain words that wrap over several lines of a narrow column.", None),
               ("Some <b>bold</b> and <i>italic</i> &amp; markup " * 4, None),
               ("A very long word: " + "x" * 200, "1."),
               ("Hyphen-ated words and a URL https://example.org/a/b/c/d/e/f/g/h", None),
               ("", None)]
    set_by_wrap = set()
    for text, bullet in samples:
        set_by_wrap |= _set_by_wrap(PlatypusParagraph(text, style, bulletText=bullet))
    assert set_by_wrap <= set(styles._WRAP_RESULT), set_by_wrap - set(styles._WRAP_RESULT)
    assert "frags" in set_by_wrap  # markup is rebuilt as words by wrap: it must be shared too


def test_right_to_left_paragraphs_never_share_line_breaks():
    """drawPara reverses a right-to-left line's words in place; shared, every sharer would flip."""
    style = ParagraphStyle("rtl-probe", fontName="Helvetica", fontSize=12, leading=14, wordWrap="RTL")
    first = styles.Paragraph("one two three four five six seven eight nine ten", style)
    first.wrap(80, 1000)
    second = styles.Paragraph("one two three four five six seven eight nine ten", style)
    second.wrap(80, 1000)
    assert second.blPara is not first.blPara
    ltr = ParagraphStyle("ltr-probe", fontName="Helvetica", fontSize=12, leading=14)
    a, b = styles.Paragraph("shared words here and there", ltr), styles.Paragraph("shared words here and there", ltr)
    a.wrap(80, 1000)
    b.wrap(80, 1000)
    assert b.blPara is a.blPara  # left-to-right text is shared, as before


def test_the_keeptogether_and_frame_internals_our_layout_reads_are_still_there():
    """FitToRoom and StartHereIfRoom (render/cards.py, render/parts.py) read what reportlab's
    own KeepTogether reads: its measured height and size offered (_H, _wrapInfo), its content,
    and the frame placing it (_frame, with _height and _atTop). An upgrade that renames them
    fails here rather than quietly changing where cards and tables break."""
    import io

    from reportlab.platypus import Frame, KeepTogether, SimpleDocTemplate, Spacer

    seen = {}

    class Probe(KeepTogether):
        def split(self, aW, aH):
            frame = self._frame
            seen.update(H=self._H, wrapped=self._wrapInfo, content=list(self._content),
                        frame=(frame._height, frame._atTop, isinstance(frame, Frame)))
            return super().split(aW, aH)

    doc = SimpleDocTemplate(io.BytesIO())
    doc.build([Spacer(1, 600), Probe([Spacer(1, 100), Spacer(1, 100)])])
    assert seen["H"] == 200 and seen["wrapped"][1] < 200 and len(seen["content"]) == 2
    height, at_top, is_frame = seen["frame"]
    assert is_frame and height > 600 and at_top in (0, False)


def test_the_ascii_shortcut_encodes_text_exactly_as_reportlab_does():
    """fonts.Font skips reportlab's per-character subset lookup for printable ASCII. Run side
    by side with reportlab's own TTFont over the same text (ASCII, accents, dashes, a no-break
    space, control characters, glyphs the font lacks), every run, and the subsets left at the
    end, must be the same: an upgrade that moves ASCII out of codes 32-126 fails here."""
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from routinepress.render import fonts

    fonts.register()
    ours = fonts.Font("t-ours", fonts.path(fonts.REGULAR))
    theirs = TTFont("t-theirs", fonts.path(fonts.REGULAR))
    assert ours._ascii_is_itself
    texts = ["Hold 5 seconds.", "", "caf\u00e9 \u2013 3\u00d710", "plain again", "tab\there", "no\u00a0break",
             "x\u2603y", "~{}|", "\x7f", "Kn\u00e9e", "Relax, then repeat 10 times."] * 3
    for _ in range(2):  # two documents: each has its own subsets
        doc_ours, doc_theirs = PDFDocument(), PDFDocument()
        for text in texts:
            assert ours.splitString(text, doc_ours) == theirs.splitString(text, doc_theirs), repr(text)
        assert ours.state[doc_ours].subsets == theirs.state[doc_theirs].subsets
        assert ours.state[doc_ours].assignments == theirs.state[doc_theirs].assignments


# Everything the handouts print, and text that is not plain ASCII: accents, dashes, quotes,
# a no-break space, a long unbroken word (each in a note, a title, a name and a step).
UNUSUAL = {"spec_version": 1, "title": "Zo\u00eb \u00c5ngstr\u00f6m\u2013N\u00fa\u00f1ez: \u2018hip\u2019 plan",
           "patient": {"name": "Ren\u00e9e O\u2019Brien"}, "notes": "Stop \u2014 rest 2\u00a0min. " + "x" * 90,
           "intro": "Caf\u00e9 stairs \u00d7 3, then \u201cwalk\u201d.",
           "sections": [{"title": "\u00c9tirements", "exercises": [
               {"ref": "bridge", "notes": "\u00bd a rep \u2026 then \u00be", "dosage": {"reps": 8, "sets": 2}},
               "clamshell", {"ref": "side-lying-hip-abduction", "dosage": {"side": "left"}}]}]}


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
@pytest.mark.parametrize("example", ["therapydia-six", "postpartum-hip", "hip-pain-general", "mixed-short",
                                     "hip-stretches-gentle", "unusual"])
def test_plain_paragraphs_are_drawn_byte_for_byte_as_reportlab_draws_them(monkeypatch, tmp_path, example,
                                                                         template):
    """render/plaintext.py writes the text operators of most paragraphs itself, and keeps
    them to use again. Each example built with it (once making them, once using the kept
    ones) and with reportlab's own drawing (numbered steps, bullets, bold runs, lines set
    with tighter word spaces, accents, dashes, several fonts and colours) must give the same
    bytes; and it must have drawn most paragraphs, or the comparison proves nothing. The
    examples run one after another in one process, so kept text objects meet documents
    that number their fonts differently."""
    import json

    from routinepress.api import build_handout
    from routinepress.render import plaintext, replay

    # Every paragraph drawn, none written again from a whole card's or table's recording
    monkeypatch.setattr(replay, "draw", lambda flowable, key, owner, drawing: drawing())
    spec = HANDOUTS / f"{example}.json"
    if example == "unusual":
        spec = tmp_path / "unusual.json"
        spec.write_text(json.dumps(UNUSUAL))
    handled = []

    def counted(para):
        drawn = plaintext.draw_plain(para)
        handled.append(drawn)
        return drawn

    monkeypatch.setattr(styles, "draw_plain", counted)
    plaintext._DRAWN.clear()
    ours = build_handout(spec, template=template)  # each text object made (or met again in the document)
    replayed = build_handout(spec, template=template)  # most text objects kept from the first build
    kept = len(plaintext._DRAWN)
    monkeypatch.setattr(styles, "draw_plain", lambda para: False)
    theirs = build_handout(spec, template=template)
    assert ours == theirs, f"{example}, {template}: the plain drawing differs from reportlab's"
    assert replayed == theirs, f"{example}, {template}: a kept text object differs from reportlab's"
    assert sum(handled) > len(handled) * 0.7 and kept > 20, (sum(handled), len(handled), kept)


def test_measuring_a_keeptogether_copies_the_frame_through_our_shallow_copy(monkeypatch):
    """reportlab measures a KeepTogether against a deep copy of the current frame; the page's
    frame (document._BodyFrame) answers with a shallow copy. The measuring must still leave
    the frame as it was, and must go through that copy (else the class is dead code)."""
    import io

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, KeepTogether

    from routinepress.render import document

    frame = document._BodyFrame(0, 0, 300, 500, id="body")
    doc = BaseDocTemplate(io.BytesIO())
    canvas = Canvas(io.BytesIO())
    canvas._doctemplate, doc.frame = doc, frame
    before = dict(frame.__dict__)
    copies = []
    original = document._BodyFrame.__deepcopy__
    monkeypatch.setattr(document._BodyFrame, "__deepcopy__",
                        lambda self, memo: copies.append(1) or original(self, memo))
    style = ParagraphStyle("t", fontSize=12, leading=14)
    kept = KeepTogether([styles.Paragraph("Lift your hips. " * 20, style), styles.Paragraph("Lower them.", style)])
    kept.wrapOn(canvas, 300, 500)
    assert copies, "reportlab no longer copies the frame to measure: _BodyFrame can go"
    assert doc.frame is frame and frame.__dict__ == before and kept._H > 14 * 3


def test_every_stream_is_deflated_through_our_level(tmp_path):
    """document.py sets the deflate level on reportlab's one stream-filter object. Every page
    and font stream of a handout must still come out through it: each is exactly zlib's
    output at DEFLATE_LEVEL for its decoded bytes (reportlab's own default is level 6). The
    drawings' forms are compressed once a process by forms.py, at its own level."""
    import zlib

    import pikepdf
    from reportlab.pdfbase import pdfdoc

    from routinepress.api import build_handout_file
    from routinepress.render import document, forms

    assert pdfdoc.PDFZCompress.encode is document._deflate
    out = build_handout_file(HANDOUTS / "mixed-short.json", tmp_path / "h.pdf")
    streams = drawings = 0
    with pikepdf.open(out) as pdf:
        for obj in pdf.objects:
            filters = obj.get("/Filter") if isinstance(obj, pikepdf.Stream) else None
            if filters is not None and [str(f) for f in (filters if isinstance(filters, pikepdf.Array)
                                                         else [filters])] == ["/FlateDecode"]:
                raw, data = obj.read_raw_bytes(), obj.read_bytes()
                drawing = obj.get("/Subtype") == "/Form" and not obj.get("/Resources")
                level = forms.DEFLATE_LEVEL if drawing else document.DEFLATE_LEVEL
                assert raw == zlib.compress(data, level), obj.objgen
                streams += 1
                drawings += drawing
    assert streams >= 8  # pages, fonts, font programs and page-number forms
    assert drawings >= 4  # the poses


def test_only_the_upright_faces_are_loaded_and_italic_markup_reads_upright():
    """Two font files are parsed, not four; an <i> (nothing in a handout asks for one) is drawn
    in the upright face of the same weight instead of failing for want of an italic font."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import SimpleDocTemplate

    from routinepress.render import fonts

    fonts.register()
    family = {name for name in pdfmetrics.getRegisteredFontNames() if name.startswith("Atkinson")}
    assert family == {fonts.REGULAR, fonts.BOLD}
    style = ParagraphStyle("t", fontName=fonts.REGULAR, fontSize=12)
    para = PlatypusParagraph("plain <i>slanted</i> <b>bold <i>both</i></b>", style)
    used = [(frag.text, frag.fontName) for frag in para.frags]
    assert used == [("plain ", fonts.REGULAR), ("slanted", fonts.REGULAR), (" ", fonts.REGULAR),
                    ("bold ", fonts.BOLD), ("both", fonts.BOLD)]
    SimpleDocTemplate(io.BytesIO()).build([para])  # draws without an italic font registered
    # The upright faces read back as upright (plain text is not marked italic).
    from reportlab.lib.fonts import ps2tt

    assert ps2tt(fonts.REGULAR)[1:] == (0, 0) and ps2tt(fonts.BOLD)[1:] == (1, 0)
    assert [(f.bold, f.italic) for f in PlatypusParagraph("plain", style).frags] == [(0, 0)]


def test_pdf_names_and_encodings_are_kept_answers_of_reportlabs_own(monkeypatch):
    """formatting.py answers reportlab's PDFName and pdfdocEnc from what they answered before:
    a build must use them (if reportlab stopped looking them up in pdfdoc, nothing would be
    kept), a second build make no new answer, and the bytes be those of reportlab's own."""
    from reportlab.pdfbase import pdfdoc

    from routinepress.api import build_handout
    from routinepress.render import document, formatting

    assert document.formatting is formatting  # imported with the document, which installs them
    assert pdfdoc.PDFName is formatting.pdf_name and pdfdoc.pdfdocEnc is formatting.pdfdoc_encoded
    for text in ("Type", "FormXob.page_of_12_footer", "a b", "(x)#", "caf\u00e9", "", "12 0 R", "x" * 200):
        assert formatting.pdf_name(text) == formatting._reportlab_name(text)
        assert formatting.pdf_name(text) == formatting._reportlab_name(text)  # kept
        assert formatting.pdfdoc_encoded(text) == formatting._reportlab_encoding(text)
    assert formatting.pdfdoc_encoded(b"\x00\xff") == b"\x00\xff"
    formatting._NAMES.clear()
    formatting._ENCODED.clear()
    before = dict(formatting.counts)
    spec = HANDOUTS / "mixed-short.json"
    first = build_handout(spec)
    assert formatting.counts["names"] > before["names"] + 10 and formatting.counts["encoded"] > before["encoded"] + 10
    made = dict(formatting.counts)
    assert build_handout(spec) == first
    assert formatting.counts == made
    monkeypatch.setattr(pdfdoc, "PDFName", formatting._reportlab_name)
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", formatting._reportlab_encoding)
    assert build_handout(spec) == first


def test_page_number_forms_share_resources_formatted_once_as_reportlab_makes_them(monkeypatch):
    """document.py hands every page-number form one resource dictionary, formatted once a
    document. The bytes must be those reportlab gives when each form makes its own."""
    from reportlab.pdfgen.canvas import Canvas

    from routinepress.api import build_handout
    from routinepress.render import document

    formatted = []
    real_format = document._FormattedOnce.format
    monkeypatch.setattr(document._FormattedOnce, "format",
                        lambda self, doc: formatted.append(self.formatted is None) or real_format(self, doc))
    spec = HANDOUTS / "mixed-short.json"
    shared = build_handout(spec)
    assert formatted.count(True) == 1 and len(formatted) >= 3  # one form a page, three pages or more
    real_end = Canvas.endForm
    monkeypatch.setattr(Canvas, "endForm", lambda self, **attributes: real_end(self))
    assert build_handout(spec) == shared
