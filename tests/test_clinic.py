"""A clinic folder: routinepress.toml, `init`, `config`, and `new`, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import CATALOG, minimal_spec, run_cli, write_spec
from pdfread import ReadPdf
from PIL import Image

from routinepress import resources

VENV_BIN = Path(sys.executable).parent  # where the venv's `routinepress` script lives


def make_clinic(folder: Path, clinic: str = "Riverside PT") -> Path:
    result = run_cli("init", folder, "--clinic", clinic)
    assert result.code == 0, result.stderr
    return folder


def overlay_entry(clinic: Path, exercise_id: str, name: str) -> Path:
    """A clinic's own version of a built-in exercise: same id, its own name, no pictures."""
    doc = json.loads((CATALOG / "exercises" / f"{exercise_id}.json").read_text(encoding="utf-8"))
    doc["name"] = name
    doc.pop("illustrations", None)
    path = clinic / "catalog" / "exercises" / f"{exercise_id}.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def page_size(pdf: Path) -> tuple[float, float]:
    with pikepdf.open(pdf) as doc:
        box = [float(v) for v in doc.pages[0].mediabox]
    return round(box[2] - box[0]), round(box[3] - box[1])


# --- init and make ------------------------------------------------------------------------------

def test_init_then_make_builds_the_example_and_rebuilds_only_on_change(tmp_path):
    clinic = make_clinic(tmp_path / "clinic")
    for name in ("routinepress.toml", "handouts/example.json", "catalog/exercises/README.md",
                 "Makefile", ".gitignore"):
        assert (clinic / name).is_file(), name
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}

    def make(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(["make", *args], cwd=clinic, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    first = make()
    pdf = clinic / "build" / "example.pdf"
    assert "routinepress build handouts/example.json" in first.stdout
    text = ReadPdf(pdf).text
    assert "Hip strength and mobility" in text
    assert "Riverside PT" in text  # the clinic comes from routinepress.toml, not the spec
    depfile = (clinic / "build" / "example.d").read_text(encoding="utf-8")
    assert "routinepress.toml" in depfile and "handouts/example.json" in depfile

    assert "Nothing to be done" in make().stdout
    # The config is a dependency: a new clinic name reaches the handout on the next make.
    config = clinic / "routinepress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("Riverside PT", "Lakeside PT"), encoding="utf-8")
    assert "routinepress build" in make("-j2").stdout
    assert "Lakeside PT" in ReadPdf(pdf).text
    # A new overlay entry that replaces a built-in one the handout uses: rebuilt too.
    overlay_entry(clinic, "bridge", "Clinic bridge")
    assert "routinepress build" in make().stdout
    assert "Clinic bridge" in ReadPdf(pdf).text
    # A second handout builds on its own; the first is left alone.
    write_spec(clinic / "handouts", minimal_spec(title="Second handout"), "second.json")
    again = make("-j2")
    assert "second.json" in again.stdout and "example.json" not in again.stdout
    assert "Second handout" in ReadPdf(clinic / "build" / "second.pdf").text


def test_init_overwrites_nothing(tmp_path):
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "Makefile").write_text("all:\n\techo mine\n", encoding="utf-8")
    before = snapshot(folder)
    result = run_cli("init", folder)
    assert result.code == 1
    assert "Makefile: already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before  # not even the files that were not there


def test_init_refuses_a_clinic_name_too_long_for_the_header(tmp_path):
    result = run_cli("init", tmp_path / "clinic", "--clinic", "x" * 300)
    assert result.code == 1
    assert "error: --clinic" in result.stderr and "too long" in result.stderr
    assert not (tmp_path / "clinic").exists()


# --- defaults, overlays, and who wins ---------------------------------------------------------------

@pytest.fixture
def clinic(tmp_path) -> Path:
    folder = make_clinic(tmp_path / "clinic")
    Image.new("RGB", (300, 100), (20, 60, 120)).save(folder / "logo.png")
    config = folder / "routinepress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '# name = "Jordan Lee"', 'name = "Jordan Lee"').replace(
        '# phone = "555-0100"', 'phone = "555-0100"').replace(
        '# logo = "logo.png"', 'logo = "logo.png"'), encoding="utf-8")
    return folder


def test_a_spec_without_clinician_or_catalog_gets_the_clinics(clinic):
    overlay_entry(clinic, "clamshell", "Clinic clamshell")
    spec = write_spec(clinic / "handouts", minimal_spec(sections=[{"title": "Moves", "exercises": ["clamshell"]}]),
                      "plain.json")
    result = run_cli("build", spec.relative_to(clinic), cwd=clinic)  # no -o: the config's output folder
    assert result.code == 0, result.stderr
    pdf = clinic / "build" / "plain.pdf"
    text = ReadPdf(pdf).text
    assert "Jordan Lee" in text and "Riverside PT" in text and "555-0100" in text
    assert "Clinic clamshell" in text
    with ReadPdf(pdf).plumber() as doc:  # the config's logo, found beside the config, not beside the spec
        assert doc.pages[0].images


def test_the_spec_wins_field_by_field_and_flags_win_over_both(clinic):
    config = clinic / "routinepress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('page_size = "letter"', 'page_size = "a4"'),
                      encoding="utf-8")
    spec = write_spec(clinic / "handouts", minimal_spec(clinician={"name": "Sam Rivera"}), "own.json")
    assert run_cli("build", spec, "-o", clinic / "own.pdf").code == 0
    text = ReadPdf(clinic / "own.pdf").text
    assert "Sam Rivera" in text and "Jordan Lee" not in text  # the spec's name
    assert "555-0100" in text  # the clinic's phone, which the spec left out
    assert page_size(clinic / "own.pdf") == (595, 842)  # A4 from the config
    spec = write_spec(clinic / "handouts", minimal_spec(page_size="letter"), "letter.json")
    assert run_cli("build", spec, "-o", clinic / "letter.pdf").code == 0
    assert page_size(clinic / "letter.pdf") == (612, 792)  # the spec beats the config
    assert run_cli("build", spec, "-o", clinic / "flag.pdf", "--page-size", "a4").code == 0
    assert page_size(clinic / "flag.pdf") == (595, 842)  # the flag beats the spec


def test_a_spec_outside_any_clinic_folder_is_unaffected(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    result = run_cli("build", spec, "-o", tmp_path / "out.pdf")
    assert result.code == 0, result.stderr
    assert "Your clinician" not in ReadPdf(tmp_path / "out.pdf").text


def test_a_spec_may_use_the_clinic_logo_but_not_leave_the_clinic_folder(clinic, tmp_path):
    spec = write_spec(clinic / "handouts", minimal_spec(clinician={"logo": "../logo.png"}), "up.json")
    assert run_cli("validate", spec).code == 0
    Image.new("RGB", (30, 10)).save(tmp_path / "outside.png")
    spec = write_spec(clinic / "handouts", minimal_spec(clinician={"logo": "../../outside.png"}), "out.json")
    result = run_cli("validate", spec)
    assert result.code == 1
    assert "$.clinician.logo: '../../outside.png' leaves the folder" in result.stderr


def test_defaults_take_every_spec_field_the_schema_defines():
    """The allowed defaults are the routine schema's own fields, read from it, not a copy."""
    from routinepress.config import CONFIG_SCHEMA, _register_schema
    from routinepress.jsonfile import _schema

    _register_schema()
    defaults = _schema(CONFIG_SCHEMA)["properties"]["defaults"]["properties"]
    routine = resources.schema("routine.schema.json")["properties"]
    assert set(defaults) == set(routine) - {"$schema", "spec_version"}
    for name, ref in defaults.items():
        assert ref == {"$ref": f"routine.schema.json#/properties/{name}"}


# --- bad config files -----------------------------------------------------------------------------

BAD_CONFIGS = {
    "unknown-key": ('ouput = "build"\n', "ouput", "unknown field 'ouput'", "did you mean 'output'?"),
    "unknown-default": ('[defaults]\ntitel = "x"\n', "defaults.titel", "unknown field 'titel'",
                        "did you mean 'title'?"),
    "wrong-type": ('[defaults.clinician]\nphone = 5550100\n', "defaults.clinician.phone",
                   "expected text, not the number 5550100", None),
    "wrong-enum": ('[defaults]\npage_size = "a5"\n', "defaults.page_size", "'a5' is not one of", None),
    "catalog-missing": ('catalog = ["nope"]\n', "catalog[0]", "catalog folder not found: nope", None),
    "catalog-leaves": ('catalog = ["../catalog"]\n', "catalog[0]", "'../catalog' leaves the folder", None),
    "output-leaves": ('output = "../../out"\n', "output", "'../../out' leaves the folder", None),
    "logo-leaves": ('[defaults.clinician]\nlogo = "../logo.png"\n', "defaults.clinician.logo",
                    "'../logo.png' leaves the folder", None),
    "template-unknown": ('[defaults]\ntemplate = "larg-print"\n', "defaults.template",
                         "unknown template 'larg-print'", None),
    "toml-date": ('[defaults]\ndate = 2026-11-20\n', "defaults.date", "is a TOML date or time",
                  'put it in quotes: "2026-11-20"'),
    "toml-syntax": ('[defaults\n', "line 1, column 10", "invalid TOML", None),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_bad_config_is_reported_and_nothing_is_written(tmp_path, name, command):
    text, where, message, hint = BAD_CONFIGS[name]
    folder = tmp_path / "clinic"
    (folder / "handouts").mkdir(parents=True)
    Image.new("RGB", (30, 10)).save(tmp_path / "logo.png")  # outside the clinic folder
    (folder / "routinepress.toml").write_text(text, encoding="utf-8")
    write_spec(folder / "handouts", minimal_spec())
    with pikepdf.new() as yesterday:  # yesterday's handout, which a failed build must leave alone
        yesterday.add_blank_page()
        yesterday.save(folder / "out.pdf")
    before = snapshot(folder)
    extra = ["-o", "out.pdf"] if command == "build" else []
    result = run_cli(command, "handouts/spec.json", *extra, cwd=folder)
    assert result.code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    line = next((i for i, t in enumerate(lines) if t.startswith(f"error: routinepress.toml: {where}: ")), None)
    assert line is not None, result.stderr
    assert message in lines[line]
    if hint:
        assert lines[line + 1] == f"  hint: {hint}"
    assert snapshot(folder) == before


def test_every_problem_of_a_config_at_once(tmp_path):
    (tmp_path / "routinepress.toml").write_text(
        'catalgo = ["x"]\ncatalog = ["missing"]\n[defaults]\ntitel = "x"\n[defaults.clinician]\nphone = 1\n',
        encoding="utf-8")
    result = run_cli("config", cwd=tmp_path)
    assert result.code == 1
    wheres = [line.split(": ")[2] for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert wheres == ["catalgo", "catalog[0]", "defaults.titel", "defaults.clinician.phone"]


# --- config and new ---------------------------------------------------------------------------------

def test_config_says_where_each_value_comes_from(clinic):
    spec = write_spec(clinic / "handouts", minimal_spec(clinician={"name": "Sam Rivera"}), "own.json")
    result = run_cli("config", "handouts/own.json", cwd=clinic)
    assert result.code == 0, result.stderr
    rows = {line.split("=")[0].strip(): line for line in result.stdout.splitlines() if " = " in line}
    assert rows["clinician.name"].rstrip().endswith("(handouts/own.json)") and "Sam Rivera" in rows["clinician.name"]
    assert rows["clinician.phone"].rstrip().endswith("(routinepress.toml)")
    assert rows["clinician.logo"].split("=")[1].split()[0] == '"../logo.png"'  # as the spec's folder sees it
    assert "catalog" in result.stdout and "(built in)" in result.stdout
    as_json = json.loads(run_cli("config", "--json", cwd=spec.parent).stdout)
    assert as_json["defaults"]["clinician"]["phone"] == "555-0100"
    assert as_json["output"] == str((clinic / "build").resolve())


def test_new_leaves_the_clinics_fields_to_the_config(clinic):
    overlay_entry(clinic, "bridge", "Clinic bridge")
    result = run_cli("new", "handouts/fresh.json", "-e", "bridge", cwd=clinic)
    assert result.code == 0, result.stderr
    doc = json.loads((clinic / "handouts" / "fresh.json").read_text(encoding="utf-8"))
    assert "tracker" not in doc and "clinician" not in doc  # routinepress.toml sets them
    assert "tracker" in result.stdout
    built = run_cli("build", "handouts/fresh.json", cwd=clinic)
    assert built.code == 0, built.stderr
    text = ReadPdf(clinic / "build" / "fresh.pdf").text
    assert "Clinic bridge" in text and "Riverside PT" in text


def test_catalog_commands_see_the_clinics_overlay(clinic):
    overlay_entry(clinic, "bridge", "Clinic bridge")
    shown = run_cli("catalog", "show", "bridge", cwd=clinic / "handouts")
    assert shown.code == 0 and "Clinic bridge" in shown.stdout
    assert "Clinic bridge" not in run_cli("catalog", "show", "bridge", cwd=clinic.parent).stdout
    shutil.rmtree(clinic / "catalog")
    broken = run_cli("catalog", "list", cwd=clinic)
    assert broken.code == 1 and "catalog folder not found: catalog" in broken.stderr


def test_shell_completion_comes_from_click(tmp_path):
    """The README's completion line works: the shell asks, the program answers."""
    env = {**os.environ, "COMP_WORDS": "routinepress wat", "COMP_CWORD": "1", "_ROUTINEPRESS_COMPLETE": "bash_complete"}
    done = subprocess.run([VENV_BIN / "routinepress"], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["plain,watch"]
