"""The built-in exercises' drawings, recorded when the package is made and shipped with it.

Drawing a pose means placing every limb and searching for where its motion arrows fit:
about 20 ms a picture, so a first handout of eight exercises would spend a third of a
second drawing. The built-in catalog and templates are known in advance, so their
drawings are recorded once (`make drawings`) into drawings.pack beside this file, under
the same keys as the drawing cache (drawings.py): pose files, picture size, side, line
weight, the drawing code and reportlab's version. Whatever changes one of those simply
misses here and is drawn as before; tests/test_shipped.py fails while the pack is stale.

The pack is one line of JSON (each key's offset and length) and then each key's recordings,
deflated JSON, one after the other, so a build reads only the few it uses.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

PACK = Path(__file__).resolve().parent / "drawings.pack"
Recording = tuple[float, float, str]

_index: dict[str, list[int]] | None = None
_body_start = 0


def recordings(key: str) -> list[Recording] | None:
    """The shipped recordings for a drawing-cache key, or None."""
    global _index, _body_start
    try:
        with open(PACK, "rb") as fh:
            if _index is None:
                header = fh.readline()
                _index, _body_start = json.loads(header), len(header)
            where = _index.get(key)
            if where is None:
                return None
            fh.seek(_body_start + where[0])
            data = json.loads(zlib.decompress(fh.read(where[1])))
    except (OSError, ValueError, zlib.error):
        return None  # no pack (a source checkout before `make drawings`) or a damaged one
    return [(w, h, ops) for w, h, ops in data]


def wanted() -> list[tuple[list[Path], float, float, bool, float]]:
    """Every drawing a handout of built-in exercises in a built-in template asks for:
    (pose files, width, height, mirrored, line scale), each exercise's poses drawn together."""
    from reportlab.lib.units import mm

    from ..catalog import Catalog
    from ..templates import builtin_names, load_template

    catalog = Catalog()
    sizes = []
    for name in builtin_names():
        card = load_template(name)["card"]
        sizes.append((card["illustration_width_mm"] * mm, card["illustration_height_mm"] * mm, card["line_scale"]))
    found = []
    for exercise_id in catalog.ids():
        poses = [i.path for i in catalog.get(exercise_id).illustrations if i.is_pose]
        if poses:
            found += [(poses, w, h, mirror, line) for w, h, line in sorted(set(sizes)) for mirror in (False, True)]
    return found


def write_pack(path: Path = PACK) -> int:
    """Draw everything `wanted` and write the pack; returns the number of keys."""
    from .drawings import _key, _record

    blobs: dict[str, bytes] = {}
    for poses, width, height, mirror, line_scale in wanted():
        key = _key(poses, width, height, mirror, line_scale)
        if key not in blobs:
            drawn = _record(poses, width, height, mirror, line_scale)
            blobs[key] = zlib.compress(json.dumps([list(r) for r in drawn]).encode("utf-8"), 9)
    index, offset = {}, 0
    for key in sorted(blobs):
        index[key] = [offset, len(blobs[key])]
        offset += len(blobs[key])
    header = json.dumps(index, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(header + b"".join(blobs[k] for k in sorted(blobs)))
    tmp.replace(path)
    return len(blobs)


if __name__ == "__main__":
    print(f"wrote {PACK} ({write_pack()} drawings)")
