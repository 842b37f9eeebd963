"""The real `csds-bot slack` command in a subprocess: bad settings stop it with one line, and it
serves Slack over HTTP and over Socket Mode against the fake Slack, never logging a secret."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket as sockets
import subprocess
import sys
import threading
import time

import pytest
from fake_slack import (APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, event_callback, mention, send, send_event)

SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, "fake-ticket-123")


def _env(api, **extra) -> dict:
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": api.api_url}
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.parametrize("env, args, message", [
    ({"SLACK_BOT_TOKEN": None}, [], "Error: SLACK_BOT_TOKEN is not set; set it to the Bot User OAuth Token"),
    ({"SLACK_BOT_TOKEN": "xoxp-1-2"}, [], "Error: SLACK_BOT_TOKEN holds a token starting xoxp-...; it must start with xoxb-"),
    ({}, [], "Error: SLACK_APP_TOKEN is not set: for Socket Mode create an app-level token"),
    ({"SLACK_APP_TOKEN": "xoxb-1-2"}, [], "Error: SLACK_APP_TOKEN holds a token starting xoxb-...; it must start with xapp-"),
    ({}, ["--http"], "Error: SLACK_SIGNING_SECRET is not set; HTTP mode checks every request with it"),
    ({"SLACK_APP_TOKEN": APP_TOKEN}, ["--port", "3000"], "Error: --port only applies to HTTP mode"),
    ({"SLACK_BOT_TOKEN": "xoxb-revoked-token", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, ["--http"],
     "Error: Slack rejected SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token (xoxb-...) again"),
    ({"SLACK_APP_TOKEN": "xapp-1-revoked-token"}, [], "Error: Slack rejected SLACK_APP_TOKEN (invalid_auth)"),
    ({"SLACK_API_URL": "http://127.0.0.1:9/api/", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, ["--http"],
     "Error: could not reach the Slack Web API at http://127.0.0.1:9/api/"),
])
def test_bad_settings_stop_it_with_one_line_naming_the_fix(api, run_cli, knowledge_copy, env, args, message):
    proc = run_cli("slack", *args, "--knowledge", str(knowledge_copy), env=_env(api, **env), timeout=60)
    assert proc.returncode != 0
    assert proc.stderr_text.startswith(message), proc.stderr_text
    assert proc.stderr_text.count("\n") == 1 and "Traceback" not in proc.stderr_text
    assert not any(s in proc.stderr_text for s in ("xoxp-1-2", "xoxb-revoked-token", "xapp-1-revoked-token"))


def test_a_busy_port_is_one_line(api, run_cli, knowledge_copy):
    with sockets.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run_cli("slack", "--http", "--host", "127.0.0.1", "--port", str(port), "--knowledge", str(knowledge_copy),
                       env=_env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET), timeout=60)
    assert proc.returncode == 1
    assert proc.stderr_text.splitlines()[-1] == f"Error: port {port} is already in use; choose another with --port"
    assert "Traceback" not in proc.stderr_text


class Bot:
    """`python -m bot slack ...` running; its stderr collected line by line."""

    def __init__(self, args: list[str], env: dict, cwd) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "slack", *args], env=env, cwd=cwd,
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)
            self._queue.put(line)

    def wait_line(self, needle: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if needle in line:
                return line
        raise AssertionError(f"no line with {needle!r}; stderr was:\n{''.join(self.lines)}")

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        time.sleep(0.1)  # let the reader thread drain
        return "".join(self.lines)


def test_http_mode_serves_signed_requests_and_refuses_forged_ones(api, knowledge_copy, tmp_path):
    env = _env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_APP_TOKEN=APP_TOKEN,  # --http wins
               CSDS_BOT_DB=str(tmp_path / "log.db"), CSDS_BOT_NO_LOG=None)
    bot = Bot(["--http", "--host", "127.0.0.1", "--port", "0", "--log-level", "debug",
               "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        line = bot.wait_line("listening for Slack on")
        url = line.split(" on ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/slack/events")
        reply = send_event(url, mention("<@UBOT0001> what is IGARD?", ts="1700.0001"), "Ev1")
        assert reply.status == 200
        [post] = api.wait_calls("chat.postMessage")
        assert post.body["thread_ts"] == "1700.0001" and "IGARD" in post.body["text"]
        forged = send(url, json.dumps(event_callback(mention("<@UBOT0001> hi"), "Ev2")), "application/json",
                      secret="f" * 32)
        assert forged.status == 401
        api.quiet()
        assert len(api.of("chat.postMessage")) == 1
    finally:
        log = bot.stop()
    assert bot.proc.returncode == 0
    assert "Sending a request" in log  # debug logging was on: the secrets had every chance to show
    assert not [s for s in SECRETS if s in log]
    assert (tmp_path / "log.db").exists()  # questions go to the interaction log


def test_socket_mode_answers_and_reconnects_after_disconnect(api, socket, knowledge_copy, tmp_path):
    env = _env(api, SLACK_APP_TOKEN=APP_TOKEN)
    bot = Bot(["--log-level", "debug", "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        bot.wait_line("connected to Slack (Socket Mode)")
        socket.wait_connections(1)
        envelope = socket.send("events_api", event_callback(mention("<@UBOT0001> what is IGARD?", ts="1.1"), "Ev1"))
        socket.wait_ack(envelope)
        api.wait_calls("chat.postMessage")
        socket.disconnect()
        socket.wait_connections(2)
        envelope = socket.send("events_api", event_callback(mention("<@UBOT0001> what is a DSA?", ts="1.2"), "Ev2"))
        socket.wait_ack(envelope)
        first, second = api.wait_calls("chat.postMessage", 2)
        assert (first.body["thread_ts"], second.body["thread_ts"]) == ("1.1", "1.2")
    finally:
        log = bot.stop()
    assert bot.proc.returncode == 0
    assert not [s for s in SECRETS if s in log]
