"""Orchestration: spec file -> PDF file, one or many, never leaving a partial file behind."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .config import Config, find_config
from .errors import Diagnostic, InputError, RoutinepressError, display_path
from .model import build_model
from .spec import Spec, load_spec
from .templates import load_template


@dataclass(frozen=True)
class BuildOptions:
    catalog_dirs: tuple[Path, ...] = ()
    page_size: str | None = None
    template: str | None = None  # overrides the spec's choice
    fillable: bool = False
    strict: bool = False  # warnings become errors
    grayscale: bool = False  # photos and logos printed in grey
    output_format: str = "pdf"  # or "json": the Handout model, every word to be printed, as data


@dataclass
class Built:
    spec: Path
    output: Path | None
    pages: int = 0
    size: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    error: str | None = None  # the formatted problems, when the build failed


@dataclass
class Rendered:
    data: bytes  # the PDF, or the model's JSON
    pages: int
    warnings: list[Diagnostic]
    inputs: tuple[Path, ...]  # every file the PDF depends on, for make's dependency tracking


def render_checked(spec: Spec, catalog: Catalog, options: BuildOptions) -> Rendered:
    """A checked spec -> the PDF in memory; the one path every build takes."""
    from .render.document import RenderOptions, render  # reportlab loads only when a PDF is made

    handout = build_model(spec, catalog)
    if options.output_format == "json":
        model = json.dumps(handout.to_json(), indent=2, ensure_ascii=False) + "\n"
        return Rendered(model.encode("utf-8"), 0, [], tuple(map(Path, handout.inputs)))
    template = load_template(options.template or handout.template, base=spec.folder)
    result = render(handout, template, RenderOptions(options.page_size, options.fillable, options.grayscale),
                    source_name=display_path(spec.path))
    if options.strict and result.warnings:
        raise InputError([Diagnostic(w.file, w.where, w.message, w.hint) for w in result.warnings])
    inputs = [*map(Path, handout.inputs), *template.files]
    return Rendered(result.pdf, result.pages, result.warnings, tuple(dict.fromkeys(inputs)))


def render_spec(spec_path: Path, options: BuildOptions, catalog: Catalog | None = None,
                config: Config | None = None) -> Rendered:
    """Validate, model and render one spec file, with the routinepress.toml in force for it."""
    config = config or find_config(spec_path.parent)
    catalog = catalog or Catalog(catalog_folders(config, options))
    rendered = render_checked(load_spec(spec_path, catalog, config), catalog, options)
    # The config, and the overlay folders (a new entry there may replace one the handout used).
    extra = [config.file, *(folder / "exercises" for folder in config.catalog_dirs)] if config.file else []
    rendered.inputs = tuple(dict.fromkeys([*rendered.inputs, *(p for p in extra if p.exists())]))
    return rendered


def catalog_folders(config: Config, options: BuildOptions) -> list[Path]:
    """The config's overlays, then the command line's: a flag overrides the config."""
    return [*config.catalog_dirs, *options.catalog_dirs]


def build_one(spec_path: Path, output: Path, options: BuildOptions, catalog: Catalog | None = None,
              depfile: Path | None = None, config: Config | None = None) -> Built:
    if _same_file(output, spec_path):
        raise InputError.single(output, "", "is the spec itself; the handout would overwrite it",
                                "write the PDF to another file, e.g. -o handout.pdf")
    rendered = render_spec(spec_path, options, catalog, config)
    write_atomic(output, rendered.data)
    if depfile is not None:
        write_atomic(depfile, make_dependencies(output, rendered.inputs).encode("utf-8"))
    return Built(spec_path, output, rendered.pages, len(rendered.data), rendered.warnings)


def make_dependencies(target: Path, inputs: tuple[Path, ...]) -> str:
    """A Makefile rule naming what `target` was built from (paths relative to the working folder)."""
    def quote(p: Path) -> str:
        return display_path(p).replace(" ", "\\ ")

    deps = " \\\n  ".join(quote(p) for p in inputs)
    return f"{quote(target)}: \\\n  {deps}\n" + "".join(f"{quote(p)}:\n" for p in inputs)


def build_many(spec_paths: list[Path], out_dir: Path, options: BuildOptions, jobs: int = 1,
               on_done: Callable[[Built], None] | None = None) -> list[Built]:
    """Build each spec into out_dir, in parallel processes when jobs > 1.

    A bad spec is recorded and the batch goes on; results come back in input order.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError.single(out_dir, "", "is a file; several specs need an output folder")
    outputs = [out_dir / f"{p.stem}.{options.output_format}" for p in spec_paths]
    clashes = sorted({o.name for o in outputs if outputs.count(o) > 1})
    if clashes:
        raise InputError([Diagnostic(str(out_dir), "", f"two specs would both write {name}",
                                     "give the specs different file names") for name in clashes])
    tasks = list(zip(spec_paths, outputs))
    results: list[Built | None] = [None] * len(tasks)
    if jobs <= 1 or len(tasks) == 1:
        for i, (spec_path, output) in enumerate(tasks):
            results[i] = _build_safely(spec_path, output, options)
            if on_done:
                on_done(results[i])
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only batches need processes

        _warm_up(options, spec_paths[0])
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=_fork_context()) as pool:
            futures = {pool.submit(_build_safely, s, o, options): i for i, (s, o) in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if on_done:
                    on_done(future.result())
    return [r for r in results if r is not None]


_catalogs: dict[tuple[Path, ...], Catalog] = {}


def _warm_up(options: BuildOptions, spec_path: Path) -> None:
    """Import the renderer, register fonts and open the catalog once, before the workers start:
    forked workers inherit all of it instead of each paying for it."""
    from .render import fonts

    fonts.register()
    try:
        _cached_catalog(find_config(spec_path.parent), options)
    except InputError:
        pass  # a bad config or catalog folder: each spec's build reports it


def _cached_catalog(config: Config, options: BuildOptions) -> Catalog:
    folders = tuple(catalog_folders(config, options))
    if folders not in _catalogs:
        _catalogs[folders] = Catalog(list(folders))
    return _catalogs[folders]


def _fork_context():
    """Fork where the platform has it (workers start warm); the platform default elsewhere."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _build_safely(spec_path: Path, output: Path, options: BuildOptions) -> Built:
    """Build one spec; any failure becomes a message on the result (it must cross a process boundary)."""
    try:
        config = find_config(spec_path.parent)
        return build_one(spec_path, output, options, _cached_catalog(config, options), config=config)
    except InputError as exc:
        return Built(spec_path, None, error="\n".join(d.format() for d in exc.diagnostics))
    except RoutinepressError as exc:
        return Built(spec_path, None, error=f"error: {display_path(spec_path)}: {exc}")
    except Exception as exc:  # a bug of ours: report it, keep the batch going
        return Built(spec_path, None, error=f"internal error on {display_path(spec_path)}: "
                                            f"{exc.__class__.__name__}: {exc} (please report this bug)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a PDF.

    A place that cannot be written (no such folder, no permission, a full disk) is the
    user's to fix: InputError, not an internal error.
    """
    try:
        if path.is_dir():
            raise InputError.single(path, "", "is a folder; cannot write a file in its place")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError.single(path, "", f"cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError.single(path, "", f"cannot write here ({exc.strerror or exc})") from None
        raise
