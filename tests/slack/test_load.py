"""Load: 200 signed mention events sent at once over HTTP. Each must be acknowledged within
Slack's 3 seconds and get exactly one reply, in its own thread. (benchmarks/slack_load.py runs
the same against the real `csds-bot slack --http` process and reports more figures.)"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fake_slack import mention, send_event, send_form, slash

EVENTS = 200
QUESTIONS = ["what is IGARD?", "how long does approval take?", "how much does a CSDS extract cost?",
             "which contracts do we need to sign?", "xyzzy plugh"]


def fire(url: str, count: int, command: dict) -> tuple[list, object, float]:
    """Send `count` distinct mention events and one /csds command at the same moment; returns the
    event replies, the command's reply and the start time."""
    gate = threading.Barrier(count + 1)

    def one(n: int):
        event = mention(f"<@UBOT0001> {QUESTIONS[n % len(QUESTIONS)]}", ts=f"1700000000.{n:06d}")
        gate.wait()
        return send_event(url, event, f"EvLoad{n}")

    def csds():
        gate.wait()
        return send_form(url, command)

    started = time.monotonic()
    with ThreadPoolExecutor(count + 1) as pool:
        in_the_crowd = pool.submit(csds)
        replies = list(pool.map(one, range(count)))
    return replies, in_the_crowd.result(), started


def test_200_concurrent_mentions_are_acked_and_answered_once_each(http_bot):
    replies, command, started = fire(http_bot.url, EVENTS, slash("what is IGARD?", http_bot.api.response_url()))
    assert [r.status for r in replies] == [200] * EVENTS
    assert command.status == 200  # a /csds in the crowd is acked too
    # How fast they are acked is a figure for `python -m benchmarks.slack_load`, not an assertion:
    # a loaded CI machine must not turn a timing into a red build.
    posts = http_bot.api.wait_calls("chat.postMessage", EVENTS, timeout=60)
    last_reply = max(p.at for p in posts) - started
    http_bot.api.quiet()
    threads = Counter(p.body["thread_ts"] for p in http_bot.api.of("chat.postMessage"))
    assert len(threads) == EVENTS and set(threads.values()) == {1}  # one reply per event, in its own thread
    [private] = http_bot.api.wait_calls("response_url")
    assert "IGARD" in private.body["text"]
    print(f"\n{EVENTS} mentions: slowest ack {max(r.seconds for r in replies):.2f} s, last reply after {last_reply:.2f} s")
