"""Batch builds, dependency files, the Python API, and the installable wheel."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import HANDOUTS, REPO, minimal_spec, run_cli, run_racing, write_spec

import routinepress
from routinepress.errors import InputError


def test_parallel_batch_matches_serial_and_reports_a_summary(tmp_path):
    specs = [write_spec(tmp_path, minimal_spec(title=f"Routine {n}"), f"s{n}.json") for n in range(4)]
    serial = run_cli("build", *specs, "-o", tmp_path / "serial", "--jobs", "1")
    parallel = run_cli("build", *specs, "-o", tmp_path / "parallel", "--jobs", "2")
    assert serial.code == parallel.code == 0
    assert "built 4 of 4 handouts" in parallel.stdout
    for spec in specs:
        name = f"{spec.stem}.pdf"
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()


def test_batch_goes_on_past_a_bad_spec(tmp_path):
    good = write_spec(tmp_path, minimal_spec(), "good.json")
    bad = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["brige"]}]), "bad.json")
    also_good = write_spec(tmp_path, minimal_spec(), "also.json")
    result = run_cli("build", good, bad, also_good, "-o", tmp_path / "out", "--jobs", "2", cwd=tmp_path)
    assert result.code == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["also.pdf", "good.pdf"]
    assert "error: bad.json: $.sections[0].exercises[0]: unknown exercise 'brige'" in result.stderr
    assert "built 2 of 3 handouts" in result.stderr and "failed: bad.json" in result.stderr


def test_depfile_lists_what_the_handout_used(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "S", "exercises": ["bridge", "clamshell"]}]))
    out, dep = tmp_path / "spec.pdf", tmp_path / "spec.d"
    assert run_cli("build", spec, "-o", out, "--depfile", dep).code == 0
    rule = dep.read_text()
    target, _, rest = rule.partition(":")
    assert target.endswith("spec.pdf")
    for needed in ("spec.json", "exercises/bridge.json", "exercises/clamshell.json",
                   "illustrations/bridge-start.pose.json", "templates/standard.json", "catalog/general.json"):
        assert needed in rest, needed
    assert "exercises/knee-to-chest.json" not in rest  # only what it used


def test_make_reads_a_depfile_whose_names_hold_make_s_own_characters(tmp_path):
    """A spec named 'my hip$#:x.json': '$#' read as a variable and ':' as a rule made the spec
    an unknown file to make, which then never rebuilt the handout when the spec changed."""
    spec = write_spec(tmp_path, minimal_spec(), "my hip$#:x.json")
    assert run_cli("build", spec.name, "-o", "out.pdf", "--depfile", "out.d", cwd=tmp_path).code == 0
    (tmp_path / "Makefile").write_text("out.pdf:\n\t@echo rebuild\ninclude out.d\n")

    def up_to_date() -> bool:
        return subprocess.run(["make", "-q", "out.pdf"], cwd=tmp_path, capture_output=True).returncode == 0

    os.utime(spec, (1_000_000_000, 1_000_000_000))
    assert up_to_date()
    later = (tmp_path / "out.pdf").stat().st_mtime + 10
    os.utime(spec, (later, later))  # the spec edited after the handout was built
    assert not up_to_date()


def test_make_rebuilds_only_what_changed(tmp_path):
    """The Makefile's pattern rule with depfiles, run by real make on a copy of the inputs."""
    work = tmp_path / "clinic"
    (work / "handouts").mkdir(parents=True)
    write_spec(work / "handouts", minimal_spec(sections=[{"title": "S", "exercises": ["bridge"]}]), "a.json")
    write_spec(work / "handouts", minimal_spec(sections=[{"title": "S", "exercises": ["clamshell"]}]), "b.json")
    exe = Path(sys.executable).with_name("routinepress")
    makefile = work / "Makefile"
    makefile.write_text(
        "PDFS := build/a.pdf build/b.pdf\nall: $(PDFS)\n"
        f"build/%.pdf: handouts/%.json\n\t{exe} build $< -o $@ --depfile build/$*.d\n"
        "-include $(wildcard build/*.d)\n"
    )

    def make() -> str:
        return subprocess.run(["make", "-j2", "-C", str(work)], capture_output=True, text=True, check=True).stdout

    assert make().count("wrote ") == 2
    assert "wrote" not in make()  # nothing changed, nothing rebuilt
    spec = work / "handouts" / "b.json"
    spec.write_text(spec.read_text().replace("Test routine", "Changed"))
    again = make()
    assert again.count("wrote ") == 1 and "b.pdf" in again


def test_api_returns_bytes_and_is_thread_safe(tmp_path):
    expected = routinepress.build_handout(HANDOUTS / "mixed-short.json")
    assert expected.startswith(b"%PDF-")
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(routinepress.build_handout(HANDOUTS / "mixed-short.json"))
        except BaseException as exc:  # noqa: BLE001 - reported below, with the others
            errors.append(exc)

    # Switching threads every few bytecodes makes a shared object's race show in a few
    # rounds (a cached drawing flowable placed by two documents at once did, 1 round in 3).
    run_racing([work] * 4, 1e-5, rounds=6)
    assert errors == []
    assert results == [expected] * 24


def test_api_takes_a_dict_and_raises_input_error(tmp_path):
    pdf = routinepress.build_handout(minimal_spec(), base_dir=tmp_path)
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(InputError) as info:
        routinepress.build_handout(minimal_spec(sections=[{"title": "S", "exercises": ["brige"]}]))
    assert info.value.diagnostics[0].where == "$.sections[0].exercises[0]"
    with pytest.raises(InputError) as info:  # JSON text is not a file's name: said so, not "file not found"
        routinepress.build_handout(json.dumps(minimal_spec()))
    assert info.value.diagnostics[0].hint == "pass json.loads(text), the parsed dict"
    out = routinepress.build_handout_file(HANDOUTS / "mixed-short.json", tmp_path / "api.pdf")
    assert out.read_bytes() == routinepress.build_handout(HANDOUTS / "mixed-short.json")


def test_the_api_never_writes_over_the_spec_or_what_the_handout_is_built_from(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    before = spec.read_bytes()
    for output in (spec, REPO / "catalog" / "general.json"):
        with pytest.raises(InputError) as info:
            routinepress.build_handout_file(spec, output)
        assert "would overwrite it" in info.value.diagnostics[0].message
    assert spec.read_bytes() == before
    with pytest.raises(InputError) as info:  # not a spec at all: said so, not a TypeError
        routinepress.build_handout(None)  # type: ignore[arg-type]
    assert "a spec is a dict or a path" in info.value.diagnostics[0].message


def test_api_takes_the_page_size_in_either_case_and_refuses_others(tmp_path):
    a4 = routinepress.build_handout(minimal_spec(), base_dir=tmp_path, page_size="A4")
    assert a4 == routinepress.build_handout(minimal_spec(), base_dir=tmp_path, page_size="a4")
    assert a4 != routinepress.build_handout(minimal_spec(), base_dir=tmp_path, page_size="letter")
    with pytest.raises(InputError) as info:
        routinepress.build_handout(minimal_spec(), base_dir=tmp_path, page_size="A5")
    assert "unknown page size 'A5'" in info.value.diagnostics[0].message


def test_wheel_carries_the_data_and_builds_from_any_folder(tmp_path):
    """`pip install .` (not editable): the wheel has catalog, templates and schemas inside."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("routinepress-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("routinepress/data/catalog/exercises/bridge.json", "routinepress/data/catalog/general.json",
                   "routinepress/data/catalog/illustrations/bridge-start.pose.json",
                   "routinepress/data/templates/standard.json", "routinepress/data/schema/routine.schema.json",
                   "routinepress/locale/en.json"):
        assert needed in names, needed
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spec = write_spec(elsewhere, minimal_spec())
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    code = ("import routinepress, sys; assert routinepress.__file__.startswith(sys.argv[1]), routinepress.__file__;"
            "from routinepress.cli import main; main(sys.argv[2:])")
    proc = subprocess.run([sys.executable, "-c", code, str(site), "build", str(spec), "-o", "out.pdf"],
                          cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert json.loads(spec.read_text())["title"] == "Test routine"


def test_workers_inherit_the_validator_and_never_import_it(tmp_path):
    """A batch compiles the spec validator before it forks, even when every document is known
    valid from the records (and so nothing before the fork validates anything): a worker
    interrupted while importing jsonschema-rs itself would print a Rust panic on Ctrl-C."""
    spec = write_spec(tmp_path, minimal_spec())
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from routinepress import validity\n"
        "from routinepress.build import BuildOptions, _warm_up\n"
        "validity.enable()\n"
        f"_warm_up(BuildOptions(), Path({str(spec)!r}))\n"
        "print('jsonschema_rs' in sys.modules)\n"
    )
    env = {**os.environ, "ROUTINEPRESS_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-m", "routinepress", "build", str(spec), "-o", str(tmp_path / "a.pdf")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0 and (tmp_path / "cache" / "valid").is_dir()  # every document now on record
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["True"], result.stderr


WORKER_STOPPED = """
import os, signal, sys, time
from pathlib import Path
from routinepress import build

build._worker_signals()
if sys.argv[1] == "idle":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)
    print("still running")
else:  # a build under way: the signal unwinds it, then the worker leaves
    real = build.build_one
    def slow(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        return real(*args, **kwargs)
    build.build_one = slow
    build._build_safely(Path(sys.argv[2]), Path(sys.argv[3]), build.BuildOptions())
    print("returned")
"""


@pytest.mark.parametrize("when", ["idle", "building"])
def test_a_stopped_worker_leaves_quietly_whatever_it_was_doing(tmp_path, when):
    """Between builds, a traceback from the pool's own code once reached the user's screen."""
    spec = write_spec(tmp_path, minimal_spec())
    proc = subprocess.run([sys.executable, "-c", WORKER_STOPPED, when, str(spec), str(tmp_path / "out.pdf")],
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (-signal.SIGTERM, "", "")
    assert not (tmp_path / "out.pdf").exists()
