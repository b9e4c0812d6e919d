"""The clinician's own text read against the prescription (agreement.py): a step that names
another dose is refused, a note or tip that does is a warning, and the built-in catalog
never trips either, whatever the dose."""

from __future__ import annotations

import json

import pytest
from conftest import minimal_spec, write_spec

from routinepress.agreement import disagreements
from routinepress.catalog import Catalog

CATALOG = Catalog()


def _custom(steps: list[str], default_dosage: dict, **extra) -> dict:
    return {"custom": {"id": "towel-squeeze", "name": "Towel squeeze", "kind": "strength",
                       "body_regions": ["hip"], "steps": steps, "default_dosage": default_dosage,
                       "default_frequency": {"days_per_week": 3}, **extra}}


def _spec(*entries: dict | str, **extra) -> dict:
    return minimal_spec(sections=[{"title": "A", "exercises": list(entries)}], **extra)


def test_a_custom_step_naming_another_dose_is_refused_and_nothing_is_written(tmp_path, cli):
    entry = _custom(["Squeeze the towel for 5 seconds. Do 10 reps, then switch sides."],
                    {"reps": 10, "hold_seconds": 5}) | {"dosage": {"hold_seconds": 2, "reps": 3, "side": "left"}}
    spec = write_spec(tmp_path, _spec(entry))
    result = cli("build", spec, "-o", tmp_path / "out.pdf")
    assert result.code == 1 and not (tmp_path / "out.pdf").exists()
    where = f"error: {spec}: $.sections[0].exercises[0].custom.steps[0]: step 1 says"
    assert f"{where} '5 seconds', which the prescription does not (it says hold 2 seconds)" in result.stderr
    assert f"{where} '10 reps', which the prescription does not (it says 3 reps)" in result.stderr
    assert f"{where} 'switch sides', but the prescription is one side (left)" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("validate", spec).code == 1


def test_a_custom_step_that_names_its_own_dose_builds(tmp_path, cli):
    """The design's own example: a towel squeeze held 5 seconds, with a 5-second hold."""
    steps = ["Sit tall with a rolled towel between your knees.", "Squeeze the towel for 5 seconds, then relax."]
    entry = _custom(steps, {"reps": 10, "hold_seconds": 5})
    spec = write_spec(tmp_path, _spec(entry))
    result = cli("build", spec, "-o", tmp_path / "out.pdf", "--strict")
    assert result.code == 0 and result.stderr == ""


def test_a_note_naming_another_dose_is_a_warning_and_strict_refuses_it(tmp_path, cli):
    entry = {"ref": "lower-trunk-rotation", "dosage": {"reps": 1, "hold_seconds": 20, "side": "each"},
             "notes": "Hold 20 to 30 seconds on each side."}
    spec = write_spec(tmp_path, _spec(entry))
    built = cli("build", spec, "-o", tmp_path / "out.pdf")
    warning = (f"warning: {spec}: $.sections[0].exercises[0].notes: says '20 to 30 seconds', "
               "which the prescription does not (it says hold 20 seconds)")
    assert built.code == 0 and warning in built.stderr and (tmp_path / "out.pdf").exists()
    assert warning in cli("validate", spec).stderr
    strict = cli("build", spec, "-o", tmp_path / "strict.pdf", "--strict")
    assert strict.code == 1 and warning.replace("warning:", "error:") in strict.stderr
    assert not (tmp_path / "strict.pdf").exists()


def test_a_hold_no_step_explains_is_a_warning(tmp_path, cli):
    """Side steps have no moment to hold: "Hold: 3 seconds" in their band would leave the
    patient guessing. A warning at the hold (--strict refuses); a custom step naming its
    seconds, or {hold}, explains it."""
    spec = write_spec(tmp_path, _spec({"ref": "banded-side-step", "dosage": {"hold_seconds": 3}}))
    warning = (f"warning: {spec}: $.sections[0].exercises[0].dosage.hold_seconds: no step of 'banded-side-step' "
               "says when to hold, so the card's 'Hold' would explain nothing")
    assert warning in cli("validate", spec).stderr
    assert cli("build", spec, "-o", tmp_path / "out.pdf", "--strict").code == 1
    custom = _custom(["Sit tall.", "Squeeze the towel, then relax."], {"reps": 10, "hold_seconds": 5})
    spec = write_spec(tmp_path, _spec(custom))
    assert "$.sections[0].exercises[0].custom.default_dosage.hold_seconds: no step of 'Towel squeeze'" in \
        cli("validate", spec).stderr
    for steps in (["Sit tall.", "Squeeze the towel. {hold}"], ["Sit tall.", "Squeeze the towel for 5 seconds."]):
        spec = write_spec(tmp_path, _spec(_custom(steps, {"reps": 10, "hold_seconds": 5})))
        assert cli("build", spec, "-o", tmp_path / "out.pdf", "--strict").code == 0


def test_catalog_check_refuses_a_default_hold_no_step_explains(tmp_path, cli):
    overlay = tmp_path / "clinic" / "exercises"
    overlay.mkdir(parents=True)
    entry = json.loads((CATALOG.get("sumo-squat").source_file).read_text(encoding="utf-8"))
    entry["default_dosage"]["hold_seconds"] = 3
    (overlay / "sumo-squat.json").write_text(json.dumps(entry), encoding="utf-8")
    result = cli("catalog", "check", "--catalog", tmp_path / "clinic")
    assert result.code == 1 and "$.default_dosage.hold_seconds: no step says when to hold" in result.stderr


def test_a_note_may_plan_the_other_side_and_a_distance_is_no_dose(tmp_path, cli):
    entry = {"ref": "clamshell", "dosage": {"side": "left"},
             "notes": "Only your left hip for now. We will add the right side at your next visit. Lift 6 inches."}
    spec = write_spec(tmp_path, _spec(entry))
    assert cli("build", spec, "-o", tmp_path / "out.pdf", "--strict").code == 0


def test_an_overlay_entry_whose_step_names_a_dose_is_refused(tmp_path, cli):
    overlay = tmp_path / "clinic" / "exercises"
    overlay.mkdir(parents=True)
    entry = json.loads((CATALOG.get("clamshell").source_file).read_text(encoding="utf-8"))
    entry["steps"] = [*entry["steps"][:-1], "Hold for 5 seconds and do 10 reps on each side."]
    (overlay / "clamshell.json").write_text(json.dumps(entry), encoding="utf-8")
    spec = write_spec(tmp_path, _spec({"ref": "clamshell", "dosage": {"hold_seconds": 2, "reps": 8, "side": "right"}}))
    result = cli("build", spec, "--catalog", tmp_path / "clinic", "-o", tmp_path / "out.pdf")
    assert result.code == 1 and not (tmp_path / "out.pdf").exists()
    assert "$.sections[0].exercises[0].ref: step" in result.stderr and "'5 seconds'" in result.stderr
    assert "'10 reps'" in result.stderr and "'each side', but the prescription is one side (right)" in result.stderr


@pytest.mark.parametrize("language, step, message", [
    ("es", "Mantenga 5 segundos.", "'5 segundos'"),
    ("es", "Haga 2 series de 10 veces.", "'2 series'"),
    ("en", "Do this 3 times a day, 5 days a week.", "'3 times a day'"),
    ("en", "Do this 3 times a day, 5 days a week.", "'5 days a week'"),
    ("en", "Walk for 2 minutes.", "'2 minutes'"),
    ("en", "Hold 1.5 seconds.", "'1.5 seconds'"),
])
def test_figures_are_read_in_english_and_spanish(language, step, message):
    entry = _custom([step], {"reps": 4, "sets": 1, "hold_seconds": 2}) | {"frequency": {"days_per_week": 3}}
    errors, _ = disagreements(_spec(entry, language=language), CATALOG, "spec.json")
    assert any(message in e.message for e in errors), errors


@pytest.mark.parametrize("step, dosage", [
    ("Walk for 2 minutes.", {"duration_seconds": 120}),
    ("Hold 1,5 segundos.", {"hold_seconds": 1.5}),
    ("Do 8 to 12 times.", {"reps": {"min": 8, "max": 12}}),
    ("Do 2 sets, 3 times a day.", {"sets": 2}),
    ("Lift your right leg.", {"side": "right"}),
])
def test_figures_that_match_the_dose_pass(step, dosage):
    entry = _custom([step], dosage) | {"frequency": {"times_per_day": 3}}
    assert disagreements(_spec(entry), CATALOG, "spec.json") == ([], [])


@pytest.mark.parametrize("dosage, one_side", [
    ({"sets": 4, "reps": 9, "hold_seconds": 7}, "left"),
    ({"sets": 2, "reps": None, "hold_seconds": 60, "duration_seconds": 90, "rest_seconds": 45}, "right"),
    ({"reps": {"min": 2, "max": 3}, "hold_seconds": None}, "alternating"),
    ({"reps": 12}, "each"),
])
def test_the_built_in_catalog_never_disagrees_with_any_dose(dosage, one_side, monkeypatch):
    """Its text names no dose, and what {hold} and {sides} write is the prescription itself.
    (Read as a clinic's copy would be: a build skips the built-in entries' own text, which
    `catalog check` guards.)"""
    monkeypatch.setattr(CATALOG, "is_builtin", lambda exercise_id: False)

    def fitted(exercise_id):  # the side it allows, and a hold only where a step says when
        exercise = CATALOG.get(exercise_id)
        steps = " ".join(exercise.steps)
        return dosage | {"side": one_side if one_side in exercise.sides else exercise.sides[0]} | (
            {} if "{hold}" in steps else {"hold_seconds": None})

    for language in ("en", "es"):
        entries = [{"ref": exercise_id, "dosage": fitted(exercise_id),
                    "frequency": {"days_per_week": 2, "times_per_day": 3}} for exercise_id in CATALOG.ids()]
        assert disagreements(_spec(*entries, language=language), CATALOG, "spec.json") == ([], [])


@pytest.mark.parametrize("exercise_id, side, message", [
    ("clamshell", "both", "'clamshell' works one side at a time, so it cannot be done on both sides together"),
    ("sumo-squat", "right", "'sumo-squat' works both sides together, so it has no side to choose"),
    ("double-knee-to-chest", "each", "'double-knee-to-chest' works both sides together"),
    ("banded-side-step", "both", "'banded-side-step' works one side at a time, so it cannot be done on both sides "
     "together; use each, left or right"),
    ("clamshell", "alternating", "'clamshell' is done a set on one side, then a set on the other: it cannot switch "
     "sides on every repeat; use each, left or right"),
    ("banded-side-step", "alternating", "'banded-side-step' is done a set on one side"),
])
def test_a_side_that_does_not_fit_the_exercise_is_refused(tmp_path, cli, exercise_id, side, message):
    spec = write_spec(tmp_path, _spec({"ref": exercise_id, "dosage": {"side": side}}))
    result = cli("build", spec, "-o", tmp_path / "out.pdf")
    assert result.code == 1 and f"$.sections[0].exercises[0].dosage.side: {message}" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("exercise_id, side, sentence", [
    ("lower-trunk-rotation", "left", "Let your knees drop to the left only."),
    ("supine-piriformis-stretch", "right", "Always cross your right ankle: this stretches your right side only."),
    ("kneeling-hip-flexor-stretch", "left", "Kneel on your left knee only: this stretches the front of your left hip."),
    ("single-leg-bridge", "right", "Keep your right foot on the floor: your right leg does the work."),
    ("clamshell", "left", "Do this with your left leg only."),  # no words of its own: "leg" is clear there
    # each side, for stepping sideways: "switch sides" would not say to step back the other way
    ("banded-side-step", "each", "Take all your steps to one side, then step back the other way."),
    ("banded-side-step", "left", "Step toward your left only."),
    ("lateral-lunge-adductor-slide", "right",
     "Always put your right foot on the towel: this works the inside of your right thigh."),
    ("clamshell", "each", "Do all your repeats on one side, then switch sides."),
    # standing on one leg and moving the other: which leg "your left leg" is must be said
    ("standing-hip-abduction", "left", "Lift your left leg out to the side. Keep your weight on the standing leg."),
    ("standing-hip-extension", "right", "Move your right leg back. Keep your weight on the standing leg."),
])
def test_one_side_is_said_in_the_exercises_own_words_where_leg_is_unclear(tmp_path, exercise_id, side, sentence):
    from routinepress.model import build_model
    from routinepress.spec import check_spec

    doc = _spec({"ref": exercise_id, "dosage": {"side": side}})
    card = build_model(check_spec(doc, tmp_path / "spec.json", CATALOG), CATALOG).sections[0].cards[0]
    assert card.steps[-1] == sentence


def test_validate_shows_the_warnings_found_with_the_errors(tmp_path, cli):
    """A side error and a hold warning in one spec: both at once, not the warning only after the fix."""
    spec = write_spec(tmp_path, _spec({"ref": "banded-side-step", "dosage": {"hold_seconds": 3}},
                                      {"ref": "bridge", "dosage": {"side": "each"}}))
    result = cli("validate", spec)
    assert result.code == 1
    assert "error: " in result.stderr and "$.sections[0].exercises[1].dosage.side" in result.stderr
    assert "warning: " in result.stderr and "$.sections[0].exercises[0].dosage.hold_seconds" in result.stderr
    assert "$.sections[0].exercises[0].dosage.hold_seconds" in cli("build", spec, "-o", tmp_path / "o.pdf").stderr


def test_a_custom_step_for_one_side_cannot_be_done_on_both(tmp_path):
    entry = _custom(["Lie on your side.", "Lift one knee.", "{sides}"], {"reps": 10}) | {"dosage": {"side": "both"}}
    errors, _ = disagreements(_spec(entry), CATALOG, "spec.json")
    assert [e.where for e in errors] == ["$.sections[0].exercises[0].dosage.side"]
    assert "'Towel squeeze' works one side at a time (its {sides} step says which side)" in errors[0].message


def test_holds_spelled_out_reasons_to_stop_and_lost_condition_lines(tmp_path):
    # a custom step that says its hold in words explains the hold
    words_step = _custom(["Squeeze the towel.", "Hold it there for five seconds."], {"reps": 10, "hold_seconds": 5})
    assert disagreements(_spec(words_step), CATALOG, "spec.json") == ([], [])
    # a reason to stop that names another dose is read like a tip
    stop_line = {"ref": "clamshell", "dosage": {"reps": 10}, "red_flags": ["Stop after 30 repeats."]}
    _, warnings = disagreements(_spec(stop_line), CATALOG, "spec.json")
    assert [w.where for w in warnings] == ["$.sections[0].exercises[0].red_flags[0]"]
    # and so is a custom exercise's own (as its tips and care cues are)
    custom = _custom(["Squeeze the towel."], {"reps": 10}, red_flags=["Stop after 30 repeats."])
    _, warnings = disagreements(_spec(custom), CATALOG, "spec.json")
    assert [w.message for w in warnings] == ["red_flags line 1 says '30 repeats', which the prescription does not "
                                             "(it says 10 reps)"]
    # own care cues replace the catalog's, and with them a line kept for this patient's condition
    surgery = {"ref": "butterfly-stretch", "care": ["Go slowly."]}
    _, warnings = disagreements(_spec(surgery, conditions=["recent-hip-surgery"]), CATALOG, "spec.json")
    assert [w.where for w in warnings] == ["$.sections[0].exercises[0].care"]
    assert "for this patient's recent-hip-surgery: 'After hip surgery, ask your surgeon" in warnings[0].message
    assert disagreements(_spec(surgery), CATALOG, "spec.json") == ([], [])  # no such condition: nothing lost


def test_the_hold_warnings_hint_fits_where_the_hold_came_from(tmp_path):
    _, (given,) = disagreements(_spec({"ref": "sumo-squat", "dosage": {"hold_seconds": 3}}), CATALOG, "s")
    assert given.hint == "leave hold_seconds out: this exercise has no moment to hold"
    _, (custom,) = disagreements(_spec(_custom(["Squeeze."], {"reps": 3, "hold_seconds": 2})), CATALOG, "s")
    assert custom.where.endswith(".custom.default_dosage.hold_seconds") and "{hold}" in custom.hint


@pytest.mark.parametrize("alternates, refused", [(False, True), (True, False)])
def test_a_custom_exercise_that_cannot_alternate_refuses_alternating(alternates, refused):
    entry = _custom(["Lie on your side and lift the top knee.", "{sides}"], {"reps": 10},
                    alternates=alternates) | {"dosage": {"side": "alternating"}}
    errors, _ = disagreements(_spec(entry), CATALOG, "spec.json")
    assert [(d.where, "cannot switch sides on every repeat" in d.message) for d in errors] == (
        [("$.sections[0].exercises[0].dosage.side", True)] if refused else [])


def test_the_side_menu_offers_only_the_sides_an_exercise_can_take():
    assert CATALOG.get("banded-side-step").sides == ("each", "left", "right")
    assert CATALOG.get("single-leg-bridge").sides == ("each", "left", "right", "alternating")
    assert CATALOG.get("bridge").sides == ("both",)


@pytest.mark.parametrize("step, message", [
    ("Walk at an easy pace for {duration}.", "unknown placeholder {duration}"),
    ("Lift. {Hold}", "unknown placeholder {Hold}"),
    ("Squeeze the towel and hold for {hold}.", "{hold} stands for a whole sentence"),
    ("{hold}. Then relax.", "{hold} stands for a whole sentence"),
])
def test_a_custom_step_whose_placeholder_would_print_wrong_is_refused(tmp_path, cli, step, message):
    """It would print as typed ("{duration}"), or double its words ("hold for Hold for 5 seconds.")."""
    entry = _custom(["Sit tall.", step], {"reps": 5, "hold_seconds": 5})
    spec = write_spec(tmp_path, _spec(entry))
    result = cli("validate", spec)
    assert result.code == 1 and f"$.sections[0].exercises[0].custom.steps[1]: step 2: {message}" in result.stderr


@pytest.mark.parametrize("step", ["{hold} Lower the knee slowly.", "Lift your knee. {hold}", "Lift: {hold}",
                                  "{hold} {sides}"])
def test_a_placeholder_standing_as_its_own_sentence_passes(step):
    entry = _custom(["Sit tall.", step], {"reps": 5, "hold_seconds": 5, "side": "each"})
    assert disagreements(_spec(entry), CATALOG, "spec.json") == ([], [])


def test_a_hold_longer_than_the_time_is_refused_and_a_count_with_a_time_is_warned(tmp_path, cli):
    spec = write_spec(tmp_path, _spec(
        {"ref": "clamshell", "dosage": {"hold_seconds": 60, "duration_seconds": 30, "reps": None}},
        {"ref": "bridge", "dosage": {"duration_seconds": 30}},  # the catalog's 10 to 15 times stay
        {"ref": "hip-rotation-mobility", "dosage": {"reps": None, "duration_seconds": 120}}))
    result = cli("validate", spec)
    assert result.code == 1
    assert ("$.sections[0].exercises[0].dosage.hold_seconds: a hold of 1 minute does not fit in the time, "
            "30 seconds") in result.stderr
    assert ("warning: " in result.stderr and "$.sections[0].exercises[1].dosage.duration_seconds: gives both a "
            "count (10 to 15 times) and a time (30 seconds)") in result.stderr
    assert '"reps": null' in result.stderr
    assert "exercises[2]" not in result.stderr  # a time and no count: nothing to say


def test_a_rest_with_no_sets_to_rest_between_is_warned(tmp_path, cli):
    spec = write_spec(tmp_path, _spec(
        {"ref": "sumo-squat", "dosage": {"reps": 8, "sets": 1, "rest_seconds": 60}},
        {"ref": "clamshell", "dosage": {"reps": 8, "sets": None, "rest_seconds": 30}},
        {"ref": "bridge", "dosage": {"sets": 2, "rest_seconds": 60}}))
    result = cli("validate", spec)
    assert result.code == 0
    assert ("warning: " in result.stderr and "$.sections[0].exercises[0].dosage.rest_seconds: a rest of 1 minute "
            "and 1 set: the card asks for it between repeats") in result.stderr
    assert "exercises[1].dosage.rest_seconds: a rest of 30 seconds and no sets" in result.stderr
    assert "exercises[2]" not in result.stderr  # a rest between 2 sets: as the card says


def test_a_time_in_place_of_a_held_positions_hold_is_warned(tmp_path, cli):
    spec = write_spec(tmp_path, _spec(
        {"ref": "butterfly-stretch", "dosage": {"duration_seconds": 60, "reps": None, "hold_seconds": None}},
        {"ref": "standing-hip-flexion", "dosage": {"duration_seconds": 60, "reps": None}},  # moves: no hold to say
        {"ref": "clamshell", "dosage": {"duration_seconds": 60, "reps": None, "hold_seconds": 5}}))
    result = cli("validate", spec)
    assert result.code == 0
    assert ("warning: " in result.stderr and "$.sections[0].exercises[0].dosage.duration_seconds: a time of 1 minute "
            "and no hold") in result.stderr
    assert "write hold_seconds: 60 instead" in result.stderr
    assert "exercises[1]" not in result.stderr and "exercises[2]" not in result.stderr


def test_a_name_that_names_another_dose_is_refused_and_a_section_title_is_warned(tmp_path, cli):
    spec = write_spec(tmp_path, minimal_spec(sections=[{"title": "Strength: 5 sets", "exercises": [
        {"ref": "bridge", "dosage": {"sets": 2, "reps": 10}, "name": "Bridge, 20 reps"},
        {"ref": "clamshell", "dosage": {"side": "left"}, "name": "Clamshell (right side)"},
        {"ref": "sumo-squat", "name": "Wide squat, 3 days a week"}]}]))  # as the section's frequency says
    result = cli("build", spec, "-o", tmp_path / "out.pdf")
    assert result.code == 1 and not (tmp_path / "out.pdf").exists()
    assert ("$.sections[0].exercises[0].name: the name says '20 reps', which the prescription does not (it says "
            "10 reps)") in result.stderr
    assert "$.sections[0].exercises[1].name: the name says 'right side', but the prescription is the left side" \
        in result.stderr
    assert "exercises[2].name" not in result.stderr
    assert ("warning: " in result.stderr and "$.sections[0].title: the section's title says '5 sets', which the "
            "prescription does not (it says 2 sets) for 'bridge'") in result.stderr
    assert result.stderr.count("$.sections[0].title") == 1  # once, not once per exercise


@pytest.mark.parametrize("dosage, where, message", [
    ({"hold_seconds": 1e-300}, "hold_seconds", "1e-300 seconds cannot be counted"),
    ({"duration_seconds": 0.001, "reps": None}, "duration_seconds", "0.001 seconds cannot be counted"),
    ({"rest_seconds": 30.25, "sets": 2}, "rest_seconds", "30.25 seconds cannot be counted"),
    ({"reps": 10, "unit": "5 reps"}, "unit", "the unit '5 reps' is not a word a count is read with"),
    ({"reps": 10, "unit": "   "}, "unit", "the unit '   ' is not a word a count is read with"),
])
def test_seconds_a_patient_cannot_count_and_a_unit_that_is_no_word_are_refused(tmp_path, cli, dosage, where, message):
    spec = write_spec(tmp_path, _spec({"ref": "bridge", "dosage": dosage}))
    result = cli("validate", spec)
    assert result.code == 1
    assert f"$.sections[0].exercises[0].dosage.{where}: {message}" in result.stderr


@pytest.mark.parametrize("dosage", [{"hold_seconds": 1.5}, {"rest_seconds": 0, "sets": 2}, {"unit": "steps each way"}])
def test_half_seconds_no_rest_and_a_unit_of_words_pass(tmp_path, cli, dosage):
    assert cli("validate", write_spec(tmp_path, _spec({"ref": "bridge", "dosage": dosage}))).code == 0


def test_a_timed_exercise_on_each_side_is_not_told_to_count_repeats():
    from routinepress.wording import Words
    words = Words("en")
    assert words.step("{sides}", {"side": "each", "duration_seconds": 60}) == "Do it on one side, then on the other."
    assert words.step("{sides}", {"side": "each", "reps": 8}) == "Do all your repeats on one side, then switch sides."


def test_a_side_set_by_a_custom_exercises_own_default_is_reported_there():
    entry = _custom(["Lie down.", "Slide your heel.", "{sides}"], {"reps": 10, "side": "both"})
    errors, _ = disagreements(_spec(entry), CATALOG, "spec.json")
    assert [e.where for e in errors] == ["$.sections[0].exercises[0].custom.default_dosage.side"]


@pytest.mark.parametrize("notes, frequency, side, message", [
    ("Lift your left leg slowly.", {"days_per_week": 3}, "right", "says 'left leg', but the prescription is the right"),
    ("Levante la pierna izquierda despacio.", {"days_per_week": 3}, "right", "says 'pierna izquierda'"),
    ("Do this every day.", {"days_per_week": 3}, "each", "says 'every day', but the prescription is 3 days a week"),
    ("Hágalo todos los días.", {"as_needed": True}, "each",
     "says 'todos los días', but the prescription is when needed"),
])
def test_a_note_naming_only_the_other_side_or_every_day_is_warned(notes, frequency, side, message):
    entry = {"ref": "clamshell", "dosage": {"side": side}, "frequency": frequency, "notes": notes}
    errors, warnings = disagreements(_spec(entry), CATALOG, "spec.json")
    assert not errors and [w.where for w in warnings] == ["$.sections[0].exercises[0].notes"]
    assert message in warnings[0].message


def test_every_day_in_a_note_under_a_daily_prescription_passes():
    entry = {"ref": "clamshell", "frequency": {"days_per_week": 7}, "notes": "Do this every day, gently."}
    assert disagreements(_spec(entry), CATALOG, "spec.json") == ([], [])


def test_an_exercise_on_no_frequency_at_all_is_warned():
    """Its card would say nothing of how often, and the tracker would ask for it every day."""
    entry = _custom(["Sit tall.", "Squeeze the towel. {hold}"], {"reps": 5, "hold_seconds": 5},
                    default_frequency={})
    errors, warnings = disagreements(_spec(entry), CATALOG, "spec.json")
    assert not errors and [(w.where, w.message.split(":")[0]) for w in warnings] == [
        ("$.sections[0].exercises[0]", "'Towel squeeze' has no frequency")]
    assert disagreements(_spec(entry | {"frequency": {"as_needed": True}}), CATALOG, "spec.json") == ([], [])


@pytest.mark.parametrize("load, warned", [("none", True), ("N/A", True), ("light band", False)])
def test_a_load_that_says_none_is_warned(load, warned):
    errors, warnings = disagreements(_spec({"ref": "clamshell", "dosage": {"load": load}}), CATALOG, "spec.json")
    assert [w.where for w in warnings] == (["$.sections[0].exercises[0].dosage.load"] if warned else [])
