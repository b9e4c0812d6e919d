"""`build -o -`: the handout, or its model, to standard output for another program."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import minimal_spec, run_cli, write_spec


def test_dash_writes_to_standard_output_not_a_file_named_dash(tmp_path):
    """`-o -` pipes the handout (or its model) to another program; a file named "-" was written before."""
    spec = write_spec(tmp_path, minimal_spec())
    model = subprocess.run([sys.executable, "-m", "routinepress", "build", str(spec), "--format", "json", "-o", "-"],
                           cwd=tmp_path, capture_output=True, check=True)
    assert json.loads(model.stdout)["title"] == minimal_spec()["title"]
    pdf = subprocess.run([sys.executable, "-m", "routinepress", "build", str(spec), "-o", "-"],
                         cwd=tmp_path, capture_output=True, check=True)
    assert run_cli("build", spec, "-o", tmp_path / "file.pdf").code == 0
    assert pdf.stdout == (tmp_path / "file.pdf").read_bytes()  # the same bytes as the file
    assert not (tmp_path / "-").exists()
    two = run_cli("build", spec, spec, "-o", "-", cwd=tmp_path)
    assert two.code == 2 and "-o - writes one handout to standard output" in two.stderr


def test_the_model_is_named_apart_from_its_spec(tmp_path):
    """Without -o the model goes to SPEC.model.json: "spec.json" beside the spec is the spec
    itself, so the README's `build spec.json --format json` always failed."""
    spec = write_spec(tmp_path, minimal_spec())
    before = spec.read_bytes()
    result = run_cli("build", "spec.json", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout == "wrote spec.model.json\n"
    assert json.loads((tmp_path / "spec.model.json").read_text())["title"] == minimal_spec()["title"]
    assert spec.read_bytes() == before
    other = write_spec(tmp_path, minimal_spec(title="Other"), "other.json")
    assert run_cli("build", spec, other, "--format", "json", "-o", "models/", cwd=tmp_path).code == 0
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["other.model.json", "spec.model.json"]


def test_an_empty_output_name_is_refused_not_read_as_the_default(tmp_path):
    """`-o "$OUT"` with OUT unset: refused, not written under the default name."""
    write_spec(tmp_path, minimal_spec())
    for command in (["build", "spec.json"], ["watch", "spec.json"], ["catalog", "sheet"]):
        result = run_cli(*command, "-o", "", cwd=tmp_path)
        assert result.code == 2 and "is empty: give a file name" in result.stderr, command
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]
