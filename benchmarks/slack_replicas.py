"""Replicas: N concurrent signed mention events against one `csds-bot slack --http` process and
against two sharing one PostgreSQL database, in the same run.

    python -m benchmarks.slack_replicas [--events 200] [--rounds 3]

Setups, each with fresh processes and the fake Slack of tests/slack/fake_slack.py (no network):
  1 x SQLite       today's default, the baseline
  1 x PostgreSQL   the same process on the shared database (what the database costs)
  2 x PostgreSQL   two replicas, events split between them (even to A, odd to B)
Each round fires every event at once (a barrier) and reports the median and slowest
acknowledgement (Slack gives up after 3 s), the time from the first send to the last reply, and
whether every event got exactly one reply in its own thread. Then, with two replicas, it times an
FAQ entry saved through A (the /csds add modal) until B answers with it (B polls the shared folder).
Needs a PostgreSQL server on 127.0.0.1:5432 with trust auth; makes and drops its own database.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "slack"))

from fake_slack import FakeWebApi, mention, send_event, send_form, send_interaction, slash, view_submission  # noqa: E402
from replicas import start_replica  # noqa: E402

QUESTIONS = ["what is IGARD?", "how long does approval take?", "how much does a CSDS extract cost?",
             "which contracts do we need to sign?", "xyzzy plugh"]
ADMIN = "U0ADMIN1"


def one_round(urls: list[str], api: FakeWebApi, events: int, round_no: int) -> dict:
    gate = threading.Barrier(events)
    prefix = f"{1800000000 + round_no}."

    def send(n: int):
        event = mention(f"<@UBOT0001> {QUESTIONS[n % len(QUESTIONS)]}", ts=f"{prefix}{n:06d}")
        gate.wait()
        return send_event(urls[n % len(urls)], event, f"EvRep{len(urls)}-{round_no}-{n}")  # ids unique per setup

    def mine(calls):
        return [c for c in calls if c.method == "chat.postMessage" and c.body.get("thread_ts", "").startswith(prefix)]

    started = time.monotonic()
    with ThreadPoolExecutor(events) as pool:
        replies = list(pool.map(send, range(events)))
    posts = api.wait_for(lambda calls: mine(calls) if len(mine(calls)) >= events else None, timeout=120)
    api.quiet(0.5)  # anything extra would show up now
    posts = mine(api.calls)
    threads = Counter(p.body["thread_ts"] for p in posts)
    acks = sorted(r.seconds for r in replies)
    return {"ok": all(r.status == 200 for r in replies) and len(threads) == events and set(threads.values()) == {1},
            "ack_p50": acks[len(acks) // 2], "ack_max": acks[-1], "last_reply": max(p.at for p in posts) - started}


def faq_reaches_other_replica(api: FakeWebApi, a: str, b: str, knowledge: Path) -> float:
    question = f"Is there a bicycle rack at the DARS office {uuid.uuid4().hex[:6]}?"
    before = len(api.of("views.open"))
    send_form(a, slash("add", api.response_url(), user=ADMIN))
    opened = api.wait_calls("views.open", before + 1, timeout=30)[-1]
    values = {"question": question, "alternates": "", "answer": "Yes, there is a bicycle rack by the door.", "source": ""}
    started = time.monotonic()
    send_interaction(a, view_submission(opened.body["view"], values, user=ADMIN))
    n = 0
    while time.monotonic() - started < 60:
        n += 1
        ts = f"1900000000.{n:06d}"
        send_event(b, mention(f"<@UBOT0001> {question}", ts=ts), f"EvRack{uuid.uuid4().hex}")
        post = api.wait_for(lambda calls: next((c for c in calls if c.body.get("thread_ts") == ts), None), timeout=30)
        if "bicycle rack by the door" in post.body["text"]:
            return time.monotonic() - started
        time.sleep(0.1)
    return float("nan")


def run_setup(label: str, replicas: int, db: str, args, workdir: Path) -> tuple[list[dict], float | None]:
    api = FakeWebApi()
    knowledge = workdir / f"knowledge-{label.replace(' ', '')}"
    shutil.copytree(REPO / "knowledge", knowledge)
    started = []
    try:
        for n in range(replicas):
            started.append(start_replica(api, knowledge, db, workdir / f"{label}-{n}".replace(" ", ""),
                                         admins=ADMIN, log_level="warning"))
        urls = [r.url for r in started]
        results = [one_round(urls, api, args.events, n) for n in range(1, args.rounds + 1)]
        spread = faq_reaches_other_replica(api, urls[0], urls[1], knowledge) if replicas > 1 else None
        return results, spread
    finally:
        for r in started:
            r.stop()
        api.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import psycopg

    name = f"csds_bot_bench_{uuid.uuid4().hex[:12]}"
    user = getpass.getuser()
    try:
        admin = psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        user = "postgres"
        admin = psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="postgres", autocommit=True, connect_timeout=3)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://{user}@127.0.0.1:5432/{name}"
    rows, failed = [], False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            setups = [("1 x SQLite", 1, str(workdir / "interactions.db")), ("1 x PostgreSQL", 1, url),
                      ("2 x PostgreSQL", 2, url)]
            print(f"{args.events} concurrent signed mention events per round, {args.rounds} rounds per setup, "
                  "real `csds-bot slack --http` processes")
            print(f"{'setup':<16} {'ack p50':>8} {'ack max':>8} {'last reply':>11} {'one reply each':>15}")
            spread = None
            for label, count, db in setups:
                results, took = run_setup(label, count, db, args, workdir)
                spread = took if took is not None else spread
                for r in results:
                    failed |= not r["ok"] or r["ack_max"] >= 3
                p50 = statistics.median(r["ack_p50"] for r in results)
                worst = max(r["ack_max"] for r in results)
                last = statistics.median(r["last_reply"] for r in results)
                rows.append((label, p50, worst, last))
                print(f"{label:<16} {p50:7.2f}s {worst:7.2f}s {last:10.2f}s {'yes' if all(r['ok'] for r in results) else 'NO':>15}")
            base = rows[0]
            print("\nratios to 1 x SQLite (median ack p50, worst ack, median last reply):")
            for label, p50, worst, last in rows[1:]:
                print(f"  {label:<16} {p50 / base[1]:5.2f}x {worst / base[2]:5.2f}x {last / base[3]:5.2f}x")
            print(f"\nFAQ entry saved through replica A, first answered by replica B after {spread:.2f}s")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
