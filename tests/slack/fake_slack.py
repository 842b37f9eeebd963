"""A fake Slack for end-to-end tests, on 127.0.0.1 and free ports, with no network:

- FakeWebApi: the Web API (`POST /api/<method>`) and response_urls (`POST /respond/<n>`); it
  records every call with its parsed body and can be told to fail the next call of a method.
- FakeSocketMode: Slack's Socket Mode websocket. It says `hello`, sends `events_api`,
  `slash_commands` and `interactive` envelopes, records the acks by `envelope_id`, and can send
  `disconnect` to make the client reconnect.
- sign(): Slack's v0 request signature, written out here independently of slack_sdk so the
  bot's verification is checked against the spec, not against itself.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

BOT_TOKEN = "xoxb-1111-2222-testbottoken"
APP_TOKEN = "xapp-1-A111-3333-testapptoken"
SIGNING_SECRET = "8f742231b10e8888abcd99efab1285a5"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0000TEST"
# How long a test waits for something to happen: generous, so a loaded CI machine does not fail a
# test that would pass; latencies are the benchmarks' to measure (benchmarks/slack_load.py).
WAIT = 30.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the load test's bursts must queue, not be refused


@dataclass
class Call:
    method: str  # "chat.postMessage", ..., or "response_url"
    body: dict[str, Any]
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class FakeWebApi:
    """Slack's Web API on a local port. `calls` lists what the bot asked for, in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.valid_tokens = {BOT_TOKEN, APP_TOKEN}
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                status, headers, payload = fake._handle(self.path, dict(self.headers), raw)
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.api_url = self.url + "api/"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self._responses = itertools.count(1)

    # -- test controls ----------------------------------------------------------------------

    def fail_next(self, method: str, status: int = 200, error: str | None = None,
                  headers: dict[str, str] | None = None) -> None:
        """The next call of `method` gets this answer instead of a success."""
        body = {"ok": False, "error": error or ("ratelimited" if status == 429 else "fatal_error")}
        self.failures.setdefault(method, []).append(Failure(status, body, headers or {}))

    def response_url(self) -> str:
        """A fresh response_url, as Slack puts in slash commands and interactions."""
        return f"{self.url}respond/{next(self._responses)}"

    def of(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def posts(self) -> list[Call]:
        """What users would see: messages, ephemeral messages and response_url posts."""
        with self._cond:
            return [c for c in self.calls if c.method in ("chat.postMessage", "chat.postEphemeral", "response_url")]

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = WAIT) -> Any:
        """Block until `predicate(calls)` is truthy; return its value. Fails the test on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate(list(self.calls))
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    summary = [(c.method, c.body.get("text", "")[:60]) for c in self.calls]
                    raise AssertionError(f"timed out waiting; calls so far: {summary}")
                self._cond.wait(min(left, 0.05))

    def wait_calls(self, method: str, count: int = 1, timeout: float = WAIT) -> list[Call]:
        """All calls of `method` so far, once there are at least `count`."""
        def enough(calls: list[Call]) -> list[Call] | None:
            found = [c for c in calls if c.method == method]
            return found if len(found) >= count else None

        return self.wait_for(enough, timeout)

    def quiet(self, seconds: float = 0.3) -> None:
        """Let the bot finish anything in flight (used before asserting that nothing more came)."""
        time.sleep(seconds)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the fake ---------------------------------------------------------------------------

    def _handle(self, path: str, headers: dict[str, str], raw: str):
        body = _parse(raw, headers.get("Content-Type", ""))
        if path.startswith("/respond/"):
            self._record(Call("response_url", body, headers, path))
            return 200, {}, "ok"
        method = path.removeprefix("/api/").split("?")[0]
        self._record(Call(method, body, headers, path))
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            return failure.status, failure.headers, failure.body
        token = (headers.get("Authorization") or "").removeprefix("Bearer ") or body.get("token", "")
        if token not in self.valid_tokens:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        return 200, {}, self._success(method, body)

    def _success(self, method: str, body: dict) -> dict:
        ts = f"{1700000000 + next(self._ts)}.000100"
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "csds-bot",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": ts,
                    "message": {"text": body.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0001", **(body.get("view") or {})}}
        return {"ok": True}

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()


def _parse(raw: str, content_type: str) -> dict:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    form = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
    for key in ("blocks", "view"):  # WebClient form-encodes these as JSON strings
        if isinstance(form.get(key), str):
            form[key] = json.loads(form[key])
    return form


# -- signed HTTP requests ------------------------------------------------------------------------

def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """`v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`, as Slack signs every request."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: str
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}


def send(url: str, body: str, content_type: str, timestamp: int | None = None, signature: str | None = None,
         headers: dict[str, str] | None = None, secret: str = SIGNING_SECRET) -> Reply:
    """POST a request to the bot as Slack would: signed with the secret unless told otherwise."""
    ts = int(time.time()) if timestamp is None else timestamp
    all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
                   "X-Slack-Signature": signature or sign(body, ts, secret), **(headers or {})}
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return Reply(response.status, response.read().decode(), time.monotonic() - started)
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.read().decode(), time.monotonic() - started)


def send_event(url: str, event: dict, event_id: str, **kwargs) -> Reply:
    return send(url, json.dumps(event_callback(event, event_id)), "application/json", **kwargs)


def send_form(url: str, fields: dict, **kwargs) -> Reply:
    return send(url, urllib.parse.urlencode(fields), "application/x-www-form-urlencoded", **kwargs)


def send_interaction(url: str, payload: dict, **kwargs) -> Reply:
    return send_form(url, {"payload": json.dumps(payload)}, **kwargs)


# -- payloads, as Slack sends them ---------------------------------------------------------------

_ids = itertools.count(1)


def next_ts() -> str:
    return f"{1690000000 + next(_ids)}.{next(_ids):06d}"


def event_callback(event: dict, event_id: str) -> dict:
    return {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback",
            "event_id": event_id, "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}


def mention(text: str, channel: str = "C0001", user: str = "U0USER1", ts: str | None = None,
            thread_ts: str | None = None, **extra) -> dict:
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts or next_ts(), "channel": channel,
             "event_ts": ts or next_ts(), "team": TEAM}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {**event, **extra}


def dm(text: str, channel: str = "D0001", user: str = "U0USER1", ts: str | None = None, **extra) -> dict:
    event = {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts or next_ts(),
             "channel": channel, "event_ts": ts or next_ts(), "team": TEAM}
    return {**event, **extra}


def slash(text: str, response_url: str, user: str = "U0USER1", channel: str = "C0001") -> dict:
    return {"token": "legacy", "team_id": TEAM, "team_domain": "test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": "someone", "command": "/csds",
            "text": text, "api_app_id": "A0001", "response_url": response_url,
            "trigger_id": f"trigger-{next(_ids)}"}


def block_action(action_id: str, value: str, message: dict, response_url: str, user: str = "U0USER1",
                 channel: str = "C0001", ephemeral: bool = False) -> dict:
    container = {"type": "message", "message_ts": message.get("ts", ""), "channel_id": channel,
                 "is_ephemeral": ephemeral}
    if message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "test"},
               "user": {"id": user, "username": "someone", "team_id": TEAM}, "api_app_id": "A0001",
               "token": "legacy", "container": container, "trigger_id": f"trigger-{next(_ids)}",
               "channel": {"id": channel, "name": "general"}, "response_url": response_url,
               "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                            "action_ts": next_ts(), "text": {"type": "plain_text", "text": "x"}}]}
    if not ephemeral:
        payload["message"] = message
    return payload


def message_shortcut(text: str, response_url: str, user: str = "U0USER1", channel: str = "C0001") -> dict:
    return {"type": "message_action", "callback_id": "csds_add_faq_shortcut", "token": "legacy",
            "trigger_id": f"trigger-{next(_ids)}", "response_url": response_url, "team": {"id": TEAM},
            "user": {"id": user, "name": "someone"}, "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "user": "U0OTHER", "text": text, "ts": next_ts()},
            "message_ts": next_ts(), "action_ts": next_ts()}


def view_submission(view: dict, values: dict[str, str], user: str = "U0USER1", force: bool = False) -> dict:
    """Submit the modal `view` (as the bot opened it) with these field values."""
    state = {block: {"value": {"type": "plain_text_input", "value": value}} for block, value in values.items()}
    state["force"] = {"value": {"type": "checkboxes",
                                "selected_options": [{"value": "force"}] if force else []}}
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "name": "someone"},
            "api_app_id": "A0001", "token": "legacy", "trigger_id": f"trigger-{next(_ids)}",
            "view": {**view, "id": "V0001", "team_id": TEAM, "state": {"values": state}}}


# -- Socket Mode ---------------------------------------------------------------------------------

class FakeSocketMode:
    """Slack's Socket Mode endpoint: a websocket on a local port (the `websockets` library)."""

    def __init__(self, api: FakeWebApi) -> None:
        from websockets.sync.server import serve

        self.connections: list[Any] = []
        self.acks: dict[str, dict] = {}
        self._cond = threading.Condition()
        self.server = serve(self._session, "127.0.0.1", 0)
        port = self.server.socket.getsockname()[1]
        api.socket_url = f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket-123"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _session(self, ws) -> None:
        with self._cond:
            older = list(self.connections)
            self.connections.append(ws)
            self._cond.notify_all()
        for old in older:  # as Slack does once a client has moved to a new connection
            old.close()
        ws.send(json.dumps({"type": "hello", "num_connections": len(self.connections),
                            "debug_info": {"host": "fake"}, "connection_info": {"app_id": "A0001"}}))
        try:
            for raw in ws:
                message = json.loads(raw)
                if message.get("envelope_id"):
                    with self._cond:
                        self.acks[message["envelope_id"]] = message
                        self._cond.notify_all()
        except Exception:  # the client went away: that is what disconnect tests are about
            pass

    def wait_connections(self, count: int, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.connections) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"only {len(self.connections)} socket connection(s), wanted {count}")
                self._cond.wait(left)

    def send(self, kind: str, payload: dict, retry_attempt: int = 0) -> str:
        """Send one envelope on the newest connection; returns its envelope_id."""
        envelope_id = f"env-{next(_ids)}"
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api",
                    "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""}
        self.connections[-1].send(json.dumps(envelope))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = WAIT) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope_id not in self.acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"envelope {envelope_id} was never acknowledged")
                self._cond.wait(left)
            return self.acks[envelope_id]

    def disconnect(self) -> None:
        """What Slack sends before it recycles a connection: the client must reconnect."""
        self.connections[-1].send(json.dumps({"type": "disconnect", "reason": "refresh_requested",
                                              "debug_info": {"host": "fake"}}))

    def close(self) -> None:
        for ws in self.connections:
            ws.close()
        self.server.shutdown()
