"""Broken poses never reach the drawing code: every case in tests/bad_poses/ is a diagnostic.

Each ``*.pose.json`` there breaks one rule (a reach for a prop the pose does not have, a
prop option its type does not take, an angle out of range, ...); ``cases.json`` says which
JSON path and message it must get. They are checked through the loader, and through the
three commands that load poses, on all cases at once: ``validate`` and ``build`` of a spec
with one custom exercise per case, and ``catalog check`` of a folder with one entry per case.
Each must name every file with its path and message, exit 1, and never crash.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from routinepress.errors import InputError
from routinepress.illustrate import load_pose

CORPUS = Path(__file__).resolve().parent / "bad_poses"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))


def _entry(name: str, src: str) -> dict:
    return {"id": name, "name": name.replace("-", " ").capitalize(), "kind": "strength", "body_regions": ["hip"],
            "steps": ["Move slowly."], "default_dosage": {"reps": 10},
            "illustrations": [{"src": src, "caption": "Start"}]}


def _expected_lines(prefix: str = "") -> list[tuple[str, str]]:
    """(start of the line: file and JSON path, a fragment of the message) for each case."""
    return [(f"error: {prefix}{name}.pose.json: {case['where']}: ", case["message"]) for name, case in CASES.items()]


def _check_output(stderr: str, prefix: str = "") -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    for start, message in _expected_lines(prefix):
        assert any(line.startswith(start) and message in line for line in errors), f"missing: {start}{message}"
    for name in CASES:  # one problem per case: no echo of the same mistake
        assert sum(f" {prefix}{name}.pose.json:" in line for line in errors) == 1, name


def test_the_corpus_covers_every_file():
    assert {p.name.removesuffix(".pose.json") for p in CORPUS.glob("*.pose.json")} == set(CASES)
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_pose_is_a_diagnostic(name):
    with pytest.raises(InputError) as info:
        load_pose(CORPUS / f"{name}.pose.json")
    [d] = info.value.diagnostics
    assert d.file.endswith(f"{name}.pose.json")
    assert d.where == CASES[name]["where"]
    assert CASES[name]["message"] in d.message


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A spec with one custom exercise per case, and a catalog folder with one entry per case."""
    root = tmp_path_factory.mktemp("bad-poses")
    exercises = []
    (root / "clinic" / "exercises").mkdir(parents=True)
    (root / "clinic" / "illustrations").mkdir()
    for name in CASES:
        shutil.copy(CORPUS / f"{name}.pose.json", root / f"{name}.pose.json")
        shutil.copy(CORPUS / f"{name}.pose.json", root / "clinic" / "illustrations" / f"{name}.pose.json")
        exercises.append({"custom": _entry(name, f"{name}.pose.json")})
        entry = _entry(name, f"illustrations/{name}.pose.json")
        (root / "clinic" / "exercises" / f"{name}.json").write_text(json.dumps(entry), encoding="utf-8")
    spec = {"spec_version": 1, "title": "Broken poses", "sections": [{"title": "Moves", "exercises": exercises}]}
    (root / "spec.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["validate", "build"])
def test_validate_and_build_name_every_broken_pose(scratch, command):
    args = ["validate", "spec.json"] if command == "validate" else ["build", "spec.json", "-o", "out.pdf"]
    result = run_cli(*args, cwd=scratch)
    assert result.code == 1, result.stderr
    _check_output(result.stderr)
    assert not (scratch / "out.pdf").exists()


def test_catalog_check_names_every_broken_pose(scratch):
    result = run_cli("catalog", "check", "clinic", cwd=scratch)
    assert result.code == 1, result.stderr
    _check_output(result.stderr, prefix="clinic/illustrations/")
