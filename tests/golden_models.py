"""Golden files for the Handout model: each spec in tests/golden/specs/ maps to the model JSON
in tests/golden/models/, compared as JSON. A change to the words a patient reads then shows
as a reviewable diff. Regenerate with `make golden` (this module run as a script).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
SPECS = sorted((GOLDEN / "specs").glob("*.json"))


def model(spec: Path):
    """The Handout model of `spec`."""
    from routinepress.catalog import Catalog
    from routinepress.model import build_model
    from routinepress.spec import load_spec

    catalog = Catalog()
    return build_model(load_spec(spec, catalog), catalog)


def model_json(spec: Path) -> dict:
    """The model of `spec` with machine-specific paths written relative to the repository."""
    data = model(spec).to_json()
    repo = str(GOLDEN.parent.parent)
    return json.loads(json.dumps(data).replace(repo, "<repo>"))


def expected(spec: Path) -> dict:
    return json.loads((GOLDEN / "models" / spec.name).read_text(encoding="utf-8"))


def regenerate() -> None:
    for spec in SPECS:
        out = GOLDEN / "models" / spec.name
        out.write_text(json.dumps(model_json(spec), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(GOLDEN.parent.parent)}")


if __name__ == "__main__":
    sys.exit(regenerate())
