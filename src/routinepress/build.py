"""Orchestration: spec file -> PDF file, one or many, never leaving a partial file behind."""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import signal
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .catalog import Catalog
from .config import Config, find_config
from .errors import Diagnostic, InputError, RoutinepressError, display_path
from .model import build_model
from .paths import looking_once, status
from .spec import ROUTINE_SCHEMA, Spec, load_spec
from .templates import load_template


class BuildOptions(NamedTuple):
    catalog_dirs: tuple[Path, ...] = ()
    page_size: str | None = None
    template: str | None = None  # overrides the spec's choice
    fillable: bool = False
    strict: bool = False  # warnings become errors
    grayscale: bool = False  # photos and logos printed in grey
    output_format: str = "pdf"  # or "json": the Handout model, every word to be printed, as data


class Built(NamedTuple):
    spec: Path
    output: Path | None
    pages: int = 0
    size: int = 0
    warnings: Sequence[Diagnostic] = ()
    error: str | None = None  # the formatted problems, when the build failed

    def summary(self) -> str:
        """The line the command prints for a handout it wrote."""
        pages = f" ({count_pages(self.pages)})" if self.pages else ""
        return f"wrote {display_path(self.output or self.spec)}{pages}"


def count_pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


# A file name's ending per output format: the model is "hip.model.json", never "hip.json", which
# in the spec's own folder is the spec itself.
SUFFIXES = {"pdf": "pdf", "json": "model.json"}


def output_name(spec: Path, output_format: str = "pdf") -> str:
    return f"{spec.stem}.{SUFFIXES[output_format]}"


def batch_outputs(spec_paths: list[Path], out_dir: Path, output_format: str = "pdf") -> list[Path]:
    """Where several specs are written (build's and watch's rule): each in `out_dir` under its
    own name; refused when out_dir is a file or two specs would write one name."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):  # (os.path: False for a name too long)
        raise InputError.single(out_dir, "", "is a file; several specs need an output folder")
    outputs = [out_dir / output_name(p, output_format) for p in spec_paths]
    clashes = sorted({o.name for o in outputs if outputs.count(o) > 1})
    if clashes:
        raise InputError([Diagnostic(display_path(out_dir), "", f"two specs would both write {name}",
                                     "give the specs different file names") for name in clashes])
    return outputs


def single_target(spec: Path, output: str | None, output_format: str = "pdf") -> Path:
    """Where `build` writes one spec: -o names the file, or a folder (an existing one, or a name
    ending in /) to hold SPEC.pdf; without -o, routinepress.toml's output folder, else the
    current folder."""
    if output is None:
        from .clinic import default_output

        configured = default_output((spec,), SUFFIXES[output_format])
        output = str(configured) if configured else None
    name = output_name(spec, output_format)
    if output and (output.endswith(("/", os.sep)) or os.path.isdir(output)):  # (False for a name too long)
        return Path(output) / name
    return Path(output or name)


class Rendered(NamedTuple):
    data: bytes  # the PDF, or the model's JSON
    pages: int
    warnings: list[Diagnostic]
    inputs: tuple[Path, ...]  # every file the PDF depends on, for make's dependency tracking


def render_checked(spec: Spec, catalog: Catalog, options: BuildOptions) -> Rendered:
    """A checked spec -> the PDF in memory; the one path every build takes."""
    from .render.document import RenderOptions, render  # reportlab loads only when a PDF is made

    handout = build_model(spec, catalog)
    if options.strict and spec.warnings:
        raise InputError(as_errors(spec.warnings))
    if options.output_format == "json":
        model = json.dumps(handout.to_json(), indent=2, ensure_ascii=False) + "\n"
        return Rendered(model.encode("utf-8"), 0, list(spec.warnings), handout.input_paths())
    template = load_template(options.template or handout.template, base=spec.folder)
    problems = template.fit_diagnostics(template.page_size(options.page_size or handout.page_size))
    if problems:
        raise InputError(problems)
    result = render(handout, template, RenderOptions(options.page_size, options.fillable, options.grayscale),
                    source_name=display_path(spec.path), spec_doc=spec.doc)
    if options.strict and result.warnings:
        raise InputError(as_errors(result.warnings))
    inputs = [*handout.input_paths(), *template.files]
    return Rendered(result.pdf, result.pages, [*spec.warnings, *result.warnings], tuple(dict.fromkeys(inputs)))


def as_errors(warnings: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Warnings as --strict reports them: errors."""
    return [w._replace(severity="error") for w in warnings]


def render_spec(spec_path: Path, options: BuildOptions, catalog: Catalog | None = None,
                config: Config | None = None) -> Rendered:
    """Validate, model and render one spec file, with the routinepress.toml in force for it."""
    config = config or find_config(spec_path.parent)
    catalog = catalog or Catalog(catalog_folders(config, options))
    with looking_once():
        rendered = render_checked(load_spec(spec_path, catalog, config), catalog, options)
    # The config, and the overlay folders (a new entry there may replace one the handout used).
    extra = [config.file, *(folder / "exercises" for folder in config.catalog_dirs)] if config.file else []
    return rendered._replace(inputs=tuple(dict.fromkeys([*rendered.inputs, *(p for p in extra if p.exists())])))


def catalog_folders(config: Config, options: BuildOptions) -> list[Path]:
    """The config's overlays, then the command line's: a flag overrides the config."""
    return [*config.catalog_dirs, *options.catalog_dirs]


def build_one(spec_path: Path, output: Path, options: BuildOptions, catalog: Catalog | None = None,
              depfile: Path | None = None, config: Config | None = None) -> Built:
    outputs = [(output, "handout")] + ([(depfile, "dependency file")] if depfile is not None else [])
    check_outputs(outputs, (spec_path,))  # before any work: a mistake costs nothing
    with looking_once():  # (the inputs were looked at while they were read: not again)
        rendered = render_spec(spec_path, options, catalog, config)
        check_outputs(outputs, rendered.inputs)  # now every input is known (template, logo, pictures)
    files = {output: rendered.data}
    if depfile is not None:
        files[depfile] = make_dependencies(output, rendered.inputs).encode("utf-8")
    write_all(files)
    return Built(spec_path, output, rendered.pages, len(rendered.data), rendered.warnings)


def check_outputs(outputs: list[tuple[Path, str]], inputs: tuple[Path, ...]) -> None:
    """Every output must be a regular file or absent, and neither an input nor another output.

    A device, a pipe or a link to one (/dev/stdout) would be replaced by a plain file and its
    reader would get nothing; an input would be lost.
    """
    problems = []
    seen: list[tuple[Identity, str]] = []  # (a list: an absent file's identity is worked out only if compared)
    for path, what in outputs:
        identity, kind = _identity(path)
        if kind == "folder":
            problems.append(Diagnostic(display_path(path), "", "is a folder; cannot write a file in its place"))
            continue
        if kind == "special":
            problems.append(Diagnostic(
                display_path(path), "", f"is not a regular file (a device, a pipe or a socket); "
                f"refusing to replace it with the {what}", "write to a file, e.g. -o handout.pdf"))
            continue
        for index, source in enumerate(inputs):
            if _identity(source, status)[0] == identity:
                owner = "the spec itself" if index == 0 else "one of the files the handout is built from"
                problems.append(Diagnostic(display_path(path), "", f"is {owner}; the {what} would overwrite it",
                                           "write it to another file"))
                break
        else:
            named = next((other_what for other, other_what in seen if other == identity), None)
            if named:
                problems.append(Diagnostic(display_path(path), "", f"is named for both the {named} "
                                           f"and the {what}", "give --depfile and -o different files"))
            seen.append((identity, what))
    if problems:
        raise InputError(problems)


class _Absent:
    """What makes a file that is not there the same as another: the path it resolves to,
    worked out only when compared with another absent one (a new output is compared with
    the inputs, which are there: resolving it each time was a twentieth of a millisecond)."""

    def __init__(self, path: Path):
        self.path = path
        self._resolved: Path | None = None

    def resolved(self) -> Path:
        if self._resolved is None:
            try:
                self._resolved = self.path.resolve()
            except (OSError, RuntimeError):
                self._resolved = self.path.absolute()
        return self._resolved

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Absent) and self.resolved() == other.resolved()

    def __hash__(self) -> int:
        return hash(self.resolved())


Identity = tuple[int, int] | _Absent


def _identity(path: Path, look: Callable[[Path], os.stat_result] = os.stat) -> tuple[Identity, str]:
    """(what makes a file the same file, its kind: absent, file, folder or special); links followed.
    An input is looked at with paths.status (once a build); an output afresh."""
    try:
        info = look(path)
    except (OSError, ValueError):
        return _Absent(path), "absent"
    if stat.S_ISDIR(info.st_mode):
        return (info.st_dev, info.st_ino), "folder"
    return (info.st_dev, info.st_ino), "file" if stat.S_ISREG(info.st_mode) else "special"


def make_dependencies(target: Path, inputs: tuple[Path, ...]) -> str:
    """A Makefile rule naming what `target` was built from (paths relative to the working folder)."""
    def quote(p: Path) -> str:  # as make reads a file name: $ doubled; space, # and : escaped
        return display_path(p).replace("$", "$$").replace(" ", "\\ ").replace("#", "\\#").replace(":", "\\:")

    deps = " \\\n  ".join(quote(p) for p in inputs)
    return f"{quote(target)}: \\\n  {deps}\n" + "".join(f"{quote(p)}:\n" for p in inputs)


def build_many(spec_paths: list[Path], out_dir: Path, options: BuildOptions, jobs: int = 1,
               on_done: Callable[[Built], None] | None = None) -> list[Built]:
    """Build each spec into out_dir, in parallel processes when jobs > 1.

    A bad spec is recorded and the batch goes on; results come back in input order.
    """
    tasks = list(zip(spec_paths, batch_outputs(spec_paths, out_dir, options.output_format)))
    results: list[Built | None] = [None] * len(tasks)
    if jobs <= 1 or len(tasks) == 1:
        for i, (spec_path, output) in enumerate(tasks):
            built = results[i] = _build_safely(spec_path, output, options)
            if on_done:
                on_done(built)
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # only batches need processes

        _warm_up(options, spec_paths[0])
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=_fork_context(),
                                   initializer=_worker_signals)
        try:
            futures = {pool.submit(_build_safely, s, o, options): i for i, (s, o) in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if on_done:
                    on_done(future.result())
        except BaseException:  # Ctrl-C above all: stop now, not when the queued specs are built
            _stop_workers(pool)
            raise
        pool.shutdown()
    return [r for r in results if r is not None]


_catalogs: dict[tuple[Path, ...], Catalog] = {}


@contextlib.contextmanager
def keeping_records(output_format: str = "pdf") -> Iterator[None]:
    """For a command-line build (the quick path's or click's): keep, beside the drawing cache,
    which documents were valid (no schema validator for them next time), Babel's answers (no
    Babel) and each card's arrangement (no choosing); Babel's new answers are saved at the end.
    A batch's workers inherit it, so each one's first handout lays out no card it knows."""
    from . import cldr, validity

    validity.enable()
    cldr.enable()
    if output_format == "pdf":  # (the layouts belong to the renderer, which a JSON dump never loads)
        from .render import layouts

        layouts.enable()
    try:
        yield
    finally:
        cldr.save()


def _warm_up(options: BuildOptions, spec_path: Path) -> None:
    """Import the renderer, register fonts, compile the spec validator and open the catalog
    once, before the workers start: forked workers inherit all of it instead of each paying
    for it (and none is interrupted halfway through importing the validator)."""
    from . import validity
    from .jsonfile import compile_validator
    from .render import fonts

    fonts.register()
    compile_validator(ROUTINE_SCHEMA)
    # Each worker builds many specs with the validator loaded: asking it takes 6 us, where
    # hashing a document and reading its record took 140 (validity.py's records serve a
    # process's first look at a document; a worker checks each catalog entry once anyway).
    validity.disable()
    try:
        _cached_catalog(find_config(spec_path.parent), options)
    except InputError:
        pass  # a bad config or catalog folder: each spec's build reports it
    # All of that lives as long as the workers: the collector need never look at it again, so
    # their collections are shorter, and leave the pages they share with this process unwritten.
    gc.freeze()


def _cached_catalog(config: Config, options: BuildOptions) -> Catalog:
    folders = tuple(catalog_folders(config, options))
    if folders not in _catalogs:
        _catalogs[folders] = Catalog(list(folders))
    return _catalogs[folders]


def _fork_context():
    """Fork where the platform has it (workers start warm); the platform default elsewhere."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


_stopping = False  # in a worker: asked to stop, so build nothing more
_in_worker = False  # this process is a batch's worker
_building = False  # ... and is inside a build, which an interrupt must unwind


def _worker_signals() -> None:
    """Ctrl-C reaches the whole process group; the parent alone decides, and stops the
    workers with SIGTERM, which unwinds the build in progress (its temporary file removed)."""
    global _in_worker
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_this_worker)


def _stop_this_worker(_signum, _frame) -> None:
    global _stopping
    _stopping = True
    if _building:
        raise KeyboardInterrupt
    # Between builds (waiting for work, handing a result back) there is nothing to clean up;
    # an exception there would surface in the pool's own code and print its traceback.
    _end_this_worker()


def _end_this_worker() -> None:
    """End this worker as SIGTERM does by default: at once, printing nothing."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _stop_workers(pool) -> None:
    """Cancel what is queued and end the workers; a worker still running after a second is killed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=1.0)
        if process.is_alive():
            process.kill()
            process.join()
    # The pool's manager thread ends once it sees its workers gone; wait for it here. Left
    # running, it can close its wake-up pipe just as the interpreter's exit handler writes to
    # it, which prints "Exception ignored ... Bad file descriptor" after "interrupted".
    pool.shutdown(wait=True)


def _build_safely(spec_path: Path, output: Path, options: BuildOptions) -> Built:
    """Build one spec; any failure becomes a message on the result (it must cross a process boundary)."""
    global _building
    if _stopping:  # (set in a worker only)
        _end_this_worker()
    _building = True
    try:
        config = find_config(spec_path.parent)
        return build_one(spec_path, output, options, _cached_catalog(config, options), config=config)
    except KeyboardInterrupt:
        if _in_worker:  # unwound: the temporary file is gone; leave without a traceback
            _end_this_worker()
        raise
    except InputError as exc:
        return Built(spec_path, None, error="\n".join(d.format() for d in [*exc.diagnostics, *exc.warnings]))
    except RoutinepressError as exc:
        return Built(spec_path, None, error=f"error: {display_path(spec_path)}: {exc}")
    except Exception as exc:  # a bug of ours: report it, keep the batch going
        return Built(spec_path, None, error=f"internal error on {display_path(spec_path)}: "
                                            f"{exc.__class__.__name__}: {exc} (please report this bug)")
    finally:
        _building = False


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file atomically (see write_all)."""
    write_all({path: data})


def _create_temporary(folder: Path, temporary: dict[Path, str], path: Path) -> int:
    """A new, empty file in `folder`, open for writing, noted in `temporary` under `path`
    before it exists: an interrupt (Ctrl-C stops a batch's workers mid-write) at any point
    leaves no file that write_all's cleanup does not know of. (mkstemp names the file only
    once it has made it.) A short fixed name: the output's own may already be as long as
    the system allows."""
    for _ in range(100):
        temporary[path] = name = str(folder / f".rp-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def write_all(files: dict[Path, bytes]) -> None:
    """Write each file to a temporary file beside it; rename them into place only when all
    were written. Readers never see half a file, and a failure changes nothing.

    A place that cannot be written (no such folder, no permission, a full disk) is the
    user's to fix: InputError, not an internal error.
    """
    check_outputs([(path, "file") for path in files], ())
    # A link is written through, to the file it names, and stays a link (/dev/stdout sent to
    # a file names that file): renaming onto the link itself would replace the link.
    files = {Path(os.path.realpath(path)) if os.path.islink(path) else path: data for path, data in files.items()}
    temporary: dict[Path, str] = {}
    try:
        for path, data in files.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = _create_temporary(path.parent, temporary, path)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(temporary[path], 0o644)
            except OSError as exc:
                raise InputError.single(path, "", f"cannot write here ({exc.strerror or exc})") from None
        for path, tmp in list(temporary.items()):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise InputError.single(path, "", f"cannot write here ({exc.strerror or exc})") from None
            del temporary[path]
    finally:
        for tmp in temporary.values():
            Path(tmp).unlink(missing_ok=True)
