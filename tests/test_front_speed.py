"""The quick paths before the layout (issue 17): each gives what the slow one gave, and each
memo is used when it may be and passed over when the content differs."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from conftest import HANDOUTS, minimal_spec, write_spec

from routinepress import build, errors, jsonfile, model, spec, validity
from routinepress.build import BuildOptions
from routinepress.catalog import Catalog
from routinepress.config import find_config
from routinepress.model import build_model
from routinepress.render import fonts
from routinepress.render import printed as model_json
from routinepress.spec import check_spec, load_spec
from routinepress.wording import LAYOUT_LABELS

EXAMPLES = sorted(HANDOUTS.glob("*.json"))


def _model(path: Path):
    catalog = Catalog()
    return build_model(load_spec(path, catalog, find_config(path.parent)), catalog)


def _walked(value, is_path: bool = False):
    """The /ID's file hashes as they were first made: a walk through every value, hashing
    whatever sits under a key named file or logo."""
    if isinstance(value, dict):
        return {key: _walked(item, key in ("file", "logo")) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walked(item, is_path) for item in value]
    if is_path and isinstance(value, str):
        return model_json._content_hash(value)
    return value


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_signature_hashes_the_files_the_walk_through_every_value_hashed(path):
    printed = _model(path).to_json()
    walked = _walked({k: v for k, v in printed.items() if k != "inputs"})
    assert json.dumps(model_json._portable(printed), sort_keys=True) == json.dumps(walked, sort_keys=True)
    assert "sha256:" in json.dumps(walked)  # (pictures were there to hash)


def test_only_the_logo_and_the_pictures_name_files_in_the_model():
    """_portable reaches those two directly: a new field naming a file must be added there."""
    def fields(kind, seen):
        for name, hint in getattr(kind, "__annotations__", {}).items():
            yield kind.__name__, name
            for other in vars(model).values():
                if isinstance(other, type) and hasattr(other, "_fields") and other not in seen and \
                        other.__name__ in str(hint):
                    seen.add(other)
                    yield from fields(other, seen)

    named = {(kind, name) for kind, name in fields(model.Handout, set()) if name in ("file", "logo")}
    assert named == {("Handout", "logo"), ("Picture", "file")}
    assert not {"file", "logo"} & set(LAYOUT_LABELS)  # (the labels are a dict of the model too)


def test_the_id_follows_a_pictures_content(tmp_path):
    """A custom exercise's picture changed in place (same name): another /ID."""
    pose = (HANDOUTS.parent / "catalog" / "illustrations" / "bridge-start.pose.json").read_text()
    (tmp_path / "me.pose.json").write_text(pose)
    doc = minimal_spec(sections=[{"title": "S", "exercises": [{"custom": {
        "id": "my-move", "name": "My move", "kind": "strength", "body_regions": ["hip"], "steps": ["Lift the hips."],
        "default_dosage": {"reps": 5}, "default_frequency": {"days_per_week": 3},
        "illustrations": [{"src": "me.pose.json"}]}}]}])
    path = write_spec(tmp_path, doc)
    first = json.dumps(model_json._portable(_model(path).to_json()), sort_keys=True)
    (tmp_path / "me.pose.json").write_text(pose.replace("{", "{ ", 1))
    os.utime(tmp_path / "me.pose.json", ns=(1, 1))  # (its time changed too: the hash is read again)
    second = json.dumps(model_json._portable(_model(path).to_json()), sort_keys=True)
    assert first != second and str(tmp_path) not in first


@pytest.mark.parametrize("text", ["Plain words", "Caf\u00e9 \u2013 \u201cquoted\u201d", "Snow \u2603 and \u6f22\u5b57",
                                  "Tab\tand\nbreak \u00ad soft hyphen \x01", "Odd \x7f delete", "\U0001F600 face",
                                  "back\\u2603slash", "two \\\\\u2603 back", "\ue000 private \U0010fffd"])
def test_glyph_warnings_find_what_looking_at_the_whole_text_finds(text):
    """The characters are taken from the /ID's JSON (escapes) and the file names apart: the
    same as from the whole model written out, every field and file name in it."""
    printed = _model(HANDOUTS / "mixed-short.json").to_json()
    printed["title"] = text
    printed["sections"][0]["cards"][0]["steps"] = (text + " again",)
    printed["inputs"] = (*printed["inputs"], f"/clinic/{text}.json")
    picture = printed["sections"][0]["cards"][0]["pictures"][0]
    printed["sections"][0]["cards"][0]["pictures"] = ({**picture, "file": f"/no/such/{text}.png"},)
    warnings = model_json.glyph_warnings(printed, "spec.json", {"title": text})
    expected = fonts.missing_glyphs(json.dumps(printed, ensure_ascii=False))
    reported = {code for w in warnings for code in re.findall(r"U\+([0-9A-F]{4,6})", w.message)}
    assert reported == {f"{ord(c):04X}" for c in expected}
    if "\u2603" in text:
        assert "\u2603" in expected  # (the font has no snowman: the case is a real one)


def test_the_font_has_every_printable_ascii_character():
    """glyph_warnings asks about plain ASCII as a whole, by what the /ID's JSON holds."""
    assert fonts.missing_glyphs(model_json._PRINTABLE_ASCII) == set()


def test_one_dump_rules_out_only_what_the_two_walks_would_not_find():
    for character in map(chr, [*range(0, 0x250), *range(0xD7F0, 0xE010), 0xFEFF, 0x10FFFF]):
        for document_ in ({"text": "ab" + character + "cd"}, {"key" + character: 1}, ["x", {"y": [character]}]):
            found = jsonfile.surrogate_diagnostics(document_, "x") + jsonfile.control_diagnostics(document_, "x")
            if found:
                assert jsonfile.may_be_unprintable(document_), repr(character)
    assert not jsonfile.may_be_unprintable({"text": "Line\nbreak\tand tab \u2013 caf\u00e9"})


def test_a_spec_given_as_data_is_still_refused_for_a_control_character(tmp_path):
    doc = minimal_spec(title="Bad \x01 title")
    with pytest.raises(errors.InputError) as caught:
        check_spec(doc, tmp_path / "spec.json", Catalog())
    assert caught.value.diagnostics[0].where == "$.title"


def test_load_spec_takes_the_clinic_folder_from_the_config_it_is_given(tmp_path, monkeypatch):
    (tmp_path / "routinepress.toml").write_text('[defaults.clinician]\nname = "Jordan Lee"\n')
    (tmp_path / "handouts").mkdir()
    path = write_spec(tmp_path / "handouts", minimal_spec())
    config = find_config(path.parent)

    def searched(_start):
        raise AssertionError("the clinic folder was looked for again")

    monkeypatch.setattr(spec, "clinic_root", searched)
    checked = load_spec(path, Catalog(), config)
    assert checked.root == tmp_path.resolve() and checked.doc["clinician"]["name"] == "Jordan Lee"
    without = load_spec(write_spec(tmp_path, minimal_spec(), "top.json"), Catalog(), find_config(tmp_path / "x"))
    assert without.root == tmp_path.resolve()


def test_display_path_follows_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    target = tmp_path / "a" / "b" / "spec.json"
    monkeypatch.chdir(tmp_path)
    assert errors.display_path(target) == os.path.join("a", "b", "spec.json")
    monkeypatch.chdir(tmp_path / "a")
    assert errors.display_path(target) == os.path.join("b", "spec.json")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    monkeypatch.chdir(tmp_path / "link")  # (the system names it by its real folder)
    assert errors.display_path(target) == os.path.join("b", "spec.json")

    def as_paths(path):  # the first way, all in Paths
        try:
            return str(Path(os.path.abspath(Path(path))).relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            return str(Path(path))

    for folder in (tmp_path / "a", Path("/")):
        monkeypatch.chdir(folder)
        for name in ("x.json", "./x.json", "b/../x.json", "b//x.json", "/", "//x", "///x", ".", "..", "../x",
                     "b/", str(tmp_path), str(tmp_path / "a"), str(tmp_path / "ab" / "x"), Path("b/x.json"), ""):
            assert errors.display_path(name) == as_paths(name), (folder, name)


def test_batch_workers_ask_the_loaded_validator_and_not_the_records(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTINEPRESS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(validity.RECORDS, "enabled", False)
    validity.enable()
    path = write_spec(tmp_path, minimal_spec(title="Never checked before " + os.urandom(4).hex()))
    build._warm_up(BuildOptions(), path)

    def looked_up(_record):
        raise AssertionError("a record was looked up")

    monkeypatch.setattr(validity, "known_valid", looked_up)
    assert jsonfile.is_valid(json.loads(path.read_text()), spec.ROUTINE_SCHEMA)
    assert not (tmp_path / "cache" / "valid").exists() or not any((tmp_path / "cache" / "valid").iterdir())


def test_a_cards_dose_words_are_made_once_and_again_for_another_dose(tmp_path, monkeypatch):
    model._WORDED.clear()
    calls = []
    real = model.Words.dose_rows
    monkeypatch.setattr(model.Words, "dose_rows", lambda self, *a: calls.append(1) or real(self, *a))
    first = _model(write_spec(tmp_path, minimal_spec(), "a.json"))
    assert len(calls) == 1
    again = _model(write_spec(tmp_path, minimal_spec(title="Another patient"), "b.json"))
    assert len(calls) == 1 and again.cards[0].dose_rows == first.cards[0].dose_rows
    other = minimal_spec(sections=[{"title": "Moves", "exercises": [{"ref": "bridge", "dosage": {"reps": 7}}]}])
    changed = _model(write_spec(tmp_path, other, "c.json"))
    assert len(calls) == 2 and changed.cards[0].dose_rows != first.cards[0].dose_rows
    assert "7" in changed.cards[0].dose_summary
    spanish = _model(write_spec(tmp_path, minimal_spec(language="es"), "d.json"))
    assert len(calls) == 3 and spanish.cards[0].dose_rows != first.cards[0].dose_rows


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_id_is_the_hash_of_the_same_text(path):
    """The /ID bytes stay those of the first way: sha256 of one JSON text of the whole printed
    model (files hashed), the template, the paper and the fillable flag."""
    from routinepress.templates import load_template

    printed = _model(path).to_json()
    template = load_template("large-print")
    text = json.dumps([_walked({k: v for k, v in printed.items() if k != "inputs"}), template.data, "a4", True],
                      sort_keys=True)
    ours = model_json.pdf_id(model_json.portable_json(printed), template.data, "a4", True)
    assert ours == hashlib.sha256(text.encode()).hexdigest()
    assert ours != model_json.pdf_id(model_json.portable_json(printed), template.data, "a4", False)


def _custom_pose_spec(folder: Path) -> Path:
    pose = (HANDOUTS.parent / "catalog" / "illustrations" / "bridge-start.pose.json").read_text()
    (folder / "me.pose.json").write_text(pose)
    return write_spec(folder, minimal_spec(sections=[{"title": "S", "exercises": ["bridge", {"custom": {
        "id": "my-move", "name": "My move", "kind": "strength", "body_regions": ["hip"], "steps": ["Lift the hips."],
        "default_dosage": {"reps": 5}, "default_frequency": {"days_per_week": 3},
        "illustrations": [{"src": "me.pose.json"}]}}]}]))


def test_a_build_looks_at_each_file_once_and_the_next_build_looks_again(tmp_path, monkeypatch):
    """The memos kept while a file is unchanged (pose digests, picture hashes, the general
    warnings) and the check of the outputs against the inputs ask the system once a build."""
    from types import SimpleNamespace

    from routinepress import paths

    path = _custom_pose_spec(tmp_path)
    looks: list[str] = []

    def counted(name, *args, **kwargs):
        looks.append(os.fspath(name))
        return os.stat(name, *args, **kwargs)

    build.build_one(path, tmp_path / "warm.pdf", BuildOptions())  # (drawings recorded, entries read)
    monkeypatch.setattr(paths, "os", SimpleNamespace(**{**vars(os), "stat": counted}))
    build.build_one(path, tmp_path / "a.pdf", BuildOptions())
    general = [name for name in looks if name.endswith("general.json")]
    assert len(general) == 1, general
    pose_looks = [name for name in looks if name.endswith(".pose.json")]
    assert pose_looks and len(pose_looks) == len(set(pose_looks)), pose_looks
    assert str(tmp_path / "me.pose.json") in pose_looks
    # Changed between builds: the next build looks again, and draws the new pose.
    pose = json.loads((tmp_path / "me.pose.json").read_text())
    pose["view"] = "head" if pose.get("view") != "head" else "side"
    (tmp_path / "me.pose.json").write_text(json.dumps(pose))
    os.utime(tmp_path / "me.pose.json", ns=(10**9, 10**9))
    build.build_one(path, tmp_path / "b.pdf", BuildOptions())
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "b.pdf").read_bytes()


def test_outside_a_build_every_look_is_a_fresh_one(tmp_path):
    from routinepress import paths

    file = tmp_path / "f.txt"
    file.write_text("one")
    with paths.looking_once():
        first = paths.status(file).st_size
        file.write_text("three")
        assert paths.status(file).st_size == first  # (one answer within a build)
    assert paths.status(file).st_size == 5
    assert not paths.exists(tmp_path / "none") and paths.exists(file)


def test_disagreements_are_found_once_for_the_same_exercises_and_doses(tmp_path, monkeypatch):
    from routinepress import agreement

    agreement._FOUND.clear()
    calls = []
    real = agreement._disagreements
    monkeypatch.setattr(agreement, "_disagreements", lambda *a: calls.append(1) or real(*a))
    held = {"title": "Moves", "exercises": [{"ref": "clamshell", "dosage": {"hold_seconds": 3}},
                                            {"ref": "bridge", "notes": "Do 20 times when it is easy"}]}
    catalog = Catalog()
    first = check_spec(minimal_spec(sections=[held], patient={"name": "A"}), tmp_path / "a.json", catalog)
    assert first.warnings and len(calls) == 1
    again = check_spec(minimal_spec(sections=[held], patient={"name": "B"}), tmp_path / "a.json", catalog)
    assert len(calls) == 1 and again.warnings == first.warnings
    # Another dose, another catalog's entry: each found afresh; another spec file, not.
    other = json.loads(json.dumps(held))
    other["exercises"][1]["notes"] = "Do 25 times when it is easy"
    check_spec(minimal_spec(sections=[other]), tmp_path / "a.json", catalog)
    in_b = check_spec(minimal_spec(sections=[held]), tmp_path / "b.json", catalog)
    assert len(calls) == 2  # (another spec file with the same sections: its own file named)
    assert [w.file for w in in_b.warnings] == [str(tmp_path / "b.json")] * len(first.warnings)
    assert [w._replace(file="") for w in in_b.warnings] == [w._replace(file="") for w in first.warnings]
    (tmp_path / "overlay" / "exercises").mkdir(parents=True)
    entry = json.loads((HANDOUTS.parent / "catalog" / "exercises" / "bridge.json").read_text())
    (tmp_path / "overlay" / "exercises" / "bridge.json").write_text(json.dumps(entry))
    overlaid = check_spec(minimal_spec(sections=[held]), tmp_path / "a.json", Catalog([tmp_path / "overlay"]))
    assert len(calls) == 3 and overlaid.warnings == first.warnings
    # The same entry again is the same; one changed on disk is read again, a new entry: found afresh.
    check_spec(minimal_spec(sections=[held]), tmp_path / "a.json", Catalog([tmp_path / "overlay"]))
    assert len(calls) == 3
    entry["steps"][0] += " Hold it for 5 seconds."
    (tmp_path / "overlay" / "exercises" / "bridge.json").write_text(json.dumps(entry))
    os.utime(tmp_path / "overlay" / "exercises" / "bridge.json", ns=(10**9, 10**9))
    with pytest.raises(errors.InputError, match="step 1 says '5 seconds'"):
        check_spec(minimal_spec(sections=[held]), tmp_path / "a.json", Catalog([tmp_path / "overlay"]))
    assert len(calls) == 4
    # The caller may add to the lists it gets: the memo keeps its own.
    found = agreement.disagreements(minimal_spec(sections=[held]), catalog, "a.json")
    found[1].append("extra")
    assert "extra" not in agreement.disagreements(minimal_spec(sections=[held]), catalog, "a.json")[1]


def test_a_trackers_calendar_is_worked_out_once_per_language_start_and_length(tmp_path, monkeypatch):
    model._calendar.cache_clear()
    calls = []
    real = model.Words.weekday_and_day
    monkeypatch.setattr(model.Words, "weekday_and_day", lambda self, day: calls.append(day) or real(self, day))
    first = _model(write_spec(tmp_path, minimal_spec(tracker={"weeks": 1, "start_date": "2026-11-23"}), "a.json"))
    assert len(calls) == 7
    again = _model(write_spec(tmp_path, minimal_spec(title="B", tracker={"weeks": 1, "start_date": "2026-11-23"}),
                              "b.json"))
    assert len(calls) == 7 and again.tracker.days == first.tracker.days
    later = _model(write_spec(tmp_path, minimal_spec(tracker={"weeks": 1, "start_date": "2026-11-24"}), "c.json"))
    assert len(calls) == 14 and later.tracker.days[0] == first.tracker.days[1]
    spanish = _model(write_spec(tmp_path, minimal_spec(language="es", tracker={"weeks": 1, "start_date": "2026-11-23"}),
                                "d.json"))
    assert len(calls) == 21 and spanish.tracker.days != first.tracker.days


def test_a_dose_key_tells_apart_values_python_counts_equal():
    keys = {model._frozen({"reps": value}) for value in (1, 1.0, True, "1")}
    assert len(keys) == 4
    same = [{"reps": {"min": 1, "max": 2}, "sets": 2}, {"sets": 2, "reps": {"max": 2, "min": 1}}]
    assert model._frozen(same[0]) == model._frozen(same[1])


def test_a_new_output_is_told_apart_from_the_inputs_without_resolving_it(tmp_path, monkeypatch):
    from pathlib import Path as PathType

    spec_path = write_spec(tmp_path, minimal_spec())
    (tmp_path / "catalog.json").write_text("{}")

    def resolved(self, *args, **kwargs):
        raise AssertionError(f"{self} was resolved")

    with monkeypatch.context() as patched:
        patched.setattr(PathType, "resolve", resolved)
        build.check_outputs([(tmp_path / "new.pdf", "handout")], (spec_path, tmp_path / "catalog.json"))
    # Two absent outputs are still compared by where they lead, links followed.
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(errors.InputError, match="named for both"):
        build.check_outputs([(tmp_path / "real" / "x.pdf", "handout"),
                             (tmp_path / "link" / "x.pdf", "dependency file")], (spec_path,))
    with pytest.raises(errors.InputError, match="one of the files the handout is built from"):
        build.check_outputs([(tmp_path / "link" / "gone.png", "handout")], (spec_path, tmp_path / "real" / "gone.png"))
    build.check_outputs([(tmp_path / "real" / "a.pdf", "handout"), (tmp_path / "link" / "b.d", "dependency file")],
                        (spec_path,))
