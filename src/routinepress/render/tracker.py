"""The tracker: per week, exercises down, days across, an empty box for each."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from ..errors import LayoutFailure
from ..model import Handout
from .cards import stack_height
from .parts import StartHereIfRoom, Words
from .styles import Paragraph, Styles, Table, esc


class Checkbox(Flowable):
    """A square drawn as page content (prints everywhere); optionally a form field on top."""

    def __init__(self, size: float, colour, field_name: str | None = None):
        super().__init__()
        self.size, self.colour, self.field_name = size, colour, field_name
        self.width = self.height = size

    def draw(self) -> None:
        canv = self.canv
        # drawOn already brackets each flowable in save/restore, so no state leaks out.
        canv.setStrokeColor(self.colour)
        canv.setLineWidth(1.25)
        canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        if self.field_name:
            # The widget sits on the drawn box, so a viewer without forms still shows a box.
            canv.acroForm.checkbox(
                name=self.field_name, tooltip=self.field_name, x=0, y=0, size=self.size,
                relative=True, buttonStyle="check", borderWidth=0, fillColor=None,
                borderColor=None, fieldFlags="", annotationFlags="print",
            )


class DayBoxes(Flowable):
    """A day's boxes: one per prescribed session (two for an exercise done twice a day),
    `per_line` to a line, so three sessions a day may sit two over one in a narrow column."""

    GAP = 4.0

    def __init__(self, count: int, size: float, colour, field_name: str | None = None, per_line: int = 3):
        super().__init__()
        self.boxes = [Checkbox(size, colour, f"{field_name}_{n + 1}" if field_name and count > 1 else field_name)
                      for n in range(count)]
        self.per_line, self.size = max(1, per_line), size
        across, lines = min(count, self.per_line), -(-count // self.per_line)
        self.width = across * size + (across - 1) * self.GAP
        self.height = lines * size + (lines - 1) * self.GAP

    def draw(self) -> None:
        for n, box in enumerate(self.boxes):
            line, place = divmod(n, self.per_line)
            step = self.size + self.GAP
            box.drawOn(self.canv, place * step, self.height - self.size - line * step)


class WriteIn(Flowable):
    """An empty line to write a number on (the daily pain score)."""

    def __init__(self, width: float, height: float, colour):
        super().__init__()
        self.width, self.height, self.colour = width, height, colour

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(1)
        self.canv.line(0, 0, self.width, 0)


DAY_PADDING = 4.0  # points either side of a day's boxes or date
WEEK_LEAST_ROWS = 3  # a week taller than a page splits with at least this many rows each side


def day_label(handout: Handout, week: int, day: int) -> str:
    """A column's heading: the model's weekday and day of the month ("Mon", "23"), or "Day 1"."""
    lines = handout.tracker.days[week * 7 + day]
    return "<br/>".join(esc(line) for line in lines if line)


def tracker(handout: Handout, styles: Styles, words: Words, fillable: bool) -> list[Flowable]:
    spec = handout.tracker
    if spec.weeks == 0 or not spec.rows:
        return []
    t = styles.template["tracker"]
    box = t["box_size_pt"]
    labels = [day_label(handout, w, d) for w in range(spec.weeks) for d in range(7)]
    widest = max(stringWidth(line, styles.caption.fontName, styles.caption.fontSize)
                 for label in labels for line in label.split("<br/>"))
    most_boxes = max(row.times_per_day for row in spec.rows)

    def width_for(per_line: int) -> float:
        # Day cells are padded DAY_PADDING a side, and a date never wraps mid-number; any wider
        # and the exercises' names would wrap to a second line instead.
        return max(per_line * box + (per_line - 1) * DayBoxes.GAP, widest + 2) + 2 * DAY_PADDING

    # Sessions side by side when a whole week still fits; else in two lines, to keep the week whole.
    per_line = most_boxes
    if 7 * width_for(per_line) > styles.frame_width * 0.75:
        per_line = -(-most_boxes // 2)
    day_width = width_for(per_line)
    # Names keep at least a quarter of the width; with very large type a week splits into day groups.
    per_table = min(7, int(styles.frame_width * 0.75 // day_width))
    if per_table < 1:
        raise LayoutFailure(f"the tracker's day columns ({day_width:.0f} pt) are wider than the page allows; "
                            "use a smaller tracker box or small text size in the template")
    # Split evenly when a week must split (4 + 3 days, not 6 + a lone Sunday on its own page).
    groups = -(-7 // per_table)
    per_table = -(-7 // groups)
    story: list[Flowable] = []
    heading = [Paragraph(esc(words["tracker"]), styles.heading), Paragraph(esc(words["tracker_intro"]), styles.body)]
    for week in range(spec.weeks):
        tables: list[Flowable] = []
        for first in range(0, 7, per_table):
            days = range(first, min(7, first + per_table))
            tables += [_week_table(handout, styles, words, fillable, week, days, day_width, per_line),
                       Spacer(1, styles.gap * 1.5)]
        # A week stays whole on one page (the first with the tracker's heading); only a week
        # taller than a page splits, between rows, starting under what comes before it and
        # leaving no row or two alone on a page.
        block = [*heading, *tables]
        taller = len(tables) == 2 and stack_height(block, styles.frame_width) > styles.frame_height
        story.append(StartHereIfRoom(block, WEEK_LEAST_ROWS) if taller else KeepTogether(block))
        heading = []
    return story


def _week_table(handout: Handout, styles: Styles, words: Words, fillable: bool, week: int,
                days: range, day_width: float, per_line: int) -> Table:
    spec, t = handout.tracker, styles.template["tracker"]
    box, row_height, colour = t["box_size_pt"], t["row_height_pt"], styles.colour("checkbox")
    dates = spec.week_dates[week] if week < len(spec.week_dates) else ""
    title = f"<b>{esc(words['week'].format(n=week + 1))}</b>" + (f"<br/>{esc(dates)}" if dates else "")
    header: list[object] = [Paragraph(title, styles.small)]
    header += [Paragraph(day_label(handout, week, d), styles.caption) for d in days]
    rows: list[list[object]] = [header]
    for r, row in enumerate(spec.rows):
        boxes = [DayBoxes(row.times_per_day, box, colour, f"w{week + 1}_ex{r + 1}_d{d + 1}" if fillable else None,
                          per_line)
                 for d in days]
        # The target ("3 of 7 days") after the name: the boxes do not all need a tick.
        # (unbroken: a wrapped target reads "3 of 7" on one line and "days" on the next)
        target = ", ".join(part.replace(" ", "&nbsp;") for part in esc(row.target).split(", "))
        name = f"{esc(row.name)}&nbsp;&nbsp; <b>{target}</b>" if row.target else esc(row.name)
        rows.append([Paragraph(name, styles.small), *boxes])
    if spec.pain_score:
        pain: list[object] = [Paragraph(esc(words["pain_score"]), styles.label)]
        rows.append(pain + [WriteIn(day_width - 10, row_height * 0.6, colour) for _ in days])
    pad = max(2.0, (row_height - box) / 2)  # rows grow with a wrapped name, never shrink below row_height
    name_width = styles.frame_width - len(days) * day_width
    table = Table(rows, colWidths=[name_width] + [day_width] * len(days), repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("TOPPADDING", (0, 1), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 1), (-1, -1), pad),
        ("GRID", (0, 0), (-1, -1), 0.5, styles.colour("rule")),
        ("BACKGROUND", (0, 0), (-1, 0), styles.colour("table_header_fill")),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (1, 0), (-1, -1), DAY_PADDING), ("RIGHTPADDING", (1, 0), (-1, -1), DAY_PADDING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table
