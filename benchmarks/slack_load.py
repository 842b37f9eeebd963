"""Slack load: N signed mention events sent at once to the real `csds-bot slack --http` process.

    python -m benchmarks.slack_load [--events 200] [--rounds 3]

The bot runs as a subprocess against the fake Slack Web API of tests/slack/fake_slack.py (no
network, no Slack). Each round fires all events at the same moment (a barrier), then reports
the slowest acknowledgement (Slack gives up after 3 s), the time from the first send to the
last reply, and checks that every event got exactly one reply in its own thread.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "slack"))

from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeWebApi, mention, send_event  # noqa: E402

QUESTIONS = ["what is IGARD?", "how long does approval take?", "how much does a CSDS extract cost?",
             "which contracts do we need to sign?", "xyzzy plugh"]


def start_bot(api: FakeWebApi, knowledge: Path, workdir: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": api.api_url, "CSDS_BOT_DB": str(workdir / "interactions.db")}
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "slack", "--http", "--host", "127.0.0.1", "--port", "0",
                             "--knowledge", str(knowledge), "--log-level", "warning"],
                            env=env, cwd=workdir, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        if "listening for Slack on" in line:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # keep draining
            return proc, line.split(" on ", 1)[1].strip()
    raise SystemExit(f"the bot did not start (exit code {proc.wait()})")


def one_round(url: str, api: FakeWebApi, events: int, round_no: int) -> dict:
    before = len(api.of("chat.postMessage"))
    gate = threading.Barrier(events)

    def send(n: int):
        event = mention(f"<@UBOT0001> {QUESTIONS[n % len(QUESTIONS)]}", ts=f"{1700000000 + round_no}.{n:06d}")
        gate.wait()
        return send_event(url, event, f"EvBench{round_no}-{n}")

    started = time.monotonic()
    with ThreadPoolExecutor(events) as pool:
        replies = list(pool.map(send, range(events)))
    posts = api.wait_calls("chat.postMessage", before + events, timeout=60)[before:]
    time.sleep(0.3)  # anything extra would show up now
    extra = len(api.of("chat.postMessage")) - before - events
    threads = Counter(p.body["thread_ts"] for p in posts)
    acks = sorted(r.seconds for r in replies)
    return {
        "ok": all(r.status == 200 for r in replies) and extra == 0 and len(threads) == events
        and set(threads.values()) == {1},
        "ack_p50": acks[len(acks) // 2], "ack_max": acks[-1],
        "last_reply": max(p.at for p in posts) - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    api = FakeWebApi()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        knowledge = workdir / "knowledge"
        shutil.copytree(REPO / "knowledge", knowledge)
        proc, url = start_bot(api, knowledge, workdir)
        try:
            print(f"{args.events} concurrent signed mention events per round, real `csds-bot slack --http`")
            print("round  ack p50  ack max  last reply  one reply each")
            results = [one_round(url, api, args.events, n) for n in range(1, args.rounds + 1)]
            for n, r in enumerate(results, 1):
                print(f"{n:>5}  {r['ack_p50']:6.2f}s  {r['ack_max']:6.2f}s  {r['last_reply']:9.2f}s  "
                      f"{'yes' if r['ok'] else 'NO'}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            api.close()
    failed = [r for r in results if not r["ok"] or r["ack_max"] >= 3]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
