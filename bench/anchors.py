"""routinepress against what users would pick instead, in one interleaved run (issue 17).

The anchors are ../shared/anchors: the same 8-exercise handout written as a plain reportlab
script and as a Typst document, in their own virtual environment (its run.sh makes
/tmp/anchors and /tmp/anchorvenv; ANCHOR_DIR and ANCHOR_PYTHON point elsewhere). The method
is that folder's ratios.py: whole-process builds taken in turns, in a new random order each
round, so a busy machine slows all of them alike, and every ratio comes from one run.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANCHOR_DIR = Path(os.environ.get("ANCHOR_DIR", "/tmp/anchors"))
ANCHOR_PYTHON = Path(os.environ.get("ANCHOR_PYTHON", "/tmp/anchorvenv/bin/python"))
SPEC = "routinepress-standard8.json"  # the anchors' content as a routinepress spec
WARM_ROUNDS = 5  # warm medians of 30 builds each, routinepress's and Typst's in turn

# Builds one handout per process, each with its own text: the anchors' warm measure.
WARM = r"""
import copy, json, statistics, sys, time
import routinepress
spec = json.load(open(sys.argv[1])); times = []
for i in range(31):
    s = copy.deepcopy(spec); s["title"] = f"{spec['title']} {i}"
    for section in s["sections"]:
        section["title"] = f"{section['title']} {i}"
    t = time.perf_counter(); routinepress.build_handout(s, base_dir=sys.argv[2]); times.append(time.perf_counter() - t)
print(statistics.median(times[1:]))
"""


def warm_with_new_text(spec_path: Path) -> float:
    """routinepress's warm per-handout time, measured as the anchors measure it (seconds)."""
    done = subprocess.run([sys.executable, "-c", WARM, str(spec_path), str(spec_path.parent)], capture_output=True,
                          text=True, check=True)
    return float(done.stdout.split()[-1])


def available() -> bool:
    return ANCHOR_PYTHON.exists() and all((ANCHOR_DIR / f).exists() for f in (SPEC, "rl_handout.py", "ty_handout.py"))


def spec() -> Path:
    return ANCHOR_DIR / SPEC


def _timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True)
    took = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(command)}: {done.stderr.decode()[-300:]}")
    return took


def compare(routinepress: list[str], rounds: int = 15) -> dict[str, float]:
    """Medians in seconds: cold (drawing cache warm), first (no cache), reportlab, typst, and
    warm per-handout times of routinepress and of Typst (every build with new text)."""
    out = Path(tempfile.mkdtemp())
    off = {**os.environ, "ROUTINEPRESS_CACHE_DIR": "off"}
    python = str(ANCHOR_PYTHON)
    jobs = {
        "cold": lambda: _timed([*routinepress, "build", str(spec()), "-o", str(out / "rp.pdf")]),
        "first": lambda: _timed([*routinepress, "build", str(spec()), "-o", str(out / "rp1.pdf")], env=off),
        "reportlab": lambda: _timed([python, "rl_handout.py", "-o", str(out / "rl.pdf")], cwd=ANCHOR_DIR),
        "typst": lambda: _timed([python, "ty_handout.py", "-o", str(out / "ty.pdf")], cwd=ANCHOR_DIR),
    }
    for job in jobs.values():
        job()  # the file cache and the drawing cache warm
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(rounds):
        order = list(jobs)
        random.shuffle(order)
        for name in order:
            times[name].append(jobs[name]())
    result = {name: statistics.median(values) for name, values in times.items()}
    # The warm runs take turns too: a machine that slows down for a few seconds would
    # otherwise slow whichever warm run it caught, and the ratio with it.
    warm: dict[str, list[float]] = {"warm": [], "typst_warm": []}
    for _ in range(WARM_ROUNDS):
        warm["warm"].append(warm_with_new_text(spec()))
        typst = subprocess.run([python, "ty_handout.py", "-o", str(out / "tyw.pdf"), "--repeat", "31", "--vary"],
                               cwd=ANCHOR_DIR, capture_output=True, text=True, check=True)
        warm["typst_warm"].append(json.loads(typst.stdout.splitlines()[-1])["warm_median_s"])
    result |= {name: statistics.median(values) for name, values in warm.items()}
    return result
