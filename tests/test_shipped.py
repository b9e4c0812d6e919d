"""The built-in drawings shipped in render/drawings.pack: current, faithful, and used."""

from __future__ import annotations

import json

import pytest
from conftest import HANDOUTS, minimal_spec

from routinepress import build_handout
from routinepress.render import drawings, shipped
from routinepress.templates import builtin_names

STALE = "render/drawings.pack is stale: run `make drawings` (the pose files, the drawing code, a template's " \
        "picture size or reportlab changed) and commit it"


def test_every_builtin_drawing_is_in_the_pack():
    missing = [(poses[0].name, round(w), round(h), mirror, line) for poses, w, h, mirror, line in shipped.wanted()
               if shipped.recordings(drawings._key(poses, w, h, mirror, line)) is None]
    assert not missing, f"{STALE}; missing {len(missing)}, e.g. {missing[:3]}"


def test_the_pack_holds_what_drawing_gives():
    chosen = [w for w in shipped.wanted() if w[0][0].name.startswith(("bridge-", "clamshell-"))]
    assert len(chosen) >= 4 and {w[3] for w in chosen} == {False, True}
    for poses, width, height, mirror, line_scale in chosen[:6]:
        key = drawings._key(poses, width, height, mirror, line_scale)
        assert shipped.recordings(key) == drawings._record(poses, width, height, mirror, line_scale), STALE


@pytest.fixture
def nothing_drawn(monkeypatch):
    """No drawing cache, no drawing in this process at a template's own picture size: those
    must come from the pack. (A card too tall for a page tries smaller pictures; those sizes
    are not shipped, and are drawn once and kept in the drawing cache.)"""
    full_sizes = {(round(w, 3), round(h, 3)) for _, w, h, _, _ in shipped.wanted()}
    draw = drawings._record

    def only_smaller(poses, width, height, mirror, line_scale):
        assert (round(width, 3), round(height, 3)) not in full_sizes, f"drew {poses[0].name}: {STALE}"
        return draw(poses, width, height, mirror, line_scale)

    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", "off")
    monkeypatch.setattr(drawings, "_record", only_smaller)
    monkeypatch.setattr(drawings, "_DRAWN", {})


@pytest.mark.parametrize("template", builtin_names())
def test_a_first_build_of_builtin_exercises_draws_nothing(nothing_drawn, template, tmp_path):
    doc = minimal_spec(sections=[{"title": "Both sides", "exercises": [
        "bridge", {"ref": "clamshell", "dosage": {"side": "left"}}, {"ref": "hip-hike", "dosage": {"side": "right"}}]}])
    assert build_handout(doc, base_dir=tmp_path, template=template).startswith(b"%PDF-")
    for spec in sorted(HANDOUTS.glob("*.json")):
        assert build_handout(spec, template=template).startswith(b"%PDF-")


def test_without_the_pack_the_same_bytes_are_drawn(monkeypatch, tmp_path):
    spec = HANDOUTS / "mixed-short.json"
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", "off")
    monkeypatch.setattr(drawings, "_DRAWN", {})
    from_pack = build_handout(spec)
    monkeypatch.setattr(shipped, "PACK", tmp_path / "none.pack")
    monkeypatch.setattr(shipped, "_index", None)
    monkeypatch.setattr(drawings, "_DRAWN", {})
    assert build_handout(spec) == from_pack


def test_a_damaged_pack_is_ignored(monkeypatch, tmp_path):
    whole = shipped.PACK.read_bytes()
    header = whole.split(b"\n", 1)[0]
    last = max(json.loads(header).items(), key=lambda item: item[1][0])[0]
    for name, damaged in (("cut-header", whole[:100]), ("cut-body", whole[:len(header) + 2000])):
        (tmp_path / name).write_bytes(damaged)
        monkeypatch.setattr(shipped, "PACK", tmp_path / name)
        monkeypatch.setattr(shipped, "_index", None)
        assert shipped.recordings(last) is None
