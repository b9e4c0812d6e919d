"""`routinepress serve`: a browser editor with live preview, and a JSON API, over one clinic folder.

    routinepress serve [FOLDER] [--host 127.0.0.1] [--port 8000] [--token T]

For several workers behind a reverse proxy, uvicorn builds the app from the environment:

    ROUTINEPRESS_FOLDER=/srv/clinic ROUTINEPRESS_TOKEN=... ROUTINEPRESS_ALLOWED_HOSTS=hep.clinic.lan \\
      uvicorn --factory routinepress.serve:from_environment --workers 4 --host 0.0.0.0 --port 8000
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .app import create_app
from .security import is_loopback


def from_environment():
    """The app as the ROUTINEPRESS_* variables describe it (for `uvicorn --factory --workers N`)."""
    _log_to_stderr()
    hosts = tuple(h.strip() for h in os.environ.get("ROUTINEPRESS_ALLOWED_HOSTS", "").split(",") if h.strip())
    token = os.environ.get("ROUTINEPRESS_TOKEN") or None
    # Behind a proxy the workers bind any address; the token is then required, as for --host.
    host = "0.0.0.0" if hosts or token else "127.0.0.1"
    return create_app(os.environ.get("ROUTINEPRESS_FOLDER", "."), host=host, token=token, allowed_hosts=hosts)


def serve(folder: Path, host: str, port: int, token: str | None, allowed_hosts: tuple[str, ...] = ()) -> None:
    import uvicorn

    _log_to_stderr()
    app = create_app(folder, host=host, token=token, allowed_hosts=allowed_hosts)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info", server_header=False)


def _log_to_stderr() -> None:
    logger = logging.getLogger("routinepress.serve")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


__all__ = ["create_app", "from_environment", "is_loopback", "serve"]
