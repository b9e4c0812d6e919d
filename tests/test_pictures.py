"""Raster pictures, the contact sheet and `illustrate`: safe, print-sized, decoded once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import minimal_spec, run_cli, write_spec
from pdfread import ReadPdf
from PIL import Image

from routinepress.catalog import Catalog
from routinepress.errors import InputError
from routinepress.render.images import MAX_PPI, ImageCache


def _png(path: Path, size=(400, 300), mode="RGB", colour=(200, 30, 30)) -> Path:
    Image.new(mode, size, colour).save(path)
    return path


def test_cache_decodes_a_picture_used_twice_once(tmp_path):
    cache = ImageCache()
    a = _png(tmp_path / "a.png")
    b = tmp_path / "b.png"
    b.write_bytes(a.read_bytes())  # same content, other name
    first = cache.get(a, 100, 80)
    assert cache.get(b, 100, 80) is first
    assert cache.decoded == 1


def test_downsampled_to_300_ppi_at_printed_size(tmp_path):
    big = _png(tmp_path / "big.png", size=(4000, 3000))
    prepared = ImageCache().get(big, 144, 108)  # 2 x 1.5 inches
    assert (prepared.width_px, prepared.height_px) == (2 * MAX_PPI, round(1.5 * MAX_PPI))
    small = ImageCache().get(_png(tmp_path / "small.png", size=(50, 40)), 144, 108)
    assert (small.width_px, small.height_px) == (50, 40)  # never enlarged


def test_transparency_flattens_onto_white(tmp_path):
    clear = _png(tmp_path / "clear.png", mode="RGBA", colour=(0, 0, 0, 0))
    reader = ImageCache().get(clear, 100, 100).reader
    assert reader.getRGBData()[:3] == b"\xff\xff\xff"


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (300, 100), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees: a portrait photo stored landscape
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif.tobytes())
    prepared = ImageCache().get(path, 500, 500)
    assert (prepared.width_px, prepared.height_px) == (100, 300)


def test_grayscale_on_request(tmp_path):
    photo = _png(tmp_path / "p.png")
    assert ImageCache(grayscale=True).get(photo, 100, 100).mode == "L"
    assert ImageCache().get(photo, 100, 100).mode == "RGB"


@pytest.mark.parametrize("content,message", [
    (b"this is not a picture", "is not a readable PNG or JPEG picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "is not a readable PNG or JPEG picture"),
])
def test_broken_pictures_are_input_errors(tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        ImageCache().get(path, 100, 100)


def test_decompression_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # 400 MP, a few KB on disk
    path = tmp_path / "bomb.png"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="too large"):
        ImageCache().get(path, 100, 100)


def test_gif_is_refused_by_format(tmp_path):
    path = tmp_path / "anim.png"
    Image.new("RGB", (10, 10)).save(path, "GIF")
    with pytest.raises(InputError, match="is a GIF file; use PNG or JPEG"):
        ImageCache().get(path, 100, 100)


def test_left_side_dose_mirrors_the_drawing(tmp_path):
    right = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": [
        {"ref": "standing-hip-abduction", "dosage": {"side": "right"}}]}], tracker={"weeks": 0}), "r.json")
    left = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": [
        {"ref": "standing-hip-abduction", "dosage": {"side": "left"}}]}], tracker={"weeks": 0}), "l.json")
    images = {}
    for spec in (right, left):
        out = tmp_path / f"{spec.stem}.pdf"
        assert run_cli("build", spec, "-o", out).code == 0
        pdf = ReadPdf(out)
        page = pdf.pages_with("1. Standing")[-1]
        images[spec.stem] = pdf.render(page, scale=1).convert("L")
    assert images["r"].tobytes() != images["l"].tobytes()


def test_contact_sheet_has_every_exercise(tmp_path):
    out = tmp_path / "sheet.pdf"
    result = run_cli("catalog", "sheet", "-o", out)
    assert result.code == 0, result.stderr
    text = ReadPdf(out).text
    catalog = Catalog()
    for exercise_id in catalog.ids():
        assert f"({exercise_id})" in text
        for picture in catalog.get(exercise_id).illustrations:
            assert picture.caption in text


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_illustrate_writes_each_picture(tmp_path, fmt):
    result = run_cli("illustrate", "bridge", "-o", tmp_path, "--format", fmt)
    assert result.code == 0, result.stderr
    files = sorted(tmp_path.glob(f"bridge-*.{fmt}"))
    assert len(files) == len(Catalog().get("bridge").illustrations)
    if fmt == "png":
        with Image.open(files[0]) as image:
            dark = sum(image.convert("L").histogram()[:128])
        assert dark > 500, "the picture has a figure in it"


def test_drawing_cache_gives_identical_bytes_and_survives_damage(tmp_path, monkeypatch):
    import routinepress
    from routinepress.render import drawings, shelf, shipped

    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["bridge", "clamshell"]}]))
    # Without the drawings shipped for built-in exercises, as for a clinic's own poses.
    monkeypatch.setattr(shipped, "PACK", tmp_path / "no.pack")
    monkeypatch.setattr(shipped, "_index", None)
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", "off")
    drawings._DRAWN.clear()
    shelf._SHELF.clear()  # (a card kept from another build asks for no drawing)
    uncached = routinepress.build_handout(spec)
    cache = tmp_path / "cache"
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(cache))
    drawings._DRAWN.clear()
    shelf._SHELF.clear()  # (a card kept from another build asks for no drawing)
    assert routinepress.build_handout(spec) == uncached  # drawn, then written to the cache
    entries = sorted(cache.glob("*.json"))
    # One entry per exercise's pictures at each size drawn (a card may also be tried smaller)
    assert len(entries) == len(drawings._DRAWN) >= 2
    drawings._DRAWN.clear()
    shelf._SHELF.clear()  # (a card kept from another build asks for no drawing)
    assert routinepress.build_handout(spec) == uncached  # read back from the cache
    entries[0].write_text("{not json")
    drawings._DRAWN.clear()
    shelf._SHELF.clear()  # (a card kept from another build asks for no drawing)
    assert routinepress.build_handout(spec) == uncached  # a damaged entry is drawn again
