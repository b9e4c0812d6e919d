"""What the printed model says beside its layout: the PDF's /ID, and the characters the
embedded font lacks. Both read the whole model, written out once as JSON."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Diagnostic
from ..paths import MAX_PICTURE_BYTES, read_regular, while_unchanged
from . import fonts


def portable_json(printed: dict[str, Any]) -> str:
    """The model as the /ID hashes it: its JSON (keys sorted, ASCII), the files it names
    replaced by their content's hash. (Not the files make tracks: what they say is in the
    model already, and a spec sent to the server has no file, yet must give the bytes its
    saved file gives.)"""
    return json.dumps(_portable(printed), sort_keys=True)


def pdf_id(portable: str, template_data: Any, page_size: str, fillable: bool) -> str:
    """The PDF's /ID: a hash of json.dumps([portable model, template, page size, fillable],
    sort_keys=True), the model's part as portable_json wrote it."""
    others = ", ".join(json.dumps(x, sort_keys=True) for x in (template_data, page_size, fillable))
    return hashlib.sha256(f"[{portable}, {others}]".encode()).hexdigest()


def _portable(printed: dict[str, Any]) -> dict[str, Any]:
    """The printed model with every file it names replaced by a hash of the file's content,
    and without the files make tracks: the PDF's /ID then depends on what the pictures and
    entries hold, not on the folder the project happens to sit in or how the spec was named
    on the command line. The model names files in two places only, the logo and each
    picture's file (test_front_speed checks that no other field is called so); reaching them
    directly is a tenth of the time a walk through every value took."""
    portable = {key: value for key, value in printed.items() if key != "inputs"}
    if isinstance(portable.get("logo"), str):
        portable["logo"] = _content_hash(portable["logo"])
    portable["sections"] = [
        {**section, "cards": [
            {**card, "pictures": [{**picture, "file": _content_hash(picture["file"])} for picture in card["pictures"]]}
            for card in section["cards"]]}
        for section in portable["sections"]]
    return portable


# Each named file's digest, kept while the file is unchanged (pictures recur build after build).
_HASHED: dict[str, tuple[int, int, str]] = {}


def _content_hash(path: str) -> str:
    try:  # (the name as it is: looking it up needs no Path, and the file is read only when new)
        return while_unchanged(_HASHED, path, path, lambda: _digest(path))
    except OSError:
        return path  # not a readable file: kept as written


def _digest(path: str) -> str:  # (read_regular: never waits on a pipe swapped in for a picture)
    return "sha256:" + hashlib.sha256(read_regular(Path(path), MAX_PICTURE_BYTES)).hexdigest()


_PRINTABLE_ASCII = "".join(map(chr, range(0x20, 0x7f)))


def glyph_warnings(printed: dict, source_name: str, spec_doc: Any = None, portable: str | None = None
                   ) -> list[Diagnostic]:
    """Characters the embedded font lacks (they print as an empty box): at each field of the
    spec that has one, and once for any that come from elsewhere (a clinic catalog's text).

    `portable`, the /ID's JSON of the model (ASCII, its file names hashed), saves writing the
    model out again: its escapes hold every other character, and the file names are read apart."""
    if portable is None:
        portable = portable_json(printed)
    files = _file_names(printed)
    # Only the characters beyond plain ASCII are looked up one by one (a set of every
    # character took longer than writing the text out); plain ASCII is asked about at once.
    beyond = _escaped(portable) | _beyond_ascii(files)
    missing = fonts.missing_glyphs("".join(beyond))
    missing |= {c for c in fonts.missing_glyphs(_PRINTABLE_ASCII) if c in portable or c in files}
    if not missing:
        return []
    found: list[Diagnostic] = []
    placed: set[str] = set()
    for where, value in _strings(spec_doc, "$") if spec_doc is not None else ():
        here = missing & set(value)
        if here:
            placed |= here
            found.append(_glyph_diagnostic(source_name, where, here))
    if missing - placed:
        found.append(_glyph_diagnostic(source_name, "", missing - placed))
    return found


# A \uXXXX escape as json.dumps writes one (ensure_ascii): each character beyond ASCII, DEL,
# and the control characters it has no short escape for.
_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")


def _escaped(text: str) -> set[str]:
    """The characters JSON text written with ensure_ascii holds as escapes, less the control
    characters (the model's text written out in full escapes them too, so they were never
    asked about); a surrogate pair is its one character."""
    codes: list[tuple[int, int]] = []
    for match in _ESCAPE.finditer(text):
        start = before = match.start()
        while before and text[before - 1] == "\\":
            before -= 1
        if (start - before) % 2 == 0:  # (an odd run of backslashes ends in a written one: not an escape)
            codes.append((start, int(match.group(1), 16)))
    found: set[str] = set()
    for i, (start, code) in enumerate(codes):
        if 0xDC00 <= code <= 0xDFFF and i and codes[i - 1][0] == start - 6 and 0xD800 <= codes[i - 1][1] <= 0xDBFF:
            continue  # (the second half of a pair, taken with the first)
        if 0xD800 <= code <= 0xDBFF and i + 1 < len(codes) and codes[i + 1][0] == start + 6 \
                and 0xDC00 <= codes[i + 1][1] <= 0xDFFF:
            code = 0x10000 + ((code - 0xD800) << 10) + (codes[i + 1][1] - 0xDC00)
        if code >= 0x20:
            found.add(chr(code))
    return found


def _file_names(printed: dict) -> str:
    """The files the model names (the logo, the pictures, the inputs), as one text: the /ID's
    JSON has their hashes in their place."""
    names = [printed.get("logo") or "", *printed.get("inputs", ())]
    names += [picture["file"] for section in printed["sections"] for card in section["cards"]
              for picture in card["pictures"]]
    return "\n".join(names)


def _beyond_ascii(text: str) -> set[str]:
    """The characters of `text` beyond printable ASCII, less the control characters (as for
    _escaped). Dropping the ASCII bytes from its UTF-8 leaves the others whole (their bytes
    are all 0x80 or more)."""
    beyond = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII.encode())
    return {c for c in beyond.decode("utf-8", "surrogatepass") if c >= " "}


def _glyph_diagnostic(source_name: str, where: str, characters: set[str]) -> Diagnostic:
    listed = sorted(characters)
    shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in listed[:10])
    more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
    return Diagnostic(source_name, where, f"the font has no glyph for {shown}{more}: each prints as an empty box",
                      "use plain letters (-> for an arrow, >= for at least), or leave it out", severity="warning")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document, with its JSON path."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")
