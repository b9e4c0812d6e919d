"""Review outputs for the catalog's pictures: the contact sheet and one exercise's images."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, SimpleDocTemplate

from ..catalog import Exercise
from ..templates import load_template
from .pictures import PictureSource, picture_grid
from .styles import Paragraph, esc, make_styles

SHEET_PICTURE = (75 * mm, 48 * mm)


def contact_sheet(exercises: list[Exercise], page_size: str = "letter") -> bytes:
    """Every exercise's illustrations side by side with its name, for review."""
    styles = make_styles(load_template("standard"), page_size)
    pictures = PictureSource()
    width, height = SHEET_PICTURE
    story = []
    for exercise in exercises:
        flows = pictures.flowables(exercise.illustrations, width, height, mirror=False, line_scale=1.0)
        markup = f"{esc(exercise.name)} <font size={styles.small.fontSize}>({esc(exercise.id)})</font>"
        title = Paragraph(markup, styles.card_title)
        block = [title]
        if flows:
            block.append(picture_grid(flows, [i.caption for i in exercise.illustrations], styles, width, columns=None))
        else:
            block.append(Paragraph("(no illustrations)", styles.body))
        story.append(KeepTogether(block))
    buffer = io.BytesIO()
    m = styles.margins
    doc = SimpleDocTemplate(buffer, pagesize=(styles.page_width, styles.page_height), invariant=1,
                            leftMargin=m["left"], rightMargin=m["right"], topMargin=m["top"], bottomMargin=m["bottom"],
                            title="routinepress catalog contact sheet", creator="routinepress",
                            initialFontName=styles.body.fontName)
    doc.build(story)
    return buffer.getvalue()


def exercise_images(exercise: Exercise, out_dir: Path, fmt: str, mirror: bool = False) -> list[Path]:
    """Write each of an exercise's pictures as its own PNG or PDF file; returns the paths."""
    from ..build import write_atomic

    width, height = SHEET_PICTURE
    flows = PictureSource().flowables(exercise.illustrations, width, height, mirror=mirror, line_scale=1.0)
    written = []
    for n, (picture, flow) in enumerate(zip(exercise.illustrations, flows), 1):
        stem = f"{exercise.id}-{n}-{_slug(picture.caption) or 'picture'}"
        if not picture.is_pose:
            target = out_dir / f"{stem}{picture.path.suffix.lower()}"
            write_atomic(target, picture.path.read_bytes())
        else:
            target = out_dir / f"{stem}.{fmt}"
            pdf = _one_page(flow)
            write_atomic(target, pdf if fmt == "pdf" else _png(pdf))
        written.append(target)
    return written


def _one_page(flow) -> bytes:
    """A PDF page exactly the size of one picture."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(flow.width, flow.height), invariant=1)
    flow.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _png(pdf: bytes, dpi: int = 150) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
