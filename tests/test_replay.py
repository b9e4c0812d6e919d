"""render/replay.py: drawings written again from a recording must give the bytes drawing gives."""

from __future__ import annotations

import io
import json

import pytest
from conftest import HANDOUTS
from reportlab.pdfgen.canvas import Canvas
from test_internals import UNUSUAL

from routinepress.api import build_handout
from routinepress.render import fonts, replay

EXAMPLES = sorted(HANDOUTS.glob("*.json"))


def _drawing_always(monkeypatch) -> None:
    monkeypatch.setattr(replay, "draw", lambda flowable, key, owner, drawing: drawing())


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_replayed_handouts_are_byte_identical_to_drawn_ones(monkeypatch, tmp_path, template):
    """Every example (and one of accents, dashes and quotes, and one with form fields) built
    once recording, then again in the other order, replaying into documents that met their
    fonts and characters in another order; then with every drawing drawn. Same bytes each,
    and most of the cards, weeks and notes must have been replayed, or this proves nothing."""
    unusual = tmp_path / "unusual.json"
    unusual.write_text(json.dumps(UNUSUAL))
    builds = [(spec, False) for spec in [unusual, *EXAMPLES]] + [(HANDOUTS / "mixed-short.json", True)]
    replay._RECORDED.clear()
    recorded = {(spec, fillable): build_handout(spec, template=template, fillable=fillable)
                for spec, fillable in builds}
    before = dict(replay._counts)
    replayed = {(spec, fillable): build_handout(spec, template=template, fillable=fillable)
                for spec, fillable in reversed(builds)}
    replays = replay._counts["replayed"] - before["replayed"]
    draws = replays + replay._counts["recorded"] - before["recorded"] + replay._counts["refused"] - before["refused"]
    _drawing_always(monkeypatch)
    for spec, fillable in builds:
        drawn = build_handout(spec, template=template, fillable=fillable)
        assert recorded[spec, fillable] == drawn, f"{spec.name} (fillable {fillable}): recording changed the bytes"
        assert replayed[spec, fillable] == drawn, f"{spec.name} (fillable {fillable}): a replay changed the bytes"
    assert replays > 0.8 * draws and replays > 30, (replays, draws)


def _canvas() -> Canvas:
    fonts.register()
    return Canvas(io.BytesIO(), initialFontName=fonts.REGULAR)


class _Probe:
    """A flowable's part replay.draw reads: its canvas and size."""

    def __init__(self, canvas: Canvas):
        self.canv, self.width, self.height = canvas, 100.0, 20.0


def _text(canvas: Canvas, font: str, text: str) -> None:
    canvas.setFont(font, 10)
    canvas.drawString(0, 0, text)


def test_a_second_document_naming_its_fonts_otherwise_gets_its_own_names():
    """Recorded where the bold font was named first (F1), replayed where the regular one was:
    the replay writes what drawing writes there (the names, and an accented letter's code)."""
    replay._RECORDED.clear()
    first = _canvas()
    _text(first, fonts.BOLD, "Title")
    replay.draw(_Probe(first), ("probe", 1), None, lambda: _text(first, fonts.REGULAR, "Hold 5 s \u00e9 \u2013"))
    assert replay._RECORDED, "a drawing in our fonts was not recorded"

    def written(canvas: Canvas, replayed: bool) -> list[str]:
        _text(canvas, fonts.REGULAR, "caf\u00e9 \u00fc")  # another order of non-ASCII codes
        _text(canvas, fonts.BOLD, "Title")
        start = len(canvas._code)
        drawing = lambda: _text(canvas, fonts.REGULAR, "Hold 5 s \u00e9 \u2013")  # noqa: E731
        if replayed:
            replay.draw(_Probe(canvas), ("probe", 1), None, drawing)
        else:
            drawing()
        return "\n".join(canvas._code[start:]).split("\n")

    before = replay._counts["replayed"]
    assert written(_canvas(), True) == written(_canvas(), False)
    assert replay._counts["replayed"] == before, "replayed although the codes differ"
    # The same document history twice: the second is a replay, and writes the same.
    assert written(_canvas(), True) == written(_canvas(), False)
    assert replay._counts["replayed"] == before + 1


def test_a_drawing_that_does_more_than_write_operators_is_never_kept():
    """A standard font (named outside our fonts), a form, an image: drawn every time."""
    replay._RECORDED.clear()
    canvas = _canvas()

    def standard_font() -> None:
        _text(canvas, "Helvetica", "plain")

    def form() -> None:
        canvas.doForm("somewhere")

    def leaves_a_transform() -> None:
        canvas.translate(3, 4)

    refused = replay._counts["refused"]
    for n, drawing in enumerate((standard_font, form, leaves_a_transform)):
        replay.draw(_Probe(canvas), ("probe", n), None, drawing)
    assert not replay._RECORDED
    assert replay._counts["refused"] == refused + 3


def test_the_canvas_internals_replay_reads_are_still_there():
    """replay.py keys a drawing by the state saveState keeps (STATE_ATTRIBUTES), writes into
    the page's operator list (_code, joined by line ends), and refuses to end on a transform
    because reportlab folds the next one into it. An upgrade changing these fails here."""
    canvas = Canvas(io.BytesIO(), pageCompression=0)
    canvas.saveState()
    assert set(canvas.state_stack[-1]) == set(Canvas.STATE_ATTRIBUTES)
    canvas.restoreState()
    start = len(canvas._code)
    canvas.translate(1, 2)
    canvas.translate(3, 4)
    assert canvas._code[start:] == ["1 0 0 1 4 6 cm"]
    canvas.rect(0, 0, 5, 5)
    canvas.showPage()
    canvas.save()
    assert b"1 0 0 1 4 6 cm\nn 0 0 5 5 re" in canvas.getpdfdata()


def test_keyed_columns_are_measured_once_per_width():
    """A card's columns keep their height by the replay key: a second build reads it (shown
    by a height altered in between, which moves what follows), and gives the same bytes."""
    from routinepress.render import cards, shelf

    spec = HANDOUTS / "mixed-short.json"
    cards._HEIGHTS.clear()
    shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
    first = build_handout(spec)
    assert cards._HEIGHTS, "no columns measured by key"
    assert build_handout(spec) == first
    kept = dict(cards._HEIGHTS)
    shelf._SHELF.clear()
    try:
        for key, (owner, height) in kept.items():
            cards._HEIGHTS[key] = (owner, height + 40)
        assert build_handout(spec) != first, "the kept heights were not read"
    finally:
        cards._HEIGHTS.clear()
        shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
    assert build_handout(spec) == first


def test_a_card_chooses_its_tighter_layout_once(monkeypatch):
    """The benchmark's handout has a card that takes smaller pictures to fit a page's foot
    (FitToRoom). Its arrangement is chosen in the first build; a second build chooses none,
    for it or for any card, and gives the same bytes."""
    from conftest import REPO

    from routinepress.render import cards, shelf

    spec = REPO / "bench" / "specs" / "standard-8.json"
    cards._CHOSEN.clear()
    shelf._SHELF.clear()  # (a card on the shelf is neither chosen nor measured)
    tried = []
    original = cards._shortest
    monkeypatch.setattr(cards, "_shortest", lambda *args: tried.append(args[4]) or original(*args))
    first = build_handout(spec)
    assert any(scale == cards.TIGHTER_SCALE for modes in tried for _, scale in modes), "no card took its tighter layout"
    tried.clear()
    assert build_handout(spec) == first
    assert tried == []


def test_a_replay_stops_at_the_first_font_use_that_answers_otherwise():
    """Recorded where a letter went to a second subset (the first full of other letters),
    replayed where it goes to the first: asking the second subset's name there would fail,
    so the replay stops at the split, and the drawing writes what it writes there."""
    from reportlab.pdfbase.pdfmetrics import getFont

    replay._RECORDED.clear()
    crowded = _canvas()
    letters = [chr(code) for code in sorted(getFont(fonts.REGULAR).face.charToGlyph) if code > 0xA0]
    _text(crowded, fonts.REGULAR, "".join(letters[:200]))  # fills the first subset
    late = letters[200]
    replay.draw(_Probe(crowded), ("probe", 2), None, lambda: _text(crowded, fonts.REGULAR, late))
    assert any(kind == "name" and args == (1,) for kind, _, args, _ in next(iter(replay._RECORDED.values())).uses)

    fresh, drawn = _canvas(), _canvas()
    for canvas in (fresh, drawn):
        _text(canvas, fonts.REGULAR, "x")
    replay.draw(_Probe(fresh), ("probe", 2), None, lambda: _text(fresh, fonts.REGULAR, late))
    _text(drawn, fonts.REGULAR, late)
    assert fresh._code == drawn._code


def test_a_handout_that_differs_only_a_little_never_gets_anothers_drawing(monkeypatch):
    """Two handouts alike but for one figure in a card's dose, the title of the section its
    card opens (printed over the card), the tracker's dates and a reason to stop: built one
    after the other, the second prints its own, as drawing prints it (a key that missed one of
    them would print the first handout's figure, heading or dates)."""
    from conftest import minimal_spec

    def spec(reps: int, section: str, start: str, reason: str) -> dict:
        return minimal_spec(sections=[{"title": section, "exercises": [
            {"ref": "bridge", "dosage": {"reps": reps, "sets": 2}}, "clamshell"]}],
            stop_if=[reason], tracker={"weeks": 1, "start_date": start})

    first = spec(10, "Moves", "2026-11-23", "Your hip locks.")
    second = spec(12, "Moves", "2026-11-30", "Your knee locks.")
    third = spec(12, "Strength", "2026-11-30", "Your knee locks.")
    replay._RECORDED.clear()
    build_handout(first)
    build_handout(first)  # (recorded, then replayed: the keys are in use)
    after_first = build_handout(second)
    after_second = build_handout(third)
    _drawing_always(monkeypatch)
    assert after_first == build_handout(second)
    assert after_second == build_handout(third)
