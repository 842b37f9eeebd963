"""The bot as a service: /healthz, /readyz and /metrics over real HTTP from the real `csds-bot slack`
process (HTTP mode on its port, Socket Mode on --health-port), the JSON log line per question, and the
reload and Slack API error counters."""

from __future__ import annotations

import json
import re
import socket as sockets
import threading
import urllib.error
import urllib.request

import pytest
from fake_slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, event_callback, mention, send_event
from conftest import make_services
from test_cli_slack import SECRETS, Bot, _env

from bot.answering.live import LiveEngine
from bot.service.health import service_app
from bot.service.metrics import Metrics
from bot.slack.app import build_app, web_client
from bot.slack.config import SlackConfig
from bot.slack.server import HttpServer, count_api_errors, make_http_server

USER = "U0PRIVATE7"  # must never reach a log line


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def sample(metrics_text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when it is absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in metrics_text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        got = re.match(r"([^{]+)(?:\{(.*)\})?$", key)
        if got and got.group(1) == name and ",".join(sorted((got.group(2) or "").split(","))) == wanted:
            return float(value)
    return None


def test_http_mode_serves_health_readiness_metrics_and_one_json_line_per_question(api, knowledge_copy, tmp_path):
    env = _env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET, CSDS_BOT_DB=str(tmp_path / "log.db"), CSDS_BOT_NO_LOG=None)
    bot = Bot(["--http", "--host", "127.0.0.1", "--port", "0", "--log-format", "json", "--log-level", "debug",
               "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        url = json.loads(bot.wait_line("listening for Slack on", timeout=60))["message"].split(" on ", 1)[1].strip()
        base = url.removesuffix("/slack/events")
        assert get(base + "/healthz") == (200, "ok\n")
        assert get(base + "/readyz") == (200, "ready\nknowledge: ok\ndatabase: ok\n")
        status, before = get(base + "/metrics")
        assert status == 200
        assert sample(before, "csds_bot_questions_total", outcome="answered", channel="slack") is None

        reply = send_event(url, mention("<@UBOT0001> what is IGARD?", user=USER, ts="1700.0001"), "Ev1")
        assert reply.status == 200
        api.wait_calls("chat.postMessage", timeout=30)
        line = bot.wait_line("question handled", timeout=30)
        _, after = get(base + "/metrics")
        assert sample(after, "csds_bot_questions_total", outcome="answered", channel="slack") == 1.0
        assert sample(after, "csds_bot_answer_seconds_count", channel="slack") == 1.0
        assert get(base + "/nowhere")[0] == 404
    finally:
        log = bot.stop()
    record = json.loads(line)
    assert record["level"] == "INFO" and record["channel"] == "slack" and record["outcome"] == "answered"
    assert record["top_entry"] == "glossary-igard" and 0 < record["confidence"] <= 1 and record["latency_ms"] >= 0
    for text in log.splitlines():
        json.loads(text)  # every line, the libraries' debug lines too, is one JSON object
    assert USER not in log and "what is IGARD" not in line  # who asked and what: the interaction log's, hashed
    assert not [s for s in SECRETS if s in log]


def test_readiness_is_503_with_the_reason_when_the_database_cannot_be_opened(api, knowledge_copy, tmp_path):
    broken = tmp_path / "log.db"
    broken.write_text("not a database\n" * 100)
    env = _env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET, CSDS_BOT_DB=str(broken), CSDS_BOT_NO_LOG=None)
    bot = Bot(["--http", "--host", "127.0.0.1", "--port", "0", "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        url = bot.wait_line("listening for Slack on", timeout=60).split(" on ", 1)[1].strip()
        base = url.removesuffix("/slack/events")
        assert get(base + "/healthz") == (200, "ok\n")  # alive: a restart would not mend the database
        status, body = get(base + "/readyz")
        assert status == 503
        assert body == f"not ready\ndatabase: sqlite {broken}: file is not a database\n"
        # Answers still come while the database is down.
        assert send_event(url, mention("<@UBOT0001> what is IGARD?", ts="1.5"), "Ev1").status == 200
        [post] = api.wait_calls("chat.postMessage", timeout=30)
        assert "IGARD" in post.body["text"]
    finally:
        bot.stop()


def _free_port() -> int:
    with sockets.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("reachable", [True, False])
def test_readiness_follows_postgresql(api, knowledge_copy, tmp_path, pg_url, reachable):
    url = pg_url if reachable else f"postgresql://nobody@127.0.0.1:{_free_port()}/nothing"  # nothing listens there
    env = _env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET, CSDS_BOT_DB=url, CSDS_BOT_NO_LOG=None)
    bot = Bot(["--http", "--host", "127.0.0.1", "--port", "0", "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        base = bot.wait_line("listening for Slack on", timeout=60).split(" on ", 1)[1].strip().removesuffix("/slack/events")
        status, body = get(base + "/readyz")
        if reachable:
            assert (status, body) == (200, "ready\nknowledge: ok\ndatabase: ok\n")
        else:
            assert status == 503, body
            assert body.startswith(f"not ready\ndatabase: postgresql {url}: ") and "refused" in body
        assert get(base + "/healthz") == (200, "ok\n")
    finally:
        bot.stop()


def test_socket_mode_serves_health_on_health_port(api, socket, knowledge_copy, tmp_path):
    env = _env(api, SLACK_APP_TOKEN=APP_TOKEN)
    bot = Bot(["--health-port", "0", "--host", "127.0.0.1", "--knowledge", str(knowledge_copy)], env, tmp_path)
    try:
        banner = bot.wait_line("connected to Slack (Socket Mode)", timeout=60)
        base = re.search(r"(http://127\.0\.0\.1:\d+)/healthz", banner).group(1)
        assert get(base + "/healthz") == (200, "ok\n")
        assert get(base + "/readyz")[0] == 200
        socket.wait_connections(1, timeout=30)
        envelope = socket.send("events_api", event_callback(mention("<@UBOT0001> thanks!", ts="1.1"), "Ev1"))
        socket.wait_ack(envelope, timeout=30)
        api.wait_calls("chat.postMessage", timeout=30)
        bot.wait_line("question handled", timeout=30)
        assert sample(get(base + "/metrics")[1], "csds_bot_questions_total", outcome="smalltalk", channel="slack") == 1.0
        assert get(base + "/slack/events")[0] == 404  # only the health paths here
    finally:
        log = bot.stop()
    assert bot.proc.returncode == 0
    assert not [s for s in SECRETS if s in log]


def test_health_port_is_refused_in_http_mode(api, run_cli, knowledge_copy):
    proc = run_cli("slack", "--http", "--health-port", "9999", "--knowledge", str(knowledge_copy),
                   env=_env(api, SLACK_SIGNING_SECRET=SIGNING_SECRET), timeout=60)
    assert proc.returncode == 1
    assert proc.stderr_text == ("Error: --health-port is for Socket Mode; in HTTP mode /healthz, /readyz and "
                                "/metrics are on --port\n")


def test_readiness_reports_each_failing_check_and_survives_a_check_that_raises():
    def broken():
        raise RuntimeError("connection refused")

    server = HttpServer(service_app({"knowledge": lambda: None, "database": broken}, Metrics()), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        assert get(base + "/readyz") == (503, "not ready\ndatabase: RuntimeError: connection refused\n")
        assert get(base + "/healthz") == (200, "ok\n")
    finally:
        server.shutdown()


def test_reloads_and_reload_failures_are_counted(knowledge_copy):
    metrics = Metrics()
    with LiveEngine(knowledge_copy, poll_seconds=0, on_reload=metrics.reloaded) as live:
        extra = knowledge_copy / "faq" / "extra.yaml"
        extra.write_text("- question: Where is the office kettle?\n  answer: In the kitchen.\n")
        assert live.reload_now()
        extra.write_text("- question: [unclosed\n")
        assert not live.reload_now()
    text = metrics.render().decode()
    assert sample(text, "csds_bot_knowledge_reloads_total") == 1.0
    assert sample(text, "csds_bot_knowledge_reload_failures_total") == 1.0


def test_slack_api_errors_in_a_listener_are_counted_by_method_and_error(api, knowledge_copy, tmp_path):
    # Through the real App over real HTTP: bolt hands each listener a client of its own, copied from the app's.
    metrics = Metrics()
    services, log = make_services(knowledge_copy, tmp_path / "log.db")
    config = SlackConfig(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api.api_url)
    app = build_app(config, services, client=count_api_errors(web_client(config), metrics))
    server = make_http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api.fail_next("chat.postMessage", error="not_in_channel")
        send_event(f"http://127.0.0.1:{server.server_port}/slack/events",
                   mention("<@UBOT0001> what is IGARD?", ts="1.1"), "Ev1")
        api.wait_calls("chat.postMessage", 2)  # the reply Slack refused, then the apology
    finally:
        server.shutdown()
        log.close()
    text = metrics.render().decode()
    assert sample(text, "csds_bot_slack_api_errors_total", method="chat.postMessage", error="not_in_channel") == 1.0
    assert sample(text, "csds_bot_slack_api_errors_total", method="auth.test", error="not_in_channel") is None
