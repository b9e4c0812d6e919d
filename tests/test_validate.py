"""`routinepress validate`: every problem, each with its file and exact JSON path."""

from __future__ import annotations

from conftest import HANDOUTS, minimal_spec, run_cli, write_spec


def test_examples_are_valid():
    result = run_cli("validate", *sorted(HANDOUTS.glob("*.json")))
    assert result.code == 0, result.stderr
    assert result.stdout.count("ok: ") == len(list(HANDOUTS.glob("*.json")))


def test_unknown_id_names_the_path_and_suggests(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(sections=[
        {"title": "A", "exercises": ["bridge"]},
        {"title": "B", "exercises": [{"ref": "brige"}, "clamshel"]},
    ]))
    result = run_cli("validate", spec, cwd=tmp_path)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert "error: spec.json: $.sections[1].exercises[0].ref: unknown exercise 'brige'" in lines
    assert "  hint: did you mean 'bridge'?" in lines
    assert "error: spec.json: $.sections[1].exercises[1]: unknown exercise 'clamshel'" in lines
    assert "  hint: did you mean 'clamshell'?" in lines


def test_every_problem_reported_at_once(tmp_path):
    doc = minimal_spec(titel="x", sections=[{"title": "A", "exercises": [
        {"ref": "bridge", "dosage": {"reps": -3, "side": "up"}},
    ]}], date="2026-02-30")
    result = run_cli("validate", write_spec(tmp_path, doc), cwd=tmp_path)
    assert result.code == 1
    err = result.stderr
    assert "error: spec.json: $.titel: unknown field 'titel'\n  hint: did you mean 'title'?" in err
    assert "error: spec.json: $.sections[0].exercises[0].dosage.reps:" in err
    assert "error: spec.json: $.sections[0].exercises[0].dosage.side:" in err
    assert "error: spec.json: $.date: '2026-02-30' is not a real date" in err
    assert "Traceback" not in err


def test_text_of_spaces_alone_where_something_must_print_is_refused(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(title="   ", stop_if=["Fine.", " "], sections=[{
        "title": "\t", "exercises": [{"ref": "bridge", "name": "  "}, {"ref": "clamshell", "name": "Shell"}]}]))
    result = run_cli("validate", spec, cwd=tmp_path)
    assert result.code == 1
    blank = [line.split(": ")[2] for line in result.stderr.splitlines() if line.endswith("nothing would print there")]
    assert sorted(blank) == ["$.sections[0].exercises[0].name", "$.sections[0].title", "$.stop_if[1]", "$.title"]


def test_malformed_json_gives_line_and_column(tmp_path):
    spec = write_spec(tmp_path, '{\n  "spec_version": 1,\n  "title": "x",,\n}')
    result = run_cli("validate", spec, cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.startswith("error: spec.json: line 3, column 16: invalid JSON")


def test_build_refuses_invalid_spec_and_writes_nothing(tmp_path):
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "A", "exercises": ["brige"]}]))
    out = tmp_path / "out.pdf"
    old = run_cli("build", write_spec(tmp_path, minimal_spec(), "old.json"), "-o", out)
    assert old.code == 0
    before = out.read_bytes()
    result = run_cli("build", spec, "-o", out, cwd=tmp_path)
    assert result.code == 1
    assert "$.sections[0].exercises[0]: unknown exercise 'brige'" in result.stderr
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_newer_spec_version_is_a_clear_error(tmp_path):
    result = run_cli("validate", write_spec(tmp_path, minimal_spec(spec_version=2)), cwd=tmp_path)
    assert result.code == 1
    assert (
        "error: spec.json: $.spec_version: spec_version 2 is newer than this routinepress understands (1)"
        in result.stderr
    )


def test_usage_error_is_exit_2():
    assert run_cli("build").code == 2
    assert run_cli("build", "--no-such-option", "x.json").code == 2


def test_version_and_help():
    result = run_cli("--version")
    assert result.code == 0 and "routinepress, version" in result.stdout
    for command in ("build", "validate", "catalog", "new", "template", "illustrate"):
        assert run_cli(command, "--help").code == 0

