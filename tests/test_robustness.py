"""Layout never crashes, output is never half-written, and only the CLI ends the process.

Stress inputs go through the real CLI (or, where a failure must be simulated, in-process)
and the PDFs are read back: every piece of text is there, and no glyph or picture lies
outside the page.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPO, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf
from PIL import Image

from routinepress import build as build_module
from routinepress.cli import main
from routinepress.errors import InputError
from routinepress.templates import load_template


def build(tmp_path: Path, doc: dict, *extra: str, name: str = "spec") -> ReadPdf:
    spec = write_spec(tmp_path, doc, f"{name}.json")
    out = tmp_path / f"{name}.pdf"
    result = run_cli("build", spec, "-o", out, *extra, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return ReadPdf(out)


def nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def glyphs_outside(pdf: ReadPdf, margin_lr: float) -> list[str]:
    """Characters drawn outside the page, or into the left/right margins."""
    bad = []
    with pdf.plumber() as doc:
        for number, page in enumerate(doc.pages, 1):
            for c in page.chars:
                if (c["x0"] < margin_lr - 0.5 or c["x1"] > page.width - margin_lr + 0.5
                        or c["top"] < 0 or c["bottom"] > page.height):
                    bad.append(f"page {number}: {c['text']!r} at x {c['x0']:.1f}-{c['x1']:.1f}")
    return bad


STANDARD_MARGIN = load_template("standard")["page"]["margins_mm"]["left"] * 72 / 25.4


def image_file(path: Path, size: tuple[int, int], fmt: str, exif_orientation: int | None = None) -> str:
    """A picture with a dark square in its top-left corner (to see rotation)."""
    image = Image.new("RGB", size, (235, 235, 235))
    image.paste((20, 20, 20), (0, 0, max(1, size[0] // 4), max(1, size[1] // 4)))
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    image.save(path, fmt, **kwargs)
    return path.name


def custom(exercise_id: str, pictures: list[str]) -> dict:
    return {"custom": {
        "id": exercise_id, "name": f"Custom {exercise_id}", "kind": "strength", "body_regions": ["hip"],
        "steps": ["Do the movement slowly."], "default_dosage": {"reps": 10},
        "illustrations": [{"src": p, "caption": f"Picture {i}"} for i, p in enumerate(pictures, 1)],
    }}


def embedded_images(pdf_path: Path) -> list[tuple[int, int]]:
    """(width, height) in pixels of every image XObject in the file."""
    sizes = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                sizes.append((int(obj.Width), int(obj.Height)))
    return sizes


# --- layout stress ---------------------------------------------------------------------------------


def test_100_exercises_the_most_a_spec_may_hold_build_and_every_card_is_printed(tmp_path, catalog):
    ids = catalog.ids()
    names = {i: catalog.get(i).name for i in ids}
    chosen = [ids[n % len(ids)] for n in range(100)]
    small = build(tmp_path, minimal_spec(sections=[{"title": "Moves", "exercises": chosen[:10]}]),
                  name="small")
    big = build(tmp_path, minimal_spec(sections=[
        {"title": f"Block {b}", "exercises": chosen[b * 34:(b + 1) * 34]} for b in range(3)]))
    assert big.page_count > small.page_count * 5
    text = big.text
    missing = [f"{n}. {names[i]}" for n, i in enumerate(chosen, 1) if f"{n}. {names[i]}" not in text]
    assert missing == []
    assert f"Page {big.page_count} of {big.page_count}" in big.pages_text[-1]


def test_12_week_tracker(tmp_path):
    start = dt.date(2026, 11, 23)
    doc = minimal_spec(sections=[{"title": "Moves", "exercises": ["bridge", "clamshell", "hip-hike"]}],
                       tracker={"weeks": 12, "start_date": start.isoformat()})
    pdf = build(tmp_path, doc)
    text = pdf.text
    for week in range(1, 13):
        assert f"Week {week}" in text
    last = start + dt.timedelta(days=12 * 7 - 1)  # Sunday 14 February: week 12 is Feb 8 - 14
    assert f"Week 12 {last:%b} {last.day - 6} – {last.day} " in text and f"Sun {last.day}" in text
    box = load_template("standard")["tracker"]["box_size_pt"]
    assert pdf.checkbox_count(box) == 12 * 7 * 3


def test_5000_character_notes_are_printed_in_full(tmp_path):
    words = [f"word{n:04d}" for n in range(600)]
    notes = " ".join(words)[:5000].rsplit(" ", 1)[0]
    intro = "\n\n".join(" ".join(words[i:i + 40]) for i in range(0, 560, 40))[:5000]
    entry_notes = " ".join(reversed(words))[:2000].rsplit(" ", 1)[0]
    doc = minimal_spec(intro=intro, notes=notes,
                       sections=[{"title": "Moves", "exercises": [{"ref": "bridge", "notes": entry_notes}]}])
    pdf = build(tmp_path, doc)
    text = pdf.text
    for chunk in (notes, intro, entry_notes):
        missing = [w for w in chunk.split() if w not in text]
        assert missing == []
    # In order, across page breaks (a page's footer and the next header may come between).
    at = text.index("Notes")
    for word in notes.split():
        at = text.index(word, at)
    assert glyphs_outside(pdf, STANDARD_MARGIN) == []


@pytest.mark.parametrize("template", ["standard", "compact", "large-print"])
def test_unbroken_word_and_long_url_wrap_inside_the_page(tmp_path, template):
    word = "".join(chr(ord("a") + n % 26) for n in range(400))
    url = "https://example.org/" + "/".join(f"segment{n}" for n in range(40)) + "?query=" + "x" * 150
    doc = minimal_spec(template=template, title="T" * 200, subtitle="S" * 200, intro=word, notes=url,
                       patient={"name": "P" * 120},
                       sections=[{"title": "W" * 200, "exercises": [
                           {"ref": "bridge", "name": "N" * 120, "notes": f"{word} {url}",
                            "dosage": {"load": "L" * 120, "unit": "u" * 30, "reps": 5}}]}],
                       stop_if=[word])
    pdf = build(tmp_path, doc)
    # Without the running header and footer, or the card's "continued" title at a page top,
    # which may fall in the middle of a text split over pages.
    flat = nospace(re.sub(r"T{5,}\u2026|P{5,}\u2026|Page \d+ of \d+|1\. [N ]+\(continued\)", "", pdf.text))
    assert flat.count(word) >= 3  # intro, notes box, stop-if box: wrapped, not cut
    assert flat.count(nospace(url)) >= 2
    assert "N" * 120 in flat
    margin = load_template(template)["page"]["margins_mm"]["left"] * 72 / 25.4
    assert glyphs_outside(pdf, margin) == []


# --- pictures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pictures")
    image_file(folder / "huge.png", (6000, 4000), "PNG")
    image_file(folder / "huge.jpg", (6000, 4000), "JPEG")
    image_file(folder / "tiny.png", (1, 1), "PNG")
    image_file(folder / "tiny.jpg", (1, 1), "JPEG")
    image_file(folder / "rotated.jpg", (300, 100), "JPEG", exif_orientation=6)
    return folder


@pytest.mark.parametrize("template", ["standard", "large-print"])
@pytest.mark.parametrize("kind", ["huge", "tiny"])
def test_huge_and_tiny_pictures_print_fitted(tmp_path, pictures, kind, template):
    for fmt in ("png", "jpg"):
        (tmp_path / f"{kind}.{fmt}").write_bytes((pictures / f"{kind}.{fmt}").read_bytes())
    logo = f"{kind}.png" if template == "standard" else f"{kind}.jpg"
    doc = minimal_spec(template=template, clinician={"name": "Jordan Lee", "logo": logo},
                       sections=[{"title": "Moves", "exercises": [
                           custom("photo-a", [f"{kind}.png", f"{kind}.jpg"]),
                           dict(custom("photo-b", [f"{kind}.jpg"]), dosage={"side": "left"})]}])
    pdf = build(tmp_path, doc)
    assert "Custom photo-a" in pdf.text and "Picture 2" in pdf.text
    sizes = embedded_images(pdf.path)
    assert sizes  # identical tiny pictures may share one image object
    # Never more pixels than 300 ppi at the largest printed box (180 mm, the schema's maximum).
    assert max(max(w, h) for w, h in sizes) <= round(180 / 25.4 * 300)
    with pdf.plumber() as doc_:
        placed = [img for page in doc_.pages for img in page.images]
        page = doc_.pages[0]
        assert len(placed) >= 4  # logo + 3 illustrations
        for img in placed:
            assert img["x0"] >= -0.5 and img["x1"] <= page.width + 0.5
            assert img["top"] >= -0.5 and img["bottom"] <= page.height + 0.5
            assert img["width"] > 0 and img["height"] > 0


def test_exif_orientation_is_applied(tmp_path, pictures):
    (tmp_path / "rotated.jpg").write_bytes((pictures / "rotated.jpg").read_bytes())
    doc = minimal_spec(sections=[{"title": "Moves", "exercises": [custom("turned", ["rotated.jpg"])]}])
    pdf = build(tmp_path, doc)
    # Stored 300 x 100 (landscape) with "rotate 90 degrees clockwise": printed upright, portrait.
    [(width, height)] = embedded_images(pdf.path)
    assert height > width
    with pdf.plumber() as doc_:
        [placed] = [img for page in doc_.pages for img in page.images]
        assert placed["height"] > placed["width"] * 2.5
        # The dark corner (top-left when stored) is top-right after the turn.
        crop = doc_.pages[placed["page_number"] - 1].crop(
            (placed["x0"], placed["top"], placed["x1"], placed["bottom"]))
        picture = crop.to_image(resolution=72).original.convert("L")
    w, h = picture.size
    assert picture.getpixel((w * 7 // 8, h // 16)) < 100
    assert picture.getpixel((w // 8, h // 16)) > 150


def test_number_of_distinct_pictures_per_build_is_bounded(tmp_path):
    from routinepress.render.images import MAX_IMAGES_PER_BUILD

    entries = []
    for e in range(MAX_IMAGES_PER_BUILD // 6 + 1):
        names = []
        for p in range(6):
            n = e * 6 + p
            Image.new("RGB", (2, 2), (n % 256, n // 256, 7)).save(tmp_path / f"p{n}.png")
            names.append(f"p{n}.png")
        entries.append(custom(f"many-{e}", names))
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "Many", "exercises": entries}]))
    result = run_cli("build", spec, "-o", tmp_path / "out.pdf", cwd=tmp_path)
    assert result.code == 1, result.stderr
    assert f"too many distinct pictures in one build (limit {MAX_IMAGES_PER_BUILD})" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_decompression_bomb_limit_stays_on():
    import PIL.Image

    import routinepress.render.document  # noqa: F401 - everything a build imports
    import routinepress.render.images as images

    assert PIL.Image.MAX_IMAGE_PIXELS is not None
    assert images.MAX_SOURCE_PIXELS <= PIL.Image.MAX_IMAGE_PIXELS


# --- batches and atomic output ---------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_goes_on_past_a_bad_spec(tmp_path, jobs):
    good_a = write_spec(tmp_path, minimal_spec(title="A"), "a.json")
    bad = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["brige"]}]), "b.json")
    good_c = write_spec(tmp_path, minimal_spec(title="C"), "c.json")
    out = tmp_path / "handouts"
    result = run_cli("build", good_a, bad, good_c, "-o", out, "-j", jobs, cwd=tmp_path)
    assert result.code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "c.pdf"]
    assert "Traceback" not in result.stderr
    assert "error: b.json: $.sections[0].exercises[0]: unknown exercise 'brige'" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1].endswith("failed: b.json")
    assert "wrote handouts/a.pdf" in result.stdout and "wrote handouts/c.pdf" in result.stdout
    assert ReadPdf(out / "a.pdf").pages_text[0].startswith("A")


def test_failed_render_leaves_old_pdf_untouched(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really" * 10)
    spec = write_spec(tmp_path, minimal_spec(clinician={"logo": "logo.png"}))
    out = tmp_path / "out.pdf"
    good = build(tmp_path, minimal_spec(), name="out")  # yesterday's handout, at out.pdf
    old = out.read_bytes()
    result = run_cli("build", spec, "-o", out, cwd=tmp_path)
    assert result.code == 1
    assert "error: logo.png: is not a readable PNG or JPEG picture" in result.stderr
    assert out.read_bytes() == old and good.page_count >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logo.png", "out.json", "out.pdf", "spec.json"]


def test_failed_write_leaves_old_pdf_untouched_and_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "out.pdf"
    yesterday = pikepdf.new()
    yesterday.add_blank_page()
    yesterday.save(out)
    old = out.read_bytes()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module.os, "replace", full_disk)
    with pytest.raises(InputError) as caught:
        build_module.write_atomic(out, b"%PDF-1.4 today")
    assert caught.value.diagnostics[0].message == "cannot write here (No space left on device)"
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_module.write_atomic(tmp_path / "new.pdf", b"%PDF-1.4")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_just_after_the_temporary_file_is_made_leaves_nothing(tmp_path, monkeypatch):
    """Ctrl-C stops a batch's workers wherever they are: even in the instant between the
    temporary file coming into being and the code holding its name (mkstemp's return)."""
    real_open = build_module.os.open

    def made_then_interrupted(*args, **kwargs):
        build_module.os.close(real_open(*args, **kwargs))
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.os, "open", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_module.write_atomic(tmp_path / "new.pdf", b"%PDF-1.4")
    assert list(tmp_path.iterdir()) == []


def test_output_in_a_missing_folder_is_created_and_unwritable_place_is_an_input_error(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    result = run_cli("build", spec, "-o", tmp_path / "new" / "deeper" / "out.pdf", cwd=tmp_path)
    assert result.code == 0, result.stderr
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = run_cli("build", spec, "-o", tmp_path / "blocker" / "out.pdf", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.startswith("error: blocker/out.pdf: cannot write here (")
    assert "internal error" not in result.stderr


def test_an_output_name_too_long_for_the_file_system_is_an_input_error(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    long_name = "a" * 300
    one = run_cli("build", spec, "-o", tmp_path / f"{long_name}.pdf", cwd=tmp_path)
    assert one.code == 1 and "cannot write here (File name too long)" in one.stderr
    other = write_spec(tmp_path, minimal_spec(), name="other.json")
    batch = run_cli("build", spec, other, "-o", f"{tmp_path / long_name}/", cwd=tmp_path)
    assert batch.code == 1 and batch.stderr.count("cannot write here (File name too long)") == 2
    assert "internal error" not in one.stderr + batch.stderr


def test_an_output_named_by_a_link_is_written_through_it_and_the_link_stays(tmp_path):
    """-o through a link writes the file it names (a renamed temporary file used to replace
    the link itself: as root, `-o /dev/stdout > file` replaced /dev/stdout with a PDF)."""
    spec = write_spec(tmp_path, minimal_spec())
    (tmp_path / "target.pdf").write_text("old")
    (tmp_path / "link.pdf").symlink_to("target.pdf")
    assert run_cli("build", spec, "-o", tmp_path / "link.pdf", cwd=tmp_path).code == 0
    assert (tmp_path / "link.pdf").is_symlink() and (tmp_path / "target.pdf").read_bytes().startswith(b"%PDF-")
    # A link to standard output, sent to a file: the PDF lands in that file.
    (tmp_path / "out").symlink_to("/proc/self/fd/1")
    with open(tmp_path / "captured.bin", "wb") as captured:
        done = subprocess.run([sys.executable, "-m", "routinepress", "build", str(spec), "-o", str(tmp_path / "out")],
                              stdout=captured, stderr=subprocess.PIPE, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out").is_symlink() and os.readlink(tmp_path / "out") == "/proc/self/fd/1"
    assert (tmp_path / "captured.bin").read_bytes().startswith(b"%PDF-")


# --- exit codes and --debug ------------------------------------------------------------------------


def _boom(*_args, **_kwargs):
    raise RuntimeError("boom in the renderer")


def test_internal_error_is_one_line_without_debug(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, minimal_spec())
    monkeypatch.setattr(build_module, "build_one", _boom)
    result = CliRunner().invoke(main, ["build", "spec.json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "internal error: RuntimeError: boom in the renderer",
        "This is a bug in routinepress. Please report it with the command you ran; --debug shows the traceback.",
    ]
    assert "Traceback" not in result.output


def test_debug_lets_an_internal_error_through(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, minimal_spec())
    monkeypatch.setattr(build_module, "build_one", _boom)
    result = CliRunner().invoke(main, ["--debug", "build", "spec.json"])
    assert isinstance(result.exception, RuntimeError)
    assert "internal error" not in result.stderr


def test_debug_traceback_in_a_real_process(tmp_path):
    write_spec(tmp_path, minimal_spec())
    program = ("import sys, routinepress.build as b\n"
               "def boom(*a, **k): raise RuntimeError('boom in the renderer')\n"
               "b.build_one = boom\n"
               "from routinepress.cli import main\n"
               "sys.argv = ['routinepress'] + sys.argv[1:]\n"
               "main()\n")
    plain = subprocess.run([sys.executable, "-c", program, "build", "spec.json"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=120)
    debug = subprocess.run([sys.executable, "-c", program, "--debug", "build", "spec.json"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert "internal error: RuntimeError: boom in the renderer" in plain.stderr
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().endswith("RuntimeError: boom in the renderer")


def test_debug_shows_no_traceback_for_bad_input(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(titel="x"))
    result = run_cli("--debug", "build", spec, cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.splitlines() == ["error: spec.json: $.titel: unknown field 'titel'",
                                          "  hint: did you mean 'title'?"]


def test_library_raises_instead_of_exiting(tmp_path, catalog):
    spec = write_spec(tmp_path, "[]")
    with pytest.raises(InputError) as caught:
        build_module.render_spec(spec, build_module.BuildOptions(), catalog)
    assert caught.value.diagnostics[0].where == "$"


def test_only_the_cli_ends_the_process():
    """No sys.exit / exit / os._exit / raise SystemExit in library code (a __main__ guard may)."""
    allowed = {"cli.py", "__main__.py"}
    offenders = []
    for file in sorted((REPO / "src" / "routinepress").rglob("*.py")):
        if file.name in allowed:
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        guarded = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                guarded.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in guarded:
                continue
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "exit", "quit", "os._exit"):
                offenders.append(f"{file.name}:{node.lineno}")
            if isinstance(node, ast.Raise) and node.exc is not None and "SystemExit" in ast.unparse(node.exc):
                offenders.append(f"{file.name}:{node.lineno}")
    assert offenders == []


def test_exit_codes_are_0_1_2(tmp_path):
    good = write_spec(tmp_path, minimal_spec(), "good.json")
    bad = write_spec(tmp_path, json.dumps(minimal_spec(date="2026-02-30")), "bad.json")
    assert run_cli("validate", good, cwd=tmp_path).code == 0
    assert run_cli("validate", bad, cwd=tmp_path).code == 1
    assert run_cli("validate", "--no-such-flag", good, cwd=tmp_path).code == 2
    # Several specs: validate reports each, and fails if any is bad.
    both = run_cli("validate", good, bad, cwd=tmp_path)
    assert both.code == 1
    assert both.stdout.strip() == f"ok: {good}"
    assert both.stderr.startswith("error: bad.json: $.date:")
