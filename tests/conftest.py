"""Shared fixtures: run the real CLI, read PDFs back, check every PDF the suite writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _private_drawing_cache(tmp_path_factory):
    """The suite (and the CLI processes it starts) keeps its drawing cache out of the home folder."""
    os.environ["ROUTINEPRESS_CACHE_DIR"] = str(tmp_path_factory.mktemp("drawing-cache"))
    yield
HANDOUTS = REPO / "handouts"
CATALOG = REPO / "catalog"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> CliResult:
    """The installed console entry point in a fresh process, as a user runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "routinepress", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


def write_spec(folder: Path, doc: dict | str, name: str = "spec.json") -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2), encoding="utf-8")
    return path


def minimal_spec(**extra) -> dict:
    doc = {"spec_version": 1, "title": "Test routine", "sections": [{"title": "Moves", "exercises": ["bridge"]}]}
    doc.update(extra)
    return doc


def assert_structurally_valid(pdf: Path) -> None:
    """An independent check (qpdf, through pikepdf) that the file is a sound PDF."""
    with pikepdf.open(pdf) as doc:
        problems = doc.check_pdf_syntax()
    assert not problems, f"{pdf.name}: {problems}"


@pytest.fixture(autouse=True)
def _every_pdf_is_valid(tmp_path: Path):
    """After each test, every PDF it wrote under its tmp_path passes the structural check."""
    yield
    for pdf in sorted(tmp_path.rglob("*.pdf")):
        assert_structurally_valid(pdf)


@pytest.fixture(scope="module")
def catalog():
    """The built-in catalog, loaded once per test module."""
    from routinepress.catalog import Catalog

    return Catalog()


@pytest.fixture(scope="module")
def workdir():
    """A folder shared by a module's generated cases (Hypothesis runs many per test)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="routinepress-cases-") as folder:
        yield Path(folder)


def run_racing(targets: list[Callable[[], None]], switch_interval: float, rounds: int = 1) -> None:
    """Run the callables in threads at once, `rounds` times, with Python switching threads
    every few bytecodes, so that a race between them shows in a few rounds."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)
    try:
        for _ in range(rounds):
            threads = [threading.Thread(target=target) for target in targets]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(interval)
