"""Bounded per-thread history, event de-duplication under races, and log redaction."""

from __future__ import annotations

import logging
import threading

from bot.slack.logs import RedactingFormatter
from bot.conversation import MemoryHistory
from bot.slack.memory import SeenEvents


def test_history_keeps_recent_questions_of_recent_threads_only():
    history = MemoryHistory(max_conversations=2, per_conversation=2)
    history.add("a", "q1")
    history.add("a", "q2")
    history.add("a", "q3")
    assert history.get("a") == ("q2", "q3")
    history.add("b", "x")
    history.get("a")  # "a" is now the most recently used
    history.add("c", "y")
    assert history.get("b") == () and history.get("a") == ("q2", "q3") and len(history) == 2
    history.add("c", "x" * 50_000)  # a pasted document is kept only as far as the engine reads
    assert len(history.get("c")[-1]) == MemoryHistory.max_chars


def test_an_event_id_is_taken_once_even_when_deliveries_race():
    seen = SeenEvents(max_size=3)
    results = []
    gate = threading.Barrier(20)

    def deliver():
        gate.wait()
        results.append(seen.first_time("Ev1"))

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    for n in range(2, 6):
        assert seen.first_time(f"Ev{n}")
    assert seen.first_time("Ev1")  # forgotten beyond max_size: Slack stopped retrying long ago


def test_log_lines_never_show_tokens_secrets_or_socket_tickets():
    formatter = RedactingFormatter("%(message)s", secrets=["8f742231b10e8888abcd99efab1285a5"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token %s app %s secret %s url %s", (
        "xoxb-123-456-abcDEF", "xapp-1-A1-2-zz", "8f742231b10e8888abcd99efab1285a5",
        "wss://wss.slack.com/link/?ticket=abc-123&app_id=A1"), None)
    line = formatter.format(record)
    assert line == "token [redacted] app [redacted] secret [redacted] url wss://wss.slack.com/link/?ticket=[redacted]&app_id=A1"
    try:
        raise ValueError("bad token xoxp-999-888")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "xoxp-999-888" not in formatter.format(record) and "Traceback" in formatter.format(record)
