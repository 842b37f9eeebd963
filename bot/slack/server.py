"""Running the App: Socket Mode (slack_sdk's built-in websocket client, which reconnects by
itself, also when Slack sends `disconnect`) or HTTP (bolt's WSGI adapter on a threading server
from the standard library)."""

from __future__ import annotations

import errno
import logging
import signal
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Callable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError

from bot.errors import BotError
from bot.slack.config import APPS_PAGE, SlackConfigError

log = logging.getLogger(__name__)

PATH = "/slack/events"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request: bolt answers each within milliseconds (the ack), but a burst of
    events must not queue behind one slow client. A deep listen backlog keeps a burst of
    connections from being refused (http.server's default is 5)."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # one access line per event is noise at INFO
        log.debug("%s %s", self.address_string(), format % args)


def make_http_server(app: App, host: str, port: int) -> ThreadingWSGIServer:
    """A server for `app` on host:port (0 picks a free port: see `.server_port`); Events API,
    slash commands and interactivity all arrive on POST /slack/events."""
    try:
        return make_server(host, port, SlackRequestHandler(app, PATH),
                           server_class=ThreadingWSGIServer, handler_class=_QuietHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BotError(f"port {port} is already in use; choose another with --port") from None
        raise BotError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --host or --port") from None


@dataclass
class Running:
    """A started front end: what to tell the operator, and the call that serves until stopped."""

    banner: str
    serve: Callable[[], None]


def start_http(app: App, host: str, port: int) -> Running:
    server = make_http_server(app, host, port)

    def serve() -> None:
        _stop_on_sigterm()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: a normal way to stop a service
            log.info("stopping")
        finally:
            server.server_close()

    return Running(f"csds-bot is listening for Slack on http://{host}:{server.server_port}{PATH}", serve)


def start_socket_mode(app: App, app_token: str) -> Running:
    handler = SocketModeHandler(app, app_token)
    try:
        handler.connect()  # afterwards the client reconnects by itself
    except SlackApiError as exc:
        code = exc.response.get("error") or f"HTTP {exc.response.status_code}"
        raise SlackConfigError(
            f"Slack rejected SLACK_APP_TOKEN ({code}); create an app-level token with connections:write under "
            f"Basic Information > App-Level Tokens ({APPS_PAGE}) and check Socket Mode is enabled") from None

    def serve() -> None:
        _stop_on_sigterm()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            log.info("stopping")
        finally:
            handler.close()

    return Running("csds-bot is connected to Slack (Socket Mode)", serve)


def _stop_on_sigterm() -> None:
    # systemd and docker stop with SIGTERM: leave through the same clean path as Ctrl-C.
    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
