"""Exercise cards that pack: each card laid out in the shortest of a few arrangements.

A card is a short column of flat flowables (rule, title, dose line, columns of steps beside
the pictures, notes), kept together on one page. The pictures sit beside the steps or above
them as the template says; the tips and cautions go under the steps, in two columns under
the pictures and steps, or in a third column (the tips alone there, the cautions under the
steps, when that ends the columns nearer level), whichever makes the card shortest. A card
taller than the page is tried again with smaller pictures beside the steps, and only if it
is still too tall is it laid out as one column that may continue on the next page. A card
that misses the room left on a page by a little takes smaller pictures there (FitToRoom).

A card kept on one page is drawn as one piece (WholeCard), and its drawing kept by what it
prints (replay.py); its flowables are kept between builds on a shelf (Borrowed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, FrameBreak, HRFlowable, KeepTogether, TableStyle
from reportlab.platypus.doctemplate import NullActionFlowable

from ..errors import InputError
from ..model import Card, Handout
from ..paths import status
from . import layouts, replay
from .drawings import RecordedDrawing
from .linebreaks import NO_BREAK, tie_units, unbroken
from .pictures import PictureSource, picture_grid
from .shelf import Borrowed
from .styles import Paragraph, Styles, Table, esc, text_width

Words = Mapping[str, str]
BULLET = "\u2022"
# Smaller pictures for a card that would not fit on a page at the template's size, each
# used only while the pictures stay at least MIN_PICTURE_MM wide (large print's 70 mm
# pictures can halve; the standard template's 38 mm ones stop at 0.65).
FALLBACK_SCALES = (0.8, 0.65, 0.5)
MIN_PICTURE_MM = 20
# Narrower than this many type sizes, a third column of tips reads badly (about 28 letters).
THIRD_COLUMN_EMS = 14


PICTURE_PLACES = ("beside", "above", "flow")
EXTRAS_PLACES = ("under", "below", "third", "split")


class Layout(NamedTuple):
    pictures: str  # "beside" the steps, "above" them, or "flow" (one splittable column)
    scale: float = 1.0  # of the template's picture size
    # tips and cautions: "under" the steps, "below" in two columns, both in a "third" column,
    # or "split": the cautions under the steps and the tips in a third column (the columns
    # end nearer level when the tips are long)
    extras: str = "under"


FLOW = Layout("flow")  # one splittable column: the arrangement for a card taller than a page


def stack_height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables placed one under the other, as a frame would place them."""
    height, after = 0.0, 0.0
    for i, flowable in enumerate(flowables):
        _, h = flowable.wrap(width, 1e6)
        height += (max(after, flowable.getSpaceBefore()) if i else 0) + h
        after = flowable.getSpaceAfter()
    return height


class Columns(Flowable):
    """Columns of flowables side by side, top-aligned, drawn as one piece that never splits.

    Flatter than a table of tables: each column is wrapped once at its own width and
    drawn where it stands.
    """

    def __init__(self, columns: list[tuple[float, list[Flowable]]], gap: float):
        super().__init__()
        self.columns, self.gap = columns, gap
        self._measured_at: float | None = None
        # What it holds, for replay.py to keep its drawing by (set by fitted_card), and the
        # styles that key names by id
        self.replay_key: tuple | None = None
        self.replay_owner: object = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._measured_at != availWidth:
            # Columns with a replay key hold the same in every build: measured once per width.
            key = (self.replay_key, availWidth) if self.replay_key is not None else None
            known = _HEIGHTS.get(key) if key else None
            if known is not None and known[0] is self.replay_owner:
                self.height = known[1]
            else:
                self.height = max(stack_height(flows, width) for width, flows in self.columns)
                if key:
                    if len(_HEIGHTS) >= _HEIGHTS_LIMIT:
                        _HEIGHTS.clear()
                    _HEIGHTS[key] = (self.replay_owner, self.height)  # (the owner kept alive with its id)
            self._measured_at = availWidth
        self.width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        replay.draw(self, self.replay_key, self.replay_owner, self._draw_columns)

    def _draw_columns(self) -> None:
        x = 0.0
        for width, flows in self.columns:
            draw_stack(self.canv, flows, x, self.height, width)
            x += width + self.gap


def draw_stack(canvas, flowables: list[Flowable], x: float, top: float, width: float, aligned: bool = False) -> None:
    """Draw flowables one under the other from `top` down, spaced as stack_height measures
    them; `aligned`: one narrower than `width` moved as its hAlign says, as a frame moves it."""
    y, after = top, 0.0
    for i, flowable in enumerate(flowables):
        w, h = flowable.wrap(width, 1e6)
        y -= (max(after, flowable.getSpaceBefore()) if i else 0) + h
        flowable.drawOn(canvas, x, y, _sW=width - w if aligned else 0)
        after = flowable.getSpaceAfter()


# Each keyed Columns' height by its replay key and width, with the styles the key names by id.
_HEIGHTS: dict[tuple, tuple[object, float]] = {}
_HEIGHTS_LIMIT = 5_000


def cards(handout: Handout, styles: Styles, words: Words, pictures: PictureSource,
          borrowed: Borrowed | None = None) -> list[Flowable]:
    """Every card, each kept on one page; several share a page unless the template says one a
    page. Even then a card may start under what is not a card (the end of the at-a-glance
    table, the last lines of a card taller than a page) where it fits there: a large-print
    page is not left three-quarters empty. With `borrowed`, cards printed before are taken
    from the shelf, and the ones made here go on it once `borrowed` is put back."""
    from reportlab.platypus import PageBreak

    from .parts import continues_on_next_page, dosing_notes

    one_per_page = styles.template["card"]["per_page"] == 1
    story: list[Flowable] = []
    if "at_a_glance" not in styles.template["parts"]:  # a template without the table keeps the advice
        story += dosing_notes(handout, styles, words)
    after_card = False  # the last thing placed is a card that ends on its own page
    scale = tighter_scale(styles)
    for section in handout.sections:
        heading = Paragraph(esc(section.title), styles.heading)
        for i, card in enumerate(section.cards):
            decided_by = _decided_by(card, words, i == 0)
            shelf_key = (*decided_by, pictures.grayscale)
            body = borrowed.take(shelf_key, styles) if borrowed is not None else None
            if body is None:
                body = _fitted(card, styles, words, pictures, decided_by)
            if one_per_page and after_card:
                story.append(PageBreak())
            continues = continues_on_next_page(body)
            after_card = not continues
            placed = [heading, *body] if i == 0 else body  # the section title on the page of its first card
            if continues:  # laid out to run onto the next page: cut up, so never put on the shelf
                story.append(KeepTogether(placed))
                continue
            drawn_as = (shelf_key, section.title if i == 0 else None)  # (and its heading's words)
            if scale is None or not card.pictures:
                kept = WholeCard(placed, styles, drawn_as)
            else:
                def tighter(card=card, with_heading=heading if i == 0 else None) -> list[Flowable]:
                    flows = shortest_layout(card, styles, words, pictures, scale)
                    return [with_heading, *flows] if with_heading else flows

                kept = FitToRoom(placed, styles, drawn_as, tighter, scale)
            if borrowed is not None:
                borrowed.hold(shelf_key, styles, body, kept.was_placed_whole)
            story.append(kept)
    return story


class WholeCard(Flowable):
    """A card kept on one page, drawn as one piece: placed where it fits the room left on the
    page, else at the top of the next (as KeepTogether would place it). What it draws is the
    same in every handout that prints the card, so its drawing is kept by what the card
    holds (replay.py): one piece written where it was a dozen flowables drawn and placed.

    It knows whether it was placed whole. One taller than the page's frame (every page has
    the one frame) is placed piece by piece, as KeepTogether places it: reportlab may cut
    up its paragraphs and marks a piece it moves on, which would stop a later build with a
    layout error; such a card's flowables are not fit to be placed again."""

    def __init__(self, flowables: list[Flowable], styles: Styles, replay_key: tuple | None = None):
        super().__init__()
        self.content = flowables
        self._frame_height = styles.frame_height
        self.replay_key, self.replay_owner = replay_key, styles
        self.placed_whole = True
        self._measured_at: float | None = None

    def was_placed_whole(self) -> bool:
        return self.placed_whole

    def getSpaceBefore(self) -> float:
        return self.content[0].getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.content[-1].getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._measured_at != availWidth:
            self.height, self._measured_at = stack_height(self.content, availWidth), availWidth
        self.width = availWidth
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        if self.height > self._frame_height:  # no page holds it whole: in pieces, as KeepTogether places them
            self.placed_whole = False
            # (handed back to the frame as a KeepTogether to place: a split's first piece must
            # fit where it is offered, and a KeepTogether asks to be split in turn)
            return [NullActionFlowable(), KeepTogether(self.content)]
        return [FrameBreak(), self]  # (only asked when it misses the room here: a page's top has room)

    def draw(self) -> None:
        replay.draw(self, self.replay_key, self.replay_owner, self._draw_content)

    def _draw_content(self) -> None:
        draw_stack(self.canv, self.content, 0, self.height, self.width, aligned=True)  # as the frame would


# Where a card misses the room left on a page by a little, its pictures may shrink to 0.8 of
# the template's size to fit there, rather than leave the room empty; only while they stay
# MIN_TIGHT_PICTURE_MM wide, which still reads at arm's length. Never further: large print's
# reader sees poorly, and its 70 mm pictures at half size (35 mm) were smaller than the
# standard template's, on one card among cards with full-size ones.
TIGHTER_SCALE = 0.8
MIN_TIGHT_PICTURE_MM = 30


def tighter_scale(styles: Styles) -> float | None:
    """TIGHTER_SCALE if this template's pictures stay legible at it, else None (no shrinking)."""
    width_mm = styles.template["card"]["illustration_width_mm"]
    return TIGHTER_SCALE if width_mm * TIGHTER_SCALE >= MIN_TIGHT_PICTURE_MM else None


class FitToRoom(WholeCard):
    """A card kept whole on one page: in its usual layout where that fits the room left on the
    page; else in its tighter one (smaller pictures) where that fits; else on the next page in
    its usual layout, as KeepTogether would.

    The tighter layout is made only when it is needed, so its pictures are drawn (and cached)
    only for a card that uses them.
    """

    def __init__(self, usual: list[Flowable], styles: Styles, replay_key: tuple,
                 tighter: Callable[[], list[Flowable]], scale: float):
        super().__init__(usual, styles, replay_key)
        self._tighter, self._scale = tighter, scale
        self._tighter_flows: list[Flowable] | None = None

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        # Pictures at `scale` shorten a card by less than that share of its height (the text
        # beside them gains as much width as they lose): a card that misses the room by more
        # is not laid out again, which spares most cards at the foot of a page.
        if self._scale * self.height <= aH < self.height:
            if self._tighter_flows is None:
                self._tighter_flows = self._tighter()
            if stack_height(self._tighter_flows, aW) <= aH:
                # Its pieces, not a KeepTogether of them: the frame must place what a split
                # returns as it is, and a KeepTogether always asks to be split. They all fit.
                return list(self._tighter_flows)
        return super().split(aW, aH)


# The arrangement each card took, by everything that decides it: the card's content, the
# styles (template and paper), the labels, and the state of its picture files. A batch or a
# server lays out the same cards again and again; with this it builds the one arrangement
# it will use, not every one it would try (a seventh of a warm build).
_CHOSEN: dict[tuple, tuple[Styles, Layout]] = {}
_CHOSEN_LIMIT = 2_000


def fitted_card(card: Card, styles: Styles, words: Words, pictures: PictureSource,
                with_heading: bool = False) -> list[Flowable]:
    """The card in its shortest arrangement at the template's picture size; if that is taller
    than a page, with smaller pictures (beside the steps or above them); failing that, as one
    column that may continue on the next page under a "(continued)" heading."""
    return _fitted(card, styles, words, pictures, _decided_by(card, words, with_heading))


def _decided_by(card: Card, words: Words, with_heading: bool) -> tuple:
    """Everything but the styles that decides how a card is laid out: its content, the labels,
    whether it carries its section's heading, and the state of its picture files."""
    return (repr(card), tuple(words.items()), with_heading, _picture_files(card))


def _fitted(card: Card, styles: Styles, words: Words, pictures: PictureSource, decided_by: tuple) -> list[Flowable]:
    text = CardText.of(card, styles, words)
    with_heading = decided_by[2]

    def chosen_or_recalled() -> Layout:
        # Between runs too, for a one-handout process (layouts.py); the styles are their
        # template's data and the paper there.
        record = layouts.record_name((*decided_by, styles.template.data, styles.page_width, styles.page_height))
        recalled = _layout_from(layouts.recall(record))
        layout = recalled or _choose(card, styles, words, pictures, with_heading, text)
        if not recalled:
            layouts.remember(record, layout._asdict())
        return layout

    layout = _chosen_once(decided_by, styles, chosen_or_recalled)
    flows = _keyed(card_flowables(card, styles, words, pictures, layout, text), decided_by, layout, pictures, styles)
    if layout.pictures != "flow":
        return flows
    from .parts import continued_under

    return continued_under(
        Paragraph(f"{card.number}. {esc(card.name)} {esc(words['continued'])}", styles.card_title), flows)


def _chosen_once(decided_by: tuple, styles: Styles, choose: Callable[[], Layout]) -> Layout:
    """The arrangement kept for what decides it and these styles, else `choose`'s, kept."""
    key = (*decided_by, id(styles))
    known = _CHOSEN.get(key)
    if known is not None and known[0] is styles:
        return known[1]
    layout = choose()
    if len(_CHOSEN) >= _CHOSEN_LIMIT:
        _CHOSEN.clear()
    _CHOSEN[key] = (styles, layout)  # (the styles kept alive with their id)
    return layout


def _choose(card: Card, styles: Styles, words: Words, pictures: PictureSource, with_heading: bool,
            text: CardText) -> Layout:
    room = styles.frame_height
    if with_heading:  # a section's first card carries the section's heading onto its page,
        # at its top, where a frame drops the space above a heading (counting it shrank the
        # pictures of cards that fitted at full size, large print's piriformis stretch)
        room -= styles.heading.leading + styles.heading.spaceAfter
    template_pictures = "beside" if styles.template["card"]["pictures"] == "stacked" else "above"
    width_mm = styles.template["card"]["illustration_width_mm"]
    tries = [[(template_pictures, 1.0)], *([("beside", s), ("above", s)] for s in FALLBACK_SCALES
                                           if width_mm * s >= MIN_PICTURE_MM)]
    for modes in tries:
        layout, height = _shortest(card, styles, words, pictures, modes, text)
        if height <= room:
            return layout
    return FLOW


def _layout_from(fields: dict | None) -> Layout | None:
    """A recorded arrangement, if the record holds one (anything else is chosen again)."""
    if (not fields or set(fields) != {"pictures", "scale", "extras"} or fields["pictures"] not in PICTURE_PLACES
            or fields["extras"] not in EXTRAS_PLACES or not isinstance(fields["scale"], (int, float))):
        return None
    return Layout(fields["pictures"], float(fields["scale"]), fields["extras"])


def _picture_files(card: Card) -> tuple:
    """Each picture file's size and time: a redrawn pose or a new photo may be shaped otherwise."""
    out: list[tuple[str, int | None, int | None]] = []
    for picture in card.pictures:
        try:
            info = status(picture.file)  # (asked of the system once a build)
            out.append((picture.file, info.st_size, info.st_mtime_ns))
        except OSError:
            out.append((picture.file, None, None))
    return tuple(out)


def _keyed(flows: list[Flowable], decided_by: tuple, layout: Layout, pictures: PictureSource,
           styles: Styles) -> list[Flowable]:
    """`flows`, their columns keyed for replay.py: a card's columns draw the same in every
    handout that prints it, so they are kept by all that decides the card and its arrangement
    (replay.py adds the size and the canvas state)."""
    columns = [flow for flow in flows if isinstance(flow, Columns)]
    for n, flow in enumerate(columns):
        flow.replay_key = (*decided_by, layout, pictures.grayscale, n)
        flow.replay_owner = styles
    return flows


def shortest_layout(card: Card, styles: Styles, words: Words, pictures: PictureSource,
                    scale: float) -> list[Flowable]:
    """The card's shortest arrangement with its pictures at `scale`, beside or above the steps
    (chosen once per process, as fitted_card's are: a card that takes its tighter layout at a
    page's foot does so in every handout of a batch)."""
    text = CardText.of(card, styles, words)
    decided_by = (repr(card), tuple(words.items()), "tighter", scale, _picture_files(card))
    modes = [("beside", scale), ("above", scale)]
    layout = _chosen_once(decided_by, styles, lambda: _shortest(card, styles, words, pictures, modes, text)[0])
    return _keyed(card_flowables(card, styles, words, pictures, layout, text), decided_by, layout, pictures, styles)


def _shortest(card: Card, styles: Styles, words: Words, pictures: PictureSource,
              modes: list[tuple[str, float]], text: CardText) -> tuple[Layout, float]:
    """Of every arrangement with the pictures where and how large `modes` says, the shortest
    (the first of equals), and its height."""
    layouts = [Layout(at, scale, extras) for at, scale in modes for extras in _extras_choices(card, styles, at, scale)]
    heights = [stack_height(card_flowables(card, styles, words, pictures, layout, text), styles.frame_width)
               for layout in layouts]
    best = heights.index(min(heights))
    return layouts[best], heights[best]


def _extras_choices(card: Card, styles: Styles, pictures_at: str, scale: float) -> list[str]:
    if not (card.tips and card.care):
        return ["under"] if pictures_at == "beside" and card.pictures else ["below"]
    choices = ["under", "below"] if pictures_at == "beside" and card.pictures else ["below"]
    if _third_width(styles, scale, pictures_at, card) >= styles.body.fontSize * THIRD_COLUMN_EMS:
        choices += ["third", "split"]
    return choices


def _picture_column(styles: Styles, scale: float) -> float:
    return styles.template["card"]["illustration_width_mm"] * mm * scale + styles.gap * 2


def _third_width(styles: Styles, scale: float, pictures_at: str, card: Card) -> float:
    rest = styles.frame_width - (_picture_column(styles, scale) if pictures_at == "beside" and card.pictures else 0)
    return (rest - styles.gap) * 0.45


class CardText(NamedTuple):
    """A card's flowables that every arrangement shares, made once per card rather than once
    per arrangement tried (a flowable wraps to whatever width it is measured or drawn at)."""

    head: list[Flowable]  # rule, title, dose
    steps: list[Flowable]
    tips: list[Flowable]
    care: list[Flowable]
    tail: list[Flowable]  # the clinician's notes, next steps, video

    @classmethod
    def of(cls, card: Card, styles: Styles, words: Words) -> CardText:
        head = [
            HRFlowable(width="100%", thickness=2, color=styles.colour("card_border"), spaceBefore=styles.gap * 0.6,
                       spaceAfter=2),
            _title(card, styles, bool(styles.template["card"]["show_summary"])),
            _dose(card, styles),
        ]
        steps = [Paragraph(esc(words["steps"]), styles.label)]
        steps += [Paragraph(_text(step), styles.step, bulletText=f"{n}.") for n, step in enumerate(card.steps, 1)]
        tail: list[Flowable] = []
        if card.notes:
            tail.append(_notes_box(words["notes_for_you"], card.notes, styles))
        for key, lines in (("progressions", card.progressions), ("regressions", card.regressions)):
            if lines:
                tail.append(Paragraph(f"<b>{esc(words[key])}:</b> {_text('; '.join(lines))}", styles.body))
        if card.video_url:
            tail.append(_video(card.video_url, styles, words))
        return cls(head, steps, _list_block(words["tips"], card.tips, styles),
                   _list_block(words["cautions"], card.care, styles), tail)


def card_flowables(card: Card, styles: Styles, words: Words, pictures: PictureSource,
                   layout: Layout = FLOW, text: CardText | None = None) -> list[Flowable]:
    """Rule and title; the dose; the pictures with the steps (and the tips and cautions);
    the clinician's notes, next steps and video."""
    t = styles.template["card"]
    text = text or CardText.of(card, styles, words)
    out, steps, tips, care = list(text.head), text.steps, text.tips, text.care
    width, gap = styles.frame_width, styles.gap
    picture_width = t["illustration_width_mm"] * mm * layout.scale
    picture_height = t["illustration_height_mm"] * mm * layout.scale
    grid: list[Flowable] = []
    if card.pictures:
        try:
            flows = pictures.flowables(card.pictures, picture_width, picture_height, card.mirror, t["line_scale"])
        except InputError as exc:  # the picture's file is named; say whose picture it is, too
            raise InputError([d._replace(message=f"{d.message} (a picture of exercise {card.number}, {card.name})")
                              for d in exc.diagnostics]) from None
        columns = 1 if layout.pictures == "beside" else None
        grid = [picture_grid(flows, [p.caption for p in card.pictures], styles, picture_width, columns=columns)]
    if layout.pictures == "flow" or not card.pictures:
        out += grid + steps
        out += _side_by_side(tips, care, width, gap) if layout.extras == "below" and layout.pictures != "flow" \
            else tips + care
    else:
        left = _picture_column(styles, layout.scale) if layout.pictures == "beside" else 0.0
        beside_steps = steps + (tips + care if layout.extras == "under" else [])
        if layout.extras in ("third", "split"):
            third = _third_width(styles, layout.scale, layout.pictures, card)
            middle, right = (steps, tips + care) if layout.extras == "third" else (steps + care, tips)
            text_columns = [(width - left - third - gap, middle), (third, right)]
        else:
            text_columns = [(width - left, beside_steps)]
        if layout.pictures == "beside":
            out.append(Columns([(left - gap, grid), *text_columns], gap))
        else:
            out += grid
            out += [Columns(text_columns, gap)] if len(text_columns) > 1 else beside_steps
        if layout.extras == "below":
            out += _side_by_side(tips, care, width, gap)
    return out + text.tail


def _title(card: Card, styles: Styles, with_summary: bool) -> Paragraph:
    """The exercise's number and name, and its one-line summary run in after it (a line saved)."""
    text = f"{card.number}. {esc(card.name)}"
    if with_summary and card.summary:
        size = styles.body.fontSize
        text += f'&nbsp;&nbsp; <font name="{styles.body.fontName}" size="{size}">{_text(card.summary)}</font>'
    return Paragraph(text, styles.card_title)


def _text(text: str) -> str:
    """Card text as Paragraph markup, each number on the line of its unit ("12 inches")."""
    return esc(tie_units(text))


def _dose(card: Card, styles: Styles) -> Flowable:
    """The prescription in one shaded band: "Repeat 10 to 15 times | Sets 1 set | ...".

    Each label and its value break only at the bars between them, so that "Every day" is not
    read as "Every" at a line's end, unless the pair is longer than half the band: then at
    its commas ("How often: 3 days a week," / "2 times a day", never "3 days" / "a week"),
    and a part longer still (a long `load`) wraps as any text does, its numbers still on
    the line of their units."""
    if styles.template["card"]["dose_layout"] == "rows":
        return _dose_table(card, styles)
    half = (styles.frame_width - styles.dose.leftIndent - styles.dose.rightIndent) / 2
    pairs = []
    for label, value in card.dose_rows:
        label_width = text_width(f"{label}: ", styles.dose)
        if label_width + text_width(value, styles.body_bold) <= half:
            pairs.append(f"{esc(unbroken(label))}:{NO_BREAK}<b>{esc(unbroken(value))}</b>")
            continue
        parts = value.split(", ")
        widths = [text_width(part, styles.body_bold) for part in parts]
        shown = [esc(unbroken(part)) if width <= half else _text(part) for part, width in zip(parts, widths)]
        head = NO_BREAK if label_width + widths[0] <= half else " "
        pairs.append(f"{esc(unbroken(label))}:{head}<b>{', '.join(shown)}</b>")
    return Paragraph("&nbsp;| ".join(pairs), styles.dose)




def _dose_table(card: Card, styles: Styles) -> Table:
    labels = [Paragraph(esc(label), styles.label) for label, _ in card.dose_rows]
    # (a value as wide as its cell is on one line already; a longer one wraps, numbers with units)
    values = [Paragraph(_text(value), styles.body_bold) for _, value in card.dose_rows]
    label_width = styles.body.fontSize * 6.5
    table = Table(list(zip(labels, values)), colWidths=[label_width, styles.body.fontSize * 15], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, -1), styles.colour("table_header_fill")),
        ("BOX", (0, 0), (-1, -1), 1, styles.colour("rule")),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, styles.colour("rule")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    table.spaceBefore, table.spaceAfter = styles.gap * 0.5, styles.gap
    return table


def _side_by_side(left: list[Flowable], right: list[Flowable], width: float, gap: float) -> list[Flowable]:
    if left and right:
        half = (width - gap) / 2
        return [Columns([(half, left), (half, right)], gap)]
    return left + right


def _list_block(title: str, items: tuple[str, ...], styles: Styles) -> list[Flowable]:
    if not items:
        return []
    return [Paragraph(esc(title), styles.label)] + [
        Paragraph(_text(item), styles.step, bulletText=BULLET) for item in items
    ]


def _notes_box(title: str, text: str, styles: Styles) -> Paragraph:
    """The clinician's note for this exercise: one bordered paragraph, its label run in."""
    return Paragraph(f"<b>{esc(title)}:</b> {_text(text)}", styles.boxed)


def _video(url: str, styles: Styles, words: Words) -> Flowable:
    from reportlab.graphics.barcode.qr import QrCodeWidget  # rarely needed; costs 8 ms to import
    from reportlab.graphics.shapes import Drawing

    size = 22 * mm
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    code = RecordedDrawing.record(drawing)  # recorded without renderPDF's stray Helvetica selection
    text = Paragraph(f"<b>{esc(words['video'])}:</b><br/>{esc(url)}", styles.body)
    return Columns([(size, [code]), (styles.frame_width - size - 8, [text])], 8)
