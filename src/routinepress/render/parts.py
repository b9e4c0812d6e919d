"""The handout's parts as platypus flowables: front matter, stop-if box, at a glance, cards, notes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    Spacer,
    TableStyle,
)
from reportlab.platypus.doctemplate import NullActionFlowable

from ..model import Handout
from .cards import Columns, card_flowables, cards, stack_height  # noqa: F401  (cards: document.py names them here)
from .linebreaks import tie_units
from .pictures import PictureSource
from .shelf import Borrowed
from .styles import Paragraph, Styles, Table, esc, table_replay_key, text_width

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


def _clinician_line(clinician: Mapping[str, str]) -> str:
    name = ", ".join(x for x in (clinician.get("name"), clinician.get("credentials")) if x)
    parts = [name] + [clinician.get(k, "") for k in ("clinic", "phone", "email", "address")]
    # A dot ends the line it follows (a line that starts "· clinic@..." looks like a list)
    return "&nbsp;&middot; ".join(esc(p) for p in parts if p)


def stop_box(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """Shaded, heavily bordered box: reads on a black-and-white printer and stands out on page 1.

    The general and routine warnings run full width; the exercises' own red flags go two to a
    row, which halves the box for a long routine. Rows are the split points if it must
    continue on the next page; the box is not moved whole to page 2 even when it would fit
    there, because the warnings belong on page 1, under the title, where everyone looks.
    """
    if not handout.stop_if and not handout.red_flags:
        return []  # (a spec that leaves out every warning gets no empty box)
    indented = styles.stop_line
    rows: list[list[object]] = [[Paragraph(esc(words["stop_if_title"]), styles.heading), ""]]
    rows += [[Paragraph(esc(line), indented, bulletText=BULLET), ""] for line in handout.stop_if]
    spans = list(range(len(rows)))
    # The heading and the "Take care" label each stay with the row after them, where that
    # row is short: a row taller than a page can only be split, never kept with another.
    keep_with_next = [0]
    if handout.red_flags:
        label_row = len(rows)
        spans.append(label_row)
        rows.append([Paragraph(esc(words["red_flags"]) + ":", styles.label), ""])
        cells = [Paragraph(f"<b>{esc(flags.exercise)}:</b> {esc(' '.join(flags.lines))}", indented, bulletText=BULLET)
                 for flags in handout.red_flags]
        # Two to a row, except a long one (a third of a page at half width), which gets a
        # row of its own at full width: half as tall, and free to split at its lines.
        half = styles.frame_width / 2 - 2 * _StopTable.SIDE_PADDING
        long = [cell.wrap(half, styles.frame_height)[1] > styles.frame_height / 3 for cell in cells]
        pair: list[object] = []
        for cell, alone in zip(cells, long):
            if alone:
                spans.append(len(rows))
                rows.append([cell, ""])
                continue
            pair.append(cell)
            if len(pair) == 2:
                rows.append(pair)
                pair = []
        if pair:
            rows.append([pair[0], ""])
        if not long[0]:
            keep_with_next.append(label_row)
    widths = [styles.frame_width / 2] * 2
    table = _StopTable(rows, colWidths=widths, splitInRow=1, repeatRows=1)
    border = styles.colour("stop_border")
    table.continued_heading = Paragraph(esc(words["stop_if_continued"]), styles.heading)
    table.border = border
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), styles.colour("stop_fill")),
        ("BOX", (0, 0), (-1, -1), 2.5, border),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _StopTable.SIDE_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _StopTable.SIDE_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), _StopTable.ROW_PADDING),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), _StopTable.END_PADDING),
        *[("SPAN", (0, r), (1, r)) for r in spans],
        *[("NOSPLIT", (0, r), (-1, r + 1)) for r in keep_with_next],
    ]
    table.setStyle(TableStyle(commands))
    table.replay_key = table_replay_key(rows, widths, commands, "stop")
    return [table, Spacer(1, styles.gap)]


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

    ROW_PADDING, END_PADDING, SIDE_PADDING = 1, 8, 10
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
    commands = [("BOX", (0, 0), (-1, -1), 1.5, styles.colour("stop_border")),
                ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    table.setStyle(TableStyle(commands))
    table.replay_key = table_replay_key([[content]], [styles.frame_width], commands)
    table.spaceAfter = styles.gap * 1.5
    return table


def intro(handout: Handout, styles: Styles) -> list[Flowable]:
    return [Paragraph(esc(p), styles.body) for p in handout.intro.split("\n\n") if p.strip()]


def at_a_glance(handout: Handout, styles: Styles, words: Words, borrowed: Borrowed | None = None) -> list[Flowable]:
    """The table of every exercise's dose and how often. With `borrowed`, the one printed before
    for the same exercises, doses and labels is taken from the shelf (shelf.py), and one made
    here goes on it."""
    if not handout.show_at_a_glance:
        return []
    key = ("at a glance", tuple(words.items()), tuple(
        (section.title, tuple((c.number, c.name, c.dose_summary, c.frequency_text) for c in section.cards))
        for section in handout.sections))
    table = borrowed.take(key, styles) if borrowed is not None else None
    if table is None:
        table = _at_a_glance(handout, styles, words)
    if borrowed is not None:
        [glance] = table
        borrowed.hold(key, styles, table, glance.ready_again)
    return table


def _at_a_glance(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    header: list[object] = [Paragraph(esc(words[k]), styles.label) for k in ("exercise", "dose", "how_often")]
    rows: list[list[object]] = [header]
    section_rows = []
    for section in handout.sections:
        if len(handout.sections) > 1:
            section_rows.append(len(rows))
            rows.append([Paragraph(esc(section.title), styles.label), "", ""])
        for card in section.cards:
            rows.append([
                Paragraph(f"{card.number}. {esc(card.name)}", styles.body_bold),
                Paragraph(esc(tie_units(card.dose_summary)), styles.body),
                Paragraph(esc(tie_units(card.frequency_text)), styles.body),
            ])
    width = styles.frame_width
    # "How often" gets what its longest entry needs (one line a row), up to a quarter.
    often = max(text_width(text, styles.body)
                for text in [words["how_often"], *(c.frequency_text for c in handout.cards)]) + 14
    often = min(max(often, width * 0.15), width * 0.25)
    widths = [width * 0.33, width * 0.67 - often, often]
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), styles.colour("table_header_fill")),
        ("GRID", (0, 0), (-1, -1), 0.75, styles.colour("rule")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in section_rows:
        commands += [("SPAN", (0, r), (-1, r)), ("LINEABOVE", (0, r), (-1, r), 1.5, styles.colour("rule"))]
        if r + 1 < len(rows):  # a section's name never ends a page: it goes over with its first exercise
            commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
    table.setStyle(TableStyle(commands))
    table.replay_key = table_replay_key(rows, widths, commands)
    title = esc(words["at_a_glance"])
    # Its heading, column names and first rows start under what comes before when they fit
    # there (a page is not left half empty); it splits only between rows, leaving at least
    # GLANCE_LEAST_ROWS exercises on each side.
    return [StartHereIfRoom(continued_under(Paragraph(f"{title} {esc(words['continued'])}", styles.heading),
                                            [Paragraph(title, styles.heading), table]), GLANCE_LEAST_ROWS,
                            label_rows=frozenset(section_rows))]


GLANCE_LEAST_ROWS = 2


class StartHereIfRoom(KeepTogether):
    """A heading and one table (anything with `row_heights` and `header_rows`, repeated when
    it splits), kept together on one page as KeepTogether keeps them, unless the room left
    on this page holds the heading and at least `least_rows` of the table's rows: then it
    starts here and continues on the next page, which gets at least `least_rows` rows too.

    For a table that would otherwise move whole to the next page and leave this one half empty.
    """

    def __init__(self, flowables: list[Flowable], least_rows: int, label_rows: frozenset[int] = frozenset()):
        super().__init__(flowables)
        self.least_rows = least_rows
        self.label_rows = label_rows  # rows that name what follows (a section): not counted as rows
        self.table = next(f for f in flowables if hasattr(f, "row_heights"))
        # The table's two parts for each width and room, made once: kept on the shelf, it is
        # cut where it was cut before, and its parts are measured and drawn as before.
        self._parts_for: dict[tuple[float, float], list[Flowable]] = {}

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        at = self._content.index(self.table)
        above = stack_height(self._content[:at], aW) + (self._content[at - 1].getSpaceAfter() if at else 0)
        parts = self._parts(aW, aH - above) if self._H > aH else []
        if not parts:
            frame = getattr(self, "_frame", None)  # (set by the frame placing it, as KeepTogether reads it)
            if frame is not None and self._H > frame._height and not frame._atTop:
                # Taller than a page and too little room here: start at the top of the next
                # page, split there by this rule rather than at whatever row ends the page.
                return [FrameBreak(), self]
            return super().split(aW, aH)
        for flowable in self._content[:at]:
            # Placed one by one: a heading kept with the next flowable would be regrouped
            # with it into a KeepTogether, which would move both to the next page again.
            flowable.keepWithNext = 0
        return [*self._content[:at], parts[0], FrameBreak(), parts[1], *self._content[at + 1:]]

    def ready_again(self) -> bool:
        """Made ready to be placed in another handout: what split changed on its flowables undone."""
        for flowable in self._content:
            flowable.__dict__.pop("keepWithNext", None)  # (each takes its style's again)
        return True

    def _parts(self, width: float, room: float) -> list[Flowable]:
        if (width, room) not in self._parts_for:
            self._parts_for[width, room] = self._table_parts(width, room)
        return self._parts_for[width, room]

    def _table_parts(self, width: float, room: float) -> list[Flowable]:
        """The table cut in two with at least least_rows rows in each part, the first part
        fitting `room`; nothing if it cannot be."""
        table = self.table
        heights, header = table.row_heights(width), table.header_rows

        def counted(first: int, end: int) -> int:  # rows first..end-1 that count (not a section's name)
            return sum(1 for row in range(first, end) if row not in self.label_rows)

        fit = 0
        while header + fit < len(heights) and sum(heights[:header + fit + 1]) <= room:
            fit += 1
        while fit and counted(header + fit, len(heights)) < self.least_rows:
            fit -= 1
        if counted(header, header + fit) < self.least_rows:
            return []
        parts = table.split(width, sum(heights[:header + fit]) + 0.01)
        # The table may cut above the row asked for (a row kept with the next, NOSPLIT): the
        # first part must still hold least_rows rows.
        if len(parts) != 2 or counted(header, len(parts[0].row_heights(width))) < self.least_rows:
            return []
        return parts


class NotesBeforeTracker(Flowable):
    """The closing notes and then the tracker, as the template orders them, unless the notes
    would stand alone on a page: at the top of a page, with the tracker's first week too tall
    to follow them there. Then the notes go after the tracker's last week, where they fill
    a page the tracker leaves part empty, rather than leave one nearly blank.

    Never placed whole: the frame asks it to split, and it answers with its parts in the
    order chosen for the room where it stands.
    """

    def __init__(self, notes: list[Flowable], tracker: list[Flowable]):
        super().__init__()
        self.notes, self.tracker = notes, tracker

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 1  # taller than any room: split() decides

    def split(self, aW: float, aH: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)  # (set by the frame placing it; see test_internals)
        at_top = frame is None or bool(frame._atTop)
        notes_height = stack_height(self.notes, aW)
        if not at_top and notes_height + self.notes[0].getSpaceBefore() > aH:
            return []  # the notes miss this page too: decide at the top of the next one
        first = self.tracker[0]
        _, first_height = first.wrapOn(self.canv, aW, 1e6)  # (a KeepTogether measures on the canvas,
        if isinstance(first, KeepTogether):                  # and answers "too tall" to be split)
            first_height = first._H
        together = notes_height + max(self.notes[-1].getSpaceAfter(), first.getSpaceBefore()) + first_height
        if not at_top or together <= aH:
            order = [KeepTogether(self.notes), *self.tracker]
        else:
            order = [*self.tracker, KeepTogether(self.notes)]
        # The frame places a split's first part as it is: a no-op first, so that every part
        # is then placed (and kept together or split) by the usual rules.
        return [NullActionFlowable(), *order]


def notes_then_tracker(notes: list[Flowable], tracker: list[Flowable]) -> list[Flowable]:
    return [NotesBeforeTracker(notes, tracker)] if notes and tracker else notes + tracker


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


def continues_on_next_page(flowables: list[Flowable]) -> bool:
    """Whether these were laid out to run onto another page (see continued_under)."""
    return any(isinstance(f, _TopOfEachPage) for f in flowables)


def continued_under(heading: Flowable, content: list[Flowable]) -> list[Flowable]:
    """`content`, and if it runs onto another page, `heading` ("... (continued)") at that
    page's top: the reader of a card's second page knows which exercise it belongs to."""
    return [_TopOfEachPage(heading), *content, _TopOfEachPage(None)]


def dosing_notes(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    """The catalog's general advice on how to exercise, as a headed list in two columns (half
    the height on page 1); nothing if there is none. Kept on one page, read as a whole."""
    if not handout.dosing_notes:
        return []
    items = [Paragraph(esc(note), styles.step, bulletText=BULLET) for note in handout.dosing_notes]
    half = (styles.frame_width - styles.gap * 2) / 2
    # Split where the taller column is shortest.
    split = min(range(1, len(items) + 1),
                key=lambda n: max(stack_height(items[:n], half), stack_height(items[n:], half)))
    columns = Columns([(half, items[:split]), (half, items[split:])], styles.gap * 2)
    columns.replay_key, columns.replay_owner = ("dosing_notes", tuple(handout.dosing_notes)), styles
    return [KeepTogether([Paragraph(esc(words["dosing_notes_title"]), styles.heading), columns])]


def closing_notes(handout: Handout, styles: Styles, words: Words) -> list[Flowable]:
    if not handout.notes:
        return []
    return [Paragraph(esc(words["notes"]), styles.heading)] + [
        Paragraph(esc(p), styles.body) for p in handout.notes.split("\n\n") if p.strip()
    ]
