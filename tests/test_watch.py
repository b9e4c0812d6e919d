"""`routinepress watch` in a real process, with real edits to real files, and a bound on every wait."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import minimal_spec, write_spec
from pdfread import ReadPdf
from test_clinic import make_clinic, overlay_entry

WAIT = 60  # seconds for any one step; a rebuild takes about a second, more on a busy machine


class Watcher:
    """`routinepress watch` running in a subprocess; its output read line by line as it comes."""

    def __init__(self, cwd: Path, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "routinepress", "watch", *args], cwd=cwd,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.put(line.rstrip("\n"))

    def wait_for(self, fragment: str) -> list[str]:
        """Lines up to and including the next one holding `fragment`; fails after WAIT seconds."""
        deadline = time.monotonic() + WAIT
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            got.append(line)
            self.seen.append(line)
            if fragment in line:
                return got
        pytest.fail(f"no line with {fragment!r} within {WAIT} s; output so far:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        time.sleep(0.2)  # let the reader thread drain what is left
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def watched(tmp_path):
    clinic = make_clinic(tmp_path / "clinic")
    overlay_entry(clinic, "bridge", "Clinic bridge")
    spec = write_spec(clinic / "handouts", minimal_spec(title="First title"), "a.json")
    watcher = Watcher(clinic, "handouts/a.json", "-o", "out.pdf")
    try:
        yield clinic, spec, watcher
    finally:
        if watcher.proc.poll() is None:
            watcher.proc.kill()
            watcher.proc.wait(timeout=10)


def test_watch_rebuilds_on_each_kind_of_change_and_survives_a_broken_edit(watched):
    clinic, spec, watcher = watched
    pdf = clinic / "out.pdf"
    watcher.wait_for("wrote out.pdf")
    watcher.wait_for("watching")
    text = ReadPdf(pdf).text
    assert "First title" in text and "Clinic bridge" in text and "Riverside PT" in text

    edit(spec, "First title", "Second title")  # the spec
    watcher.wait_for("wrote out.pdf")
    assert "Second title" in ReadPdf(pdf).text

    edit(clinic / "catalog" / "exercises" / "bridge.json", "Clinic bridge", "Clinic hip bridge")  # a catalog entry
    watcher.wait_for("wrote out.pdf")
    assert "Clinic hip bridge" in ReadPdf(pdf).text

    edit(clinic / "routinepress.toml", "Riverside PT", "Lakeside PT")  # the config
    watcher.wait_for("wrote out.pdf")
    assert "Lakeside PT" in ReadPdf(pdf).text

    good = pdf.read_bytes()
    edit(spec, '"title": "Second title",', '"title": "Third title",,')  # broken JSON
    broken = watcher.wait_for("not built")
    assert any(line.startswith("error: handouts/a.json: line ") and "invalid JSON" in line for line in broken)
    assert "out.pdf kept as it was" in broken[-1]
    assert pdf.read_bytes() == good  # the last good PDF stays in place

    edit(spec, '"Third title",,', '"Third title",')  # fixed: watching went on
    watcher.wait_for("wrote out.pdf")
    assert "Third title" in ReadPdf(pdf).text

    edit(clinic / "routinepress.toml", 'output = "build"', 'output = "../outside"')  # a broken config
    broken = watcher.wait_for("not built")
    assert any("error: routinepress.toml: output: '../outside' leaves the folder" in line for line in broken)
    assert "Third title" in ReadPdf(pdf).text

    started = time.monotonic()
    assert watcher.stop() == 0
    assert time.monotonic() - started < 10
    output = "\n".join(watcher.seen)
    assert "Traceback" not in output and "internal error" not in output
    assert watcher.seen[-1] == "stopped watching"


def test_watch_picks_up_an_overlay_entry_added_later(watched):
    clinic, spec, watcher = watched
    watcher.wait_for("watching")
    doc = json.loads(spec.read_text(encoding="utf-8"))
    doc["sections"][0]["exercises"] = ["clamshell"]
    spec.write_text(json.dumps(doc), encoding="utf-8")
    watcher.wait_for("wrote out.pdf")
    assert "Clamshell" in ReadPdf(clinic / "out.pdf").text
    overlay_entry(clinic, "clamshell", "Clinic clamshell")  # a new file that replaces the built-in entry
    watcher.wait_for("wrote out.pdf")
    assert "Clinic clamshell" in ReadPdf(clinic / "out.pdf").text
    assert watcher.stop() == 0


def test_watch_refuses_to_write_over_its_spec(tmp_path):
    spec = write_spec(tmp_path, minimal_spec())
    done = subprocess.run([sys.executable, "-m", "routinepress", "watch", str(spec), "-o", str(spec)],
                          capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1
    assert "is the spec itself" in done.stderr
    assert json.loads(spec.read_text(encoding="utf-8"))["title"] == "Test routine"


def test_watch_refuses_a_spec_that_is_not_there_to_start_with(tmp_path):
    """A misspelt name used to be watched for ever after 'file not found'."""
    done = subprocess.run([sys.executable, "-m", "routinepress", "watch", "nosuch.json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1
    assert done.stderr.startswith("error: nosuch.json: file not found")
