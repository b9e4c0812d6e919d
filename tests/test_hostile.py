"""Hostile files and outputs, round two: nothing lost, nothing hangs (issue 13).

Cases are named by family:

* ``dataloss-``  an output path that would destroy something (an input, the other output,
  a device, a pipe, a link to /dev/stdout), or a failure after half the outputs were written;
* ``hang-``      schema-valid input that once hung or crashed: impossible templates, huge
  routines, pipes where files belong;
* ``message-``   wrong results and unclear messages;
* ``refusal-``   things a user would not expect to be refused.

Signals (Ctrl-C in a batch) are tested below the table, with the same checks.

Every case runs the real CLI in a scratch folder and checks: the exit code; the exact
stderr; no traceback; not one file created, changed or removed except the expected output;
no temporary file left; and it ends within 10 s (a hang guard, not a speed test).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from conftest import CATALOG, minimal_spec, run_cli
from PIL import Image

HANG_GUARD_S = 10


@dataclass
class Case:
    name: str
    setup: Callable[[Path], None]
    args: list[str]
    exit: int
    stderr: str
    writes: frozenset[str] = field(default_factory=frozenset)  # files a successful run creates or changes
    root_only: bool = False


def _spec(work: Path, doc: dict | None = None, name: str = "spec.json") -> None:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc if doc is not None else minimal_spec(), indent=2), encoding="utf-8")


def _json(work: Path, name: str, doc) -> None:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")


def _old_pdf(work: Path, name: str = "out.pdf") -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, static_id=True)
    (work / name).write_bytes(buffer.getvalue())


def _png(work: Path, name: str, image: Image.Image | None = None, **save) -> None:
    (image or Image.new("RGB", (60, 30), (200, 40, 40))).save(work / name, **save)


def _steps(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(work: Path) -> None:
        for step in steps:
            step(work)
    return run


def spec(doc=None, name="spec.json"):
    return lambda work: _spec(work, doc, name)


def old_pdf(name="out.pdf"):
    return lambda work: _old_pdf(work, name)


def jsonfile(name, doc):
    return lambda work: _json(work, name, doc)


def fifo(name):
    def make(work: Path) -> None:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(work / name)
    return make


def symlink(name, target):
    return lambda work: (work / name).symlink_to(target)


def folder(name):
    return lambda work: (work / name).mkdir(parents=True)


def blocker(name):
    return lambda work: (work / name).write_text("a file where a folder would be\n")


def device(name):
    return lambda work: os.mknod(work / name, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null


def template(name, **fields):
    return jsonfile(name, {"extends": "standard", **fields})


def with_template(name):
    return spec(minimal_spec(template=name))


def png(name, image=None, **save):
    return lambda work: _png(work, name, image, **save)


BUILD = ["build", "spec.json", "-o", "out.pdf"]
NOT_REGULAR_IN = "cannot read: it is not a regular file (a pipe, a device or a socket)"
NOT_REGULAR_OUT = ("is not a regular file (a device, a pipe or a socket); refusing to replace it with the handout\n"
                   "  hint: write to a file, e.g. -o handout.pdf\n")
STACKED_HINT = '  hint: use pictures at most {} mm wide, "pictures": "side-by-side", or smaller margins or text\n'
PAGE_ONE = "wrote {} ({} pages)\n"
LOGO_SPEC = minimal_spec(clinician={"name": "J. Lee", "clinic": "Riverside PT", "logo": "logo.png"})


def _too_long_sections() -> str:
    # (refused on its size alone, before any work entry by entry)
    lines = ["error: spec.json: $.sections: has too many exercises: 10000 in all, the limit is 100",
             "  hint: split the routine into several handouts"]
    return "\n".join(lines) + "\n"


def _huge_routine() -> dict:
    ids = sorted(p.stem for p in (CATALOG / "exercises").glob("*.json"))
    return minimal_spec(sections=[{"title": f"Part {s}", "exercises": [ids[(s * 500 + e) % len(ids)]
                                                                        for e in range(500)]} for s in range(20)])


def _nine_templates(work: Path) -> None:
    for n in range(1, 10):
        _json(work, f"t{n}.json", {"extends": f"t{n + 1}.json" if n < 9 else "standard"})
    _spec(work, minimal_spec(template="t1.json"))


def _translated_overlay(work: Path) -> None:
    entry = json.loads((CATALOG / "exercises" / "bridge.json").read_text(encoding="utf-8"))
    entry["name"] = "Puente"
    entry["steps"] = ["Acuéstese boca arriba con las rodillas dobladas.", "Levante la cadera despacio. {hold}"]
    _json(work, "clinic/exercises/bridge.json", entry)  # its pictures stay the built-in pose files
    _spec(work)


CASES = [
    # --- 1. data loss --------------------------------------------------------------------------
    Case("dataloss-depfile-is-the-spec", _steps(spec(), old_pdf()), [*BUILD, "--depfile", "spec.json"], 1,
         "error: spec.json: is the spec itself; the dependency file would overwrite it\n"
         "  hint: write it to another file\n"),
    Case("dataloss-depfile-is-the-output", _steps(spec(), old_pdf()), [*BUILD, "--depfile", "out.pdf"], 1,
         "error: out.pdf: is named for both the handout and the dependency file\n"
         "  hint: give --depfile and -o different files\n"),
    Case("dataloss-depfile-is-the-template", _steps(with_template("mine.json"), template("mine.json"), old_pdf()),
         [*BUILD, "--depfile", "mine.json"], 1,
         "error: mine.json: is one of the files the handout is built from; the dependency file would overwrite it\n"
         "  hint: write it to another file\n"),
    Case("dataloss-output-is-the-logo", _steps(spec(LOGO_SPEC), png("logo.png")),
         ["build", "spec.json", "-o", "logo.png"], 1,
         "error: logo.png: is one of the files the handout is built from; the handout would overwrite it\n"
         "  hint: write it to another file\n"),
    Case("dataloss-output-is-a-fifo", _steps(spec(), fifo("out.pdf")), BUILD, 1, "error: out.pdf: " + NOT_REGULAR_OUT),
    Case("dataloss-output-links-to-stdout", _steps(spec(), symlink("out.pdf", "/dev/stdout")), BUILD, 1,
         "error: out.pdf: " + NOT_REGULAR_OUT),
    Case("dataloss-output-is-a-device", _steps(spec(), device("out.pdf")), BUILD, 1,
         "error: out.pdf: " + NOT_REGULAR_OUT, root_only=True),
    Case("dataloss-depfile-in-unwritable-place-keeps-the-old-pdf", _steps(spec(), old_pdf(), blocker("blocker")),
         [*BUILD, "--depfile", "blocker/out.d"], 1, "error: blocker/out.d: cannot write here (File exists)\n"),
    Case("dataloss-output-name-of-255-bytes", spec(), ["build", "spec.json", "-o", "h" * 251 + ".pdf"], 0,
         "", writes=frozenset({"h" * 251 + ".pdf"})),
    Case("dataloss-depfile-name-of-255-bytes", _steps(spec(), old_pdf()), [*BUILD, "--depfile", "d" * 253 + ".d"], 0,
         "", writes=frozenset({"out.pdf", "d" * 253 + ".d"})),
    Case("dataloss-output-new-folder-with-slash", spec(), ["build", "spec.json", "-o", "newdir/"], 0, "",
         writes=frozenset({"newdir", "newdir/spec.pdf"})),
    Case("dataloss-output-existing-folder", _steps(spec(), folder("pdfs")), ["build", "spec.json", "-o", "pdfs"], 0,
         "", writes=frozenset({"pdfs/spec.pdf"})),
    # --- 2. hangs and crashes on schema-valid input ----------------------------------------------
    Case("hang-template-pictures-140mm-wide",
         _steps(with_template("wide.json"), template("wide.json", card={"illustration_width_mm": 140})), BUILD, 1,
         "error: wide.json: $.card.illustration_width_mm: 140 mm pictures leave 43 mm for the instructions "
         "beside them on letter paper; they need at least 60 mm\n" + STACKED_HINT.format(122)),
    Case("hang-template-pictures-160mm-wide",
         _steps(with_template("wide.json"), template("wide.json", card={"illustration_width_mm": 160})),
         ["build", "spec.json", "-o", "out.pdf", "--page-size", "a4"], 1,
         "error: wide.json: $.card.illustration_width_mm: 160 mm pictures leave 23 mm for the instructions "
         "beside them on letter paper; they need at least 60 mm\n" + STACKED_HINT.format(122)),
    Case("hang-template-pictures-wider-than-a4",
         _steps(spec(), template("wide.json", card={"illustration_width_mm": 180, "pictures": "side-by-side"},
                                 page={"margins_mm": {"left": 20, "right": 20}})),
         [*BUILD, "--template", "wide.json", "--page-size", "a4"], 1,
         "error: wide.json: $.card.illustration_width_mm: 180 mm pictures are wider than the 167 mm the margins "
         "leave on a4 paper\n  hint: use narrower pictures or smaller margins\n"),
    Case("hang-template-pictures-taller-than-the-page",
         _steps(with_template("tall.json"), template("tall.json", card={"illustration_height_mm": 180},
                                                     page={"margins_mm": {"top": 60, "bottom": 60}})), BUILD, 1,
         "error: tall.json: $.card.illustration_height_mm: 180 mm pictures, with a caption and the exercise's name, "
         "are taller than the 142 mm a letter page has between its header and footer\n"
         "  hint: use pictures at most 120 mm high, or smaller margins or text\n"),
    Case("hang-template-header-40000-wide-field",
         _steps(with_template("wide.json"), template("wide.json", header={"left": "{title:W>40000}"})), BUILD, 1,
         "error: wide.json: $.header.left: {title:W>40000} has a format; placeholders take none\n"
         "  hint: write {title}\n"),
    Case("hang-template-footer-unknown-placeholder",
         _steps(with_template("odd.json"), template("odd.json", footer={"right": "{page_of} {0}"})), BUILD, 1,
         "error: odd.json: $.footer.right: unknown placeholder {0}\n"
         "  hint: placeholders: {title}, {patient}, {date}, {clinic}, {clinician}, {page_of}\n"),
    Case("hang-card-ends-a-point-above-the-page-foot",  # found by tests/test_template_fuzz.py
         _steps(jsonfile("margins.json", {"extends": "standard", "page": {
             "size": "a4", "margins_mm": {"top": 20, "right": 17, "left": 35.0, "bottom": 52}}}),
             spec({"spec_version": 1, "title": "Hip program for a long-named patient, weeks one to four",
                   "patient": {"name": "Sample Patient"}, "date": "2026-11-20", "template": "margins.json",
                   "clinician": {"name": "Jordan Lee", "clinic": "Riverside Physical Therapy and Rehabilitation"},
                   "sections": [{"title": "Moves", "exercises": ["clamshell"]}], "tracker": {"weeks": 1}})),
         BUILD, 0, "", writes=frozenset({"out.pdf"})),
    Case("hang-10000-exercises-in-20-sections", _steps(spec(_huge_routine()), old_pdf()), BUILD, 1,
         _too_long_sections()),
    Case("hang-101-exercises-in-all", _steps(spec(minimal_spec(sections=[
        {"title": f"Part {s}", "exercises": ["bridge"] * (50 if s < 2 else 1)} for s in range(3)])), old_pdf()),
        BUILD, 1, "error: spec.json: $.sections: has too many exercises: 101 in all, the limit is 100\n"
                  "  hint: split the routine into several handouts\n"),
    Case("hang-catalog-entry-is-a-fifo", _steps(spec(), fifo("clinic/exercises/bridge.json"), old_pdf()),
         [*BUILD, "--catalog", "clinic"], 1, f"error: clinic/exercises/bridge.json: {NOT_REGULAR_IN}\n"),
    Case("hang-catalog-general-is-a-fifo", _steps(spec(), fifo("clinic/general.json"), folder("clinic/exercises"),
                                                  old_pdf()),
         [*BUILD, "--catalog", "clinic"], 1, f"error: clinic/general.json: {NOT_REGULAR_IN}\n"),
    Case("hang-spec-is-a-fifo", _steps(fifo("spec.json"), old_pdf()), BUILD, 1,
         f"error: spec.json: {NOT_REGULAR_IN}\n"),
    Case("hang-validate-spec-is-a-fifo", fifo("spec.json"), ["validate", "spec.json"], 1,
         f"error: spec.json: {NOT_REGULAR_IN}\n"),
    Case("hang-template-file-is-a-fifo", _steps(spec(), fifo("mine.json"), old_pdf()),
         [*BUILD, "--template", "mine.json"], 1, f"error: mine.json: {NOT_REGULAR_IN}\n"),
    Case("hang-logo-is-a-fifo", _steps(spec(LOGO_SPEC), fifo("logo.png"), old_pdf()), BUILD, 1,
         "error: spec.json: $.clinician.logo: 'logo.png' is not a regular file (a pipe, a device or a socket); "
         "it is never opened\n"),
    # --- 4. wrong results and unclear messages ----------------------------------------------------
    Case("message-nul-in-title", _steps(spec(minimal_spec(title="Hip\u0000program")), old_pdf()), BUILD, 1,
         "error: spec.json: $.title: the text has a control character (U+0000), which cannot be printed\n"
         "  hint: remove it; only line breaks and tabs may be used\n"),
    Case("message-escape-character-in-catalog-step", _steps(spec(), jsonfile("clinic/exercises/bridge.json", {
        **json.loads((CATALOG / "exercises" / "bridge.json").read_text(encoding="utf-8")),
        "steps": ["Lie down.\u001b[2J"]}), old_pdf()), [*BUILD, "--catalog", "clinic"], 1,
         "error: clinic/exercises/bridge.json: $.steps[0]: the text has a control character (U+001B), "
         "which cannot be printed\n  hint: remove it; only line breaks and tabs may be used\n"),
    Case("message-language-with-a-line-break", _steps(spec(minimal_spec(language="en\n")), old_pdf()), BUILD, 1,
         "error: spec.json: $.language: 'en\\n' is not in the expected form\n"
         "  hint: remove the line break: this value is one line\n"),
    Case("message-spec-is-a-folder", _steps(folder("spec.json"), old_pdf()), BUILD, 1,
         "error: spec.json: cannot read: it is a folder, not a file\n"),
    Case("message-validate-a-folder", folder("specs"), ["validate", "specs"], 1,
         "error: specs: cannot read: it is a folder, not a file\n"),
    Case("message-template-chain-of-nine", _steps(_nine_templates, old_pdf()), BUILD, 1,
         "error: t8.json: $.extends: the chain of `extends` is too long: at most 8 templates, counting t1.json "
         "itself\n  hint: extend a built-in template directly, or merge some of the files\n"),
    Case("message-template-loop", _steps(with_template("a.json"), jsonfile("a.json", {"extends": "b.json"}),
                                         jsonfile("b.json", {"extends": "a.json"}), old_pdf()), BUILD, 1,
         "error: b.json: $.extends: templates extend each other in a loop: a.json -> b.json -> a.json\n"),
    Case("message-logo-is-a-folder", _steps(spec(LOGO_SPEC), folder("logo.png"), old_pdf()), BUILD, 1,
         "error: spec.json: $.clinician.logo: 'logo.png' is a folder, not a file\n"),
    Case("message-title-too-long", _steps(spec(minimal_spec(title="T" * 201)), old_pdf()), BUILD, 1,
         "error: spec.json: $.title: is too long: 201 characters, the limit is 200\n"),
    Case("message-too-many-warnings", _steps(spec(minimal_spec(stop_if=["Sharp pain."] * 31)), old_pdf()), BUILD, 1,
         "error: spec.json: $.stop_if: is too long: 31 items, the limit is 30\n"),
    # --- 5. refusals a user would not expect ------------------------------------------------------
    Case("refusal-mpo-phone-photo-logo",
         _steps(spec(LOGO_SPEC), png("logo.png", Image.new("RGB", (60, 30), (200, 40, 40)), format="MPO",
                                     save_all=True, append_images=[Image.new("RGB", (60, 30), (40, 40, 200))])),
         ["build", "spec.json", "-o", "out.pdf"], 0, "", writes=frozenset({"out.pdf"})),
    Case("refusal-translated-overlay-entry-keeps-built-in-poses", _translated_overlay,
         [*BUILD, "--catalog", "clinic"], 0, "", writes=frozenset({"out.pdf"})),
    Case("refusal-template-path-on-command-line-is-from-the-working-folder",
         _steps(spec(name="specs/spec.json"), template("mine.json", sizes={"body": 14})),
         ["build", "specs/spec.json", "-o", "out.pdf", "--template", "mine.json"], 0, "",
         writes=frozenset({"out.pdf"})),
    Case("refusal-page-size-in-capitals", spec(), [*BUILD, "--page-size", "A4"], 0, "",
         writes=frozenset({"out.pdf"})),
]


def _snapshot(root: Path) -> dict[str, str]:
    """Every entry under root: a hash of a file's bytes, a link's target, or its kind (never read a pipe)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(mode):
                found[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(mode):
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir" if stat.S_ISDIR(mode) else f"special:{stat.S_IFMT(mode)}"
    return found


def _remove_special_files(root: Path) -> None:
    for path in list(root.rglob("*")):
        mode = path.lstat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            path.unlink()


def _temporary_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name.endswith(".tmp") or
                  p.name.startswith(".rp-"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile(case: Case, tmp_path: Path):
    if case.root_only and os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    work = tmp_path / "work"
    work.mkdir()
    case.setup(work)
    before = _snapshot(tmp_path)

    try:
        result = run_cli(*case.args, cwd=work, timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: still running after {HANG_GUARD_S} s")
    finally:
        after = _snapshot(tmp_path)
        _remove_special_files(tmp_path)  # nothing after this test may open a pipe and wait on it

    assert result.code == case.exit, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == case.stderr
    assert _temporary_files(tmp_path) == []
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {f"work/{name}" for name in case.writes}, "files created, changed or removed"
    for name in case.writes:
        if name.endswith(".pdf"):
            assert (work / name).read_bytes().startswith(b"%PDF-")


def test_every_family_has_cases():
    families = {c.name.split("-")[0] for c in CASES}
    assert families == {"dataloss", "hang", "message", "refusal"}
    assert len(CASES) >= 35


# --- what the successful cases printed, read back --------------------------------------------------


def _images(pdf_path: Path) -> list[Image.Image]:
    with pikepdf.open(pdf_path) as pdf:
        return [pikepdf.PdfImage(image).as_pil_image() for page in pdf.pages for image in page.get_images().values()]


def test_mpo_logo_prints_its_first_frame(tmp_path):
    _spec(tmp_path, LOGO_SPEC)
    first, second = Image.new("RGB", (60, 30), (200, 40, 40)), Image.new("RGB", (60, 30), (40, 40, 200))
    first.save(tmp_path / "logo.png", format="MPO", save_all=True, append_images=[second])
    assert run_cli("build", "spec.json", "-o", "out.pdf", cwd=tmp_path).code == 0
    [logo] = _images(tmp_path / "out.pdf")
    r, g, b = logo.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert r > 150 and b < 100, "the red first frame, not the blue second one"


def test_16_bit_grey_logo_keeps_its_tone(tmp_path):
    _spec(tmp_path, LOGO_SPEC)
    grey = Image.new("I;16", (60, 30), 16384)  # a quarter of 65535: a dark grey
    grey.save(tmp_path / "logo.png")
    with Image.open(tmp_path / "logo.png") as saved:
        assert saved.mode == "I;16"
    assert run_cli("build", "spec.json", "-o", "out.pdf", cwd=tmp_path).code == 0
    [logo] = _images(tmp_path / "out.pdf")
    level = logo.convert("L").resize((1, 1)).getpixel((0, 0))
    assert 55 <= level <= 75, f"a quarter grey prints at level {level} of 255"


def test_translated_overlay_entry_draws_the_built_in_poses(tmp_path):
    from routinepress.catalog import Catalog

    _translated_overlay(tmp_path)
    built_in = Catalog().get("bridge")
    translated = Catalog([tmp_path / "clinic"]).get("bridge")
    assert translated.name == "Puente"
    assert translated.illustrations == built_in.illustrations
    assert all(i.path.is_relative_to(CATALOG.resolve()) for i in translated.illustrations)


def test_overlay_picture_is_looked_for_in_the_overlay_first(tmp_path):
    from routinepress.catalog import Catalog

    _translated_overlay(tmp_path)
    mine = tmp_path / "clinic" / "illustrations" / "bridge-start.pose.json"
    mine.parent.mkdir()
    mine.write_bytes((CATALOG / "illustrations" / "bridge-start.pose.json").read_bytes())
    translated = Catalog([tmp_path / "clinic"]).get("bridge")
    assert translated.illustrations[0].path == mine.resolve()
    assert translated.illustrations[1].path.is_relative_to(CATALOG.resolve())


def test_template_on_the_command_line_is_not_looked_for_beside_the_spec(tmp_path):
    _spec(tmp_path, name="specs/spec.json")
    _json(tmp_path, "specs/mine.json", {"extends": "standard"})  # only beside the spec
    result = run_cli("build", "specs/spec.json", "-o", "out.pdf", "--template", "mine.json", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr == "error: mine.json: template file not found\n"


def test_page_size_in_capitals_gives_a4(tmp_path):
    _spec(tmp_path)
    assert run_cli("build", "spec.json", "-o", "out.pdf", "--page-size", "A4", cwd=tmp_path).code == 0
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
    assert (round(width), round(height)) == (595, 842)


# --- 3. signals ----------------------------------------------------------------------------------


def _interrupt_batch(tmp_path: Path, whole_group: bool) -> tuple[subprocess.Popen, float, str]:
    for n in range(300):
        _spec(tmp_path, minimal_spec(title=f"Routine {n}"), f"specs/s{n:03}.json")
    (tmp_path / "out").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "routinepress", "build", *sorted(str(p) for p in (tmp_path / "specs").iterdir()),
         "-o", "out", "--jobs", "2"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    deadline = time.monotonic() + 60
    while not any((tmp_path / "out").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the workers are writing PDFs
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        _, stderr = proc.communicate(timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the batch was still running 10 s after Ctrl-C")
    return proc, time.monotonic() - sent, stderr


@pytest.mark.parametrize("whole_group", [True, False], ids=["ctrl-c-to-the-group", "sigint-to-the-parent"])
def test_signal_ctrl_c_stops_a_batch_at_once(tmp_path, whole_group):
    proc, waited, stderr = _interrupt_batch(tmp_path, whole_group)
    assert proc.returncode == 130
    assert stderr == "interrupted\n"
    # About a second; a batch that went on would take many more (300 specs).
    assert waited < 3, f"stopped {waited:.1f} s after Ctrl-C"
    outputs = sorted((tmp_path / "out").iterdir())
    assert 0 < len(outputs) < 300
    assert _temporary_files(tmp_path) == []
    for pdf in outputs:  # each PDF is whole (conftest checks their structure too)
        assert pdf.suffix == ".pdf" and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    # No worker outlives the command.
    time.sleep(0.2)
    survivors = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert survivors == []
