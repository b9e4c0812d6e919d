"""The command line: parse options, call one stage, choose the exit code. No logic lives here.

Heavy modules (reportlab, jsonschema) are imported inside commands so `--help` stays fast.
Exit codes: 0 ok, 1 a problem with the user's input, 2 usage (click's own).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__

EXIT_INPUT = 1

catalog_option = click.option(
    "--catalog", "catalog_dirs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
    help="Extra catalog folder; its entries override built-in ones with the same id. Repeatable.",
)


def reports_errors(command):
    """Turn library errors into messages and exit codes; a traceback only with --debug."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import InputError, RoutinepressError

        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.format(), err=True)
            sys.exit(EXIT_INPUT)
        except RoutinepressError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug of ours, not the user's: say so in one line
            if debug:
                raise
            click.echo(f"internal error: {exc.__class__.__name__}: {exc}", err=True)
            click.echo("This is a bug in routinepress. Please report it with the command you ran; "
                       "--debug shows the traceback.", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="routinepress")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
def main(debug: bool) -> None:
    """Compile JSON home-exercise routines into printable PDF handouts."""


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@catalog_option
@reports_errors
def validate(specs: tuple[Path, ...], catalog_dirs: tuple[Path, ...]) -> None:
    """Check routine specs against the schema and the catalog; print every problem."""
    from .catalog import Catalog
    from .errors import InputError
    from .model import build_model
    from .spec import load_spec

    catalog = Catalog(list(catalog_dirs))
    failed = 0
    for spec_path in specs:
        try:
            build_model(load_spec(spec_path, catalog), catalog)
        except InputError as exc:
            failed += 1
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.format(), err=True)
            continue
        click.echo(f"ok: {spec_path}")
    if failed:
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output PDF (one spec) or folder (several). Default: SPEC name with .pdf, in the current folder.")
@catalog_option
@click.option("--page-size", type=click.Choice(["letter", "a4"]), help="Paper size, overriding the spec and template.")
@click.option("--template", help="Template name or file, overriding the spec's choice.")
@click.option("--fillable", is_flag=True, help="Make the tracker's boxes fillable form check boxes too.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@reports_errors
def build(specs, output, catalog_dirs, page_size, template, fillable, strict) -> None:
    """Validate specs and write their PDF handouts."""
    from .build import BuildOptions, build_many, build_one
    from .errors import display_path

    options = BuildOptions(tuple(catalog_dirs), page_size, template, fillable, strict)
    if len(specs) == 1 and not (output and output.is_dir()):
        built = build_one(specs[0], output or Path(specs[0].stem + ".pdf"), options)
        _echo_warnings(built.warnings)
        click.echo(f"wrote {display_path(built.output)} ({_pages(built.pages)})")
        return
    results = build_many(list(specs), output or Path.cwd(), options)
    for built in results:
        _echo_warnings(built.warnings)
        if built.error is None:
            click.echo(f"wrote {display_path(built.output)} ({_pages(built.pages)})")
    failures = [b for b in results if b.error is not None]
    for built in failures:
        click.echo(str(built.error), err=True)
    if failures:
        click.echo(f"{len(failures)} of {len(results)} handouts failed: "
                   + ", ".join(display_path(b.spec) for b in failures), err=True)
        sys.exit(EXIT_INPUT)


def _echo_warnings(warnings) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"
