"""Review outputs for the catalog's pictures: the contact sheet and one exercise's images."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, TableStyle

from ..catalog import Exercise
from ..templates import load_template
from ..wording import Words
from .pictures import PictureSource, picture_grid
from .styles import Paragraph, Table, esc, make_styles

SHEET_PICTURE = (75 * mm, 48 * mm)
# The steps column of the review sheet never gets narrower than this; pictures that would
# squeeze it go one above the other instead, as on a card with "stacked" pictures.
STEPS_MIN_WIDTH = 75 * mm


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
    return _document(story, styles, "routinepress catalog contact sheet")


def sheet_sizes(names: list[str]) -> list[tuple[str, float, float, float]]:
    """Picture sizes for the review sheet: template names (or 'all'), or W x H in millimetres."""
    import re

    from ..errors import Diagnostic, InputError
    from ..templates import builtin_names

    out = []
    for name in names:
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[xX]\s*(\d+(?:\.\d+)?)\s*", name)
        if found:
            w, h = float(found[1]), float(found[2])
            if not (15 <= w <= 180 and 10 <= h <= 180):
                raise InputError([Diagnostic("--size", "", f"{name}: pictures must be 15-180 mm wide, 10-180 mm high")])
            out.append((f"{w:g} x {h:g} mm", w * mm, h * mm, 1.0))
            continue
        for template_name in builtin_names() if name == "all" else [name]:
            card = load_template(template_name).data["card"]
            out.append((f"the {template_name} template's size", card["illustration_width_mm"] * mm,
                         card["illustration_height_mm"] * mm, card["line_scale"]))
    return out


def review_sheet(exercises: list[Exercise], sizes: list[tuple[str, float, float, float]],
                 page_size: str = "letter") -> bytes:
    """Each exercise's pictures at printed sizes beside its numbered steps, one section per size.

    A size is (label, width, height, line scale) in points, usually a template's card picture:
    a reviewer checks that each picture says what its steps say, at the size a patient sees.
    """
    styles = make_styles(load_template("standard"), page_size)
    pictures = PictureSource()
    words = Words("en")
    story: list = []
    for n, (label, width, height, line_scale) in enumerate(sizes):
        if n:
            story.append(PageBreak())
        story.append(Paragraph(esc(f"Pictures at {label} ({width / mm:g} x {height / mm:g} mm)"), styles.heading))
        for exercise in exercises:
            title = Paragraph(f"{esc(exercise.name)} <font size={styles.small.fontSize}>({esc(exercise.id)})</font>",
                              styles.card_title)
            # The steps as a patient reads them at the entry's default dose, placeholders filled.
            filled = [text for step in exercise.steps if (text := words.step(step, exercise.default_dosage))]
            steps = [Paragraph(esc(step), styles.step, bulletText=f"{i}.") for i, step in enumerate(filled, 1)]
            flows = pictures.flowables(exercise.illustrations, width, height, mirror=False, line_scale=line_scale)
            if not flows:
                story.append(KeepTogether([title, Paragraph("(no illustrations)", styles.body), *steps]))
                continue
            across = len(flows) * (width + styles.gap) + STEPS_MIN_WIDTH <= styles.frame_width
            grid = picture_grid(flows, [i.caption for i in exercise.illustrations], styles, width,
                                columns=len(flows) if across else 1)
            left = (len(flows) if across else 1) * (width + styles.gap)
            row = Table([[grid, steps]], colWidths=[left, styles.frame_width - left])
            row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), styles.gap)]))
            story.append(KeepTogether([title, row]))
    return _document(story, styles, "routinepress catalog review sheet")


def _document(story: list, styles, title: str) -> bytes:
    buffer = io.BytesIO()
    m = styles.margins
    doc = SimpleDocTemplate(buffer, pagesize=(styles.page_width, styles.page_height), invariant=1,
                            leftMargin=m["left"], rightMargin=m["right"], topMargin=m["top"], bottomMargin=m["bottom"],
                            title=title, creator="routinepress", initialFontName=styles.body.fontName)
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
