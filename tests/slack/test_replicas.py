"""Two real `csds-bot slack --http` processes on different ports, sharing one PostgreSQL database
and one knowledge folder, behind the fake Slack: what Slack sees must be one bot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fake_slack import FakeWebApi, mention, send_event, send_form, send_interaction, slash, view_submission
from replicas import start_replica

from conftest import ADMIN

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
DEADLINE = 60  # seconds: generous, for a loaded machine; no test here measures speed


@pytest.fixture(scope="module")
def pair(pg_url, tmp_path_factory):
    """Replicas A and B, the fake Slack they both post to, the shared knowledge folder."""
    root = tmp_path_factory.mktemp("replicas")
    knowledge = Path(shutil.copytree(KNOWLEDGE, root / "knowledge"))
    api = FakeWebApi()
    started = []
    try:
        for name in ("a", "b"):
            started.append(start_replica(api, knowledge, pg_url, root / name, admins=ADMIN))
        yield api, started[0], started[1], knowledge
    finally:
        for replica in started:
            replica.stop()
        api.close()


def _posts_in(api: FakeWebApi, thread_ts: str) -> list:
    return [c for c in api.of("chat.postMessage") if c.body.get("thread_ts") == thread_ts]


def _wait_posts_in(api: FakeWebApi, thread_ts: str, count: int = 1) -> list:
    def enough(calls):
        found = [c for c in calls if c.method == "chat.postMessage" and c.body.get("thread_ts") == thread_ts]
        return found[:count] if len(found) >= count else None

    return api.wait_for(enough, timeout=DEADLINE)


def test_the_same_event_sent_to_both_replicas_is_answered_once(pair):
    api, a, b, _ = pair
    event = mention("<@UBOT0001> what is IGARD?", ts="2100.0001")
    gate = threading.Barrier(4)

    def deliver(url, retry):
        gate.wait()
        return send_event(url, event, "EvTwice", headers={"X-Slack-Retry-Num": "1"} if retry else None)

    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(deliver, [a.url, b.url, a.url, b.url], [False, False, True, True]))
    assert [r.status for r in replies] == [200] * 4
    _wait_posts_in(api, "2100.0001")
    api.quiet(1.0)
    assert len(_posts_in(api, "2100.0001")) == 1


def test_a_follow_up_reaching_the_other_replica_is_read_with_the_thread(pair):
    api, a, b, _ = pair
    send_event(a.url, mention("<@UBOT0001> what is IGARD?", ts="2200.0001"), "EvFirst")
    _wait_posts_in(api, "2200.0001")
    send_event(b.url, mention("<@UBOT0001> what does it do?", ts="2200.0005", thread_ts="2200.0001"), "EvFollow")
    _, follow_up = _wait_posts_in(api, "2200.0001", 2)
    assert "Independent Group Advising on the Release of Data" in follow_up.body["text"]  # "it" is IGARD
    # The same words with no thread behind them are not read so (the control):
    send_event(b.url, mention("<@UBOT0001> what does it do?", ts="2200.0009"), "EvAlone")
    [alone] = _wait_posts_in(api, "2200.0009")
    assert "Independent Group Advising on the Release of Data" not in alone.body["text"]


def test_an_faq_added_through_one_replica_is_answered_by_the_other(pair):
    api, a, b, knowledge = pair
    question = "Can I bring my own laptop to the DARS office?"
    send_form(a.url, slash("add", api.response_url(), user=ADMIN))
    [opened] = api.wait_calls("views.open", timeout=DEADLINE)
    values = {"question": question, "alternates": "", "answer": "Yes, visitors may bring a laptop.", "source": ""}
    assert send_interaction(a.url, view_submission(opened.body["view"], values, user=ADMIN)).status == 200
    assert question in (knowledge / "faq" / "added.yaml").read_text()
    # B follows the shared folder (polled every second): ask until it answers, within the deadline.
    deadline, n = time.monotonic() + DEADLINE, 0
    while True:
        n += 1
        ts = f"2300.{n:04d}"
        send_event(b.url, mention(f"<@UBOT0001> {question}", ts=ts), f"EvLaptop{n}")
        [post] = _wait_posts_in(api, ts)
        if "visitors may bring a laptop" in post.body["text"]:
            break
        assert time.monotonic() < deadline, "replica B never answered with the entry added through A"
        time.sleep(0.5)


def test_report_sees_the_questions_of_both_replicas(pair, pg_url, tmp_path):
    api, a, b, knowledge = pair
    send_event(a.url, mention("<@UBOT0001> where do I park my bicycle at the office", ts="2400.0001"), "EvParkA")
    send_event(b.url, mention("<@UBOT0001> is there a canteen in the building", ts="2400.0002"), "EvCanteenB")
    _wait_posts_in(api, "2400.0001")
    _wait_posts_in(api, "2400.0002")
    proc = subprocess.run([sys.executable, "-m", "bot", "report", "--json", "--limit", "0", "--knowledge", str(knowledge)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=DEADLINE,
                          env={**os.environ, "CSDS_BOT_DB": pg_url, "CSDS_BOT_NO_LOG": ""})
    assert proc.returncode == 0, proc.stderr
    wordings = json.dumps(json.loads(proc.stdout))
    assert "where do I park my bicycle at the office" in wordings  # asked through A
    assert "is there a canteen in the building" in wordings  # asked through B


def test_200_concurrent_events_split_over_both_are_each_answered_exactly_once(pair):
    api, a, b, _ = pair
    questions = ["what is IGARD?", "how long does approval take?", "how much does a CSDS extract cost?",
                 "which contracts do we need to sign?", "xyzzy plugh"]
    events = 200
    gate = threading.Barrier(events)

    def deliver(n):
        event = mention(f"<@UBOT0001> {questions[n % len(questions)]}", ts=f"2500.{n:06d}")
        gate.wait()
        first = send_event((a, b)[n % 2].url, event, f"EvLoad{n}")
        # Every fifth is retried at the other replica as well, as Slack does when an ack is late.
        retry = send_event((b, a)[n % 2].url, event, f"EvLoad{n}", headers={"X-Slack-Retry-Num": "1"}) \
            if n % 5 == 0 else first
        return first.status, retry.status

    with ThreadPoolExecutor(events) as pool:
        statuses = list(pool.map(deliver, range(events)))
    assert set(statuses) == {(200, 200)}
    api.wait_for(lambda calls: sum(1 for c in calls if c.body.get("thread_ts", "").startswith("2500.")) >= events
                 or None, timeout=DEADLINE * 2)
    api.quiet(1.0)
    per_thread = Counter(c.body["thread_ts"] for c in api.of("chat.postMessage")
                         if c.body.get("thread_ts", "").startswith("2500."))
    warnings = [line for replica in (a, b) for line in replica.stderr if "WARNING" in line or "ERROR" in line]
    assert len(per_thread) == events and set(per_thread.values()) == {1}, warnings
