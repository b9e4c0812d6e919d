"""The quick one-handout build (coldstart.py) behaves exactly like click's `build`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import minimal_spec, write_spec

from routinepress.coldstart import plain_build

CLICK = "import sys; from routinepress.cli import main; main(sys.argv[1:])"


def _run(args: list[str], cwd: Path, quick: bool) -> subprocess.CompletedProcess:
    """The command line through __main__ (quick path when it applies) or through click alone."""
    head = ["-m", "routinepress"] if quick else ["-c", CLICK]
    return subprocess.run([sys.executable, *head, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("args, expected", [
    (["build", "a.json"], (Path("a.json"), None, None)),
    (["build", "a.json", "-o", "out.pdf"], (Path("a.json"), "out.pdf", None)),
    (["build", "--output", "o/", "a.json", "--depfile", "a.d"], (Path("a.json"), "o/", Path("a.d"))),
])
def test_plain_build_command_lines(args, expected):
    assert plain_build(args) == expected


@pytest.mark.parametrize("args", [
    [], ["validate", "a.json"], ["build"], ["build", "a.json", "b.json"], ["build", "a.json", "--strict"],
    ["build", "a.json", "-o"], ["build", "a.json", "-o", "x.pdf", "-o", "y.pdf"], ["build", "--help"],
    ["build", "a.json", "-o", "--strict"], ["build", "a.json", "--output=x.pdf"], ["--debug", "build", "a.json"],
    ["build", "a.json", "-o", ""], ["build", "a.json", "--template", "compact"],
])
def test_anything_else_goes_to_click(args):
    assert plain_build(args) is None


def test_depfile_naming_a_folder_goes_to_click(tmp_path):
    assert plain_build(["build", "a.json", "--depfile", str(tmp_path)]) is None


def _logo_spec(folder: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (300, 100), (20, 60, 120)).save(folder / "logo.png")
    return write_spec(folder, minimal_spec(clinician={"name": "Dr Lee", "logo": "logo.png"}), "logo.json")


@pytest.mark.parametrize("case", ["poses", "logo", "folder", "depfile", "bad", "missing"])
def test_same_result_as_click(tmp_path, case):
    (tmp_path / "quick").mkdir()
    (tmp_path / "click").mkdir()
    spec = write_spec(tmp_path, minimal_spec(), "spec.json")
    args = {
        "poses": ["build", "spec.json", "-o", "{}/spec.pdf"],
        "logo": ["build", str(_logo_spec(tmp_path)), "-o", "{}/logo.pdf"],
        "folder": ["build", "spec.json", "-o", "{}/"],
        "depfile": ["build", "spec.json", "-o", "{}/spec.pdf", "--depfile", "{}/spec.d"],
        "bad": ["build", str(write_spec(tmp_path, json.dumps(minimal_spec(date="2026-02-30")), "bad.json")),
                "-o", "{}/bad.pdf"],
        "missing": ["build", "nowhere.json", "-o", "{}/x.pdf"],
    }[case]
    assert spec.exists()
    results = {how: _run([a.format(how) for a in args], tmp_path, quick=how == "quick") for how in ("quick", "click")}
    quick, click = results["quick"], results["click"]
    assert (quick.returncode, quick.stdout.replace("quick", "click"), quick.stderr) == \
           (click.returncode, click.stdout, click.stderr)
    written = sorted(p.name for p in (tmp_path / "quick").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "click").iterdir())
    if case in ("bad", "missing"):
        assert quick.returncode == 1 and written == [] and quick.stderr.startswith("error: ")
    else:
        assert quick.returncode == 0 and quick.stdout.startswith("wrote ") and written
    for name in written:
        quick_bytes = (tmp_path / "quick" / name).read_bytes()
        assert quick_bytes.replace(b"quick", b"click") == (tmp_path / "click" / name).read_bytes()


def test_reportlab_imports_pil_and_pyphen_and_a_pose_handout_needs_neither(tmp_path):
    """If a reportlab upgrade stops importing these modules at start-up, or starts calling into
    PIL for every document, this fails and coldstart.py needs another look."""
    spec = write_spec(tmp_path, minimal_spec())
    program = (
        "import sys\n"
        "from routinepress.coldstart import quick_build\n"
        f"code = quick_build(['build', {str(spec)!r}, '-o', {str(tmp_path / 'out.pdf')!r}])\n"
        "import reportlab.lib.utils as utils, reportlab.platypus.paragraph as paragraph\n"
        "print(code, utils.Image is sys.modules['PIL.Image'], type(sys.modules['PIL.Image']).__name__,\n"
        "      'PIL._imaging' in sys.modules, paragraph.pyphen, 'pyphen' in sys.modules)\n"
        "from PIL import Image\n"  # the first real use loads it
        "import pyphen\n"  # and pyphen is there for whoever else wants it
        "print(Image.new('L', (2, 2)).size, type(sys.modules['PIL.Image']).__name__, pyphen.Pyphen.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["0 True _LazyModule False None False", "(2, 2) module Pyphen"]
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_modules_reportlab_only_calls_into_later_stand_in_until_used(tmp_path):
    """A cold build loads none of coldstart.STAND_INS (nor inspect, which the first brings in);
    the first use of one loads the real module and answers. If a reportlab upgrade calls into
    one of them for every document, or imports another name from it, this fails."""
    spec = write_spec(tmp_path, minimal_spec())
    env = {**os.environ, "ROUTINEPRESS_CACHE_DIR": str(tmp_path / "cache")}
    # (the first build checks the documents and asks Babel, which bring in more modules)
    subprocess.run([sys.executable, "-m", "routinepress", "build", str(spec), "-o", str(tmp_path / "first.pdf")],
                   check=True, capture_output=True, env=env, timeout=120)
    program = (
        "import sys\n"
        "from routinepress.coldstart import STAND_INS, quick_build\n"
        f"code = quick_build(['build', {str(spec)!r}, '-o', {str(tmp_path / 'out.pdf')!r}])\n"
        "standing = sorted(n for n in STAND_INS if type(sys.modules[n]).__name__ == '_StandIn')\n"
        "print(code, standing == sorted(STAND_INS), 'inspect' in sys.modules, 'shutil' in sys.modules)\n"
        "from reportlab.lib import colors, utils\n"
        "print(colors.toColor('(0.5, 0.25, 1)').rgb(), utils.rl_safe_eval('1 + 2'),\n"
        "      type(sys.modules['reportlab.lib.rl_safe_eval']).__name__)\n"
        "import tempfile, pickle\n"
        "print(pickle.loads(pickle.dumps([1])), tempfile.gettempdir() != '', type(sys.modules['tempfile']).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["0 True False False", "(0.5, 0.25, 1) 3 module", "[1] True module"]
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_without_pyphen_nothing_is_lost():
    """reportlab hyphenates only for a style with a hyphenationLang: its default is none, and no
    routinepress style sets one (else coldstart must not hide pyphen)."""
    from reportlab import rl_config
    from reportlab.platypus import paragraph

    assert rl_config.hyphenationLang == ""
    assert "import pyphen" in Path(paragraph.__file__).read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[1] / "src" / "routinepress"
    assert not [p for p in source.rglob("*.py") if "hyphenationlang" in p.read_text(encoding="utf-8").lower()
                and p.name != "coldstart.py"]


def test_a_successful_build_flushes_what_it_printed_before_leaving(tmp_path):
    write_spec(tmp_path, minimal_spec())
    result = _run(["build", "spec.json", "-o", "out.pdf"], tmp_path, quick=True)
    assert result.returncode == 0
    assert re.fullmatch(r"wrote out\.pdf \(\d+ pages?\)\n", result.stdout)
    assert (tmp_path / "out.pdf").read_bytes().rstrip().endswith(b"%%EOF")


VALIDATOR_LOADED = (
    "import sys\n"
    "from routinepress.coldstart import quick_build\n"
    "code = quick_build(sys.argv[1:])\n"
    "print(code, 'jsonschema_rs' in sys.modules, 'babel' in sys.modules)\n"
)


def _quick_in_process(args: list[str], cwd: Path, cache: str) -> list[str]:
    env = {**os.environ, "ROUTINEPRESS_CACHE_DIR": cache}
    result = subprocess.run([sys.executable, "-c", VALIDATOR_LOADED, *args], capture_output=True, text=True,
                            cwd=cwd, env=env, timeout=120)
    return result.stdout.splitlines()[-1:] + result.stderr.splitlines()


def test_a_second_build_of_known_documents_needs_no_validator_and_no_babel(tmp_path):
    write_spec(tmp_path, minimal_spec())
    cache = str(tmp_path / "cache")
    first = _quick_in_process(["build", "spec.json", "-o", "first.pdf"], tmp_path, cache)
    records = sorted((tmp_path / "cache" / "valid").iterdir())
    assert first == ["0 True True"] and len(records) >= 3  # the spec, its exercise, the general warnings, ...
    assert _quick_in_process(["build", "spec.json", "-o", "second.pdf"], tmp_path, cache) == ["0 False False"]
    # Nor dataclasses: the model's and the renderer's records are NamedTuples (a frozen
    # dataclass compiles its methods at import, about six times what a NamedTuple costs).
    modules = subprocess.run([sys.executable, "-c", VALIDATOR_LOADED.replace(
        "'babel' in sys.modules", "'babel' in sys.modules, 'dataclasses' in sys.modules"),
        "build", "spec.json", "-o", "third.pdf"], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "ROUTINEPRESS_CACHE_DIR": cache}, timeout=120)
    assert modules.stdout.splitlines()[-1:] == ["0 False False False"], modules.stderr
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    # Another spec is checked, and recorded; the catalog's documents stay known.
    write_spec(tmp_path, minimal_spec(title="Another"))
    assert _quick_in_process(["build", "spec.json"], tmp_path, cache) == ["0 True False"]
    assert len(list((tmp_path / "cache" / "valid").iterdir())) == len(records) + 1
    # A tracker starting another day asks Babel again.
    write_spec(tmp_path, minimal_spec(title="Another", tracker={"weeks": 1, "start_date": "2027-03-01"}))
    assert _quick_in_process(["build", "spec.json"], tmp_path, cache) == ["0 True True"]


def test_an_invalid_document_is_never_recorded(tmp_path):
    write_spec(tmp_path, minimal_spec(tracker={"weeks": "three"}))
    cache = str(tmp_path / "cache")
    first = _quick_in_process(["build", "spec.json"], tmp_path, cache)
    assert first[0].startswith("1 True") and "$.tracker.weeks" in "\n".join(first)
    assert _quick_in_process(["build", "spec.json"], tmp_path, cache) == first
    assert not (tmp_path / "out.pdf").exists()


def test_no_records_when_the_cache_is_off(tmp_path):
    write_spec(tmp_path, minimal_spec())
    assert _quick_in_process(["build", "spec.json"], tmp_path, "off") == ["0 True True"]
    assert not (tmp_path / "off").exists()


def test_record_keys_follow_the_schema_and_every_value():
    from routinepress import validity

    schema = validity.digest([b'{"type": "object"}'])
    doc = {"a": 1, "b": [1.0, True]}
    assert validity.key(schema, doc) == validity.key(schema, {"b": [1.0, True], "a": 1})  # order is no content
    others = [{"a": 1.0, "b": [1.0, True]}, {"a": 1, "b": [1, True]}, {"a": 1, "b": [1.0, 1]}, {"a": "1"}]
    assert len({validity.key(schema, d) for d in [doc, *others]}) == 5
    assert validity.key(validity.digest([b'{"type": "array"}']), doc) != validity.key(schema, doc)
    # a schema's bytes are length-prefixed: moving text from one file to the next is a change
    assert validity.digest([b"ab", b"c"]) != validity.digest([b"a", b"bc"])


@pytest.mark.parametrize("language", ["en-US", "en-GB", "es", "fr", "de", "pl", "ar", "ja"])
def test_remembered_cldr_answers_are_babels(language, tmp_path, monkeypatch):
    import datetime as dt

    from babel import Locale
    from babel.dates import format_date, format_interval, format_skeleton

    from routinepress import cldr

    locale = Locale.parse(language.replace("-", "_"))
    numbers = [*range(0, 31), 100, 101, 1000000, 1.0, 2.0, 5.0]
    days = [dt.date(2026, 12, 20) + dt.timedelta(days=n) for n in range(0, 400, 7)]
    expected = ([locale.plural_form(n) for n in numbers] + [format_date(d, "medium", locale=locale) for d in days]
                + [format_date(d, "EEE", locale=locale) for d in days]
                + [format_skeleton("d", d, locale=locale) for d in days]
                + [format_interval(d, d + dt.timedelta(days=6), "MMMd", locale=locale).replace("\u2009", " ")
                   .replace("\u202f", "\u00a0") for d in days])

    def asked() -> list[str]:
        return ([cldr.plural(language, n) for n in numbers] + [cldr.medium_date(language, d) for d in days]
                + [cldr.weekday(language, d) for d in days] + [cldr.day_of_month(language, d) for d in days]
                + [cldr.week_dates(language, d) for d in days])

    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cldr, "enabled", True)
    monkeypatch.setattr(cldr, "_answers", {})
    monkeypatch.setattr(cldr, "_changed", set())
    assert cldr.known(language) and asked() == expected  # from Babel
    cldr.save()
    monkeypatch.setattr(cldr, "_answers", {})
    monkeypatch.setattr(cldr, "_ask_babel", lambda *a: pytest.fail(f"asked Babel {a}"))
    assert cldr.known(language) and asked() == expected  # from the file


def test_an_unknown_region_is_not_remembered_as_known(tmp_path, monkeypatch):
    from routinepress import cldr

    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cldr, "enabled", True)
    monkeypatch.setattr(cldr, "_answers", {})
    monkeypatch.setattr(cldr, "_changed", set())
    assert not cldr.known("en-QQ") and not cldr.known("en-QQ")
    cldr.save()
    assert not list(tmp_path.rglob("*.json"))


CLICK_VALIDATOR_LOADED = (
    "import sys\n"
    "from routinepress.cli import main\n"
    "main.main(sys.argv[1:], standalone_mode=False)\n"
    "print('jsonschema_rs' in sys.modules, 'babel' in sys.modules)\n"
)


def test_a_build_click_handles_keeps_the_same_records(tmp_path):
    """Any command-line build keeps the records the quick path keeps (an option such as
    --template takes click's way): the second build of known documents needs no validator,
    no Babel, and lays out no card it knows (a batch's workers inherit this)."""
    write_spec(tmp_path, minimal_spec())
    env = {**os.environ, "ROUTINEPRESS_CACHE_DIR": str(tmp_path / "cache")}

    def build(out: str) -> list[str]:
        result = subprocess.run([sys.executable, "-c", CLICK_VALIDATOR_LOADED, "build", "spec.json", "--template",
                                 "compact", "-o", out], capture_output=True, text=True, cwd=tmp_path, env=env,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1:]

    # The console script's own way (it leaves with os._exit): records are written all the same.
    first = subprocess.run([sys.executable, "-m", "routinepress", "build", "spec.json", "--template", "compact",
                            "-o", "first.pdf"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert {p.name for p in (tmp_path / "cache").iterdir()} >= {"valid", "layouts", "cldr"}
    assert build("second.pdf") == ["False False"]
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
