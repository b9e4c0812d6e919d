"""The guard in front of every request: Host, Origin, token, body size, errors, one log line.

A clinic runs this on a workstation that holds patient data, so:
- the Host header must name this server (a web page cannot reach it by DNS rebinding);
- a request that writes must come from this server's own page, or from a program (no Origin);
- with a token, every API call carries it (`Authorization: Bearer ...`);
- a body over the limit gets 413, however it is sent;
- a bug answers 500 with one plain sentence, the traceback goes to the server's log only;
- the log line names the route's pattern, never a handout name or a query (they can hold names).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

MAX_BODY = 1024 * 1024
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Reachable without the token: the editor's own page and scripts, and catalog pictures
# (no patient data); the page then asks for the token and sends it with every API call.
OPEN_PICTURES = "/api/catalog/"

log = logging.getLogger("routinepress.serve")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


def is_loopback(host: str) -> bool:
    """Only this machine can reach `host`: "localhost" or a literal loopback address
    (never a name that merely starts like one, such as 127.attacker.example)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """'example:8000' -> 'example'; '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """The Origin header names this server: the same scheme, host name and port as the
    request itself (https://127.0.0.1:8765 or evil://127.0.0.1:8765 is another origin)."""
    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        here = urlsplit(f"{scheme}://{host.strip().lower()}")
        here_port = here.port or DEFAULT_PORTS.get(scheme)
    except ValueError:  # "null", a port out of range, a malformed address
        return False
    return (parts.scheme == scheme and parts.hostname is not None and parts.hostname == here.hostname
            and port == here_port and not parts.path.strip("/") and not parts.username)


class Guard:
    def __init__(self, app, *, allowed_hosts: Iterable[str], token: str | None = None,
                 max_body: int = MAX_BODY, route_name: Callable[[Scope], str] | None = None):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}
        self.token = token
        self.max_body = max_body
        self.route_name = route_name or (lambda scope: scope.get("path", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 0, "bytes": 0}

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            refusal = self.refusal(scope)
            if refusal:
                await _json(counting_send, *refusal)
            else:
                await self.app(scope, self.limited(receive), counting_send)
        except BodyTooLarge:
            if not state["status"]:
                await _json(counting_send, 413, f"the request body is larger than {self.max_body} bytes")
        except Exception:
            log.exception("internal error on %s %s", scope["method"], self.route_name(scope))
            if not state["status"]:
                await _json(counting_send, 500, "internal error; the server's log has the details")
        log.info("%s %s %d %.1fms %dB", scope["method"], self.route_name(scope), state["status"],
                 (time.perf_counter() - started) * 1000, state["bytes"])

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host_name(host) not in self.allowed:
            return 400, ("unknown Host header; open the editor at the address the server printed "
                         "(the server's --allow-host names the others)")
        if scope["method"] not in READ_METHODS:
            origin = headers.get("origin")
            if origin is not None and not same_origin(origin, scope.get("scheme", "http"), host):
                return 403, "cross-origin write refused"
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "cross-site write refused"
        if self.token and not self._open(scope["path"], scope["method"]):
            scheme, _, given = headers.get("authorization", "").strip().partition(" ")
            # the scheme's name is case-insensitive (RFC 9110): "bearer" is "Bearer"
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
                return 401, "this server needs its token: Authorization: Bearer <token>"
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return 413, f"the request body is larger than {self.max_body} bytes"
        return None

    @staticmethod
    def _open(path: str, method: str) -> bool:
        if method not in READ_METHODS:
            return False
        if path == "/" or path == "/favicon.ico" or path.startswith("/static/"):
            return True
        return path.startswith(OPEN_PICTURES) and "/pictures/" in path

    def limited(self, receive: Receive) -> Receive:
        """Counts the body as it arrives: a chunked upload has no Content-Length to check first."""
        seen = 0

        async def wrapped() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        return wrapped


async def _json(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
