"""routinepress: compile a JSON home-exercise routine into a printable PDF handout.

    import routinepress
    pdf_bytes = routinepress.build_handout("handouts/mixed-short.json")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build_handout", "build_handout_file"]


def __getattr__(name: str) -> Any:
    # The API pulls in jsonschema and reportlab: load it on first use, so `routinepress --help` stays fast.
    if name in ("build_handout", "build_handout_file"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'routinepress' has no attribute {name!r}")
