"""Orchestration: spec file -> PDF file, one or many, never leaving a partial file behind."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import Diagnostic, InputError, RoutinepressError, display_path
from .model import Handout, build_model
from .spec import Spec, load_spec
from .templates import load_template


@dataclass(frozen=True)
class BuildOptions:
    catalog_dirs: tuple[Path, ...] = ()
    page_size: str | None = None
    template: str | None = None  # overrides the spec's choice
    fillable: bool = False
    strict: bool = False  # warnings become errors


@dataclass
class Built:
    spec: Path
    output: Path | None
    pages: int = 0
    size: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    error: RoutinepressError | None = None


def prepare(spec_path: Path, catalog: Catalog) -> tuple[Spec, Handout]:
    spec = load_spec(spec_path, catalog)
    return spec, build_model(spec, catalog)


def render_spec(spec_path: Path, options: BuildOptions, catalog: Catalog | None = None):
    """Validate, model and render one spec; returns the RenderResult (PDF bytes in memory)."""
    from .render.document import RenderOptions, render  # reportlab loads only when a PDF is made

    catalog = catalog or Catalog(list(options.catalog_dirs))
    spec, handout = prepare(spec_path, catalog)
    template = load_template(options.template or handout.template, base=spec.folder)
    result = render(handout, template, RenderOptions(page_size=options.page_size, fillable=options.fillable),
                    source_name=display_path(spec_path))
    if options.strict and result.warnings:
        raise InputError([Diagnostic(w.file, w.where, w.message, w.hint) for w in result.warnings])
    return result


def build_one(spec_path: Path, output: Path, options: BuildOptions, catalog: Catalog | None = None) -> Built:
    result = render_spec(spec_path, options, catalog)
    write_atomic(output, result.pdf)
    return Built(spec_path, output, result.pages, len(result.pdf), result.warnings)


def build_many(spec_paths: list[Path], out_dir: Path, options: BuildOptions) -> list[Built]:
    """Build each spec into out_dir; a bad spec is recorded and the batch goes on."""
    catalog = Catalog(list(options.catalog_dirs))
    results = []
    for spec_path in spec_paths:
        output = out_dir / f"{spec_path.stem}.pdf"
        try:
            results.append(build_one(spec_path, output, options, catalog))
        except RoutinepressError as exc:
            results.append(Built(spec_path, None, error=exc))
    return results


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
