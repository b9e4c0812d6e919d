"""The command line: parse options, call one stage, choose the exit code. No logic lives here.

Heavy modules (reportlab, jsonschema) are imported inside commands so `--help` stays fast.
Exit codes: 0 ok, 1 a problem with the user's input, 2 usage (click's own), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_INPUT = 1
# Set when `build` wrote everything it was asked to: the console script may then end the
# process without the interpreter's teardown (see __main__.py).
built_everything = False


class OutputPath(click.Path):
    """An output's name: an empty one is refused rather than read as the default (`-o "$OUT"`
    with OUT unset would otherwise write somewhere the user never named)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: give a file name, or a folder name ending in /", param, ctx)
        return super().convert(value, param, ctx)


catalog_option = click.option(
    "--catalog", "catalog_dirs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
    help="Extra catalog folder; its entries override built-in ones with the same id. Repeatable.",
)


def _catalog(catalog_dirs, start: Path | None = None):
    """The built-in catalog, the clinic's overlays (routinepress.toml at or above `start`, default
    the current folder), then --catalog folders: a later folder wins."""
    from .catalog import Catalog
    from .config import find_config

    return Catalog([*find_config(start or Path.cwd()).catalog_dirs, *catalog_dirs])


def reports_errors(command):
    """Turn library errors into messages and exit codes; a traceback only with --debug."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import RoutinepressError, failure_report

        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if debug and not isinstance(exc, (RoutinepressError, KeyboardInterrupt)):
                raise  # a bug of ours, and the traceback was asked for
            lines, code = failure_report(exc)
            for line in lines:
                click.echo(line, err=True)
            sys.exit(code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="routinepress")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
def main(debug: bool) -> None:
    """Compile JSON home-exercise routines into printable PDF handouts."""


# The options that change what a build checks, shared by build and validate.
page_size_option = click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False),
                                help="Paper size, overriding the spec and template.")
template_option = click.option("--template", help="Template name, or a file (relative to the current folder), "
                                                  "overriding the spec's.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@page_size_option
@template_option
@strict_option
@reports_errors
def validate(specs: tuple[Path, ...], catalog_dirs: tuple[Path, ...], page_size, template, strict) -> None:
    """Check routine specs as build does, writing nothing: the schema, the catalog, the
    pictures and logo, the template and the page layout; print every problem."""
    from .build import BuildOptions, render_spec
    from .errors import RoutinepressError, failure_report

    # "ok" means build would write the handout: a damaged picture or a template whose margins
    # leave no page is found only by laying the handout out, so validate lays it out too.
    options = BuildOptions(tuple(catalog_dirs), page_size, _template_argument(template), strict=strict)
    failed = 0
    for spec_path in specs:
        try:
            rendered = render_spec(spec_path, options)
        except RoutinepressError as exc:
            failed += 1
            for line in failure_report(exc)[0]:
                click.echo(line, err=True)
            continue
        for warning in rendered.warnings:
            click.echo(warning.format(), err=True)
        click.echo(f"ok: {spec_path}")
    if failed:
        sys.exit(EXIT_INPUT)


def _template_argument(template: str | None) -> str | None:
    """--template as typed: a file is relative to where the user is, not to the spec."""
    from .templates import is_path

    return str(Path(template).absolute()) if template and is_path(template) else template


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=OutputPath(),
              help="Output PDF, or a folder (several specs; an existing folder or a name ending in /), "
                   "or - for standard output (one spec). Default: SPEC name with .pdf, in the current folder.")
@catalog_option
@page_size_option
@template_option
@click.option("--fillable", is_flag=True, help="Make the tracker's boxes fillable form check boxes too.")
@strict_option
@click.option("--grayscale", is_flag=True,
              help="Convert photos and logos to grayscale (smaller files, no colour casts).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Parallel processes for several specs. Default: CPU count.")
@click.option("--depfile", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a Makefile rule listing every file the PDF was built from (one spec only).")
@click.option("--format", "output_format", type=click.Choice(["pdf", "json"]), default="pdf", show_default=True,
              help="pdf: the handout. json: the handout's model, every word it prints, as data "
                   "(SPEC.model.json unless -o names the file).")
@reports_errors
def build(specs, output, catalog_dirs, page_size, template, fillable, strict, grayscale, jobs, depfile,
          output_format) -> None:
    """Validate specs and write their PDF handouts."""
    global built_everything
    import time

    from .build import BuildOptions, build_many, build_one, count_pages, keeping_records, single_target
    from .errors import display_path

    options = BuildOptions(tuple(catalog_dirs), page_size, _template_argument(template), fillable, strict, grayscale,
                           output_format)
    if output == "-":  # to another program (the model to jq, the PDF to a printer), not a file named "-"
        if len(specs) != 1 or depfile:
            raise click.UsageError("-o - writes one handout to standard output: give one spec, and no --depfile")
        _to_standard_output(specs[0], options)
        built_everything = True
        return
    with keeping_records(output_format):
        if len(specs) == 1:
            built = build_one(specs[0], single_target(specs[0], output, output_format), options, depfile=depfile)
            _echo_warnings(built.warnings)
            click.echo(built.summary())
            built_everything = True
            return
        if depfile:
            raise click.UsageError("--depfile works with one spec at a time")
        if output is None:
            from .clinic import default_output

            configured = default_output(specs)  # routinepress.toml's `output` folder, if it names one
            output = str(configured) if configured else None
        started = time.perf_counter()
        show_bar = sys.stderr.isatty() and len(specs) > 1
        with click.progressbar(length=len(specs), label="building", file=sys.stderr) if show_bar else _NoBar() as bar:
            results = build_many(list(specs), Path(output) if output else Path.cwd(), options,
                                 jobs or os.cpu_count() or 1, on_done=lambda _: bar.update(1))
        for built in results:
            _echo_warnings(built.warnings)
            if built.output is not None:  # None: it failed, and says why below
                click.echo(built.summary())
        failures = [b for b in results if b.error is not None]
        for built in failures:
            click.echo(built.error, err=True)
        pages = sum(b.pages for b in results)
        summary = (f"built {len(results) - len(failures)} of {len(results)} handouts ({count_pages(pages)}) "
                   f"in {time.perf_counter() - started:.1f} s")
        if failures:
            click.echo(f"{summary}; failed: " + ", ".join(display_path(b.spec) for b in failures), err=True)
            sys.exit(EXIT_INPUT)
        click.echo(summary)
        built_everything = True


def _to_standard_output(spec: Path, options) -> None:
    from .build import render_spec

    rendered = render_spec(spec, options)
    _echo_warnings(rendered.warnings)
    try:
        sys.stdout.buffer.write(rendered.data)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left early (`| head -c 100`): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_INPUT)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        pass


def _echo_warnings(warnings) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)




@main.group()
def catalog() -> None:
    """Browse, search and check the exercise catalog."""


@catalog.command("list")
@click.option("--kind", type=click.Choice(["stretch", "mobility", "strength", "balance", "stability"],
                                          case_sensitive=False))
@click.option("--region", help="Body region, e.g. hip or low-back.")
@click.option("--equipment", help="Equipment word, e.g. band or chair.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@catalog_option
@reports_errors
def catalog_list(kind, region, equipment, as_json, catalog_dirs) -> None:
    """List exercises: id, name, kind, position, equipment."""
    from . import catalog_tools

    found = catalog_tools.filtered(_catalog(catalog_dirs), kind, region, equipment)
    if as_json:
        click.echo(catalog_tools.dump([e.to_document() for e in found]), nl=False)
    else:
        click.echo(catalog_tools.table(found))


@catalog.command("show")
@click.argument("exercise_id")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@catalog_option
@reports_errors
def catalog_show(exercise_id, as_json, catalog_dirs) -> None:
    """Show one exercise in full, with the reading grade of its steps."""
    from . import catalog_tools
    from .errors import Diagnostic, InputError

    cat = _catalog(catalog_dirs)
    if exercise_id not in cat:
        raise InputError([Diagnostic("catalog", "", f"unknown exercise '{exercise_id}'", cat.suggest(exercise_id))])
    exercise = cat.get(exercise_id)
    if as_json:
        doc = exercise.to_document() | {"reading_grade": catalog_tools.reading_grade(exercise)}
        click.echo(catalog_tools.dump(doc), nl=False)
    else:
        click.echo(catalog_tools.describe(exercise))


@catalog.command("search")
@click.argument("text", nargs=-1, required=True)
@catalog_option
@reports_errors
def catalog_search(text, catalog_dirs) -> None:
    """Find exercises by name, alias, target or summary (typos forgiven)."""
    from . import catalog_tools
    from .errors import InputError

    query = " ".join(text)
    if len(query) > catalog_tools.MAX_QUERY:  # (100,000 characters ran past 20 s, and were echoed back)
        raise InputError.single("search", "", f"the search is {len(query)} characters long; at most "
                                f"{catalog_tools.MAX_QUERY}", "search for a name or a few words")
    hits = catalog_tools.search(_catalog(catalog_dirs), query)
    if not hits:
        click.echo(f"no exercise matches '{query}'", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(catalog_tools.table([exercise for _, exercise in hits]))


@catalog.command("warnings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@catalog_option
@reports_errors
def catalog_warnings(as_json, catalog_dirs) -> None:
    """The general warnings, conditions and pain rules a spec can name, with their ids."""
    from . import catalog_tools
    from .catalog import Catalog

    general = Catalog(list(catalog_dirs)).general()
    click.echo(catalog_tools.dump(catalog_tools.general_document(general)) if as_json
               else catalog_tools.describe_general(general), nl=not as_json)


@catalog.command("check")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@catalog_option
@reports_errors
def catalog_check(folder, catalog_dirs) -> None:
    """Check every entry: schema, id = file name, cross references, pictures, duplicates."""
    from . import catalog_tools
    from .errors import InputError

    cat = _catalog((*catalog_dirs, *([folder] if folder else [])))
    problems = catalog_tools.check(cat)
    if problems:
        raise InputError(problems)
    click.echo(f"ok: {len(cat.entry_files())} entries in {len(cat.folders)} folder(s)")


@catalog.command("sheet")
@click.option("-o", "--output", type=OutputPath(path_type=Path, dir_okay=False), default=Path("catalog-sheet.pdf"),
              show_default=True)
@click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
              show_default=True)
@click.option("--size", "sizes", multiple=True, metavar="TEMPLATE|WxH",
              help="Review sheet: pictures at a template's printed size (compact, standard, ...; 'all' for every "
                   "built-in one) or at W x H mm (e.g. 38x25), beside each exercise's steps. Repeatable.")
@click.option("--template", "templates", multiple=True, help="Same as --size TEMPLATE (a name or a file).")
@click.option("--exercise", "-e", "only", multiple=True, help="Only this exercise (catalog id). Repeatable.")
@catalog_option
@reports_errors
def catalog_sheet(output, page_size, sizes, templates, only, catalog_dirs) -> None:
    """A contact sheet of every exercise's illustrations; with --size, a review sheet beside the steps."""
    from .build import write_atomic
    from .errors import Diagnostic, InputError
    from .render.sheet import contact_sheet, review_sheet, sheet_sizes

    cat = _catalog(catalog_dirs)
    unknown = [i for i in only if i not in cat]
    if unknown:
        raise InputError([Diagnostic("--exercise", "", f"unknown exercise '{i}'", cat.suggest(i)) for i in unknown])
    exercises = [cat.get(i) for i in (only or cat.ids())]
    chosen = [*sizes, *templates]
    pdf = review_sheet(exercises, sheet_sizes(chosen), page_size) if chosen else contact_sheet(exercises, page_size)
    write_atomic(output, pdf)
    click.echo(f"wrote {output} ({len(exercises)} exercises)")


@main.command()
@click.argument("exercise_id")
@click.option("-o", "--output", "out_dir", type=OutputPath(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Folder to write the pictures to.")
@click.option("--format", "fmt", type=click.Choice(["png", "pdf"], case_sensitive=False), default="png",
              show_default=True)
@click.option("--side", type=click.Choice(["right", "left"], case_sensitive=False), default="right", show_default=True,
              help="Which side works; left mirrors the figure.")
@catalog_option
@reports_errors
def illustrate(exercise_id, out_dir, fmt, side, catalog_dirs) -> None:
    """Write one exercise's pictures as PNG or PDF files."""
    from .errors import Diagnostic, InputError
    from .render.sheet import exercise_images

    cat = _catalog(catalog_dirs)
    if exercise_id not in cat:
        raise InputError([Diagnostic("catalog", "", f"unknown exercise '{exercise_id}'", cat.suggest(exercise_id))])
    for path in exercise_images(cat.get(exercise_id), out_dir, fmt, mirror=side == "left"):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exercise", "-e", "exercises", multiple=True, required=True, help="Catalog id. Repeatable.")
@click.option("--title", help="Handout title. Default: the config's, else 'Home exercise program'.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@catalog_option
@reports_errors
def new(output, exercises, title, force, catalog_dirs) -> None:
    """Write a starter spec with these exercises at their default doses.

    In a clinic folder, the fields its routinepress.toml sets are left to it.
    """
    from . import catalog_tools
    from .build import write_atomic
    from .clinic import starter
    from .config import apply_defaults, find_config
    from .errors import InputError
    from .spec import check_spec

    if output.exists() and not force:
        raise InputError.single(output, "", "already exists; not overwriting it", "pass --force to replace it")
    config = find_config(output.parent if output.parent.is_dir() else Path.cwd())
    catalog = _catalog(catalog_dirs, config.root)
    doc = catalog_tools.starter_spec(catalog, list(exercises), title or "Home exercise program")
    doc, from_config = starter(doc, config, keep=("title",) if title else ())
    # What `new` writes, validate accepts: a title it would refuse is refused here, unwritten.
    check_spec(apply_defaults(doc, config, output.parent), output, catalog, config.root)
    write_atomic(output, catalog_tools.dump(doc).encode("utf-8"))
    click.echo(f"wrote {output}")
    if from_config and config.file:
        click.echo(f"from {config.file.name}: {', '.join(from_config)} (`routinepress config {output}` shows them)")


@main.group()
def template() -> None:
    """List and show handout templates."""


@template.command("list")
def template_list() -> None:
    """The built-in templates."""
    from .templates import builtin_names, load_template

    for name in builtin_names():
        click.echo(f"{name:<12} {load_template(name)['description']}")


@template.command("show")
@click.argument("name")
@reports_errors
def template_show(name) -> None:
    """Print the fully merged template, ready to copy and edit."""
    import json

    from .templates import load_template

    click.echo(json.dumps(load_template(name).data, indent=2))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("."))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", envvar="ROUTINEPRESS_TOKEN",
              help="Bearer token every API call must carry; required with a --host other than loopback. "
                   "Also read from ROUTINEPRESS_TOKEN.")
@click.option("--allow-host", "allowed_hosts", multiple=True,
              help="Another name clients may use for this server (the Host header), e.g. behind a proxy.")
def serve(folder, host, port, token, allowed_hosts) -> None:
    """Edit, preview and build the handouts of a clinic FOLDER in the browser; also a JSON API."""
    from .serve import is_loopback
    from .serve import serve as run

    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"--host {host} lets other machines reach the server, and the folder holds patient data: "
            "pass --token (or set ROUTINEPRESS_TOKEN) so that only those who know it can use it")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"routinepress: editing {folder.resolve()} at http://{shown}:{port}/"
               + (f"#token={token}" if token else ""), err=True)
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        click.echo("routinepress: requests are answered only for the names given with --allow-host "
                   "(the Host check); add the name or address other machines use", err=True)
    run(folder, host, port, token, tuple(allowed_hosts))


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="Print the config as JSON.")
@reports_errors
def config_command(path, catalog_dirs, as_json) -> None:
    """Show the settings in effect, and where each comes from.

    PATH is a folder (default: the current one) or a spec, whose fields are then shown
    merged with the config's defaults.
    """
    from .clinic import describe
    from .config import find_config

    path = path or Path.cwd()
    config = find_config(path)
    if as_json:
        import json

        doc = {"file": str(config.file) if config.file else None, "root": str(config.root),
               "catalog": [str(d) for d in (*config.catalog_dirs, *catalog_dirs)],
               "output": str(config.output) if config.output else None, "defaults": dict(config.defaults)}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    spec = path if path.is_file() else None
    click.echo("\n".join(describe(config, spec, tuple(catalog_dirs))))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--clinic", help="The clinic's name, printed in every handout's header.")
@reports_errors
def init(folder, clinic) -> None:
    """Make a clinic folder that `make` builds.

    It holds routinepress.toml, handouts/example.json, catalog/exercises/, a Makefile and a
    .gitignore. Never overwrites a file: if any of them is there already, it lists them and stops.
    """
    from .clinic import init_folder
    from .errors import display_path

    for path in init_folder(folder, clinic):
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"next: cd {folder} && make   (builds handouts/*.json into build/)")


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=OutputPath(path_type=Path),
              help="Output PDF (one spec) or folder (several). Default: as for build.")
@catalog_option
@page_size_option
@template_option
@strict_option
@reports_errors
def watch(specs, output, catalog_dirs, page_size, template, strict) -> None:
    """Build, then rebuild whenever a file the handout uses changes.

    Those are the spec, its catalog entries and pictures, the template, the logo and
    routinepress.toml. A broken edit prints its problems and the last good PDF stays.
    Ctrl-C stops.
    """
    from .build import BuildOptions
    from .clinic import default_output
    from .watch import check_targets, outputs
    from .watch import watch as watch_files

    options = BuildOptions(tuple(catalog_dirs), page_size, _template_argument(template), strict=strict)
    targets = outputs(list(specs), output, None if output else default_output(specs))
    check_targets(list(specs), targets)
    try:
        watch_files(list(specs), targets, options, lambda text, err: click.echo(text, err=err))
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
