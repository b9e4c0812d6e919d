"""The tracker: per week, exercises down, days across, an empty box for each session; each
week drawn flat (WeekGrid), and split between rows only when it is taller than a page."""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

from ..errors import LayoutFailure
from ..model import Handout
from . import replay
from .cards import stack_height
from .parts import StartHereIfRoom, Words
from .styles import Paragraph, Styles, esc

BOX_LINE = 1.25  # a box's outline, heavier than the grid's, so a faint printer still shows it
GRID_LINE = 0.5
# Between one day's boxes, less than between a box and its cell's lines (DAY_PADDING): ten
# boxes a day read as a day's group each, not as one grid across the week.
BOX_GAP = 3.5
WEEK_LINE = 1.5  # between two weeks that share a table


PAIN_FIELD_INSET = 1.0  # a pain field stops short of its cell's grid lines, which a viewer's field shading would hide
PAIN_DIGITS = "10"  # the widest a 0-10 score is, and its length
SCORE_PADDING = 2.0  # a viewer keeps this much either side of a form field's text


def form_checkbox(canv, name: str, tooltip: str, x: float, y: float, size: float) -> None:
    """A form field on a drawn box, so a viewer without forms still shows the box. The
    tooltip (/TU) is the name a screen reader speaks; `name` is for programs."""
    canv.acroForm.checkbox(
        name=name, tooltip=tooltip, x=x, y=y, size=size, relative=True, buttonStyle="check",
        borderWidth=0, fillColor=None, borderColor=None, fieldFlags="", annotationFlags="print",
    )


def form_score(canv, name: str, tooltip: str, x: float, y: float, width: float, height: float,
               font_size: int) -> None:
    """A text field for a pain score over its drawn cell: two characters at most ("10"), no
    border or fill of its own, so the printed line still shows under it. (Form text takes
    one of PDF's standard fonts; Helvetica's digits are plain enough.)"""
    canv.acroForm.textfield(
        name=name, tooltip=tooltip, x=x, y=y, width=width, height=height, relative=True,
        fontName="Helvetica", fontSize=font_size, maxlen=len(PAIN_DIGITS), textColor=Color(0, 0, 0),
        borderWidth=0, fillColor=None, borderColor=None, fieldFlags="", annotationFlags="print",
    )
    # Centred in its cell, as the dates above it are (/Q 1; reportlab's textfield has no
    # argument for it, so it is set on the field's dictionary, the last one made).
    field = canv.acroForm.fields[-1]
    canv._doc.idToObject[field.name].dict["Q"] = 1


def score_font_size(styles: Styles, width: float) -> int:
    """The pain score's size: the label's own (the row is at least that tall), less where a
    narrow day column needs it, never below the template's small text. (Form fields take a
    whole number of points; a day column is always as wide as a bold two-digit date in small
    text, so "10" fits at that size.)"""
    least = math.ceil(styles.small.fontSize)
    fits = int(width / stringWidth(PAIN_DIGITS, "Helvetica", 1))
    return max(least, min(int(styles.label.fontSize), fits))


class WeekRow(NamedTuple):
    label: Flowable
    sessions: int  # boxes a day; 0 for a line to write a number on (the pain score)
    field: str | None = None  # this row's part of its fields' names, with --fillable ("ex3", "pain")
    # The row's printed words, for its fields' spoken names ("1. Clamshell", "Pain (0-10)"),
    # and for two or more boxes a day its printed target too ("2 times a day").
    title: str = ""
    target: str = ""


class GridStyle(NamedTuple):
    box: float
    per_line: int  # a day's boxes to a line: all of them, or two (three a day sit two over one, centred)
    min_row: float  # no body row is shorter
    pad: float  # above and below a day's boxes
    label_pad: float  # above and below an exercise's name
    name_padding: float
    day_padding: float
    rule: Color
    ink: Color
    header_fill: Color


class WeekGrid(Flowable):
    """A tracker week (or two side by side), or a run of its rows: names down, days across,
    a header of dates. `days` are the tracker's own columns, counted from its first day.

    Drawn flat, as the page shows it: the header's shading, the grid as one path, every
    box as one more, and each name and date placed in its cell. A table of flowables would
    lay out and draw each of the week's cells on its own. It splits between rows, the header
    repeated on the next page.
    """

    def __init__(self, header: list[Flowable], rows: list[WeekRow], widths: list[float], style: GridStyle,
                 days: range, page_height: float, day_titles: tuple[str, ...] = (), score_size: int = 0):
        super().__init__()
        self.header, self.rows, self.widths, self.style, self.days = header, rows, widths, style, days
        self.page_height = page_height  # the frame's: a split given all of it is at the top of a page
        # With --fillable: per tracker column, how its fields' spoken names begin ("Week 1, Mon 23"),
        # and the pain score's type size.
        self.day_titles, self.score_size = day_titles, score_size
        self.width = sum(widths)
        self._heights: list[float] | None = None

    header_rows = 1

    def row_heights(self, width: float | None = None) -> list[float]:
        """The header's height, then each row's: a wrapped name makes its row taller (the
        column widths are the grid's own, whatever the width offered)."""
        if self._heights is None:
            st = self.style
            header = max(f.wrap(w - 2 * self._padding(c), 1e6)[1]
                         for c, (f, w) in enumerate(zip(self.header, self.widths))) + 2 * HEADER_PAD
            body = [max(st.min_row, row.label.wrap(self.widths[0] - 2 * st.name_padding, 1e6)[1] + 2 * st.label_pad,
                        self._boxes_size(row.sessions)[1] + 2 * self._boxes_pad(row.sessions))
                    for row in self.rows]
            self._heights = [header, *body]
        return self._heights

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = sum(self.row_heights())
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        heights = self.row_heights()
        fit, used = 0, heights[0]
        while fit < len(self.rows) and used + heights[1 + fit] <= availHeight:
            used += heights[1 + fit]
            fit += 1
        if fit in (0, len(self.rows)):
            return []
        # At least WEEK_LEAST_ROWS rows on each side of the cut: a row or two alone on a page
        # reads as a table of its own. Only a page too short for that (at its top, a week of
        # few, very tall rows) cuts where the page ends.
        kept = min(fit, len(self.rows) - WEEK_LEAST_ROWS)
        if kept >= WEEK_LEAST_ROWS:
            fit = kept
        elif availHeight < self.page_height - 1:
            return []
        head, rest = (WeekGrid(self.header, rows, self.widths, self.style, self.days, self.page_height,
                               self.day_titles, self.score_size) for rows in (self.rows[:fit], self.rows[fit:]))
        head.spaceBefore = self.getSpaceBefore()  # the rest starts a page: no space above it
        return [head, rest]

    def _padding(self, column: int) -> float:
        return self.style.name_padding if column == 0 else self.style.day_padding

    def _boxes_size(self, sessions: int) -> tuple[float, float]:
        if sessions == 0:
            return 0.0, 0.0
        st = self.style
        across, lines = min(sessions, st.per_line), -(-sessions // st.per_line)
        return across * st.box + (across - 1) * BOX_GAP, lines * st.box + (lines - 1) * BOX_GAP

    def _boxes_pad(self, sessions: int) -> float:
        """Above and below a day's boxes: lines of boxes keep further from the row's lines
        than from each other (standard's rows pad a single line of boxes by 2 pt)."""
        return self.style.pad if sessions <= self.style.per_line else max(self.style.pad, STACK_PADDING)

    def draw(self) -> None:
        replay.draw(self, self._replay_key(), None, self._draw_week)

    def _replay_key(self) -> tuple | None:
        """Everything the week draws from, for replay.py: its cells' texts and styles (the
        objects, not their ids), its rows, sizes and colours; None with form fields, which
        are more than operators."""
        cells = [cell.content_key() if isinstance(cell, Paragraph) else None
                 for cell in [*self.header, *(row.label for row in self.rows)]]
        if self.day_titles or None in cells:
            return None
        return ("week", tuple(cells),
                tuple((row.sessions, row.field, row.title, row.target) for row in self.rows),
                tuple(self.widths), self.style, self.days, self.score_size)

    def _draw_week(self) -> None:
        canv, st = self.canv, self.style
        heights = self.row_heights()
        edges = [0.0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        tops = [self.height]
        for h in heights:
            tops.append(tops[-1] - h)
        canv.setFillColor(st.header_fill)
        canv.rect(0, tops[1], self.width, heights[0], stroke=0, fill=1)
        grid = canv.beginPath()
        for y in tops:
            grid.moveTo(0, y)
            grid.lineTo(self.width, y)
        for x in edges:
            grid.moveTo(x, 0)
            grid.lineTo(x, self.height)
        canv.setStrokeColor(st.rule)
        canv.setLineWidth(GRID_LINE)
        canv.drawPath(grid, stroke=1, fill=0)
        starts = [edges[c] for c, day in enumerate(self.days, 1) if day % 7 == 0 and c > 1]
        if starts:  # weeks side by side: a heavier line where the next one starts
            weeks = canv.beginPath()
            for x in starts:
                weeks.moveTo(x, 0)
                weeks.lineTo(x, self.height)
            canv.setLineWidth(WEEK_LINE)
            canv.drawPath(weeks, stroke=1, fill=0)
        for c, cell in enumerate(self.header):
            self._place(cell, edges[c] + self._padding(c), tops[1], heights[0], self.widths[c] - 2 * self._padding(c))
        boxes, lines, fields, scores = canv.beginPath(), canv.beginPath(), [], []
        for r, row in enumerate(self.rows):
            bottom, height = tops[r + 2], heights[r + 1]
            self._place(row.label, st.name_padding, bottom, height, self.widths[0] - 2 * st.name_padding)
            for c, day in enumerate(self.days, 1):
                if row.field:  # its fields' names, and what a screen reader says for them
                    name, spoken = f"w{day // 7 + 1}_{row.field}_d{day % 7 + 1}", f"{self.day_titles[day]}: {row.title}"
                if row.sessions == 0:  # the pain score: a line across the cell, low in the row
                    y = bottom + height * 0.2
                    lines.moveTo(edges[c] + 5, y)
                    lines.lineTo(edges[c + 1] - 5, y)
                    if row.field:
                        scores.append((name, spoken, edges[c] + PAIN_FIELD_INSET, bottom + PAIN_FIELD_INSET,
                                       self.widths[c] - 2 * PAIN_FIELD_INSET, height - 2 * PAIN_FIELD_INSET))
                    continue
                w, h = self._boxes_size(row.sessions)
                x0, y0 = edges[c] + (self.widths[c] - w) / 2, bottom + (height - h) / 2
                for n in range(row.sessions):
                    line, place = divmod(n, st.per_line)
                    # a short last line centred under the others (three a day: two over one);
                    # a single line is centred already (its boxes are all the width there is)
                    short = (st.per_line - min(st.per_line, row.sessions - line * st.per_line)
                             if row.sessions > st.per_line else 0)
                    x = x0 + (place + short / 2) * (st.box + BOX_GAP)
                    y = y0 + h - st.box - line * (st.box + BOX_GAP)
                    boxes.rect(x, y, st.box, st.box)
                    if row.field and row.sessions > 1:  # which of the day's boxes: "..., 2 times a day: 1"
                        fields.append((f"{name}_{n + 1}", f"{spoken}, {row.target}: {n + 1}", x, y))
                    elif row.field:
                        fields.append((name, spoken, x, y))
        canv.setStrokeColor(st.ink)
        canv.setLineWidth(1)
        canv.drawPath(lines, stroke=1, fill=0)
        canv.setLineWidth(BOX_LINE)
        canv.drawPath(boxes, stroke=1, fill=0)
        for name, spoken, x, y in fields:
            form_checkbox(canv, name, spoken, x, y, st.box)
        for name, spoken, x, y, width, height in scores:
            form_score(canv, name, spoken, x, y, width, height, self.score_size)

    def _place(self, flowable: Flowable, x: float, bottom: float, height: float, width: float) -> None:
        """A cell's content, middle-aligned in its row."""
        _, h = flowable.wrap(width, 1e6)
        flowable.drawOn(self.canv, x, bottom + (height - h) / 2)


HEADER_PAD = 3.0  # above and below the header's dates


DAY_PADDING = 4.0  # points either side of a day's boxes or date
STACK_PADDING = 3.5  # points above and below two or more lines of a day's boxes
NAME_PADDING = 4.0
NAME_LINE_PAD = 2.5  # at most, above and below an exercise's name in its row
WEEK_LEAST_ROWS = 3  # a week taller than a page splits with at least this many rows each side


# A cell's lines at most this far apart, in the template's size: a tracker row holds a short
# label between ruled lines, not running text, and large print's 1.3 made each week just too
# tall for two to share a page (Spanish, three times a day: 6 pt short on Letter).
CELL_LINE_SPACING = 1.2


@cache
def cell_style(style: ParagraphStyle) -> ParagraphStyle:
    """`style` with lines no further apart than CELL_LINE_SPACING (itself where they are not;
    one object per style, as paragraph parses are cached per style)."""
    leading = round(style.fontSize * CELL_LINE_SPACING, 2)
    if style.leading <= leading:
        return style
    return ParagraphStyle(f"{style.name}_cell", parent=style, leading=leading)


def day_label(handout: Handout, column: int, short: bool = False) -> str:
    """A column's heading: the model's weekday and day of the month ("Mon", "23"), or "Day 1";
    with `short`, the weekday in two or so letters ("Mo")."""
    weekday, day = handout.tracker.days[column]
    if short:
        weekday = handout.tracker.short_weekdays[column]
    return "<br/>".join(esc(line) for line in (weekday, day) if line)


def tracker(handout: Handout, styles: Styles, words: Words, fillable: bool) -> list[Flowable]:
    spec = handout.tracker
    if spec.weeks == 0 or not spec.rows:
        return []
    t = styles.template["tracker"]
    box = t["box_size_pt"]
    most_boxes = max(row.times_per_day for row in spec.rows)

    def widest(short: bool = False) -> float:
        return max(stringWidth(line, styles.caption.fontName, styles.caption.fontSize)
                   for column in range(spec.weeks * 7) for line in day_label(handout, column, short).split("<br/>"))

    def width_for(per_line: int, heading: float) -> float:
        # Day cells are padded DAY_PADDING a side, and a date never wraps mid-number; any wider
        # and the exercises' names would wrap to a second line instead.
        return max(per_line * box + (per_line - 1) * BOX_GAP, heading) + 2 * DAY_PADDING

    dates = widest()

    # A day's boxes side by side where a whole week still fits; else in two columns, as many
    # lines as they need (ten a day: five lines of two), to keep the week in one table; one
    # column if even two are too wide.
    per_line = most_boxes
    for fewer in (2, 1):
        if 7 * width_for(per_line, dates) > styles.frame_width * DAYS_SHARE:
            per_line = min(per_line, fewer)
    day_width = width_for(per_line, dates)
    # Names keep the rest of the width; with very large type a week splits into day groups.
    per_table = min(7, int(styles.frame_width * DAYS_SHARE // day_width))
    if per_table < 1:
        raise LayoutFailure(f"the tracker's day columns ({day_width:.0f} pt) are wider than the page allows; "
                            "use a smaller tracker box or small text size in the template")
    # Split evenly when a week must split (4 + 3 days, not 6 + a lone Sunday on its own page).
    groups = -(-7 // per_table)
    per_table = -(-7 // groups)
    # Weeks side by side in one table (the template's tracker.weeks_per_table), their days
    # under the short weekday names ("Mo 23"), where every day fits beside names that keep
    # NAMES_SHARE of the width; else a table a week.
    together = min(t.get("weeks_per_table", 1), spec.weeks) if per_table == 7 and spec.short_weekdays else 1
    if together > 1:
        short_width = width_for(per_line, widest(short=True))
        if together * 7 * short_width <= styles.frame_width * (1 - NAMES_SHARE):
            day_width = short_width
        else:
            together = 1
    short = together > 1
    if together == 1 and per_table == 7 and per_line > 1:  # (a week too tall for a page may fit one so)
        per_line, day_width = _most_weeks_a_page(handout, styles, words,
                                                 {n: width_for(n, dates) for n in range(per_line, 0, -1)})
    story: list[Flowable] = []
    # "each day" only where every row has one box a day; "each time" where some have more.
    intro = words["tracker_intro_sessions" if most_boxes > 1 else "tracker_intro"]
    heading = [Paragraph(esc(words["tracker"]), styles.heading), Paragraph(esc(intro), styles.body)]
    for week in range(0, spec.weeks, together):
        weeks = range(week, min(spec.weeks, week + together))
        tables: list[Flowable] = []
        for first in range(0, 7, per_table):
            days = range(week * 7 + first, weeks[-1] * 7 + min(7, first + per_table))
            grid = _week_grid(handout, styles, words, fillable, weeks, days, day_width, per_line, short)
            # Space between tables, before each but the first: a frame drops it at the top of
            # a page, where a space after the last table would have kept a week off the page.
            grid.spaceBefore = styles.gap * WEEK_SPACE if week or first else 0
            tables.append(grid)
        # A week stays whole on one page (the first with the tracker's heading); only a week
        # taller than a page splits, between rows, starting under what comes before it and
        # leaving no row or two alone on a page.
        block = [*heading, *tables]
        taller = len(tables) == 1 and stack_height(block, styles.frame_width) > styles.frame_height
        story.append(StartHereIfRoom(block, WEEK_LEAST_ROWS) if taller else KeepTogether(block))
        heading = []
    return story


WEEK_SPACE = 1.5  # between two week tables, in the template's gaps


def _most_weeks_a_page(handout: Handout, styles: Styles, words: Words,
                       day_widths: dict[int, float]) -> tuple[int, float]:
    """Of a day's boxes to a line (`day_widths`: per count, a day's width), the count that puts
    the most weeks on a page, and its day width; the widest of equals. Fewer boxes to a line
    make the days narrower and the names wider, so fewer names wrap: a week of ten exercises
    with a "3 times a day" row came just too tall for two to share a Letter page, and six
    weeks took six half-empty pages."""
    space = styles.gap * WEEK_SPACE

    def weeks_a_page(n: int) -> int:
        grid = _week_grid(handout, styles, words, False, range(1), range(7), day_widths[n], n)
        return int((styles.frame_height + space) // (sum(grid.row_heights()) + space))

    best = max(day_widths, key=lambda n: (min(weeks_a_page(n), handout.tracker.weeks), n))
    return best, day_widths[best]


NAMES_SHARE = 0.35  # of the width, kept for the exercises' names when weeks share a table
# A week's day columns take at most this share of the width, the names the rest: three boxes
# a day still in one line on A4 in the standard template (399 of 523 pt).
DAYS_SHARE = 0.77


def _week_grid(handout: Handout, styles: Styles, words: Words, fillable: bool, weeks: range,
               days: range, day_width: float, per_line: int, short: bool = False) -> WeekGrid:
    spec, t = handout.tracker, styles.template["tracker"]
    box, row_height = t["box_size_pt"], t["row_height_pt"]
    titles = []
    for week in weeks:
        dates = spec.week_dates[week]
        name = f"<b>{esc(words['week'].format(n=week + 1))}</b>"
        # One week: its name over its dates; weeks side by side: a line each.
        titles.append(name + ((" " if len(weeks) > 1 else "<br/>") + esc(dates) if dates else ""))
    small, caption, label = cell_style(styles.small), cell_style(styles.caption), cell_style(styles.label)
    header: list[Flowable] = [Paragraph("<br/>".join(titles), small)]
    header += [Paragraph(day_label(handout, d, short), caption) for d in days]
    rows = []
    for r, row in enumerate(spec.rows):
        # The target ("3 of 7 days") after the name: the boxes do not all need a tick.
        # (unbroken: a wrapped target reads "3 of 7" on one line and "days" on the next)
        target = ", ".join(part.replace(" ", "&nbsp;") for part in esc(row.target).split(", "))
        name = f"{esc(row.name)}&nbsp;&nbsp; <b>{target}</b>" if row.target else esc(row.name)
        rows.append(WeekRow(Paragraph(name, small), row.times_per_day, f"ex{r + 1}" if fillable else None,
                            row.name, row.target))
    if spec.pain_score:
        rows.append(WeekRow(Paragraph(esc(words["pain_score"]), label), 0, "pain" if fillable else None,
                            words["pain_score"]))
    pad = max(2.0, (row_height - box) / 2)  # rows grow with a wrapped name, never shrink below row_height
    style = GridStyle(
        box=box, per_line=per_line, min_row=row_height, pad=pad,
        # A name's lines keep 2 to 2.5 pt from the row's lines, whatever room the boxes leave
        # (large print's smaller boxes keep 3.5 pt from them, its names as close as before).
        label_pad=min(pad, NAME_LINE_PAD),
        name_padding=NAME_PADDING, day_padding=DAY_PADDING, rule=styles.colour("rule"),
        ink=styles.colour("checkbox"), header_fill=styles.colour("table_header_fill"),
    )
    name_width = styles.frame_width - len(days) * day_width
    day_titles: tuple[str, ...] = ()
    score_size = 0
    if fillable:  # each field's spoken name starts with its week and day as printed: "Week 1, Mon 23"
        day_titles = tuple(f"{words['week'].format(n=column // 7 + 1)}, {' '.join(filter(None, spec.days[column]))}"
                           for column in range(len(spec.days)))
        score_size = score_font_size(styles, day_width - 2 * (PAIN_FIELD_INSET + SCORE_PADDING))
    return WeekGrid(header, rows, [name_width] + [day_width] * len(days), style, days, styles.frame_height,
                    day_titles, score_size)
