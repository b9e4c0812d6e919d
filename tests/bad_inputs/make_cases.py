"""Writes the case folders of tests/bad_inputs/ (the output is checked in; rerun after editing).

    cd tests/bad_inputs && ../../.venv/bin/python make_cases.py

Case folders are rewritten; this script and README.md are kept.
"""
import io
import json
import shutil
import struct
import zlib
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent
REPO = OUT.parent.parent
for old in OUT.iterdir():
    if (old / "expect.json").is_file():
        shutil.rmtree(old)

def spec(**extra):
    doc = {"spec_version": 1, "title": "Test routine", "sections": [{"title": "Moves", "exercises": ["bridge"]}]}
    doc.update(extra)
    return doc

def ex(entry, **extra):
    return spec(sections=[{"title": "Moves", "exercises": [entry]}], **extra)

def png_bytes(size=(40, 20), colour=(200, 40, 40)):
    b = io.BytesIO()
    Image.new("RGB", size, colour).save(b, "PNG")
    return b.getvalue()

def bomb_png():
    """A 1-bit PNG that claims 60000 x 60000 pixels (3.6 gigapixels) in ~150 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    w = h = 60000
    rows = zlib.compress(b"".join(b"\x00" + b"\x00" * ((w + 7) // 8) for _ in range(4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))

BUILD = ["build", "spec.json", "-o", "out.pdf"]
VALIDATE = ["validate", "spec.json"]
CUSTOM = {"id": "towel-squeeze", "name": "Towel squeeze", "kind": "strength", "body_regions": ["hip"],
          "steps": ["Squeeze a rolled towel between your knees."], "default_dosage": {"reps": 10}}

count = 0
def case(name, description, content=None, *, errors=(), args=BUILD, exit=1, validate_too=True,
         contains=(), error_count=None, files=None, raw=None, **more):
    global count
    folder = OUT / name
    folder.mkdir()
    if raw is not None:
        (folder / "spec.json").write_bytes(raw)
    elif content is not None:
        text = content if isinstance(content, str) else json.dumps(content, indent=2, ensure_ascii=False)
        (folder / "spec.json").write_text(text, encoding="utf-8")
    for fname, data in (files or {}).items():
        target = folder / fname
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    expect = {"description": description, "args": list(args), "exit": exit}
    if validate_too and exit == 1 and args and args[0] == "build":
        expect["validate_too"] = True
    if errors:
        expect["errors"] = [dict(zip(("file", "where", "message", "hint"), e)) for e in errors]
        for e in expect["errors"]:
            if e.get("hint") is None:
                e.pop("hint", None)
    if contains:
        expect["stderr_contains"] = list(contains)
    if error_count is not None:
        expect["error_count"] = error_count
    expect.update(more)
    (folder / "expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    count += 1

S = "spec.json"
E0 = "$.sections[0].exercises[0]"

# --- the file itself -------------------------------------------------------------------------
case("json-trailing-comma", "Malformed JSON: the error gives line and column.",
     '{\n  "spec_version": 1,\n  "title": "x",,\n  "sections": []\n}\n',
     errors=[(S, "line 3, column 16", "invalid JSON: Expecting property name enclosed in double quotes")],
     error_count=1)
case("json-unclosed-object", "Malformed JSON: the document stops in the middle of an object.",
     '{"spec_version": 1,\n "title": "x"\n',
     errors=[(S, "line 3, column 1", "invalid JSON: Expecting ',' delimiter")], error_count=1)
case("json-single-quotes", "Malformed JSON: Python-style quotes.",
     "{'spec_version': 1}\n",
     errors=[(S, "line 1, column 2", "invalid JSON: Expecting property name enclosed in double quotes")])
case("json-comment", "Malformed JSON: a // comment (JSON has none).",
     '{\n  // my routine\n  "spec_version": 1\n}\n', errors=[(S, "line 2, column 3", "invalid JSON")])
case("empty-file", "An empty file says so.", raw=b"",
     errors=[(S, "", "file is empty", "a routine spec is a JSON object: {...}")], error_count=1)
case("whitespace-only", "A file of blanks is empty too.", raw=b"  \n\t\n",
     errors=[(S, "", "file is empty")])
case("binary-file", "A PNG saved as spec.json is binary, not JSON.", raw=png_bytes(),
     errors=[(S, "", "this is a binary file, not JSON text")], error_count=1)
case("not-utf8", "Latin-1 text: not UTF-8, with the offset of the bad byte.",
     raw='{"spec_version": 1, "title": "Caf\u00e9"}'.encode("latin-1"),
     errors=[(S, "", "not UTF-8 text (bad byte at offset 33)", "save the file as UTF-8")])
case("utf16-file", "UTF-16 (a Windows editor's 'Unicode') is named, not called binary.",
     raw=json.dumps(spec()).encode("utf-16"),
     errors=[(S, "", "the file is UTF-16 text, not UTF-8", "save the file as UTF-8")])
case("utf8-bom-is-ok", "A UTF-8 byte order mark is fine: the handout builds.",
     raw=b"\xef\xbb\xbf" + json.dumps(spec(title="Caf\u00e9 routine"), ensure_ascii=False).encode("utf-8"),
     exit=0, args=BUILD, contains=[])
case("top-level-array", "The document must be an object.", "[1, 2, 3]\n",
     errors=[(S, "$", "a routine spec is a JSON object, not an array")], error_count=1)
case("top-level-string", "The document must be an object.", '"bridge"\n',
     errors=[(S, "$", "a routine spec is a JSON object, not a string")])
case("top-level-null", "The document must be an object.", "null\n",
     errors=[(S, "$", "a routine spec is a JSON object, not null")])
case("nan", "NaN is not JSON; the error points at it.",
     '{\n  "spec_version": 1,\n  "title": "x",\n  "tracker": {"weeks": NaN}\n}\n',
     errors=[(S, "line 4, column 24", "invalid JSON: NaN is not a number JSON allows")], error_count=1)
case("infinity", "-Infinity is not JSON either.",
     '{"spec_version": 1, "title": "Infinity", "x": [1, -Infinity]}',
     errors=[(S, "line 1, column 51", "invalid JSON: -Infinity is not a number JSON allows")])
case("number-overflows-to-infinity", "1e400 would silently become Infinity.",
     '{"spec_version": 1, "title": "x", "tracker": {"weeks": 1e400}}',
     errors=[(S, "", "invalid JSON: 1e400 is too large a number")])
case("number-5000-digits", "A 5000-digit number is refused with a plain message.",
     '{"spec_version": 1, "title": "x", "tracker": {"weeks": ' + "9" * 5000 + "}}",
     errors=[(S, "", "invalid JSON: a number with 5000 digits is too large")])
case("deep-nesting", "JSON nested 5000 deep does not blow the stack.",
     '{"spec_version": 1, "title": "x", "notes": ' + "[" * 5000 + "]" * 5000 + "}",
     errors=[(S, "", "invalid JSON: nested too deeply")])
case("nesting-900-deep", "JSON the parser reads (900 deep) but no file needs is refused at its path, "
     "not left to exhaust the recursion of the checks after it (an internal error).",
     '{"spec_version": 1, "title": "x", "notes": ' + "[" * 900 + "]" * 900 +
     ', "sections": [{"title": "a", "exercises": ["bridge"]}]}',
     errors=[(S, "$.notes" + "[0]" * 40, "nested more than 40 levels deep; no routinepress file needs that many")])
case("duplicate-keys", "A key given twice is an error, not last-one-wins.",
     '{"spec_version": 1, "title": "A", "title": "B", "sections": []}',
     errors=[(S, "", "invalid JSON: the key 'title' appears twice in one object")])
case("lone-surrogate-escape", "A \\uD800 escape alone is not a character (it used to crash the PDF writer).",
     raw=b'{"spec_version": 1, "title": "Hip \\ud800 plan", "sections": [{"title": "Moves", "exercises": ['
         b'{"ref": "bridge", "notes": "ok \\ud83d\\ude00 but \\udfff"}]}]}',
     errors=[(S, "$.title",
              "the text has a lone surrogate (a \\uD800-\\uDFFF escape without its pair), which is not a character",
              "write the character itself, or a complete surrogate pair"),
             (S, f"{E0}.notes", "the text has a lone surrogate")], error_count=2, ordered=True)
case("spec-not-found", "A spec that does not exist.", None,
     args=["build", "missing.json", "-o", "out.pdf"],
     errors=[("missing.json", "", "file not found")], error_count=1)

# --- schema: types, fields, bounds ---------------------------------------------------------------
case("wrong-types-at-depth", "Wrong JSON types at several depths, every one reported, in document order.",
     spec(title=5, patient={"name": ["Sam"]},
          sections=[{"title": "Moves", "frequency": {"days_per_week": "3"},
                     "exercises": [{"ref": "bridge", "dosage": {"sets": "2", "hold_seconds": True}}]}],
          tracker={"weeks": 2, "pain_score": "yes"}),
     errors=[(S, "$.title", "expected text, not the number 5"),
             (S, "$.sections[0].frequency.days_per_week", "expected a whole number, not text"),
             (S, f"{E0}.dosage.sets", "expected a whole number or null, not text"),
             (S, f"{E0}.dosage.hold_seconds", "expected a number or null, not true"),
             (S, "$.patient.name", "expected text, not a list"),
             (S, "$.tracker.pain_score", "expected true/false, not text")],
     error_count=6, ordered=True)
case("sections-not-array", "sections must be an array.", spec(sections={"title": "Moves"}),
     errors=[(S, "$.sections", "expected a list, not an object")], error_count=1)
case("exercise-entry-number", "An exercise entry that is a number.", ex(5),
     errors=[(S, E0, "expected text or an object, not the number 5")], error_count=1)
case("reps-wrong-type", "reps is a whole number or a {min, max} range.",
     ex({"ref": "bridge", "dosage": {"reps": "ten"}}),
     errors=[(S, f"{E0}.dosage.reps", "expected a whole number or an object, not text")], error_count=1)
case("custom-steps-not-array", "A type error inside an inline exercise.",
     ex({"custom": dict(CUSTOM, steps="Squeeze the towel.")}),
     errors=[(S, f"{E0}.custom.steps", "expected a list, not text")], error_count=1)
case("unknown-field-top", "A misspelt top-level field, with a hint.", spec(titel="x"),
     errors=[(S, "$.titel", "unknown field 'titel'", "did you mean 'title'?")], error_count=1)
case("unknown-field-nested", "Misspelt fields in a section and in a dosage.",
     spec(sections=[{"title": "Moves", "exercices": [], "exercises": [{"ref": "bridge", "dosage": {"rep": 10}}]}]),
     errors=[(S, "$.sections[0].exercices", "unknown field 'exercices'", "did you mean 'exercises'?"),
             (S, f"{E0}.dosage.rep", "unknown field 'rep'", "did you mean 'reps'?")], error_count=2)
case("unknown-exercise-id", "Unknown catalog ids, as a string and as a ref, with hints.",
     spec(sections=[{"title": "Moves", "exercises": ["clamshel", {"ref": "brige"}]}]),
     errors=[(S, E0, "unknown exercise 'clamshel'", "did you mean 'clamshell'?"),
             (S, "$.sections[0].exercises[1].ref", "unknown exercise 'brige'", "did you mean 'bridge'?")],
     error_count=2)
case("exercise-id-bad-form", "An id that is not kebab-case is reported once, with the rule.",
     ex("Bridge Exercise"),
     errors=[(S, E0, "'Bridge Exercise' is not in the expected form",
              "ids are lowercase words joined by hyphens, e.g. 'single-leg-bridge'")], error_count=1)
case("missing-required", "Required fields missing, at the top and in a section.",
     {"spec_version": 1, "sections": [{"title": "Moves"}]},
     errors=[(S, "$", "'title' is missing (required)"),
             (S, "$.sections[0]", "'exercises' is missing (required)")], error_count=2)
case("sections-empty", "A routine needs at least one section.", spec(sections=[]),
     errors=[(S, "$.sections", "is too short: 0 items, at least 1 needed")], error_count=1)
case("impossible-date", "February 30th is not a date.", spec(date="2026-02-30"),
     errors=[(S, "$.date", "'2026-02-30' is not a real date", "write dates as YYYY-MM-DD, e.g. 2026-11-23")],
     error_count=1)
case("date-wrong-form", "Dates are YYYY-MM-DD, not 20261120 or with a time.",
     spec(date="20261120", tracker={"start_date": "2026-11-20T08:00"}),
     errors=[(S, "$.date", "'20261120' is not a real date"),
             (S, "$.tracker.start_date", "'2026-11-20T08:00' is not a real date")], error_count=2)
case("tracker-date-overflow", "A real date too late for a 12-week tracker (used to crash with OverflowError).",
     spec(tracker={"weeks": 12, "start_date": "9999-12-31"}),
     errors=[(S, "$.tracker.start_date", "'9999-12-31' is too late: the tracker's dates would run past 9999-12-31")],
     error_count=1)
case("reps-10-to-the-30", "No 10^30 reps.", ex({"ref": "bridge", "dosage": {"reps": 10 ** 30}}),
     errors=[(S, f"{E0}.dosage.reps", "1000000000000000000000000000000 is greater than the maximum of 1000")],
     error_count=1)
case("reps-negative", "Negative reps and a zero hold.",
     ex({"ref": "bridge", "dosage": {"reps": -3, "hold_seconds": 0}}),
     errors=[(S, f"{E0}.dosage.hold_seconds", "0 is less than or equal to the minimum of 0"),
             (S, f"{E0}.dosage.reps", "-3 is less than the minimum of 1")], error_count=2)
case("reps-range-backwards", "A reps range with min > max names the path (JSON Schema alone cannot).",
     ex({"ref": "bridge", "dosage": {"reps": {"min": 15, "max": 10}}}),
     errors=[(S, f"{E0}.dosage.reps", "the range runs backwards: min 15 is more than max 10",
              'write {"min": 10, "max": 15}')], error_count=1)
case("reps-range-incomplete", "A range needs both ends, each at least 1.",
     ex({"ref": "bridge", "dosage": {"reps": {"min": 0}}}),
     errors=[(S, f"{E0}.dosage.reps", "'max' is missing (required)"),
             (S, f"{E0}.dosage.reps.min", "0 is less than the minimum of 1")], error_count=2)
case("tracker-weeks-13", "The tracker has 0 to 12 weeks.", spec(tracker={"weeks": 13}),
     errors=[(S, "$.tracker.weeks", "13 is greater than the maximum of 12")], error_count=1)
case("title-too-long", "Text fields have sane length limits.", spec(title="T" * 201),
     errors=[(S, "$.title", "is too long: 201 characters, the limit is 200")], error_count=1)
case("page-size-unknown", "page_size is letter or a4.", spec(page_size="legal"),
     errors=[(S, "$.page_size", "'legal' is not one of: letter, a4")], error_count=1)
case("spec-version-2", "A newer spec version is a clear error, not a guess.", spec(spec_version=2),
     errors=[(S, "$.spec_version", "spec_version 2 is newer than this routinepress understands (1)",
              "upgrade routinepress, or write the spec for version 1")], error_count=1)
case("spec-version-string", "spec_version is the number 1, not a string.", spec(spec_version="1"),
     errors=[(S, "$.spec_version", "'1' is not supported; expected 1")], error_count=1)
case("ref-and-custom", "An entry has ref or custom, not both.", ex({"ref": "bridge", "custom": CUSTOM}),
     errors=[(S, E0, "an exercise has either 'ref' or 'custom', not both")], error_count=1)
case("neither-ref-nor-custom", "An entry object needs ref or custom.", ex({"notes": "Go slowly."}),
     errors=[(S, E0, "an exercise needs either 'ref' (a catalog id) or 'custom' (an inline exercise)")],
     error_count=1)
case("custom-video-url-scheme", "A custom exercise's video link must be http(s).",
     ex({"custom": dict(CUSTOM, video_url="javascript:alert(1)")}),
     errors=[(S, f"{E0}.custom.video_url", "'javascript:alert(1)' is not in the expected form")], error_count=1)
case("every-problem-at-once", "One run reports every problem, each on its own line, in document order.",
     spec(titel="x", date="2026-02-30",
          sections=[{"title": "Moves", "exercises": [
              "brige", {"ref": "bridge", "dosage": {"reps": {"min": 9, "max": 3}, "side": "up"}}, 7]}],
          tracker={"weeks": -1}),
     errors=[(S, E0, "unknown exercise 'brige'", "did you mean 'bridge'?"),
             (S, "$.sections[0].exercises[1].dosage.reps", "the range runs backwards: min 9 is more than max 3"),
             (S, "$.sections[0].exercises[1].dosage.side", "'up' is not one of"),
             (S, "$.sections[0].exercises[2]", "expected text or an object, not the number 7"),
             (S, "$.titel", "unknown field 'titel'", "did you mean 'title'?"),
             (S, "$.date", "'2026-02-30' is not a real date"),
             (S, "$.tracker.weeks", "-1 is less than the minimum of 0")],
     error_count=7, ordered=True)

# --- templates -----------------------------------------------------------------------------------
case("template-unknown-name", "A template name that is not built in names the spec's field.", spec(template="fancy"),
     errors=[(S, "$.template", "unknown template 'fancy'", "built-in templates: compact, large-print, standard")],
     error_count=1)
case("template-path-missing", "A template path that does not exist.", spec(template="templates/mine.json"),
     errors=[(S, "$.template", "file not found: templates/mine.json")], error_count=1)
case("template-path-escapes", "A spec's template may not leave the spec's folder.",
     spec(template="../../outside-template.json"),
     errors=[(S, "$.template", "'../../outside-template.json' leaves the folder")], error_count=1)
case("template-file-invalid", "A template file with a bad field is reported in that file.",
     spec(template="mine.json"),
     files={"mine.json": json.dumps({"extends": "standard", "sizes": {"body": 6}, "colour": {}})},
     errors=[("mine.json", "$.colour", "unknown field 'colour'", "did you mean 'colours'?"),
             ("mine.json", "$.sizes.body", "6 is less than the minimum of 11")], error_count=2)

# --- paths and pictures --------------------------------------------------------------------------
LOGO = "$.clinician.logo"
case("logo-dotdot", "A logo may not leave the spec's folder.",
     spec(clinician={"name": "Jordan Lee", "logo": "../../etc/passwd.png"}),
     errors=[(S, LOGO, "'../../etc/passwd.png' leaves the folder",
              "keep pictures and logos inside the folder of the file that names them")], error_count=1)
case("logo-absolute", "An absolute logo path is refused.", spec(clinician={"logo": "/etc/passwd.png"}),
     errors=[(S, LOGO, "'/etc/passwd.png' must be a relative path")], error_count=1)
case("logo-symlink-outside", "A logo that is a symlink to a file outside the folder is refused.",
     spec(clinician={"logo": "logo.png"}), symlinks={"logo.png": "../outside.png"}, outside_pngs=["outside.png"],
     errors=[(S, LOGO, "'logo.png' leaves the folder")], error_count=1)
case("logo-missing", "A logo file that does not exist.", spec(clinician={"logo": "logos/clinic.png"}),
     errors=[(S, LOGO, "file not found: logos/clinic.png")], error_count=1)
case("logo-wrong-extension", "Only PNG and JPEG logos.", spec(clinician={"logo": "logo.gif"}),
     files={"logo.gif": b"GIF89a"},
     errors=[(S, LOGO, "'logo.gif' is not in the expected form",
              "use a .png or .jpg file (drawn poses end in .pose.json)")],
     error_count=1)
case("logo-nul-in-path", "A NUL in a path is refused, not an internal error.",
     spec(clinician={"logo": "lo\u0000go.png"}),
     errors=[(S, LOGO, "the text has a control character (U+0000), which cannot be printed",
              "remove it; only line breaks and tabs may be used")], error_count=1)
case("logo-name-too-long", "A path the OS cannot use is the user's error, not a crash.",
     spec(clinician={"logo": "x" * 300 + ".png"}),
     errors=[(S, LOGO, "is not a usable path (File name too long)")], error_count=1)
case("logo-not-an-image", "A text file renamed .png.", spec(clinician={"logo": "logo.png"}),
     files={"logo.png": "This is not a picture.\n"}, validate_too=False,
     errors=[("logo.png", "", "is not a readable PNG or JPEG picture: the file is damaged, cut short, "
                          "or another kind of file")], error_count=1)
case("logo-truncated-png", "A PNG cut in half.", spec(clinician={"logo": "logo.png"}),
     files={"logo.png": png_bytes((300, 200))[:300]}, validate_too=False,
     errors=[("logo.png", "", "is not a readable PNG or JPEG picture")], error_count=1)
case("logo-decompression-bomb", "A 150-byte PNG claiming 60000 x 60000 pixels is refused before decoding.",
     spec(clinician={"logo": "logo.png"}), files={"logo.png": bomb_png()}, validate_too=False,
     errors=[("logo.png", "", "picture is too large to open safely: it has more pixels than any photo")], error_count=1)
case("custom-illustration-missing", "An inline exercise's picture that does not exist.",
     ex({"custom": dict(CUSTOM, illustrations=[{"src": "images/towel.jpg", "caption": "Squeeze"}])}),
     errors=[(S, f"{E0}.custom.illustrations[0].src", "file not found: images/towel.jpg")], error_count=1)
case("custom-illustration-escapes", "An inline exercise's picture may not leave the spec's folder.",
     ex({"custom": dict(CUSTOM, illustrations=[{"src": "../outside.png"}])}), outside_pngs=["outside.png"],
     errors=[(S, f"{E0}.custom.illustrations[0].src", "'../outside.png' leaves the folder")], error_count=1)

POSE_SPEC = ex({"custom": dict(CUSTOM, illustrations=[{"src": "squeeze.pose.json", "caption": "Squeeze"}])})
case("custom-pose-invalid", "An inline exercise's drawn pose that breaks the pose schema: validate says so too.",
     POSE_SPEC, files={"squeeze.pose.json": json.dumps({"view": "side", "joints": {}})},
     errors=[("squeeze.pose.json", "$", "'position' is a required property")], error_count=1)

# --- catalogs ------------------------------------------------------------------------------------
BRIDGE = json.loads((REPO / "catalog" / "exercises" / "bridge.json").read_text())
BRIDGE.pop("illustrations", None)
case("catalog-folder-missing", "--catalog naming a folder that does not exist.", spec(),
     args=["build", "spec.json", "-o", "out.pdf", "--catalog", "no-such-catalog"],
     errors=[("no-such-catalog", "", "catalog folder not found")], error_count=1)
bad_entry = dict(BRIDGE, kind="cardio", nmae="Bridge")
case("catalog-overlay-bad-field", "An overlay entry with a bad and a misspelt field is reported in its file.", spec(),
     args=["build", "spec.json", "-o", "out.pdf", "--catalog", "clinic"],
     files={"clinic/exercises/bridge.json": json.dumps(bad_entry, indent=2)},
     errors=[("clinic/exercises/bridge.json", "$.kind", "'cardio' is not one of"),
             ("clinic/exercises/bridge.json", "$.nmae", "unknown field 'nmae'", "did you mean 'name'?")],
     error_count=2)
case("catalog-overlay-bad-json", "An overlay entry that is not valid JSON.", spec(),
     args=["build", "spec.json", "-o", "out.pdf", "--catalog", "clinic"],
     files={"clinic/exercises/bridge.json": '{"id": "bridge",\n'},
     errors=[("clinic/exercises/bridge.json", "line 2, column 1", "invalid JSON: Expecting property name")],
     error_count=1)
case("catalog-overlay-range-backwards", "A catalog entry's default reps range runs backwards.", spec(),
     args=["build", "spec.json", "-o", "out.pdf", "--catalog", "clinic"],
     files={"clinic/exercises/bridge.json": json.dumps(dict(BRIDGE, default_dosage={"reps": {"min": 12, "max": 8}}))},
     errors=[("clinic/exercises/bridge.json", "$.default_dosage.reps",
              "the range runs backwards: min 12 is more than max 8")],
     error_count=1)
case("catalog-overlay-picture-escapes", "A catalog entry's picture may not leave its catalog folder.", spec(),
     args=["build", "spec.json", "-o", "out.pdf", "--catalog", "clinic"],
     files={"clinic/exercises/bridge.json": json.dumps(dict(BRIDGE, illustrations=[{"src": "../../outside.png"}]))},
     outside_pngs=["outside.png"],
     errors=[("clinic/exercises/bridge.json", "$.illustrations[0].src", "'../../outside.png' leaves the folder")],
     error_count=1)

# --- output and usage ----------------------------------------------------------------------------
case("output-is-the-spec", "-o naming the spec itself would replace the spec with a PDF.", spec(),
     args=["build", "spec.json", "-o", "spec.json"], validate_too=False, output=None,
     errors=[(S, "", "is the spec itself; the handout would overwrite it")], error_count=1)
case("output-folder-is-a-file", "Several specs need an output folder, not a file.", spec(),
     args=["build", "spec.json", "other.json", "-o", "out.pdf"], validate_too=False,
     files={"other.json": json.dumps(spec())},
     errors=[("out.pdf", "", "is a file; several specs need an output folder")], error_count=1)
case("usage-unknown-option", "An unknown option is a usage error: exit 2.", spec(),
     args=["build", "spec.json", "--colour", "red"], exit=2, contains=["No such option '--colour'"])
case("usage-missing-spec", "build without a spec: exit 2.", None, args=["build"], exit=2,
     contains=["Missing argument 'SPECS...'"])
case("usage-bad-page-size", "A --page-size that is not a choice: exit 2.", spec(),
     args=["build", "spec.json", "--page-size", "legal"], exit=2, contains=["Invalid value for '--page-size'"])
case("spec-is-a-folder", "A folder given as the spec is a problem with the input: exit 1, never a usage error.",
     None, args=["build", "sub"], files={"sub/readme.txt": "x"},
     errors=[("sub", "", "cannot read: it is a folder, not a file")], error_count=1)

# --- once known bugs, now fixed: kept as regression cases ---
case("template-large-small-text-tracker",
     "A schema-valid template with 30 pt small text still lays out the tracker: "
     "each week splits into groups of days that fit.",
     spec(template="big.json"), files={"big.json": json.dumps({"extends": "standard", "sizes": {"small": 30}})},
     exit=0)

case("custom-pose-not-utf8", "A Latin-1 pose file is bad input, reported as not UTF-8 (load_pose reads "
     "through the project's strict JSON reader).",
     POSE_SPEC, raw=None, files={"squeeze.pose.json": '{"position": "supine", "view": "side", "joints": {}, '
                                                     '"description": "caf\u00e9"}'.encode("latin-1")},
     errors=[("squeeze.pose.json", "", "not UTF-8")], error_count=1)
case("custom-pose-nan", "NaN in a pose file is not JSON; it is reported with its line and column.",
     POSE_SPEC, files={"squeeze.pose.json": '{"position": "supine", "view": "side", '
                                            '"joints": {"left_hip": {"flexion": NaN}}}'},
     errors=[("squeeze.pose.json", "line 1, column 75", "NaN")], error_count=1)

print(count, "cases")
