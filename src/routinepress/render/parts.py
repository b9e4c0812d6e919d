"""The handout's parts as platypus flowables: front matter, stop-if box, at a glance, cards, notes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    FrameBreak,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Spacer,
    TableStyle,
)

from ..model import Card, Handout
from .pictures import PictureSource, RecordedDrawing, picture_grid
from .styles import Paragraph, Styles, Table, esc

Words = Mapping[str, str]  # the handout's labels, in its language

BULLET = "\u2022"


def front_matter(handout: Handout, styles: Styles, words: Words, pictures: PictureSource) -> list[Flowable]:
    """Title, who it is for, and how to reach the clinician, with the logo on the right."""
    left: list[Flowable] = [Paragraph(esc(handout.title), styles.title)]
    if handout.subtitle:
        left.append(Paragraph(esc(handout.subtitle), styles.subtitle))
    facts = []
    if handout.patient:
        facts.append(f"<b>{esc(words['patient'])}:</b> {esc(handout.patient)}")
    if handout.date:
        facts.append(f"<b>{esc(words['date'])}:</b> {esc(handout.date)}")
    if facts:
        left.append(Paragraph("&nbsp;&nbsp;&nbsp; ".join(facts), styles.body))
    contact = _clinician_line(handout.clinician)
    if contact:
        left.append(Paragraph(f"<b>{esc(words['clinician'])}:</b> {contact}", styles.body))
    if not handout.logo:
        return left + [Spacer(1, styles.gap)]
    from .images import RasterImage

    logo_w, logo_h = 45 * mm, 22 * mm
    prepared = pictures.images.get(Path(handout.logo), logo_w, logo_h)
    height_bound = prepared.aspect < logo_w / logo_h  # narrower than the box: its height sets the size
    w, h = (logo_h * prepared.aspect, logo_h) if height_bound else (logo_w, logo_w / prepared.aspect)
    table = Table([[left, RasterImage(prepared, w, h)]],
                  colWidths=[styles.frame_width - logo_w - styles.gap, logo_w + styles.gap])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, styles.gap)]


def _clinician_line(clinician: dict[str, str]) -> str:
    name = ", ".join(x for x in (clinician.get("name"), clinician.get("credentials")) if x)
    parts = [name] + [clinician.get(k, "") for k in ("clinic", "phone", "email", "address")]
    return " &middot; ".join(esc(p) for p in parts if p)


def stop_box(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """Shaded, heavily bordered box: reads on a black-and-white printer and stands out on page 1.

    The general and routine warnings run full width; the exercises' own red flags go two to a
    row, which halves the box for a long routine. Rows are the split points if it must
    continue on the next page; the box is not moved whole to page 2 even when it would fit
    there, because the warnings belong on page 1, under the title, where everyone looks.
    """
    indented = styles.stop_line
    rows: list[list[object]] = [[Paragraph(esc(words["stop_if_title"]), styles.heading), ""]]
    rows += [[Paragraph(esc(line), indented, bulletText=BULLET), ""] for line in handout.stop_if]
    spans = list(range(len(rows)))
    # The heading and the "Take care" label each stay with the row after them.
    keep_with_next = [0]
    if handout.red_flags:
        spans.append(len(rows))
        keep_with_next.append(len(rows))
        rows.append([Paragraph(esc(words["red_flags"]) + ":", styles.label), ""])
        cells = [Paragraph(f"<b>{esc(flags.exercise)}:</b> {esc(' '.join(flags.lines))}", indented, bulletText=BULLET)
                 for flags in handout.red_flags]
        rows += [[cells[i], cells[i + 1] if i + 1 < len(cells) else ""] for i in range(0, len(cells), 2)]
    table = _StopTable(rows, colWidths=[styles.frame_width / 2] * 2, splitInRow=1, repeatRows=1)
    border = styles.colour("stop_border")
    table.continued_heading = Paragraph(esc(words["stop_if_continued"]), styles.heading)
    table.border = border
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), styles.colour("stop_fill")),
        ("BOX", (0, 0), (-1, -1), 2.5, border),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), _StopTable.ROW_PADDING),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), _StopTable.END_PADDING),
        *[("SPAN", (0, r), (1, r)) for r in spans],
        *[("NOSPLIT", (0, r), (-1, r + 1)) for r in keep_with_next],
    ]))
    return [table, Spacer(1, styles.gap * 1.5)]


class _StopTable(Table):
    """The stop-if table, split so that each page has a closed box of its own, and the part
    on the next page starts with a "continued" heading instead of being an unlabelled grey box.

    repeatRows=1 carries the heading row over (and never leaves it alone at a page foot);
    its text is swapped here. reportlab leaves a split box open at the cut, so the first
    part gets the box's bottom border and end padding here (a "splitlast" style would also
    rule a line under the next part's heading, and its padding is not counted in the cut).
    The rest starts on the next page: reportlab would otherwise fill the space left under
    the first part with the top of the rest, a second box that cuts a warning in two.
    """

    ROW_PADDING, END_PADDING = 1, 8
    continued_heading: Paragraph | None = None
    border: Color | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # Cut with room for the end padding the first part gets, so that it still fits.
        parts = super().split(availWidth, availHeight - (self.END_PADDING - self.ROW_PADDING))
        if len(parts) == 2:
            first, rest = parts
            first.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 2.5, self.border),
                                       ("BOTTOMPADDING", (0, -1), (-1, -1), self.END_PADDING)]))
            # A new row list: reportlab shares the heading row's list with the first part.
            rest._cellvalues[0] = [self.continued_heading, ""]
            rest.continued_heading, rest.border = self.continued_heading, self.border
            return [first, FrameBreak(), rest]
        return parts


def before_you_start(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """Advice to act on before the first session (see a doctor after a fall, say): a note at the
    top, not a reason to stop mid-exercise, so it stays out of the stop-if box."""
    if not handout.before_you_start:
        return []
    items = [Paragraph(esc(line), styles.step, bulletText=BULLET) for line in handout.before_you_start]
    return [_boxed([Paragraph(esc(words["before_you_start"]), styles.label), *items], styles)]


def pain_rule(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """The clinician's rule for how much pain is acceptable, boxed next to the reasons to stop."""
    if not handout.pain_rule:
        return []
    return [_boxed([Paragraph(esc(words["pain_rule_title"]), styles.label),
                    Paragraph(esc(handout.pain_rule), styles.body)], styles)]


def _boxed(content: list[Flowable], styles: Styles) -> Table:
    table = Table([[content]], colWidths=[styles.frame_width])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, styles.colour("stop_border")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    table.spaceAfter = styles.gap * 1.5
    return table


def intro(handout: Handout, styles: Styles) -> list[Flowable]:
    return [Paragraph(esc(p), styles.body) for p in handout.intro.split("\n\n") if p.strip()]


def at_a_glance(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    header = [Paragraph(esc(words[k]), styles.label) for k in ("exercise", "dose", "how_often")]
    rows: list[list[object]] = [header]
    section_rows = []
    for section in handout.sections:
        if len(handout.sections) > 1:
            section_rows.append(len(rows))
            rows.append([Paragraph(esc(section.title), styles.label), "", ""])
        for card in section.cards:
            rows.append([
                Paragraph(f"{card.number}. {esc(card.name)}", styles.body_bold),
                Paragraph(esc(card.dose_summary), styles.body),
                Paragraph(esc(card.frequency_text), styles.body),
            ])
    width = styles.frame_width
    table = Table(rows, colWidths=[width * 0.34, width * 0.40, width * 0.26], repeatRows=1, splitInRow=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), styles.colour("table_header_fill")),
        ("GRID", (0, 0), (-1, -1), 0.75, styles.colour("rule")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for r in section_rows:
        commands += [("SPAN", (0, r), (-1, r)), ("LINEABOVE", (0, r), (-1, r), 1.5, styles.colour("rule"))]
    table.setStyle(TableStyle(commands))
    title = esc(words["at_a_glance"])
    # Together: a table that fits on a page starts on one with its heading, never a row or
    # two at the foot of the page before.
    return [KeepTogether(continued_under(Paragraph(f"{title} {esc(words['continued'])}", styles.heading),
                                         [Paragraph(title, styles.heading), table]))]


class _TopOfEachPage(Flowable):
    """Takes no space; where it is placed, sets what each new page starts with.

    It acts when the frame places it (frameAction), not when it is measured: KeepTogether
    measures what follows before deciding where it goes.
    """

    def __init__(self, heading: Flowable | None):
        super().__init__()
        self.heading = heading

    def frameAction(self, frame) -> None:
        self.canv._doctemplate._topFlowables = [self.heading] if self.heading else []


def continued_under(heading: Flowable, content: list[Flowable]) -> list[Flowable]:
    """`content`, and if it runs onto another page, `heading` ("... (continued)") at that
    page's top: the reader of a card's second page knows which exercise it belongs to."""
    return [_TopOfEachPage(heading), *content, _TopOfEachPage(None)]


def dosing_notes(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """The catalog's general advice on how to exercise, as a headed list; nothing if there is none.

    Kept on one page when it fits, so the list is read as a whole and never continues
    unlabelled at the top of the next page (a list longer than a page still splits).
    """
    if not handout.dosing_notes:
        return []
    items = [Paragraph(esc(note), styles.step, bulletText=BULLET) for note in handout.dosing_notes]
    return [KeepTogether([Paragraph(esc(words["dosing_notes_title"]), styles.heading), *items])]


def cards(handout: Handout, styles: Styles, words: Words, pictures: PictureSource) -> list[Flowable]:
    one_per_page = styles.template["card"]["per_page"] == 1
    story: list[Flowable] = []
    for section in handout.sections:
        heading = Paragraph(esc(section.title), styles.heading)
        for i, card in enumerate(section.cards):
            body = continued_under(
                Paragraph(f"{card.number}. {esc(card.name)} {esc(words['continued'])}", styles.card_title),
                card_flowables(card, styles, words, pictures))
            if one_per_page:
                story.append(PageBreak())
            if i == 0:
                body.insert(0, heading)  # keep the section title on the page of its first card
            story.append(KeepTogether(body))
    if not one_per_page:
        story.insert(0, CondPageBreak(styles.frame_height * 0.3))
    return story


def card_flowables(card: Card, styles: Styles, words: Words, pictures: PictureSource) -> list[Flowable]:
    """Name; pictures with the dose and steps; tips and cautions; the clinician's notes.

    With "stacked" pictures the dose and steps sit beside them and the tips and cautions
    share a row below, so lines stay at a comfortable length and the card stays short.
    """
    t = styles.template["card"]
    out: list[Flowable] = [
        HRFlowable(width="100%", thickness=2, color=styles.colour("card_border"), spaceBefore=styles.gap, spaceAfter=3),
        Paragraph(f"{card.number}. {esc(card.name)}", styles.card_title),
    ]
    if t["show_summary"] and card.summary:
        out.append(Paragraph(esc(card.summary), styles.body))
    beside = bool(card.pictures) and t["pictures"] == "stacked"
    picture_width = t["illustration_width_mm"] * mm
    left_width = picture_width + styles.gap * 3 if beside else 0
    how = [_dose_table(card, styles, styles.frame_width - left_width), Paragraph(esc(words["steps"]), styles.label)]
    how += [Paragraph(esc(step), styles.step, bulletText=f"{n}.") for n, step in enumerate(card.steps, 1)]
    if card.pictures:
        height = t["illustration_height_mm"] * mm
        flows = pictures.flowables(card.pictures, picture_width, height, card.mirror, t["line_scale"])
        captions = [i.caption for i in card.pictures]
        if beside:
            how = [_columns([picture_grid(flows, captions, styles, picture_width, columns=1)], how,
                            left_width, styles)]
        else:
            how.insert(0, picture_grid(flows, captions, styles, picture_width, columns=None))
    out += how
    tips = _list_block(words["tips"], card.tips, styles)
    cautions = _list_block(words["cautions"], card.care, styles)
    if tips and cautions and t["pictures"] == "stacked":
        out.append(_columns(tips, cautions, styles.frame_width / 2, styles))
    else:
        out += tips + cautions
    if card.notes:
        out.append(_notes_box(words["notes_for_you"], card.notes, styles))
    for key, lines in (("progressions", card.progressions), ("regressions", card.regressions)):
        if lines:
            out.append(Paragraph(f"<b>{esc(words[key])}:</b> {esc('; '.join(lines))}", styles.body))
    if card.video_url:
        out.append(_video(card.video_url, styles, words))
    return out


def _columns(left: list[Flowable], right: list[Flowable], left_width: float, styles: Styles) -> Table:
    """Two columns of flowables side by side, top-aligned; splits between pages if it must."""
    table = Table([[left, right]], colWidths=[left_width, styles.frame_width - left_width], splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), styles.gap),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _dose_table(card: Card, styles: Styles, width: float) -> Table:
    """The dose as a table: a label column ("rows") or labels across the top ("columns", shorter)."""
    labels = [Paragraph(esc(label), styles.label) for label, _ in card.dose_rows]
    values = [Paragraph(esc(value), styles.body_bold) for _, value in card.dose_rows]
    if styles.template["card"]["dose_layout"] == "columns":
        table = Table([labels, values], colWidths=[width / len(labels)] * len(labels), hAlign="LEFT", splitInRow=1)
        header = ("BACKGROUND", (0, 0), (-1, 0), styles.colour("table_header_fill"))
    else:
        label_width = styles.body.fontSize * 6.5
        value_width = min(styles.body.fontSize * 15, width - label_width)
        table = Table(list(zip(labels, values)), colWidths=[label_width, value_width],
                      hAlign="LEFT", splitInRow=1)
        header = ("BACKGROUND", (0, 0), (0, -1), styles.colour("table_header_fill"))
    table.setStyle(TableStyle([
        header,
        ("BOX", (0, 0), (-1, -1), 1, styles.colour("rule")),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, styles.colour("rule")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    table.spaceBefore, table.spaceAfter = styles.gap * 0.5, styles.gap
    return table


def _list_block(title: str, items: tuple[str, ...], styles: Styles) -> list[Flowable]:
    if not items:
        return []
    return [Paragraph(esc(title), styles.label)] + [
        Paragraph(esc(item), styles.step, bulletText=BULLET) for item in items
    ]


def _notes_box(title: str, text: str, styles: Styles) -> Table:
    table = Table([[Paragraph(esc(title), styles.label)], [Paragraph(esc(text), styles.body)]],
                  colWidths=[styles.frame_width], splitInRow=1)
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, styles.colour("stop_border")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    table.spaceBefore = styles.gap * 0.5
    return table


def _video(url: str, styles: Styles, words: Words) -> Table:
    from reportlab.graphics.barcode.qr import QrCodeWidget  # rarely needed; costs 8 ms to import
    from reportlab.graphics.shapes import Drawing

    size = 22 * mm
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    code = RecordedDrawing.record(drawing)  # recorded without renderPDF's stray Helvetica selection
    text = Paragraph(f"<b>{esc(words['video'])}:</b><br/>{esc(url)}", styles.body)
    table = Table([[code, text]], colWidths=[size + 8, styles.frame_width - size - 8], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def closing_notes(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    if not handout.notes:
        return []
    return [Paragraph(esc(words["notes"]), styles.heading)] + [
        Paragraph(esc(p), styles.body) for p in handout.notes.split("\n\n") if p.strip()
    ]
