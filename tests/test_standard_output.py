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
