"""Running the App: Socket Mode (slack_sdk's built-in websocket client, which reconnects by
itself, also when Slack sends `disconnect`) or HTTP (bolt's WSGI adapter on waitress).

Why waitress and not the standard library's `wsgiref` server: wsgiref is a reference implementation
its own documentation says has not been reviewed for security; with a thread per connection it has
no limit on connections or threads and no timeout, so slow or idle clients pin threads for ever, and
it has no cap on a request's size. waitress is a production WSGI server in pure Python (nothing to
compile in a slim image), reads each request whole before the app sees it, runs a fixed pool of
threads with a connection limit and an idle timeout. One process is what this bot wants (one index
in memory, one reload thread), so gunicorn's pre-fork workers would only multiply the memory; run
replicas instead (README: Deploying).

Health, readiness and metrics (bot.service.health) are served on the same port in HTTP mode and on
`--health-port` beside Socket Mode.
"""

from __future__ import annotations

import errno
import logging
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Callable

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from waitress import wasyncore

from bot.errors import BotError
from bot.service.metrics import Metrics
from bot.slack.config import APPS_PAGE, SlackConfigError

log = logging.getLogger(__name__)

PATH = "/slack/events"

# The HTTP threads only verify a request and ack it (bolt hands the answering to its own listener
# executor), so a few suffice; 16 keep a burst of slash commands from queueing behind slow clients.
THREADS = 16
# Slack gives up on an ack after 3 s; a connection idle for 60 s is closed (waitress's default is 120).
IDLE_SECONDS = 60
# waitress's default connection limit (100) would refuse part of a burst of Slack events; the
# backlog holds the rest.
CONNECTION_LIMIT = 1000


class HttpServer:
    """A WSGI app on host:port under waitress (port 0 picks a free one: see `.server_port`)."""

    def __init__(self, app: Callable, host: str, port: int, option: str = "--port") -> None:
        try:
            self._server = waitress.create_server(app, host=host, port=port, threads=THREADS, ident="csds-bot",
                                                  channel_timeout=IDLE_SECONDS, connection_limit=CONNECTION_LIMIT)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BotError(f"port {port} is already in use; choose another with {option}") from None
            raise BotError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --host or {option}") from None
        self.server_port: int = self._server.effective_port
        self._stopped = threading.Event()

    def serve_forever(self, poll_interval: float | None = None) -> None:
        """Serve until `shutdown()` (from another thread) or KeyboardInterrupt/SIGTERM (this one)."""
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serving: the loop thread closes every connection and leaves `serve_forever`."""
        server = self._server
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # the wake-up pipe is gone: close from here; the loop sees an empty map within a second
            wasyncore.close_all(server._map)
        self._stopped.wait(timeout=30)
        server.task_dispatcher.shutdown()

    def server_close(self) -> None:
        """Kept for the callers of the old standard-library server: `shutdown()` has closed it all."""


def make_http_server(app: App, host: str, port: int, health: Callable | None = None) -> HttpServer:
    """`app` on POST /slack/events (Events API, slash commands and interactivity), behind `health`
    (bot.service.health.service_app) for /healthz, /readyz and /metrics when given."""
    slack = SlackRequestHandler(app, PATH)
    return HttpServer(health(slack) if health is not None else slack, host, port)


class _CountErrors(RetryHandler):
    """Retries nothing; counts every Web API attempt that fails (`ok: false`, an HTTP error, no
    connection), by method and error. A retry handler because that is the one hook bolt carries
    over: it copies the app client's handlers into the client it makes for each request."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=sys.maxsize)  # so that _can_retry sees every attempt
        self.metrics = metrics

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        method = request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if response is not None and response.status_code != 200:
            code = f"http_{response.status_code}"
        elif response is not None:
            body = response.body if isinstance(response.body, dict) else {}
            if body.get("ok", True):
                return False
            code = str(body.get("error") or "unknown")
        elif error is not None:
            code = "connection"
        else:
            return False
        self.metrics.slack_api_errors.labels(method, code).inc()
        return False


def count_api_errors(client: WebClient, metrics: Metrics) -> WebClient:
    """`client`, counting its failed Web API calls (and those of the clients bolt copies from it)
    in `metrics`; a 429 retried and then answered counts once, as `http_429`."""
    client.retry_handlers.insert(0, _CountErrors(metrics))  # first: the handlers after it may stop the loop
    return client


@dataclass
class Running:
    """A started front end: what to tell the operator, and the call that serves until stopped."""

    banner: str
    serve: Callable[[], None]


def start_http(app: App, host: str, port: int, health: Callable | None = None) -> Running:
    server = make_http_server(app, host, port, health)

    def serve() -> None:
        _stop_on_sigterm()
        try:
            server.serve_forever()  # waitress leaves quietly on KeyboardInterrupt (Ctrl-C or SIGTERM)
        finally:
            log.info("stopping")

    return Running(f"csds-bot is listening for Slack on http://{host}:{server.server_port}{PATH}", serve)


def start_socket_mode(app: App, app_token: str, health_app: Callable | None = None, host: str = "0.0.0.0",
                      health_port: int | None = None) -> Running:
    """Connect over Socket Mode; with `health_port`, serve `health_app` there in a background thread."""
    health = HttpServer(health_app, host, health_port, "--health-port") if health_port is not None else None
    handler = SocketModeHandler(app, app_token)
    try:
        handler.connect()  # afterwards the client reconnects by itself
    except SlackApiError as exc:
        code = exc.response.get("error") or f"HTTP {exc.response.status_code}"
        raise SlackConfigError(
            f"Slack rejected SLACK_APP_TOKEN ({code}); create an app-level token with connections:write under "
            f"Basic Information > App-Level Tokens ({APPS_PAGE}) and check Socket Mode is enabled") from None
    banner = "csds-bot is connected to Slack (Socket Mode)"
    if health is not None:
        threading.Thread(target=health.serve_forever, name="csds-bot-health", daemon=True).start()
        banner += f"; health, readiness and metrics on http://{host}:{health.server_port}/healthz, /readyz, /metrics"

    def serve() -> None:
        _stop_on_sigterm()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            log.info("stopping")
        finally:
            handler.close()
            if health is not None:
                health.shutdown()

    return Running(banner, serve)


def _stop_on_sigterm() -> None:
    # systemd and docker stop with SIGTERM: leave through the same clean path as Ctrl-C.
    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
