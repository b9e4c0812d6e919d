"""The Python API for programs that embed routinepress.

Safe to call from many threads or processes: each call builds its own catalog view,
model and document; the only shared state (font registration, schema validators)
is created once under a lock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .build import BuildOptions, Rendered, check_outputs, render_checked, write_atomic
from .catalog import Catalog
from .errors import InputError
from .spec import check_spec, load_spec
from .templates import PAPER_MM


def build_handout(spec: dict[str, Any] | str | os.PathLike, *, base_dir: str | os.PathLike | None = None,
                  catalog_dirs: tuple[str | os.PathLike, ...] = (), template: str | None = None,
                  page_size: str | None = None, fillable: bool = False) -> bytes:
    """A spec (a parsed dict, or a path to a JSON file) -> the handout's PDF bytes.

    A dict's relative paths (logo, pictures, template file) resolve against `base_dir`
    (default: the current folder). Raises routinepress.errors.InputError on bad input.
    """
    return _rendered(spec, base_dir=base_dir, catalog_dirs=catalog_dirs, template=template, page_size=page_size,
                     fillable=fillable).data


def _rendered(spec: dict[str, Any] | str | os.PathLike, *, base_dir: str | os.PathLike | None = None,
              catalog_dirs: tuple[str | os.PathLike, ...] = (), template: str | None = None,
              page_size: str | None = None, fillable: bool = False) -> Rendered:
    if not isinstance(spec, (dict, str, os.PathLike)):
        raise InputError.single("<spec>", "$", f"a spec is a dict or a path to a JSON file, not {type(spec).__name__}")
    if isinstance(spec, str) and spec.lstrip().startswith("{"):  # JSON text, not a file's name
        raise InputError.single("<spec>", "$", "a spec given as a string is a path to a JSON file, and this is "
                                "JSON text", "pass json.loads(text), the parsed dict")
    catalog = Catalog([Path(d) for d in catalog_dirs])
    if isinstance(spec, dict):
        # A round trip through JSON rejects what a file could not hold (NaN, tuples, objects).
        try:
            doc = json.loads(json.dumps(spec, allow_nan=False))
        except (ValueError, TypeError) as exc:
            raise InputError.single("<spec>", "$", f"not valid JSON data: {exc}") from None
        checked = check_spec(doc, Path(base_dir or Path.cwd()) / "<spec>", catalog)
    else:
        checked = load_spec(Path(spec), catalog)
    if page_size is not None:
        # As the command line takes it: either case, and a clear refusal of anything else.
        if page_size.lower() not in PAPER_MM:
            raise InputError.single("<page_size>", "", f"unknown page size {page_size!r}",
                                    f"use one of: {', '.join(PAPER_MM)}")
        page_size = page_size.lower()
    options = BuildOptions(page_size=page_size, template=template, fillable=fillable)
    return render_checked(checked, catalog, options)


def build_handout_file(spec_path: str | os.PathLike, output: str | os.PathLike, **kwargs: Any) -> Path:
    """Build a spec file into `output` atomically; returns the output path. As on the
    command line, `output` may not be the spec or a file the handout is built from."""
    out = Path(output)
    rendered = _rendered(spec_path, **kwargs)
    check_outputs([(out, "handout")], rendered.inputs)
    write_atomic(out, rendered.data)
    return out
