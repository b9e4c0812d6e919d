"""The editor end to end: a real `routinepress serve` process, driven by Playwright in Debian's chromium.

Under CI (CI=true) these tests must run: a missing browser fails them. Elsewhere they are
skipped with a message saying why (`apt-get install chromium` brings them back).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, run_cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
# Each run's screenshots land in build/screenshots/, to look at; `make screenshots` writes
# the ones the README shows into docs/ (a test run leaves the tracked files alone).
SCREENSHOT = Path(os.environ.get("ROUTINEPRESS_SCREENSHOTS", REPO / "build" / "screenshots")) / "serve.png"

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI must run the browser tests, but /usr/bin/chromium is missing (.ci/run installs it)",
                    pytrace=False)
    pytest.skip("browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`routinepress serve FOLDER` in its own process, once it answers (any status). Its log
    goes to a file beside the folder, `proc.log` (a pipe nobody reads would fill, and stop it)."""
    port = free_port()
    log = folder.parent / f"serve-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "routinepress", "serve", str(folder), "--port", str(port),
                                 *options], stdout=out, stderr=subprocess.STDOUT, text=True)
    proc.log = log  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`routinepress serve` on a fresh `routinepress init` folder, in its own process."""
    folder = tmp_path_factory.mktemp("browser") / "clinic"
    made = run_cli("init", folder, "--clinic", "Riverside Test Clinic")
    assert made.code == 0, made.stderr
    proc, url = start_server(folder)
    urllib.request.urlopen(url + "api/handouts", timeout=10).read()
    yield url, folder
    proc.terminate()
    proc.wait(timeout=10)
    log = proc.log.read_text()
    # one line per request, none of them with the patient's name or the handout's
    assert "GET /api/handouts 200" in log
    assert "Ada Lovelace" not in log and "clam-test" not in log


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server[0])
    page.wait_for_selector("body[data-ready]")
    yield page
    context.close()
    assert not errors, errors


def reps_field(page):
    return page.locator("[data-path='$.sections[0].exercises[0].dosage.reps']")


def preview_version(page) -> str | None:
    return page.locator("#pages").get_attribute("data-version")


def wait_for_new_preview(page, old: str | None) -> None:
    page.wait_for_function(
        "old => { const p = document.querySelector('#pages');"
        " return p.dataset.version && p.dataset.version !== old && !p.classList.contains('stale'); }",
        arg=old, timeout=20_000)


def test_search_add_set_reps_preview_save_download(page, server, tmp_path):
    url, folder = server
    page.fill("[data-path='$.patient.name']", "Ada Lovelace")
    page.fill("#search", "clam")
    add = page.locator("#results[data-query=clam] button[data-id=clamshell]")
    add.wait_for()
    add.focus()
    page.keyboard.press("Enter")  # the catalog is usable from the keyboard
    assert page.locator(".exercise h3").first.inner_text() == "1. Clamshell"

    wait_for_new_preview(page, None)
    before = preview_version(page)
    first = page.locator("#pages img").first
    before_png, before_box = first.get_attribute("src"), first.bounding_box()

    reps_field(page).fill("12")
    wait_for_new_preview(page, before)
    after = page.locator("#pages img").first
    assert after.get_attribute("src") != before_png  # the page shows the new dose
    assert after.bounding_box() == before_box  # and did not move or change size
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelector('.picker').scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOT))

    page.fill("#name", "clam-test")
    page.click("#save")
    page.wait_for_selector("#status:has-text('Saved handouts/clam-test.json')")
    saved = json.loads((folder / "handouts" / "clam-test.json").read_text())
    assert saved["sections"][0]["exercises"] == [{"ref": "clamshell", "dosage": {"reps": 12}}]
    assert saved["patient"] == {"name": "Ada Lovelace"}

    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "clam-test.pdf"
    downloaded = Path(download.value.path()).read_bytes()

    out = tmp_path / "cli.pdf"
    result = run_cli("build", folder / "handouts" / "clam-test.json", "-o", out)
    assert result.code == 0, result.stderr
    assert out.read_bytes() == downloaded
    assert downloaded.startswith(b"%PDF")


def test_a_bad_value_shows_its_message_at_the_field(page):
    page.fill("#search", "bridge")
    page.locator("#results[data-query=bridge] button[data-id=bridge]").click()
    reps = reps_field(page)
    reps.fill("twelve")
    error = page.locator("#" + (reps.get_attribute("id") or "") + "-error")
    error.wait_for(state="visible", timeout=20_000)
    assert "whole number" in error.inner_text()
    assert reps.get_attribute("aria-invalid") == "true"
    # the summary names the field, and takes the keyboard there
    link = page.locator("#problems button").first
    assert link.inner_text().startswith("Bridge, Reps:")
    page.screenshot(path=str(SCREENSHOT.with_name("serve-error.png")))
    link.click()
    assert page.evaluate("document.activeElement.dataset.path") == "$.sections[0].exercises[0].dosage.reps"

    reps.fill("8-12")  # a range is a valid dose: the message goes away
    error.wait_for(state="hidden", timeout=20_000)
    assert reps.get_attribute("aria-invalid") is None


def test_open_a_saved_handout_and_reorder(page, server):
    url, folder = server
    doc = {"spec_version": 1, "title": "Two moves", "sections": [{"title": "A", "exercises": ["bridge", "clamshell"]}]}
    (folder / "handouts" / "two-moves.json").write_text(json.dumps(doc))
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#open option[value=example]").count() == 1  # init's example is there to open
    page.select_option("#open", "two-moves")
    page.wait_for_selector("#status:has-text('Opened handouts/two-moves.json')")
    assert page.locator("[data-path='$.title']").input_value() == "Two moves"
    page.click("button[aria-label='Move Bridge down']")
    names = page.locator(".exercise h3").all_inner_texts()
    assert names == ["1. Clamshell", "2. Bridge"]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move Bridge up"


def test_tips_care_and_stop_lines_for_this_patient(page):
    """An exercise's lists, replaced from the editor: its own tips in place of the catalog's
    (which show greyed until then), no care cues at all, and a reason to stop in the stop box."""
    add_from_search(page, "clamshell", "clamshell")
    base = "$.sections[0].exercises[0]"
    tips = page.locator(f"textarea[data-path='{base}.tips']")
    assert "Put your hand on your top hip" in tips.get_attribute("placeholder")
    tips.fill("Keep your feet together.\n\nBreathe out as you lift.")
    page.get_by_label("Print none").nth(1).check()  # Take care
    assert page.locator(f"textarea[data-path='{base}.care']").get_attribute("placeholder") == "(none printed)"
    page.locator(f"textarea[data-path='{base}.red_flags']").fill("Your knee clicks and hurts.")
    card = page.locator(f"[data-path='{base}']")
    card.screenshot(path=str(SCREENSHOT.with_name("serve-lines.png")))
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "Keep your feet together." in text and "Breathe out as you lift." in text
    assert "Put your hand on your top hip" not in text  # the catalog's tips are replaced
    assert "Take care" not in text and "Lift your knee only as far as is comfortable" not in text
    assert "Clamshell: Your knee clicks and hurts." in text  # in the stop box, under its name
    page.get_by_label("Print none").nth(1).uncheck()  # the catalog's care cue is back
    tips.fill("")
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "Lift your knee only as far as is comfortable" in text and "Put your hand on your top hip" in text


def test_the_grey_catalog_lines_are_those_that_print_for_this_patient(page):
    """A plan for a weight goes once a load is prescribed; a surgeon's caution shows only for a
    patient after hip surgery (as model.py chooses them)."""
    add_from_search(page, "sumo", "sumo-squat")
    add_from_search(page, "butterfly", "butterfly-stretch")
    tips = page.locator("textarea[data-path='$.sections[0].exercises[0].tips']")
    care = page.locator("textarea[data-path='$.sections[0].exercises[1].care']")
    band = "When this is easy, your therapist may have you hold a light weight at your chest."
    surgeon = "After hip surgery, ask your surgeon"
    assert band in tips.get_attribute("placeholder") and surgeon not in care.get_attribute("placeholder")
    page.fill("[data-path='$.sections[0].exercises[0].dosage.load']", "light band")
    assert band not in tips.get_attribute("placeholder")
    page.get_by_label("Hip surgery or a hip replacement not long ago").check()
    assert surgeon in care.get_attribute("placeholder")


def test_a_tip_is_added_to_the_catalogs_from_a_copy_of_them(page):
    """Typed lines replace the catalog's: "Edit the catalog's lines" starts from them."""
    add_from_search(page, "bridge", "bridge")
    path = "$.sections[0].exercises[0].tips"
    tips = page.locator(f"textarea[data-path='{path}']")
    catalog = tips.get_attribute("placeholder").split("\n")
    page.get_by_label("Edit the catalog's tips").click()
    assert spec_at(page, path) == catalog and tips.input_value() == "\n".join(catalog)
    tips.press("End")
    tips.press("Control+End")
    tips.type("\nBreathe out as you lift.")
    assert spec_at(page, path) == [*catalog, "Breathe out as you lift."]
    assert page.get_by_label("Edit the catalog's tips").is_hidden()
    page.locator("[data-path='$.sections[0].exercises[0]']").screenshot(path=str(SCREENSHOT.with_name("serve-copy-lines.png")))


def test_two_windows_on_one_handout_do_not_save_over_each_other(browser, server):
    """Window B opened the handout before window A saved it: B's save asks before it replaces
    A's version, and Cancel leaves A's file as it was."""
    url, folder = server
    doc = {"spec_version": 1, "title": "Shared", "sections": [{"title": "A", "exercises": ["bridge"]}]}
    (folder / "handouts" / "shared.json").write_text(json.dumps(doc))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        windows = [context.new_page(), context.new_page()]
        for window in windows:
            window.goto(url)
            window.wait_for_selector("body[data-ready]")
            window.select_option("#open", "shared")
            window.wait_for_selector("#status:has-text('Opened handouts/shared.json')")
        a, b = windows
        a.fill("[data-path='$.title']", "Saved by A")
        a.click("#save")
        a.wait_for_selector("#status:has-text('Saved handouts/shared.json')")
        b.fill("[data-path='$.title']", "Saved by B")
        asked: list[str] = []
        b.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        b.click("#save")
        b.wait_for_selector("#status:has-text('Not saved')")
        assert "was saved by someone else" in asked[0] and "Replace that version with yours?" in asked[0]
        assert json.loads((folder / "handouts" / "shared.json").read_text())["title"] == "Saved by A"
        b.once("dialog", lambda dialog: dialog.accept())  # B decides to replace it
        b.click("#save")
        b.wait_for_selector("#status:has-text('Saved handouts/shared.json')")
        assert json.loads((folder / "handouts" / "shared.json").read_text())["title"] == "Saved by B"
        a.fill("[data-path='$.title']", "A again")  # A's version is now the old one: A is asked too
        a.once("dialog", lambda dialog: dialog.dismiss())
        a.click("#save")
        a.wait_for_selector("#status:has-text('Not saved')")
        assert json.loads((folder / "handouts" / "shared.json").read_text())["title"] == "Saved by B"
    finally:
        context.close()


def test_conditions_and_pain_rule_reach_the_handout(page):
    """The routine schema's conditions and pain rule, offered with the catalog's own words."""
    page.fill("#search", "bridge")
    page.locator("#results[data-query=bridge] button[data-id=bridge]").click()
    page.get_by_label("Had a baby in the past year").check()
    rule = page.locator("[data-path='$.pain_rule']")
    rule.select_option("up-to-3-settles-in-a-day")
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "3 out of 10 or less" in text  # the pain rule, printed
    assert "pelvic floor" in text  # a postpartum warning, chosen by the condition
    assert "Riverside Test Clinic" in text  # the clinic folder's default

    rule.select_option("__own")  # the clinician's own words
    own = page.locator("[data-path='$.pain_rule.text']")
    own.fill("A little soreness is fine if it is gone by bedtime.")
    with page.expect_download() as download:
        page.click("#download")
    assert "gone by bedtime" in " ".join(page_texts(Path(download.value.path()).read_bytes()).split())


def field_error(page, path: str):
    field = page.locator(f"[data-path='{path}']")
    return field, page.locator("#" + (field.get_attribute("id") or "") + "-error")


def test_the_editors_own_fields_get_plain_messages(page):
    add_from_search(page, "bridge", "bridge")
    hold, hold_error = field_error(page, "$.sections[0].exercises[0].dosage.hold_seconds")
    hold.fill("0")
    hold_error.wait_for(state="visible", timeout=20_000)
    assert hold_error.inner_text() == "Hold must be more than 0 seconds"
    assert page.locator("#problems button").first.inner_text() == "Bridge: Hold must be more than 0 seconds"
    hold.fill("")
    reps, reps_error = field_error(page, "$.sections[0].exercises[0].dosage.reps")
    reps.fill("12-8")
    page.wait_for_function("() => document.querySelector('#problems').textContent.includes('first number')",
                           timeout=20_000)
    assert reps_error.inner_text() == "Reps: the first number is bigger than the second. Type 8-12"
    reps.fill("8-12")
    title, title_error = field_error(page, "$.title")
    title.fill("")  # the editor leaves a field it was cleared out of the spec: "'title' is missing" at $
    title_error.wait_for(state="visible", timeout=20_000)
    assert title_error.inner_text() == "Title is missing"
    assert title.get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SCREENSHOT.with_name("serve-plain-errors.png")))


def add_from_search(page, query: str, exercise_id: str) -> None:
    page.fill("#search", query)
    add = page.locator(f"#results[data-query='{query}'] button[data-id={exercise_id}]")
    add.wait_for()
    add.focus()
    page.keyboard.press("Enter")


def test_the_side_menu_offers_the_sides_the_exercise_can_take(page):
    add_from_search(page, "clamshell", "clamshell")
    add_from_search(page, "sumo", "sumo-squat")
    menu = "[data-path='$.sections[0].exercises[{}].dosage.side'] option"
    assert page.locator(menu.format(0)).all_inner_texts()[1:] == ["each", "left", "right"]
    assert page.locator(menu.format(1)).all_inner_texts()[1:] == ["both"]


def test_the_grey_frequency_hint_shows_what_will_print(page):
    """An exercise's frequency comes from its entry, else its section's, else the catalog's."""
    page.fill("[data-path='$.sections[0].frequency.days_per_week']", "5")
    add_from_search(page, "clamshell", "clamshell")  # the catalog says 3 days a week
    own = page.locator("[data-path='$.sections[0].exercises[0].frequency.days_per_week']")
    assert own.get_attribute("placeholder") == "5"
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "5 days a week" in text and "3 days a week" not in text
    # the section's number changed: the hint follows at once, without a redraw
    page.fill("[data-path='$.sections[0].frequency.days_per_week']", "4")
    assert own.get_attribute("placeholder") == "4"
    page.fill("[data-path='$.sections[0].frequency.days_per_week']", "")
    assert own.get_attribute("placeholder") == "3"  # back to the catalog's


def test_an_exercise_can_be_marked_when_needed(page):
    """The "Only when needed" box writes as_needed: true, which the handout prints in place of
    the section's days; ticked with a number of days as well, the days box shows the conflict."""
    page.fill("[data-path='$.sections[0].frequency.days_per_week']", "4")
    add_from_search(page, "clamshell", "clamshell")
    flag = page.locator("[data-path='$.sections[0].exercises[0].frequency.as_needed']")
    assert not flag.is_checked()
    flag.check()
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "How often: When needed" in text and "4 days a week" not in text
    days, days_error = field_error(page, "$.sections[0].exercises[0].frequency.days_per_week")
    days.fill("3")
    days_error.wait_for(state="visible", timeout=20_000)
    assert days_error.inner_text() == "Days a week: not with “Only when needed”. Clear one of them"
    card = page.locator("[data-path='$.sections[0].exercises[0]']")
    card.screenshot(path=str(SCREENSHOT.with_name("serve-when-needed.png")))
    days.fill("")
    flag.uncheck()  # back on the section's schedule
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "How often: 4 days a week" in text and "When needed" not in text


def test_adding_from_the_keyboard_keeps_the_focus(page):
    add_from_search(page, "bridge", "bridge")
    assert page.locator(".exercise h3").first.inner_text() == "1. Bridge"
    assert page.evaluate("document.activeElement.id") == "search"
    # its words are selected: typing starts the next search
    page.keyboard.type("clam")
    page.locator("#results[data-query=clam] button[data-id=clamshell]").wait_for()
    assert page.locator("#search").input_value() == "clam"


def test_a_new_section_title_shows_everywhere_at_once(page):
    page.click("text=Add a section")
    title = page.locator("[data-path='$.sections[1].title']")
    title.fill("Morning stretches at the bedside")
    assert page.locator("#target option").all_inner_texts() == ["Exercises", "Morning stretches at the bedside"]
    assert page.locator("button:has-text('Add exercises to “Morning stretches at the bedside”')").count() == 1
    assert page.get_by_label("Remove section Morning stretches at the bedside").count() == 1
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth")  # the whole title shows in its box
    days = page.locator("[data-path='$.sections[1].frequency.days_per_week']")
    assert title.bounding_box()["width"] > 2 * days.bounding_box()["width"]


def test_a_new_sections_title_is_typed_over_and_a_full_section_is_removed_only_when_asked(page):
    page.click("text=Add a section")
    page.keyboard.type("Stretches")  # the focus is in its title, "Part 2" selected
    assert spec_at(page, "$.sections[1].title") == "Stretches"
    page.click("button:has-text('Add exercises to “Stretches”')")
    add_from_search(page, "clamshell", "clamshell")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button[aria-label='Remove section Stretches']")
    assert asked == ["Remove “Stretches” and its exercise?"]
    assert spec_at(page, "$.sections[1].exercises") == ["clamshell"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[aria-label='Remove section Stretches']")
    assert len(page.evaluate("state.doc.sections")) == 1
    assert page.evaluate("document.activeElement.id") == "h-sections"


def test_a_name_typed_while_saving_names_the_next_save(page, server):
    url, folder = server
    held = save_held_on_its_way(page, folder, "typo-nmae", "Edited")
    page.fill("#name", "typo-name")
    held[0].continue_()
    page.wait_for_selector("#status:has-text('Saved handouts/typo-nmae.json')")
    assert page.evaluate("state.opened") == "typo-nmae"
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#save")  # a new file, saved as such: no question about someone else's version
    page.wait_for_selector("#status:has-text('Saved handouts/typo-name.json')")
    assert not asked and json.loads((folder / "handouts" / "typo-name.json").read_text())["title"] == "Edited"


def test_a_handout_that_cannot_be_opened_leaves_the_list_on_the_one_shown(page, server):
    url, folder = server
    (folder / "handouts" / "broken.json").write_text("{ not json")
    open_handout(page, folder, "kept-open", {"spec_version": 1, "title": "Kept", "sections": [
        {"title": "A", "exercises": ["bridge"]}]})
    page.select_option("#open", "broken")
    page.wait_for_selector("#status:has-text('handouts/broken.json is not valid JSON')")
    assert page.locator("#open").input_value() == "kept-open"
    assert spec_at(page, "$.title") == "Kept"


def test_a_server_that_does_not_answer_is_said_so(page, server):
    url, folder = server
    open_handout(page, folder, "unanswered", {"spec_version": 1, "title": "T", "sections": [
        {"title": "A", "exercises": ["bridge"]}]})
    page.route("**/api/handouts/unanswered", lambda route: route.abort() if route.request.method == "PUT"
               else route.continue_())
    page.fill("[data-path='$.title']", "Not saved")
    page.click("#save")
    page.wait_for_selector("#status:has-text('Not saved: the server did not answer')")
    assert page.evaluate("state.dirty") and page.locator("#save").is_enabled()


@pytest.mark.parametrize("width", [1280, 800, 600, 390])
def test_the_layout_fits_the_window(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    add_from_search(page, "bridge", "bridge")
    wait_for_new_preview(page, None)
    box = {name: page.locator(name).bounding_box() for name in ("#editor", "#preview", "#download", "#status")}
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert box["#download"]["x"] + box["#download"]["width"] <= width
    save = page.locator("#save").bounding_box()
    assert save["x"] + save["width"] <= width
    assert page.locator("header.bar").bounding_box()["height"] <= 180  # the sticky header leaves room to work
    assert page.evaluate("(el => el.scrollWidth <= el.clientWidth)(document.querySelector('#status'))")
    if width >= 1000:  # side by side
        assert box["#preview"]["x"] >= box["#editor"]["x"] + box["#editor"]["width"] - 1
        assert box["#preview"]["width"] >= 500
    else:  # the editor above the preview, each the window's width
        assert box["#preview"]["y"] >= box["#editor"]["y"] + box["#editor"]["height"] - 1
        assert box["#preview"]["width"] >= width * 0.95 and box["#editor"]["width"] >= width * 0.95
    page.screenshot(path=str(SCREENSHOT.with_name(f"serve-{width}.png")))


def page_texts(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


# --- a review's findings: saving, status, lines boxes, warnings, search ---------------------
def open_handout(page, folder: Path, name: str, doc: dict) -> None:
    (folder / "handouts" / f"{name}.json").write_text(json.dumps(doc))
    page.reload()
    page.wait_for_selector("body[data-ready]")
    page.select_option("#open", name)
    page.wait_for_selector(f"#status:has-text('Opened handouts/{name}.json')")


def spec_at(page, path: str):
    return page.evaluate(f"getAt(state.doc, partsOf({json.dumps(path)}))")


def test_a_double_click_on_save_saves_once(page, server):
    url, folder = server
    open_handout(page, folder, "double", {"spec_version": 1, "title": "Once", "sections": [
        {"title": "A", "exercises": ["bridge"]}]})
    puts: list[str] = []
    asked: list[str] = []
    page.on("request", lambda req: puts.append(req.headers.get("if-match", "")) if req.method == "PUT" else None)
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.fill("[data-path='$.title']", "Saved once")
    page.dblclick("#save")
    page.wait_for_selector("#status:has-text('Saved handouts/double.json')")
    page.wait_for_timeout(500)  # (a second save would have gone out by now)
    assert len(puts) == 1 and not asked
    assert json.loads((folder / "handouts" / "double.json").read_text())["title"] == "Saved once"
    assert page.locator("#save").is_enabled()  # and Save works again
    page.fill("[data-path='$.title']", "Saved twice")
    page.press("#name", "Enter")  # Enter in the Name box saves, as the button does
    page.wait_for_selector("#status:has-text('Saved handouts/double.json')")
    assert json.loads((folder / "handouts" / "double.json").read_text())["title"] == "Saved twice"
    assert len(puts) == 2 and not asked


def save_held_on_its_way(page, folder: Path, name: str, title: str) -> list:
    """Open handouts/NAME.json, set its title and press Save; the PUT is held (the list's one
    route) until the test continues it, so the test can act while the save is on its way."""
    open_handout(page, folder, name, {"spec_version": 1, "title": "Before", "sections": [
        {"title": "A", "exercises": ["bridge"]}]})
    held: list = []
    page.route(f"**/api/handouts/{name}", lambda route: held.append(route) if route.request.method == "PUT"
               else route.continue_())
    page.fill("[data-path='$.title']", title)
    page.click("#save")
    page.wait_for_function("() => state.saving")
    return held


def test_edits_typed_while_saving_are_not_marked_saved(page, server):
    """The save sends the handout as it was when Save was pressed; what is typed before the
    answer comes back stays unsaved, and the editor says so (and still asks before leaving)."""
    url, folder = server
    held = save_held_on_its_way(page, folder, "inflight", "Pressed save")
    page.fill("[data-path='$.title']", "Typed while saving")
    assert held, "the save went out"
    held[0].continue_()
    page.wait_for_selector("#status:has-text('Saved handouts/inflight.json')")
    assert "save again" in page.locator("#status").inner_text()
    assert json.loads((folder / "handouts" / "inflight.json").read_text())["title"] == "Pressed save"
    assert page.evaluate("state.dirty")
    page.unroute("**/api/handouts/inflight")
    page.click("#save")
    page.wait_for_selector("#status:text-is('Saved handouts/inflight.json.')")
    assert json.loads((folder / "handouts" / "inflight.json").read_text())["title"] == "Typed while saving"
    assert not page.evaluate("state.dirty")


def test_a_saves_outcome_outlasts_the_next_preview(page, server):
    """The preview's own state goes above the pages; the header keeps saying what the save did."""
    add_from_search(page, "bridge", "bridge")
    page.fill("#name", "outlasts")
    page.click("#save")  # before the preview the new exercise asked for has come back
    page.wait_for_selector("#status:has-text('Saved handouts/outlasts.json')")
    wait_for_new_preview(page, None)
    page.wait_for_timeout(300)
    assert page.locator("#status").inner_text() == "Saved handouts/outlasts.json."
    assert page.locator("#preview-note").inner_text() == "2 pages"
    before = preview_version(page)
    reps_field(page).fill("twelve")
    page.click("#save")
    page.wait_for_selector("#status:has-text('Not saved: fix the marked fields first')")
    page.wait_for_function("() => document.querySelector('#preview-note').textContent.startsWith('One problem')",
                           timeout=20_000)
    page.wait_for_timeout(300)
    assert page.locator("#status").inner_text() == "Not saved: fix the marked fields first."
    assert preview_version(page) == before  # (a refused preview keeps the last pages)


@pytest.mark.parametrize("width", [1280, 800, 600])
def test_a_refused_save_is_seen_from_the_top_of_the_page(page, width):
    """Save is at the top; in a narrow window the preview, with the problem list, is far below:
    the outcome shows in the header, which stays in view, and the list is brought into view."""
    page.set_viewport_size({"width": width, "height": 800})
    add_from_search(page, "bridge", "bridge")
    reps_field(page).fill("twelve")
    page.fill("#name", f"refused-{width}")
    page.locator("#h-tracker").scroll_into_view_if_needed()  # the clinician is half way down the form
    page.click("#save")
    page.wait_for_selector("#status:has-text('Not saved: fix the marked fields first')")
    page.screenshot(path=str(SCREENSHOT.with_name(f"serve-refused-{width}.png")))
    for name in ("#status", "#save", "#problems"):
        box = page.locator(name).bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 800 and box["x"] + box["width"] <= width, name
    bar = page.locator(".bar").bounding_box()
    problems = page.locator("#problems").bounding_box()
    assert problems["y"] >= bar["y"] + bar["height"] - 1  # not under the header
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#problems button").first.inner_text().startswith("Bridge, Reps:")


def test_print_none_gives_back_the_typed_lines(page):
    add_from_search(page, "clamshell", "clamshell")
    path = "$.sections[0].exercises[0].tips"
    tips = page.locator(f"textarea[data-path='{path}']")
    tips.fill("My own tip one.\nMy own tip two.")
    none = page.locator(f"#{tips.get_attribute('id')}-none")
    none.check()
    assert spec_at(page, path) == [] and tips.input_value() == ""
    add_from_search(page, "bridge", "bridge")  # the form is drawn again in between
    page.locator(f"#{tips.get_attribute('id')}-none").uncheck()
    assert tips.input_value() == "My own tip one.\nMy own tip two."
    assert spec_at(page, path) == ["My own tip one.", "My own tip two."]


def test_lines_kept_by_print_none_stay_with_their_exercise(page, server):
    """They move with it, and go with it: never into another exercise, or another patient's handout."""
    url, folder = server
    (folder / "handouts" / "patient-b.json").write_text(json.dumps({"spec_version": 1, "title": "B", "sections": [
        {"title": "A", "exercises": [{"ref": "clamshell", "tips": []}]}]}))
    page.reload()  # (the list of handouts to open now has it)
    page.wait_for_selector("body[data-ready]")
    add_from_search(page, "clamshell", "clamshell")
    add_from_search(page, "bridge", "bridge")
    first, second = "$.sections[0].exercises[0].tips", "$.sections[0].exercises[1].tips"
    box = page.locator(f"textarea[data-path='{second}']")
    box.fill("Bridge tip of mine.")
    page.locator(f"#{box.get_attribute('id')}-none").check()
    page.click("button[aria-label='Move Bridge up']")  # the bridge moves to the top
    moved = page.locator(f"textarea[data-path='{first}']")
    page.locator(f"#{moved.get_attribute('id')}-none").uncheck()
    assert spec_at(page, first) == ["Bridge tip of mine."]
    assert spec_at(page, second) is None
    # Ticked again and removed: the clamshell, now first, gets nothing of it
    page.locator(f"#{moved.get_attribute('id')}-none").check()
    page.click("button[aria-label='Remove Bridge']")
    clam = page.locator(f"textarea[data-path='{first}']")
    none = page.locator(f"#{clam.get_attribute('id')}-none")
    none.check()
    none.uncheck()
    assert clam.input_value() == "" and spec_at(page, first) is None
    # Kept lines of one handout never reach the next one opened
    clam.fill("Patient A's tip.")
    none.check()
    page.once("dialog", lambda dialog: dialog.accept())  # leave the unsaved changes
    page.select_option("#open", "patient-b")  # (no reload: the page keeps what it kept)
    page.wait_for_selector("#status:has-text('Opened handouts/patient-b.json')")
    box_b = page.locator(f"textarea[data-path='{first}']")
    page.locator(f"#{box_b.get_attribute('id')}-none").uncheck()
    assert box_b.input_value() == "" and spec_at(page, first) is None


def test_pasted_bullets_and_numbers_are_not_printed_twice(page):
    add_from_search(page, "clamshell", "clamshell")
    base = "$.sections[0].exercises[0]"
    page.locator(f"textarea[data-path='{base}.tips']").fill(
        "• Keep your feet together.\n- Breathe out as you lift.\n1. Go slowly.\n\t* Rest when tired.\n2) Stop at 10.")
    page.locator(f"textarea[data-path='{base}.red_flags']").fill("– Sharp pain in the groin.")
    assert spec_at(page, f"{base}.tips") == ["Keep your feet together.", "Breathe out as you lift.", "Go slowly.",
                                             "Rest when tired.", "Stop at 10."]
    assert spec_at(page, f"{base}.red_flags") == ["Sharp pain in the groin."]
    with page.expect_download() as download:
        page.click("#download")
    text = " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    assert "Keep your feet together." in text and "Go slowly." in text
    assert "• Keep your" in text and "• • Keep" not in text and "- Breathe" not in text  # the handout's own bullet
    assert "1. Go slowly" not in text and "* Rest" not in text and "– Sharp" not in text


def test_each_lines_box_is_as_tall_as_its_lines(page):
    add_from_search(page, "bridge", "bridge")  # four tips, one of them two lines long; one care cue
    base = "$.sections[0].exercises[0]"
    tips, care = (page.locator(f"textarea[data-path='{base}.{key}']") for key in ("tips", "care"))
    assert tips.get_attribute("rows") == "6" and care.get_attribute("rows") == "2"
    # every grey line of the catalog shows: the box is as tall as its placeholder's lines
    assert tips.evaluate("el => { const copy = el.cloneNode(); copy.value = el.placeholder; el.after(copy);"
                         " const fits = copy.scrollHeight <= copy.clientHeight + 2; copy.remove(); return fits; }")
    care.fill("One.\nTwo.\nThree.")
    assert care.get_attribute("rows") == "3"
    page.locator(".lines").first.screenshot(path=str(SCREENSHOT.with_name("serve-lines-rows.png")))


def test_a_section_can_be_marked_when_needed(page, server):
    """A section's own "Only when needed" box, as a hand-written spec may have it."""
    url, folder = server
    open_handout(page, folder, "section-when-needed", {"spec_version": 1, "title": "Sec AN", "sections": [
        {"title": "A", "frequency": {"as_needed": True, "times_per_day": 2}, "exercises": ["bridge"]}]})
    flag = page.locator("[data-path='$.sections[0].frequency.as_needed']")
    assert flag.is_checked()
    assert page.get_by_label("Only when needed").count() == 2  # the section's and the exercise's
    flag.uncheck()
    assert spec_at(page, "$.sections[0].frequency") == {"times_per_day": 2}
    flag.check()
    assert spec_at(page, "$.sections[0].frequency") == {"times_per_day": 2, "as_needed": True}
    with page.expect_download() as download:
        page.click("#download")
    assert "When needed" in " ".join(page_texts(Path(download.value.path()).read_bytes()).split())
    page.locator(".section-head").first.screenshot(path=str(SCREENSHOT.with_name("serve-section-when-needed.png")))


def test_every_warning_shows_at_its_field_and_in_the_list(page, server):
    url, folder = server
    open_handout(page, folder, "warned", {"spec_version": 1, "title": "T", "sections": [{"title": "A", "exercises": [
        {"ref": "bridge", "tips": ["Do 30 repeats each time."], "care": ["Hold for 20 seconds at the top."]}]}]})
    base = "$.sections[0].exercises[0]"
    tips, tips_note = field_error(page, f"{base}.tips")
    care, care_note = field_error(page, f"{base}.care")
    tips_note.wait_for(state="visible", timeout=20_000)
    # (the checker's own words follow the lead; each note names the number the line gets wrong)
    assert tips_note.inner_text().startswith("Will print, but check: ") and "30" in tips_note.inner_text()
    assert care_note.inner_text().startswith("Will print, but check: ") and "20" in care_note.inner_text()
    assert "warning" in (tips_note.get_attribute("class") or "")
    assert tips.get_attribute("aria-invalid") is None and tips.get_attribute("data-warned") == "true"
    listed = page.locator("#problems ul.warnings button").all_inner_texts()
    assert len(listed) == 2 and listed[0].startswith("Bridge, Tips: Will print, but check:")
    assert page.locator("#problems strong").inner_text() == "2 warnings: the handout still prints, but check them:"
    assert "2 warnings" in page.locator("#preview-note").inner_text()
    page.screenshot(path=str(SCREENSHOT.with_name("serve-warnings.png")))
    page.locator(".lines").first.screenshot(path=str(SCREENSHOT.with_name("serve-warning-at-field.png")))
    tips.fill("")
    care.fill("")
    tips_note.wait_for(state="hidden", timeout=20_000)
    assert page.locator("#problems").inner_text() == ""


def test_a_timed_dose_and_its_unit_can_be_set_and_the_catalogs_count_dropped(page, server):
    """A time, a unit and "none" (null: no catalog count) from the form; the count-and-time
    warning shows at Time until the count is dropped."""
    add_from_search(page, "bridge", "bridge")  # the catalog counts 10 to 15 times
    base = "$.sections[0].exercises[0].dosage"
    page.fill(f"[data-path='{base}.duration_seconds']", "30")
    _, note = field_error(page, f"{base}.duration_seconds")
    note.wait_for(state="visible", timeout=20_000)
    assert "gives both a count (10 to 15 times) and a time (30 seconds)" in note.inner_text()
    assert "type none in Reps" in note.inner_text()
    page.fill(f"[data-path='{base}.reps']", "none")
    note.wait_for(state="hidden", timeout=20_000)
    assert spec_at(page, base) == {"duration_seconds": 30, "reps": None}
    page.fill(f"[data-path='{base}.unit']", "breaths")
    assert spec_at(page, f"{base}.unit") == "breaths"
    page.locator("article.exercise").first.screenshot(path=str(SCREENSHOT.with_name("serve-timed-dose.png")))


def test_a_long_list_of_warnings_leaves_the_pages_in_view(page, server):
    url, folder = server
    exercises = [{"ref": "bridge", "notes": f"Do {n} reps."} for n in range(20, 30)]
    open_handout(page, folder, "many-warnings", {"spec_version": 1, "title": "T",
                                                 "sections": [{"title": "A", "exercises": exercises}]})
    page.wait_for_selector("#problems ul.warnings li:nth-child(10)", timeout=20_000)
    box = page.locator("#problems").bounding_box()
    assert box["height"] <= 0.4 * 800  # it scrolls within itself
    first = page.locator("#problems ul.warnings li").first.inner_text()
    assert "(it says 10 to 15 reps). The card prints" in first  # the hint a sentence of its own, not a second bracket


def test_too_many_lines_and_a_long_line_are_said_plainly(page):
    add_from_search(page, "clamshell", "clamshell")
    base = "$.sections[0].exercises[0]"
    tips, tips_error = field_error(page, f"{base}.tips")
    care, care_error = field_error(page, f"{base}.care")
    tips.fill("\n".join(f"Tip {n}." for n in range(40)))
    care.fill("One.\nTwo.\n" + "x" * 2001)
    care_error.wait_for(state="visible", timeout=20_000)
    assert tips_error.inner_text() == "Tips: at most 30 lines (there are 40)"
    assert care_error.inner_text() == "Take care: line 3 is over 2000 characters. Shorten it"
    assert page.locator("#problems button").all_inner_texts() == [
        "Clamshell: Tips: at most 30 lines (there are 40)",
        "Clamshell: Take care: line 3 is over 2000 characters. Shorten it"]


def test_search_waits_for_the_typing_to_stop_and_takes_100_characters(page):
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url) if "/api/catalog?" in req.url else None)
    search = page.locator("#search")
    search.press_sequentially("clamshell")
    page.locator("#results[data-query=clamshell] button[data-id=clamshell]").wait_for()
    assert len(asked) <= 2, asked  # not one search per key
    search.fill("")
    search.focus()
    page.keyboard.insert_text("clamshell bridge " * 60)  # a paste
    assert len(search.input_value()) == 100
    page.wait_for_selector("#results[data-query^='clamshell bridge']")


def test_a_handout_removed_since_it_was_opened_is_saved_anew(page, server):
    url, folder = server
    open_handout(page, folder, "removed", {"spec_version": 1, "title": "Gone", "sections": [
        {"title": "A", "exercises": ["bridge"]}]})
    (folder / "handouts" / "removed.json").unlink()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#save")
    page.wait_for_selector("#status:has-text('Saved handouts/removed.json')")
    assert "does not exist" in asked[0] and "Save yours again as a new file, handouts/removed.json?" in asked[0]
    assert "Replace" not in asked[0]
    assert json.loads((folder / "handouts" / "removed.json").read_text())["title"] == "Gone"


def test_without_its_token_the_editor_says_how_to_get_in(browser, server):
    proc, url = start_server(server[1], "--token", "s3cret-token")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#status:has-text('needs its token')")
        page.wait_for_timeout(300)
        assert page.locator("#status").inner_text() == (
            "This server needs its token: open the address it printed when it started.")
        assert "Bearer" not in page.content()
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)
