"""Liveness, readiness and metrics over WSGI, in front of the front end's own WSGI app (if any).

- `GET /healthz`: 200 while the process serves requests (for restarts: a hung process stops answering).
- `GET /readyz`: 200 when every check passes, else 503 with each failing check's reason, one per line
  (for load balancers: send no traffic to a replica that cannot answer or cannot record).
- `GET /metrics`: Prometheus text.
A check is a callable returning None when all is well and the reason (one line) otherwise; the
database check comes from the store, so this module knows nothing of SQLite or PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable, Mapping

from bot.service.metrics import Metrics

log = logging.getLogger(__name__)

Check = Callable[[], "str | None"]
WsgiApp = Callable[[dict, Callable], Iterable[bytes]]

HEALTH_PATHS = ("/healthz", "/readyz", "/metrics")


def run_checks(checks: Mapping[str, Check]) -> list[str]:
    """`name: reason` for every failing check; a check that raises fails with its exception."""
    failures = []
    for name, check in checks.items():
        try:
            reason = check()
        except Exception as exc:  # a readiness probe reports, it never crashes the server
            reason = f"{type(exc).__name__}: {exc}"
        if reason:
            failures.append(f"{name}: {reason}")
    return failures


def knowledge_check(engine) -> Check:
    """Ready once the engine holds knowledge with something in it to answer from."""

    def check() -> str | None:
        knowledge = getattr(engine, "knowledge", None)
        if knowledge is None:
            return "not loaded yet"
        if not knowledge.faqs and not knowledge.passages:
            return "the knowledge folder holds no FAQ entries and no guidance; check CSDS_BOT_KNOWLEDGE or --knowledge"
        return None

    return check


def service_app(checks: Mapping[str, Check], metrics: Metrics | None, fallback: WsgiApp | None = None) -> WsgiApp:
    """A WSGI app serving the three paths and handing every other request to `fallback` (404 without one)."""

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path not in HEALTH_PATHS:
            if fallback is not None:
                return fallback(environ, start_response)
            return _reply(start_response, "404 Not Found", b"not found; try /healthz, /readyz or /metrics\n")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _reply(start_response, "405 Method Not Allowed", b"use GET\n", [("Allow", "GET, HEAD")])
        if path == "/healthz":
            return _reply(start_response, "200 OK", b"ok\n")
        if path == "/readyz":
            failures = run_checks(checks)
            if failures:
                log.warning("not ready: %s", "; ".join(failures))
                return _reply(start_response, "503 Service Unavailable", ("not ready\n" + "\n".join(failures) + "\n").encode())
            return _reply(start_response, "200 OK", ("ready\n" + "".join(f"{name}: ok\n" for name in checks)).encode())
        if metrics is None:
            return _reply(start_response, "404 Not Found", b"metrics are off\n")
        return _reply(start_response, "200 OK", metrics.render(), content_type=metrics.content_type)

    return app


def _reply(start_response: Callable, status: str, body: bytes, headers: list | None = None,
           content_type: str = "text/plain; charset=utf-8") -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), *(headers or [])])
    return [body]
