"""A clinic folder: `init` makes one, `config` explains one, `new` writes a spec for one.

The settings themselves (reading and checking routinepress.toml, filling a spec from its
defaults) live in config.py; this module is what the commands around it do.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME, Config, check_document, find_config, merge, rebased_defaults
from .errors import Diagnostic, InputError, display_path

OUTPUT_FOLDER = "build"

# The files `init` writes, by path inside the new folder. The config is made from the clinic's name.
_EXAMPLE = {
    "spec_version": 1,
    "title": "Hip strength and mobility",
    "patient": {"name": "Sample Patient"},
    "intro": "Do these exercises on the days shown. Move slowly and breathe normally.",
    "sections": [
        {"title": "Stretches", "frequency": {"days_per_week": 7},
         "exercises": ["knee-to-chest", {"ref": "supine-piriformis-stretch", "dosage": {"side": "each"}}]},
        {"title": "Strengthening", "frequency": {"days_per_week": 3},
         "exercises": ["bridge", {"ref": "clamshell", "dosage": {"sets": 2, "reps": 10, "side": "each"}}]},
    ],
    "stop_if": ["Your hip pain is worse the next morning two days in a row."],
}

_CATALOG_README = """\
# This clinic's own exercises

Each file here, `<id>.json`, is one exercise in the format of `schema/exercise.schema.json`
(run `routinepress catalog show bridge --json` to see a whole entry). An entry here
replaces the built-in one with the same id, for every handout in this folder.

- To add an exercise, write a new `<id>.json`; the id is lowercase words joined by
  hyphens, and it must match the file name.
- To translate or reword one, write an entry with the same id. Start from the built-in
  one: `routinepress catalog show clamshell --json > clamshell.json`, delete its
  `reading_grade` line, and change the text.
- An entry's pictures are files inside this catalog folder, named relative to it: copy
  the `.pose.json` files its `illustrations` name into `catalog/illustrations/` and write
  `"src": "illustrations/clamshell-start.pose.json"`, or leave `illustrations` out.
- Pictures are PNG or JPEG files, or drawn poses (`.pose.json`), inside this folder.
- `routinepress catalog check` checks every entry; `make` rebuilds the handouts that use
  an entry you changed.
"""

_MAKEFILE = f"""\
# `make` builds every handouts/*.json into {OUTPUT_FOLDER}/*.pdf; `make -j` builds several at once.
# Each build writes {OUTPUT_FOLDER}/NAME.d, the files the handout was made from (the spec,
# routinepress.toml, catalog entries, pictures, the template), so a later `make` rebuilds
# only the handouts whose files changed.
ROUTINEPRESS ?= routinepress
OUT   := {OUTPUT_FOLDER}
SPECS := $(wildcard handouts/*.json)
PDFS  := $(patsubst handouts/%.json,$(OUT)/%.pdf,$(SPECS))

.PHONY: all clean
all: $(PDFS)

$(OUT)/%.pdf: handouts/%.json
\t$(ROUTINEPRESS) build $< -o $@ --depfile $(OUT)/$*.d

-include $(wildcard $(OUT)/*.d)

clean:
\trm -rf $(OUT)
"""

_GITIGNORE = f"""\
# built handouts (rebuild them with `make`)
/{OUTPUT_FOLDER}/
"""


def config_text(clinic: str | None) -> str:
    """A commented routinepress.toml; the clinic's name (when given) is the one value set."""
    name = json.dumps(clinic or "Your clinic", ensure_ascii=False)  # a JSON string is a TOML basic string
    return f"""\
# routinepress settings for this clinic folder. `routinepress config` shows what is in effect.
# Paths are relative to this folder and may not leave it.

# Catalog folders laid over the built-in catalog: their entries replace built-in ones by id.
catalog = ["catalog"]

# Where `routinepress build` writes handouts when no -o is given.
output = "{OUTPUT_FOLDER}"

# Any top-level field of a routine spec. A spec's own value wins, field by field.
[defaults]
template = "standard"      # standard, compact, large-print, or a template file
page_size = "letter"       # or "a4"
language = "en"

[defaults.clinician]
clinic = {name}
# name = "Jordan Lee"
# credentials = "PT, DPT"
# phone = "555-0100"
# logo = "logo.png"        # a PNG or JPEG in this folder

[defaults.tracker]
weeks = 2
"""


def init_folder(folder: Path, clinic: str | None) -> list[Path]:
    """Write a working clinic folder; never overwrites: if any file is there, nothing is written."""
    text = config_text(clinic)
    problems = check_document(tomllib.loads(text), folder / CONFIG_NAME)
    if problems:  # the clinic's name is the only thing that can be wrong (too long)
        raise InputError([Diagnostic("--clinic", "", d.message, d.hint) for d in problems])
    files = {
        CONFIG_NAME: text,
        "handouts/example.json": json.dumps(_EXAMPLE, indent=2) + "\n",
        "catalog/exercises/README.md": _CATALOG_README,
        "Makefile": _MAKEFILE,
        ".gitignore": _GITIGNORE,
    }
    if folder.exists() and not folder.is_dir():
        raise InputError.single(folder, "", "is a file; init needs a folder (new or existing)")
    present = [name for name in files if (folder / name).exists() or (folder / name).is_symlink()]
    if present:
        raise InputError([Diagnostic(display_path(folder / name), "", "already exists; init overwrites nothing")
                          for name in present] + [Diagnostic(display_path(folder), "", "nothing was written",
                                                             "pick a new folder, or move these files away")])
    from .build import write_atomic

    written = []
    for name, content in files.items():
        write_atomic(folder / name, content.encode("utf-8"))
        written.append(folder / name)
    return written


def default_output(specs: tuple[Path, ...], suffix: str = "pdf") -> Path | None:
    """Where `build` writes without -o: the config's output folder (one spec: a file in it)."""
    config = find_config(specs[0].parent)
    if config.output is None:
        return None
    return config.output / f"{specs[0].stem}.{suffix}" if len(specs) == 1 else config.output


def starter(doc: dict[str, Any], config: Config, keep: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[str]]:
    """`new`'s starter spec, less the fields the config sets (so the clinic's values apply,
    and a later change to the config reaches this handout too); `keep` are ones the user gave."""
    left_out = [key for key in config.defaults if key in doc and key not in keep and key != "sections"]
    return {k: v for k, v in doc.items() if k not in left_out}, left_out


def describe(config: Config, spec: Path | None = None, extra_catalogs: tuple[Path, ...] = ()) -> list[str]:
    """`routinepress config`: each setting in effect, and where it comes from."""
    from .jsonfile import read_json

    source = display_path(config.file) if config.file else None
    lines = [f"config:  {source or f'none (no {CONFIG_NAME} in {display_path(config.root)} or above)'}",
             f"folder:  {display_path(config.root) or '.'}"]
    catalogs: list[tuple[str, str | None]] = [("built-in catalog", "built in")]
    catalogs += [(display_path(d), source) for d in config.catalog_dirs]
    catalogs += [(display_path(d), "--catalog") for d in extra_catalogs]
    lines.append("catalog: " + "\n         ".join(f"{name:<40} ({where})" for name, where in catalogs))
    if config.output:
        lines.append(f"output:  {display_path(config.output):<40} ({source})")
    else:
        lines.append("output:  the current folder                     (built in)")
    values: list[tuple[str, Any, str]]
    if spec is None:
        lines.append("defaults for every spec in this folder (a spec's own value wins):")
        values = [(key, value, source or "") for key, value in _leaves(config.defaults)]
    else:
        own = read_json(spec)
        if not isinstance(own, dict):
            raise InputError.single(spec, "$", "a routine spec is a JSON object")
        shown = display_path(spec)
        lines.append(f"fields of {shown} in effect:")
        merged = merge(rebased_defaults(config, spec.parent), own) if config.defaults else own
        merged = {key: merged[key] for key in dict.fromkeys([*own, *merged])}  # the spec's order first
        mine = dict(_leaves(own))
        values = [(key, value, shown if key in mine else (source or "")) for key, value in _leaves(merged)]
    if not values:
        lines.append("  (none)")
    width = max((len(k) for k, _, _ in values), default=0)
    for key, value, where in values:
        lines.append(f"  {key:<{width}} = {_short(value):<40} ({where})")
    return lines


def _leaves(doc: Mapping[str, Any], prefix: str = ""):
    """(dotted key, value) for each value, objects opened up; a long list (sections) stays whole."""
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _leaves(value, name + ".")
        else:
            yield name, value


def _short(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
