"""Page report: `make pages`. Pages, and pages per exercise, of every example in every template.

Layout changes show their cost in paper here. The targets are the layout issue's, for
its typical routines: 6 exercises with a 2-week tracker (standard <= 5 pages, compact <= 3,
large print <= 9) and 13 exercises (standard <= 9).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "handouts"
TEMPLATES = ("standard", "compact", "large-print")
# (exercises, template) -> most pages, for the routines the targets were set on
TARGETS = {(6, "standard"): 5, (6, "compact"): 3, (6, "large-print"): 9, (13, "standard"): 9}


def main() -> int:
    import json

    import pypdfium2 as pdfium

    from routinepress.api import build_handout

    print(f"{'example':<28} {'exercises':>9}  " + "  ".join(f"{t:>16}" for t in TEMPLATES))
    missed = 0
    for spec in sorted(EXAMPLES.glob("*.json")):
        doc = json.loads(spec.read_text(encoding="utf-8"))
        count = sum(len(section["exercises"]) for section in doc["sections"])
        cells = []
        for template in TEMPLATES:
            pages = len(pdfium.PdfDocument(build_handout(spec, template=template)))
            target = TARGETS.get((count, template))
            met = "" if target is None else " ok" if pages <= target else f" >{target}"
            missed += met.startswith(" >")
            cells.append(f"{pages:>2} ({pages / count:.2f}/ex){met:<3}")
        print(f"{spec.stem:<28} {count:>9}  " + "  ".join(f"{c:>16}" for c in cells))
    print("targets met" if not missed else f"{missed} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
