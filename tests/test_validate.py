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



def _custom_with_picture(src: str) -> dict:
    return {"custom": {"id": "towel-squeeze", "name": "Towel squeeze", "kind": "strength", "body_regions": ["hip"],
                       "steps": ["Sit tall with a rolled towel between your knees.", "Squeeze the towel, then relax."],
                       "illustrations": [{"src": src, "caption": "Squeeze"}], "default_dosage": {"reps": 10}}}


def test_validate_finds_what_only_laying_out_finds_and_agrees_with_build(tmp_path):
    """"ok" means build writes the handout: a damaged picture, and a template whose margins
    leave a large-print card no room, are found by validate as build finds them."""
    (tmp_path / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    damaged = write_spec(tmp_path, minimal_spec(sections=[{"title": "A", "exercises": [
        "bridge", _custom_with_picture("corrupt.png")]}]), "damaged.json")
    (tmp_path / "wide.json").write_text('{"extends": "large-print", "page": {"margins_mm": '
                                        '{"top": 60, "bottom": 60, "left": 60, "right": 60}}}')
    five = ["knee-to-chest", "bridge", "clamshell", "side-lying-hip-abduction", "standing-hip-abduction"]
    unfit = write_spec(tmp_path, minimal_spec(template="wide.json", sections=[{"title": "A", "exercises": five}]),
                       "unfit.json")
    fine = write_spec(tmp_path, minimal_spec(), "fine.json")
    result = run_cli("validate", damaged.name, unfit.name, fine.name, cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.splitlines() == ["ok: fine.json"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors[0].startswith("error: corrupt.png: is not a readable PNG or JPEG picture"), result.stderr
    assert errors[0].endswith("(a picture of exercise 2, Towel squeeze)")  # whose picture it is
    assert errors[1].startswith("error: unfit.json: ") and "does not fit" in errors[1], result.stderr
    assert "with the template wide.json on Letter paper" in errors[1]  # which template, and which paper
    for spec in (damaged, unfit):
        built = run_cli("build", spec.name, "-o", "out.pdf", cwd=tmp_path)
        assert built.code == 1 and built.stderr.splitlines()[0] in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_validate_takes_builds_template_page_size_and_strict(tmp_path):
    (tmp_path / "wide.json").write_text('{"extends": "large-print", "page": {"margins_mm": '
                                        '{"top": 60, "bottom": 60, "left": 60, "right": 60}}}')
    spec = write_spec(tmp_path, minimal_spec(language="es"))  # a warning: the built-in text is English
    warned = run_cli("validate", spec, cwd=tmp_path)
    assert warned.code == 0 and "warning: spec.json: $.language:" in warned.stderr
    strict = run_cli("validate", spec, "--strict", cwd=tmp_path)
    assert strict.code == 1 and "error: spec.json: $.language:" in strict.stderr
    five = ["knee-to-chest", "bridge", "clamshell", "side-lying-hip-abduction", "standing-hip-abduction"]
    longer = write_spec(tmp_path, minimal_spec(sections=[{"title": "A", "exercises": five}]), "five.json")
    assert run_cli("validate", longer, cwd=tmp_path).code == 0
    assert run_cli("validate", longer, "--template", "./wide.json", cwd=tmp_path).code == 1
    assert run_cli("validate", spec, "--template", "compact", "--page-size", "a4", cwd=tmp_path).code == 0
    assert run_cli("validate", spec, "--template", "tiny", cwd=tmp_path).stderr.startswith(
        "error: template: unknown template 'tiny'")


def test_a_template_name_that_is_also_a_file_here_says_how_to_name_the_file(tmp_path):
    (tmp_path / "mine").write_text('{"extends": "standard"}')
    result = run_cli("validate", write_spec(tmp_path, minimal_spec()), "--template", "mine", cwd=tmp_path)
    assert result.code == 1
    assert "  hint: built-in templates: compact, large-print, standard; for the file mine, write ./mine" in (
        result.stderr.splitlines())
    assert run_cli("validate", tmp_path / "spec.json", "--template", "./mine", cwd=tmp_path).code == 0


def test_a_wrong_type_is_named_as_it_was_written(tmp_path):
    """"expected a whole number, not a number" (for 10.5) and "not true/false" read as riddles."""
    spec = write_spec(tmp_path, minimal_spec(title=5, sections=[{"title": "A", "exercises": [
        {"ref": "bridge", "dosage": {"reps": True, "sets": 10.5}}]}], tracker={"weeks": 2.0}))
    result = run_cli("validate", spec.name, cwd=tmp_path)
    assert result.code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error: ")] == [
        "error: spec.json: $.title: expected text, not the number 5",
        "error: spec.json: $.sections[0].exercises[0].dosage.reps: expected a whole number or an object, not true",
        "error: spec.json: $.sections[0].exercises[0].dosage.sets: expected a whole number or null, "
        "not 10.5, a number with a fraction",
    ]


def test_a_spec_reached_through_a_link_is_named_as_the_user_named_it(tmp_path):
    """Its relative paths resolve beside the link, so its messages name the link too (they
    named the link's target, a file the user never typed)."""
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    write_spec(tmp_path / "real", minimal_spec(sections=[{"title": "A", "exercises": ["brige"]}]), "s.json")
    (tmp_path / "links" / "mine.json").symlink_to("../real/s.json")
    result = run_cli("validate", "links/mine.json", cwd=tmp_path)
    assert result.stderr.startswith("error: links/mine.json: $.sections[0].exercises[0]: unknown exercise 'brige'")
