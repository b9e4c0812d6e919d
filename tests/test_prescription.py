"""The prescription is the only source of numbers, and warnings are chosen for the patient.

Each test reads the built PDF back (or the model, where the question is what is chosen,
not how it is laid out). Doses are ones the catalog never uses, so a number that leaks
from catalog text cannot pass for the prescribed one.
"""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import REPO, minimal_spec
from pdfread import ReadPdf

import routinepress
from routinepress.catalog import Catalog
from routinepress.model import build_model
from routinepress.spec import check_spec
from routinepress.templates import load_template

CATALOG = Catalog()
IDS = CATALOG.ids()
# Entries that work one side at a time (a {sides} step); the others take no side but "both".
ONE_SIDE_IDS = [i for i in IDS if any("{sides}" in step for step in CATALOG.get(i).steps)]

UNUSUAL = {"sets": 4, "reps": 9, "hold_seconds": 7, "side": "left"}
UNUSUAL_FREQUENCY = {"days_per_week": 5, "times_per_day": 2}
NO_HOLD = {"hold_seconds": None, "rest_seconds": None, "duration_seconds": None, "side": "each"}

# Every figure a patient could follow, by what it counts; the last group is the number.
FIGURES = {
    "seconds": re.compile(r"\b(\d+)\s*(?:seconds?|secs?)\b", re.I),
    "minutes": re.compile(r"\b(\d+)\s*(?:minutes?|mins?)\b", re.I),
    "sets": re.compile(r"\b(\d+)\s*sets?\b", re.I),
    "per_day": re.compile(r"\b(\d+)\s*times\s+a\s+day\b", re.I),
    "reps": re.compile(r"\b(\d+)\s*(?:times|reps?|repeats?|repetitions?)\b(?!\s+a\s+day)", re.I),
    "days": re.compile(r"\b(\d+)\s*(?:days?\s+(?:a|per)\s+week|of\s+7\s+days)\b", re.I),
}


def _pdf_text(tmp_path, doc: dict, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(routinepress.build_handout(doc, base_dir=tmp_path))
    return ReadPdf(path).text


def _one(exercise_id: str, dosage: dict, frequency: dict | None = None, **extra) -> dict:
    entry: dict = {"ref": exercise_id, "dosage": dosage}
    if frequency:
        entry["frequency"] = frequency
    return minimal_spec(sections=[{"title": "Today", "exercises": [entry]}], tracker={"weeks": 1}, **extra)


def _figures(text: str) -> dict[str, set[int]]:
    return {what: {int(n) for n in pattern.findall(text)} for what, pattern in FIGURES.items()}


@pytest.mark.parametrize("exercise_id", ONE_SIDE_IDS)
def test_unusual_one_side_dose_is_the_only_dose_printed(tmp_path, exercise_id):
    text = _pdf_text(tmp_path, _one(exercise_id, UNUSUAL, UNUSUAL_FREQUENCY), exercise_id)
    found = _figures(text)
    assert found["seconds"] <= {7}, found
    assert not found["minutes"], found
    assert found["sets"] <= {4}, found
    assert found["reps"] <= {9}, found
    assert found["per_day"] <= {2}, found
    assert found["days"] <= {5}, found
    assert "Hold 7 seconds" in text  # the dose itself is printed
    # One side only: the handout names it and never says to switch.
    assert "Left side only" in text
    for phrase in ("switch", "each side", "other side", "both sides", "right leg"):
        assert phrase not in text.lower(), phrase


@pytest.mark.parametrize("exercise_id", IDS)
def test_removed_hold_leaves_no_seconds_anywhere(tmp_path, exercise_id):
    dosage = NO_HOLD | ({} if exercise_id in ONE_SIDE_IDS else {"side": "both"})
    text = _pdf_text(tmp_path, _one(exercise_id, dosage), exercise_id)
    found = _figures(text)
    assert not found["seconds"] and not found["minutes"], found
    assert not re.search(r"\bhold for\b", text, re.I), "a step still says how long to hold"


def test_steps_say_the_prescribed_hold_where_the_catalog_asks_for_it(tmp_path):
    text = _pdf_text(tmp_path, _one("clamshell", {"hold_seconds": 2, "side": "each"}), "clamshell")
    assert "Hold for 2 seconds. Lower the knee slowly." in text
    assert "Do all your repeats on one side, then switch sides." in text


def test_left_only_step_names_the_leg(tmp_path):
    text = _pdf_text(tmp_path, _one("clamshell", {"side": "left"}), "left")
    assert "Do this with your left leg only." in text


# --- the model: warnings and cues chosen for this patient ---------------------------------

def _model(doc: dict, tmp_path):
    return build_model(check_spec(doc, tmp_path / "spec.json", CATALOG), CATALOG)


def test_no_pelvic_floor_warnings_without_a_pelvic_condition(tmp_path):
    every_exercise = minimal_spec(sections=[{"title": "All", "exercises": IDS}])
    man_with_arthritis = _model(every_exercise | {"conditions": ["hip-arthritis"]}, tmp_path)
    printed = str(man_with_arthritis.to_json()).lower()
    assert "pelvic floor" not in printed and "bladder" not in printed
    postpartum = _model(every_exercise | {"conditions": ["postpartum"]}, tmp_path)
    assert any("pelvic floor" in line for line in postpartum.stop_if)
    assert any("bladder" in line for line in postpartum.stop_if)


def test_pelvic_warnings_printed_for_postpartum_and_not_otherwise(tmp_path):
    text = _pdf_text(tmp_path, minimal_spec(conditions=["postpartum"]), "postpartum")
    assert "pelvic floor" in text and "bladder" in text
    text = _pdf_text(tmp_path, minimal_spec(conditions=["hip-arthritis"]), "arthritis")
    assert "pelvic floor" not in text and "bladder" not in text


def test_before_you_start_advice_is_a_note_at_the_top_not_a_stop_item(tmp_path):
    handout = _model(minimal_spec(conditions=["recent-hip-surgery"]), tmp_path)
    assert any("hip surgery" in line for line in handout.before_you_start)
    assert not any("hip surgery" in line for line in handout.stop_if)
    text = _pdf_text(tmp_path, minimal_spec(conditions=["recent-hip-surgery"]), "surgery")
    assert text.index("Before you start") < text.index("hip surgery not long ago") < text.index("Stop and call")


def test_care_cues_never_sit_under_stop_and_nothing_is_printed_twice(tmp_path):
    handout = _model(minimal_spec(sections=[{"title": "All", "exercises": IDS}], conditions=["postpartum"]), tmp_path)
    care = {line for card in handout.cards for line in card.care}
    tips = {line for card in handout.cards for line in card.tips}
    red = {line for flags in handout.red_flags for line in flags.lines}
    assert red and care
    assert not red & care and not red & tips and not red & set(handout.stop_if)
    assert not any("You should feel" in line for line in [*red, *handout.stop_if])


def test_pain_rule_is_printed_and_generic_pain_lines_give_way(tmp_path):
    spec = _one("standing-hip-abduction", {}) | {"pain_rule": "up-to-3-settles-in-a-day"}
    text = _pdf_text(tmp_path, spec, "rule")
    assert "How much pain is OK" in text and "3 out of 10" in text
    assert "This exercise makes your hip pain worse." not in text
    assert "does not settle down" not in text
    without = _pdf_text(tmp_path, _one("standing-hip-abduction", {}), "no-rule")
    assert "This exercise makes your hip pain worse." in without
    assert "does not settle down" in without
    own = _pdf_text(tmp_path, _one("bridge", {}) | {"pain_rule": {"text": "Aching up to 2 of 10 is fine."}}, "own")
    assert "Aching up to 2 of 10 is fine." in own


def test_a_pain_rule_removes_the_stretch_lines_that_say_no_pain_at_all(tmp_path):
    no_pain = ("A stretch should feel like a gentle pull, not pain.",
               "You should feel a mild pull, not pain. If it hurts, shift forward less.")
    ruled = _model(_one("kneeling-hip-flexor-stretch", {}) | {"pain_rule": "up-to-5-settles-by-morning"}, tmp_path)
    printed = [*ruled.dosing_notes, *ruled.cards[0].care]
    assert not any(line in printed for line in no_pain)
    assert "Come out of each stretch slowly." in ruled.dosing_notes  # the rest of the stretch advice stays
    plain = _model(_one("kneeling-hip-flexor-stretch", {}), tmp_path)
    assert all(line in [*plain.dosing_notes, *plain.cards[0].care] for line in no_pain)


def test_general_warnings_can_be_dropped_or_replaced_by_id(tmp_path):
    dropped = _model(minimal_spec(general_warnings={"drop": ["numbness"]}), tmp_path)
    assert not any("numbness" in line for line in dropped.stop_if)
    assert any("sharp pain" in line for line in dropped.stop_if)
    only = _model(minimal_spec(general_warnings={"use": ["pain-spreads"]}, stop_if=["Your knee swells."]), tmp_path)
    assert only.stop_if == ("Pain spreads down your leg during exercise or in the hour or two after.",
                            "Your knee swells.")


def test_spec_replaces_tips_care_red_flags_and_video_for_this_patient(tmp_path):
    entry = {"ref": "clamshell", "tips": [], "care": ["Keep the band loose today."],
             "red_flags": ["Your knee clicks and hurts."], "video_url": "https://example.org/clam"}
    handout = _model(minimal_spec(sections=[{"title": "S", "exercises": [entry]}]), tmp_path)
    card = handout.cards[0]
    assert card.tips == () and card.care == ("Keep the band loose today.",)
    assert handout.red_flags[0].lines == ("Your knee clicks and hurts.",)
    assert card.video_url == "https://example.org/clam"


def test_next_steps_name_a_card_in_this_handout_or_say_what_the_exercise_is(tmp_path):
    both = _model(minimal_spec(sections=[{"title": "S", "exercises": ["bridge", "single-leg-bridge"]}]), tmp_path)
    assert both.cards[0].progressions == ("Single-leg bridge (exercise 2 in this handout)",)
    alone = _model(minimal_spec(), tmp_path)
    (line,) = alone.cards[0].progressions
    assert line.startswith("Single-leg bridge: ") and len(line) > len("Single-leg bridge: ") + 10


def test_frequency_comes_from_the_entry_then_the_section_then_the_catalog(tmp_path):
    spec = minimal_spec(sections=[
        {"title": "A", "frequency": {"days_per_week": 4},
         "exercises": [{"ref": "bridge", "frequency": {"days_per_week": 6}}, "clamshell"]},
        {"title": "B", "exercises": ["supine-hamstring-stretch"]},
    ])
    handout = _model(spec, tmp_path)
    assert [c.frequency_text for c in handout.cards] == ["6 days a week", "4 days a week", "Every day"]
    text = _pdf_text(tmp_path, spec, "frequency")
    assert "6 days a week" in text and "4 days a week" in text


def test_pain_score_row_follows_the_tracker_setting(tmp_path):
    assert "Pain (0-10)" in _pdf_text(tmp_path, minimal_spec(tracker={"weeks": 1}), "pain")
    assert "Pain (0-10)" not in _pdf_text(tmp_path, minimal_spec(tracker={"weeks": 1, "pain_score": False}), "none")


def test_left_side_dose_draws_the_mirrored_picture(tmp_path):
    """The pages carry the mirrored drawing's own operators, not the right side's (each drawing
    is a form the page uses: forms.py)."""
    from routinepress.render.pictures import PictureSource

    handout = _model(_one("standing-hip-abduction", {"side": "left"}), tmp_path)
    card = handout.cards[0]
    t = load_template("standard")["card"]
    width, height = t["illustration_width_mm"] * 72 / 25.4, t["illustration_height_mm"] * 72 / 25.4
    drawings = {mirror: PictureSource().flowables(card.pictures, width, height, mirror, t["line_scale"])
                for mirror in (False, True)}
    pdf = tmp_path / "left.pdf"
    pdf.write_bytes(routinepress.build_handout(_one("standing-hip-abduction", {"side": "left"}), base_dir=tmp_path))
    content = ""
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            page.contents_coalesce()
            content += page.Contents.read_bytes().decode("latin-1")
            for form in page.Resources.get("/XObject", {}).values():
                content += form.read_bytes().decode("latin-1")
    assert all(d.operators in content for d in drawings[True])
    assert not any(d.operators in content for d in drawings[False])


# --- dates and languages -----------------------------------------------------------------

@pytest.mark.parametrize("language, weekday, week", [("en-US", "Mon", "Nov 23 – 29"),
                                                     ("en-GB", "Mon", "23 – 29 Nov"), ("es", "lun", "23–29 nov")])
def test_tracker_dates_follow_the_language(tmp_path, language, weekday, week):
    """Each day column: its weekday and day of the month; each week: its dates, month named."""
    spec = minimal_spec(language=language, tracker={"weeks": 2, "start_date": "2026-11-23"})
    handout = _model(spec, tmp_path)
    assert handout.tracker.days[0] == (weekday, "23") and handout.tracker.days[7][1] == "30"
    assert handout.tracker.week_dates[0] == week
    text = _pdf_text(tmp_path, spec, language)
    assert f"{week} {weekday} 23" in text  # the week's dates, then its first column
    assert "30" in handout.tracker.days[7][1] and handout.tracker.week_dates[1].count("30") == 1


def test_unsupported_language_is_an_error_not_english_under_a_false_lang(tmp_path, cli):
    from conftest import write_spec

    spec = write_spec(tmp_path, minimal_spec(language="fr"))
    result = cli("validate", spec.name, cwd=tmp_path)
    assert result.code == 1
    assert "$.language: no printed words for language 'fr' yet; available: en, es" in result.stderr
    assert "Traceback" not in result.stderr


def test_plural_forms_come_from_the_language(tmp_path):
    one = _model(_one("bridge", {"sets": 1, "reps": 1, "hold_seconds": 1}), tmp_path).cards[0]
    assert ("Sets", "1 set") in one.dose_rows and ("Hold", "1 second") in one.dose_rows
    es = _model(_one("bridge", {"sets": 1, "reps": 3}) | {"language": "es"}, tmp_path).cards[0]
    assert "1 serie" in es.dose_summary and "3 veces" in es.dose_summary


@pytest.mark.parametrize("language, unit, reps, printed", [
    ("en", "steps", 1, "1 step"), ("en", "breaths", 1, "1 breath"), ("en", "steps each way", 1, "1 step each way"),
    ("en", "steps", {"min": 8, "max": 12}, "8 to 12 steps"), ("en", "breath", 4, "4 breaths"),
    ("es", "steps", 1, "1 paso"), ("es", "breaths", {"min": 8, "max": 12}, "de 8 a 12 respiraciones"),
    ("es", "steps each way", 15, "15 pasos en cada sentido"),
    ("en", "laps", 2, "2 laps"),  # the clinician's own word, printed as written
    ("en", "reps", {"min": 10, "max": 10}, "10 times"), ("es", "steps", {"min": 1, "max": 1}, "1 paso"),
])
def test_known_units_are_counted_in_the_handouts_language(tmp_path, language, unit, reps, printed):
    dosage = {"reps": reps, "sets": None, "hold_seconds": None} | ({"unit": unit} if unit else {})
    card = _model(_one("banded-side-step", dosage) | {"language": language}, tmp_path).cards[0]
    assert card.dose_rows[0][1] == printed
    assert card.dose_summary.startswith(printed[:1].upper() + printed[1:])


@pytest.mark.parametrize("dosage, printed", [
    ({"sets": 3, "reps": 10}, "30 seconds between sets"),
    ({"sets": 1, "reps": 10}, "30 seconds between repeats"),
    ({"sets": None, "reps": {"min": 1, "max": 3}}, "30 seconds between repeats"),
    ({"sets": 1, "reps": 1}, "30 seconds afterwards"),
])
def test_rest_is_between_sets_only_when_there_are_sets(tmp_path, dosage, printed):
    card = _model(_one("bridge", dosage | {"rest_seconds": 30}), tmp_path).cards[0]
    assert ("Rest", printed) in card.dose_rows


def test_unknown_condition_pain_rule_and_warning_ids_get_hints(tmp_path, cli):
    from conftest import write_spec

    spec = write_spec(tmp_path, minimal_spec(conditions=["postpartm"], pain_rule="no-pian",
                                             general_warnings={"drop": ["numbnes"]}))
    result = cli("validate", spec.name, cwd=tmp_path)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert "error: spec.json: $.conditions[0]: unknown condition 'postpartm'" in lines
    assert "error: spec.json: $.pain_rule: unknown pain rule 'no-pian'" in lines
    assert "error: spec.json: $.general_warnings.drop[0]: unknown general warning 'numbnes'" in lines
    assert "  hint: did you mean 'postpartum'?" in lines


def test_examples_show_tailoring():
    import json

    docs = [json.loads(p.read_text()) for p in sorted((REPO / "handouts").glob("*.json"))]
    assert any(d.get("conditions") for d in docs)
    assert any(d.get("pain_rule") for d in docs)
    assert any(isinstance(e, dict) and ("care" in e or "red_flags" in e or "tips" in e)
               for d in docs for s in d["sections"] for e in s["exercises"])


@pytest.mark.parametrize("language, once, usual", [
    ("en", "Do it on one side, then on the other.", "Do all your repeats on one side, then switch sides."),
    ("es", "Hágalo de un lado y luego del otro.", "Haga todas las repeticiones de un lado y luego cambie de lado."),
])
def test_one_repeat_each_side_is_not_told_to_do_its_repeats(tmp_path, language, once, usual):
    def steps(reps):
        spec = _one("lower-trunk-rotation", {"reps": reps, "side": "each"}) | {"language": language}
        return _model(spec, tmp_path).cards[0].steps

    assert once in steps(1) and usual not in steps(1)
    assert usual in steps(3) and usual in steps({"min": 1, "max": 2})


@pytest.mark.parametrize("language, printed", [
    ("en", "1.5 seconds"), ("es", "1,5 segundos"), ("es-MX", "1.5 segundos")])
def test_a_fraction_is_written_with_the_languages_decimal_sign(tmp_path, language, printed):
    card = _model(_one("bridge", {"hold_seconds": 1.5}) | {"language": language}, tmp_path).cards[0]
    assert printed in dict(card.dose_rows).values()


def test_a_handout_in_another_language_warns_of_the_catalogs_english_text(tmp_path, cli):
    from conftest import write_spec

    spec = write_spec(tmp_path, _one("bridge", {"reps": 3}) | {"language": "es"})
    built = cli("build", spec, "-o", tmp_path / "es.pdf")
    assert built.code == 0
    assert (f"warning: {spec}: $.language: the handout is in 'es', but the built-in catalog's text for bridge and "
            "the general warnings (general.json) is in English") in built.stderr
    assert cli("build", spec, "-o", tmp_path / "strict.pdf", "--strict").code == 1
    # Past five exercises the rest are counted, as exercises; the general warnings are always named.
    six = ["bridge", "clamshell", "sumo-squat", "good-morning", "hip-hike", "butterfly-stretch"]
    many = write_spec(tmp_path, minimal_spec(language="es", sections=[{"title": "A", "exercises": six}]),
                      name="six.json")
    assert ("text for bridge, clamshell, sumo-squat, good-morning, 2 more exercises and the general warnings "
            "(general.json) is in English") in cli("validate", many).stderr
    # A clinic folder with its own (translated) entry and general warnings: nothing to warn about.
    clinic = tmp_path / "clinic"
    (clinic / "exercises").mkdir(parents=True)
    (clinic / "exercises" / "bridge.json").write_text(CATALOG.get("bridge").source_file.read_text("utf-8"), "utf-8")
    (clinic / "general.json").write_text((CATALOG.folders[0] / "general.json").read_text("utf-8"), "utf-8")
    translated = cli("build", spec, "--catalog", clinic, "-o", tmp_path / "clinic.pdf", "--strict")
    assert translated.code == 0 and "warning" not in translated.stderr
    english = write_spec(tmp_path, _one("bridge", {"reps": 3}), name="en.json")
    assert "warning" not in cli("build", english, "-o", tmp_path / "en.pdf").stderr


def test_an_exercise_given_twice_is_told_apart_and_its_stop_line_printed_once(tmp_path):
    spec = minimal_spec(sections=[{"title": "A", "exercises": [
        "hip-hike", "hip-hike", "bridge", {"ref": "single-leg-bridge", "dosage": {"side": "left"}},
        {"ref": "single-leg-bridge", "dosage": {"side": "right"}}]}], tracker={"weeks": 1})
    handout = _model(spec, tmp_path)
    groin = [flags for flags in handout.red_flags if "You feel a pinch deep in the groin." in flags.lines]
    assert [flags.exercise for flags in groin] == ["1. Hip hike on a step, 2. Hip hike on a step"]
    assert handout.cards[2].progressions == ("Single-leg bridge (exercise 4 in this handout)",)
    assert [row.name for row in handout.tracker.rows] == [
        "1. Hip hike on a step", "2. Hip hike on a step", "3. Bridge",  # the same side twice: nothing to add
        "4. Single-leg bridge (left side only)", "5. Single-leg bridge (right side only)"]
    text = _pdf_text(tmp_path, spec, "twice")
    assert text.count("You feel a pinch deep in the groin.") == 1
    assert "4. Single-leg bridge (left side only)" in text


@pytest.mark.parametrize("exercise_id, tip", [
    ("sumo-squat", "When this is easy, your therapist may have you hold a light weight at your chest."),
    ("straight-leg-raise", "When this is easy, your therapist may add a small weight at your ankle."),
])
def test_a_tip_that_plans_a_load_is_not_printed_under_one(tmp_path, exercise_id, tip):
    """A patient prescribed a band is not told the therapist may add one later (a review finding)."""
    loaded = _pdf_text(tmp_path, _one(exercise_id, {"load": "light band above the knees"}), "loaded")
    plain = _pdf_text(tmp_path, _one(exercise_id, {}), "plain")
    squash = lambda text: " ".join(text.split())  # noqa: E731
    assert tip in squash(plain) and tip not in squash(loaded)
    assert "Use: light band above the knees" in squash(loaded)


def test_where_a_band_goes_is_said_with_a_band_and_without(tmp_path):
    """The clamshell's band goes above the knees: said under a prescribed band too (a plan
    for one used to go with the line that said where, review E)."""
    squash = lambda text: " ".join(text.split())  # noqa: E731
    where = "If your therapist gives you a loop band, wear it around your legs just above your knees."
    assert where in squash(_pdf_text(tmp_path, _one("clamshell", {"load": "red band"}), "loaded"))
    assert where in squash(_pdf_text(tmp_path, _one("clamshell", {}), "plain"))
