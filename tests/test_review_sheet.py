"""The review sheet: each exercise's pictures at a template's printed size, beside its steps."""

from __future__ import annotations

import pytest
from conftest import run_cli
from pdfread import ReadPdf, squash

from routinepress.catalog import Catalog
from routinepress.templates import load_template
from routinepress.wording import Words

MM = 72 / 25.4


def _sheet(tmp_path, *args) -> ReadPdf:
    out = tmp_path / "review.pdf"
    result = run_cli("catalog", "sheet", "-o", out, *args)
    assert result.code == 0, result.stderr
    return ReadPdf(out)


def test_every_exercise_with_every_step_at_each_template_size(tmp_path):
    pdf = _sheet(tmp_path, "--size", "compact", "--template", "large-print")
    text = squash(pdf.text)
    for name in ("compact", "large-print"):
        card = load_template(name)["card"]
        size = f"{card['illustration_width_mm']:g} x {card['illustration_height_mm']:g} mm"
        assert f"Pictures at the {name} template's size ({size})" in text
    catalog, words = Catalog(), Words("en")
    for exercise in map(catalog.get, catalog.ids()):
        assert text.count(f"({exercise.id})") == 2
        # The steps as a patient reads them at the entry's default dose.
        for step in filter(None, (words.step(step, exercise.default_dosage) for step in exercise.steps)):
            assert squash(step) in text
        for picture in exercise.illustrations:
            assert picture.caption in text


def test_steps_sit_beside_pictures_of_the_asked_size(tmp_path):
    """At 46 mm two pictures fit side by side and the steps start right of them; the figure is drawn."""
    pdf = _sheet(tmp_path, "--size", "46x30", "-e", "bridge")
    with pdf.plumber() as doc:
        words = doc.pages[0].extract_words()
    first_step = next(w for w in words if w["text"] == "Lie")
    left_margin = min(w["x0"] for w in words)
    assert 2 * 46 * MM < first_step["x0"] - left_margin < 2 * 46 * MM + 60, "steps start right beside two pictures"
    image = pdf.render(0, scale=2).convert("L")
    pictures = (int(left_margin * 2), int(first_step["top"] * 2) - 10,
                int((left_margin + 2 * 46 * MM) * 2), int((first_step["top"] + 30 * MM) * 2))
    steps = (int(first_step["x0"] * 2), pictures[1], int(first_step["x0"] * 2) + 200, pictures[3])
    # the figures are filled in mid greys; text is black on white
    grey = [sum(image.crop(box).histogram()[110:200]) for box in (pictures, steps)]
    assert grey[0] > 3000 and grey[0] > 4 * grey[1], f"the figures are drawn in the left column: {grey}"


def test_a_size_in_millimetres_and_the_default_contact_sheet(tmp_path):
    pdf = _sheet(tmp_path, "--size", "38x25", "-e", "hip-hike", "-e", "clamshell")
    assert "Pictures at 38 x 25 mm" in squash(pdf.text)
    assert pdf.page_count == 1
    plain = _sheet(tmp_path, "-e", "bridge")
    assert "Pictures at" not in plain.text and "Lie face up" not in plain.text


@pytest.mark.parametrize("args, message", [
    (["--size", "tiny"], "unknown template 'tiny'"),
    (["--size", "500x20"], "pictures must be 15-180 mm wide"),
    (["-e", "brige"], "unknown exercise 'brige'"),
])
def test_bad_sheet_options_are_diagnostics(tmp_path, args, message):
    out = tmp_path / "review.pdf"
    result = run_cli("catalog", "sheet", "-o", out, *args)
    assert result.code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
