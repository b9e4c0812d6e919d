"""The guard on catalog text (patient_text.py): what `catalog check` refuses in a clinic's
entry, and what it lets through (the built-in catalog passes: test_catalog)."""

from __future__ import annotations

import json

import pytest
from conftest import CATALOG, run_cli

from routinepress.patient_text import problems


@pytest.mark.parametrize("line, words", [
    ("Hold for 5 seconds.", "'5 seconds'"),
    ("Hold 5s.", "'5s'"), ("Do 10reps.", "'10reps'"), ("Do 3x10.", "'3x10'"), ("Do x10.", "'x10'"),
    ("Do 10 in a row.", "'10'"), ("Hold 5 in each position.", "'5'"),
    ("Do this twice.", "'twice'"), ("Hold it for half a minute.", "'half a minute'"),
    ("Do a dozen of these.", "'a dozen'"),
])
def test_a_dose_in_any_form_is_refused(line, words):
    [message] = problems(line)
    assert message.startswith(f"states a dose ({words}")


@pytest.mark.parametrize("line, words", [
    ("Repeat on the opposite side.", "'opposite side'"), ("Now swap legs.", "'swap legs'"),
    ("Then do the left leg.", "'left leg'"), ("Repeat with the right leg.", "'right leg'"),
    ("Do it again with your other knee.", "'again with your other'"),
])
def test_a_side_or_a_switch_is_refused(line, words):
    [message] = problems(line)
    assert message.startswith(f"states which side or when to switch ({words}")


@pytest.mark.parametrize("line", [
    "Stand on a step about 6 inches high.", "Use a step 6 in high.", "Move your other leg out sideways.",
    "Set that ankle across the opposite thigh.", "{hold} Lower it slowly.", "Keep your hips level.",
])
def test_a_size_a_movement_and_a_placeholder_pass(line):
    assert problems(line) == []


@pytest.mark.parametrize("line, start", [
    ("Hold the top position for {hold}.", "{hold} stands for a whole sentence"),
    ("Do {reps} more.", "unknown placeholder {reps}"),
])
def test_a_placeholder_the_handout_cannot_fill_is_refused(line, start):
    """catalog check's guard on a clinic's entries: "for {hold}" would print "for Hold for 5 seconds."."""
    assert any(message.startswith(start) for message in problems(line))


def test_only_an_entrys_own_one_side_sentences_may_name_the_side():
    line = "Kneel on your left knee only: this stretches the front of your left hip."
    assert problems(line, names_a_side=True) == []
    assert problems(line) != []
    assert problems("Switch sides now.", names_a_side=True) != []  # a switch is never its to ask


def test_catalog_check_reads_captions_and_one_side_sentences(tmp_path):
    folder = tmp_path / "clinic" / "exercises"
    folder.mkdir(parents=True)
    entry = json.loads((CATALOG / "exercises" / "single-leg-bridge.json").read_text(encoding="utf-8"))
    entry["illustrations"][0]["caption"] = "Hold 10 seconds"
    entry["one_side"]["left"] = "Keep your left foot down, then switch sides."
    entry["each_side"] = "Do 15 steps to one side, then the left leg leads back."
    (folder / "single-leg-bridge.json").write_text(json.dumps(entry), encoding="utf-8")
    result = run_cli("catalog", "check", tmp_path / "clinic", cwd=tmp_path)
    assert result.code == 1
    assert "single-leg-bridge.json: $.illustrations[0].caption: states a dose ('10 seconds')" in result.stderr
    assert "$.one_side.left: states which side or when to switch ('switch')" in result.stderr
    assert "$.one_side.right" not in result.stderr
    assert "$.each_side: states a dose ('15 steps')" in result.stderr  # no figure, and no named side
    assert "$.each_side: states which side or when to switch ('left leg')" in result.stderr


def test_a_clinic_entry_in_place_of_a_built_in_one_keeps_what_it_says_of_sides(tmp_path):
    """A translation that drops `pictures_side` would draw the other leg for a left-only dose;
    one that drops `each_side` or `alternates` would say the wrong thing about switching."""
    folder = tmp_path / "clinic" / "exercises"
    folder.mkdir(parents=True)
    for exercise_id, dropped in (("single-leg-bridge", "pictures_side"), ("banded-side-step", "each_side"),
                                 ("clamshell", "alternates")):
        entry = json.loads((CATALOG / "exercises" / f"{exercise_id}.json").read_text(encoding="utf-8"))
        del entry[dropped]
        (folder / f"{exercise_id}.json").write_text(json.dumps(entry), encoding="utf-8")
    result = run_cli("catalog", "check", tmp_path / "clinic", cwd=tmp_path)
    assert result.code == 1
    assert 'single-leg-bridge.json: $.pictures_side: the built-in pictures it uses show the left side' in result.stderr
    assert "banded-side-step.json: $: has no each_side" in result.stderr
    assert "clamshell.json: $.alternates: the built-in entry says alternates: false" in result.stderr
    assert result.stderr.count("error: ") == 3
