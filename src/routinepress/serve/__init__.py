"""`routinepress serve`: a browser editor with live preview, and a JSON API, over one clinic folder.

    routinepress serve [FOLDER] [--host 127.0.0.1] [--port 8000] [--token T]

For several workers behind a reverse proxy, uvicorn builds the app from the environment:

    ROUTINEPRESS_FOLDER=/srv/clinic ROUTINEPRESS_TOKEN=... ROUTINEPRESS_ALLOWED_HOSTS=hep.clinic.lan \\
      uvicorn --factory routinepress.serve:from_environment --workers 4 --host 0.0.0.0 --port 8000 --no-access-log \\
      --forwarded-allow-ips=PROXY_ADDRESS

A write must come from the editor's own origin, scheme included: behind a proxy that serves
https, uvicorn must trust the proxy's X-Forwarded-Proto (--forwarded-allow-ips), or the
browser's https Origin will not match the plain-http request and saves are refused (403).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .app import create_app
from .security import is_loopback


def from_environment():
    """The app as the ROUTINEPRESS_* variables describe it (for `uvicorn --factory --workers N`).

    ROUTINEPRESS_FOLDER: the clinic folder (default: the current one).
    ROUTINEPRESS_HOST: the address uvicorn listens on, as given to it (default 0.0.0.0: behind a
      proxy the workers are reachable from other machines, so a token is required).
    ROUTINEPRESS_TOKEN: the bearer token. ROUTINEPRESS_ALLOWED_HOSTS: comma-separated names
      the clients use (the Host header the proxy passes on).
    """
    _log_to_stderr()
    hosts = tuple(h.strip() for h in os.environ.get("ROUTINEPRESS_ALLOWED_HOSTS", "").split(",") if h.strip())
    host = os.environ.get("ROUTINEPRESS_HOST", "0.0.0.0")
    token = os.environ.get("ROUTINEPRESS_TOKEN") or None
    if not is_loopback(host) and not token:
        # uvicorn prints this one line ("Error loading ASGI app factory: ...") and exits
        raise ValueError("set ROUTINEPRESS_TOKEN: a server other machines can reach needs a token, as the "
                         "folder holds patient data (or set ROUTINEPRESS_HOST=127.0.0.1)")
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
