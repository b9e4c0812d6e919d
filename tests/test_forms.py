"""render/forms.py: recorded drawings are forms, which must print exactly as the inline
operators they replace, and whose compressed bytes are made once per process."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import HANDOUTS

from routinepress.api import build_handout
from routinepress.render import drawings, forms, replay


def _inline(monkeypatch) -> None:
    """Drawings written into the page streams, as before forms.py (and nothing replayed, so
    that no recording made with forms is written)."""
    monkeypatch.setattr(drawings.RecordedDrawing, "draw", lambda self: self.canv._code.append(self.operators))
    monkeypatch.setattr(replay, "draw", lambda flowable, key, owner, drawing: drawing())


def _pages(pdf: bytes) -> list[tuple[bytes, str]]:
    """Each page's pixels at 100 dpi and its text."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [(page.render(scale=100 / 72).to_pil().tobytes(), page.get_textpage().get_text_range())
                for page in doc]
    finally:
        doc.close()


def _drawing_forms(pdf: bytes) -> tuple[list[bytes], list[bytes]]:
    """The decoded page streams, and the drawings' forms (forms with no resources)."""
    import io

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = [page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                 else b"".join(part.read_bytes() for part in page.Contents) for page in doc.pages]
        found = [obj.read_bytes() for obj in doc.objects
                 if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form" and not obj.get("/Resources")]
    return pages, found


@pytest.mark.parametrize("spec, template", [("hip-pain-general", "standard"), ("therapydia-six", "compact"),
                                            ("mixed-short", "large-print")])
def test_pages_with_forms_print_as_pages_with_inline_drawings(monkeypatch, spec, template):
    """Every page rasterised at 100 dpi: the same pixels, and the same text, either way."""
    with_forms = build_handout(HANDOUTS / f"{spec}.json", template=template)
    page_streams, drawn = _drawing_forms(with_forms)
    assert len(drawn) >= 4, "the poses were not made forms"
    assert not any(form in page for form in drawn for page in page_streams), "a drawing is still inline"
    with monkeypatch.context() as m:
        _inline(m)
        inline = build_handout(HANDOUTS / f"{spec}.json", template=template)
    assert _drawing_forms(inline)[1] == []
    assert with_forms != inline
    forms_pages, inline_pages = _pages(with_forms), _pages(inline)
    assert len(forms_pages) == len(inline_pages)
    for number, (a, b) in enumerate(zip(forms_pages, inline_pages), 1):
        assert a[1] == b[1], f"page {number}: the text differs"
        assert a[0] == b[0], f"page {number}: the pixels differ"


def test_a_form_is_packed_once_a_process_and_written_once_a_document(monkeypatch):
    """A second build packs nothing and gives the same bytes; each drawing is one object
    however often the pages use it; other operators are another form."""
    packs: list[str] = []
    pack = forms._pack
    monkeypatch.setattr(forms, "_pack", lambda operators, w, h: packs.append(operators) or pack(operators, w, h))
    forms._PACKED.clear()
    replay._RECORDED.clear()
    first = build_handout(HANDOUTS / "mixed-short.json")
    assert packs, "nothing was packed"
    made = len(packs)
    second = build_handout(HANDOUTS / "mixed-short.json")
    assert len(packs) == made, "a form was packed again"
    assert first == second
    _, drawn = _drawing_forms(first)
    assert sorted(drawn) == sorted({p.encode() for p in packs}), "a drawing is not one form of its document"

    a = forms._packed(packs[0], 10.0, 20.0)
    assert forms._packed(packs[0], 10.0, 20.0) is a
    assert forms._packed(packs[0] + "\n0 0 m", 10.0, 20.0).name != a.name
    assert forms._packed(packs[0], 10.0, 21.0).name != a.name  # its box differs


def test_an_encrypted_document_is_refused_rather_than_written_unreadable():
    import io

    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), encrypt="secret")
    forms.place(canvas, "0 0 m 10 10 l S", 10, 10)
    canvas.showPage()
    with pytest.raises(ValueError, match="encrypted"):
        canvas.save()
