"""Bad input never hurts: every case in tests/bad_inputs/ against the real CLI.

Each case is a folder with the input files and an ``expect.json`` (see bad_inputs/README.md).
The folder is copied to a scratch folder, a valid PDF is put where the handout would go,
and the command runs there. Then, for a failing case:

* the exit code is the expected one (1 for bad input, 2 for usage), with no traceback and
  no "internal error";
* each expected problem is on its own line, ``error: <file>: <json path>: <message>``,
  followed by its exact ``  hint:`` line when one is expected; ``error_count`` counts them;
* not one file in the scratch folder was created, changed or removed: the old PDF is byte
  for byte the same and no temporary file is left behind.

A case that exits 0 must write its PDF (checked by conftest's structural check) and touch
nothing else.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import run_cli
from PIL import Image

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expect.json").is_file())


def _params():
    for folder in CASES:
        expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(strict=True, reason=expect["xfail"])] if "xfail" in expect else []
        yield pytest.param(folder, expect, id=folder.name, marks=marks)


@pytest.fixture(scope="session")
def old_pdf(tmp_path_factory) -> bytes:
    """A small, valid PDF standing in for yesterday's handout."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, static_id=True)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _snapshot(root: Path) -> dict[str, str]:
    """Every file and link under root, with a hash of its bytes (or its link target)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir"
    return found


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def _check_errors(stderr: str, expect: dict) -> None:
    lines = stderr.splitlines()
    positions = []
    for want in expect.get("errors", []):
        prefix = f"error: {want['file']}: " + (f"{want['where']}: " if want["where"] else "")
        hits = [i for i, line in enumerate(lines) if line.startswith(prefix) and want["message"] in line[len(prefix):]]
        assert hits, f"no line starts {prefix!r} and says {want['message']!r}:\n{stderr}"
        if "hint" in want:
            assert any(i + 1 < len(lines) and lines[i + 1] == f"  hint: {want['hint']}" for i in hits), (
                f"{prefix}{want['message']} lacks the hint {want['hint']!r}:\n{stderr}")
        positions.append(hits[0])
    if expect.get("ordered"):
        assert positions == sorted(positions), f"problems not in document order:\n{stderr}"
    if "error_count" in expect:
        assert len(_error_lines(stderr)) == expect["error_count"], stderr
    for fragment in expect.get("stderr_contains", []):
        assert fragment in stderr, f"{fragment!r} not in:\n{stderr}"
    # Every line is a diagnostic or its hint: nothing else leaks out (a bare exception text, a warning).
    for line in lines:
        assert line.startswith(("error: ", "  hint: ")), f"unexpected line {line!r} in:\n{stderr}"


def _prepare(case: Path, expect: dict, tmp_path: Path, old_pdf: bytes) -> Path:
    work = tmp_path / "case"
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expect.json"))
    for name in expect.get("outside_pngs", []):
        (tmp_path / name).write_bytes(_png())
    for link, target in expect.get("symlinks", {}).items():
        (work / link).symlink_to(target)
    output = expect.get("output", "out.pdf")
    if output and not (work / output).exists():
        (work / output).write_bytes(old_pdf)
    return work


def _without_output(args: list[str]) -> list[str]:
    """build's arguments minus -o/--output, for the same run through validate."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-o", "--output"):
            skip = True
        else:
            out.append(arg)
    return out


@pytest.mark.parametrize(("case", "expect"), list(_params()))
def test_bad_input(case: Path, expect: dict, tmp_path: Path, old_pdf: bytes):
    work = _prepare(case, expect, tmp_path, old_pdf)
    before = _snapshot(tmp_path)

    result = run_cli(*expect["args"], cwd=work)
    after = _snapshot(tmp_path)

    assert result.code == expect["exit"], f"exit {result.code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert "internal error" not in stream
    if expect["exit"] == 0:
        output = expect.get("output", "out.pdf")
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert changed == {f"case/{output}"}, changed
        assert (work / output).read_bytes() != old_pdf
        assert (work / output).read_bytes().startswith(b"%PDF-")
        return
    assert after == before, "a failed run created, changed or removed files"
    if expect["exit"] == 1:
        _check_errors(result.stderr, expect)
        if expect.get("validate_too"):
            # validate reports the very same problems (and writes nothing either).
            validated = run_cli("validate", *_without_output(expect["args"][1:]), cwd=work)
            assert validated.code == 1, validated.stderr
            assert _error_lines(validated.stderr) == _error_lines(result.stderr)
            assert _snapshot(tmp_path) == before
    else:
        for fragment in expect.get("stderr_contains", []):
            assert fragment in result.stderr, result.stderr


def test_corpus_is_big_and_covers_each_kind():
    """The corpus is a requirement too: enough cases, each with a description and an expectation."""
    assert len(CASES) >= 30
    kinds = {"json-", "empty-file", "binary-file", "not-utf8", "utf8-bom", "top-level-", "nan", "infinity",
             "duplicate-keys", "wrong-types", "unknown-field", "unknown-exercise", "missing-required",
             "impossible-date", "reps-10-to-the-30", "reps-negative", "reps-range-backwards", "spec-version-2",
             "ref-and-custom", "neither-ref", "template-unknown", "template-path-missing", "logo-dotdot",
             "logo-absolute", "logo-symlink", "logo-not-an-image", "logo-truncated", "logo-decompression-bomb",
             "custom-illustration-missing", "catalog-folder-missing", "catalog-overlay-bad-field", "usage-"}
    names = [c.name for c in CASES]
    assert [k for k in kinds if not any(n.startswith(k) for n in names)] == []
    for folder in CASES:
        expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
        assert expect["description"] and expect["exit"] in (0, 1, 2), folder.name
        assert expect["exit"] != 1 or expect.get("errors"), f"{folder.name}: a failing case must name its errors"
