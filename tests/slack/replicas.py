"""Real `csds-bot slack --http` processes, each on its own port, for the replica tests and the
replica benchmark: same token, signing secret, fake Slack, knowledge folder and database."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeWebApi

START_SECONDS = 120  # a loaded 2-core machine takes a few seconds to start one; generous


@dataclass
class Replica:
    proc: subprocess.Popen
    url: str  # http://127.0.0.1:PORT/slack/events
    stderr: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_replica(api: FakeWebApi, knowledge: Path, db: str, workdir: Path, admins: str = "",
                  log_level: str = "info") -> Replica:
    """Start one replica on a free port and return once it listens (raises with its stderr if it exits)."""
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": api.api_url, "CSDS_BOT_DB": db, "CSDS_BOT_NO_LOG": "", "CSDS_BOT_ADMINS": admins}
    env.pop("SLACK_APP_TOKEN", None)
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "slack", "--http", "--host", "127.0.0.1", "--port", "0",
                             "--knowledge", str(knowledge), "--log-level", log_level],
                            env=env, cwd=workdir, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    started = threading.Event()
    found: list[str] = []

    def drain() -> None:  # read stderr to the end, so the replica never blocks on a full pipe
        for line in proc.stderr:
            lines.append(line)
            if "listening for Slack on" in line and not found:
                found.append(line.split(" on ", 1)[1].strip())
                started.set()
        started.set()

    threading.Thread(target=drain, daemon=True).start()
    if not started.wait(START_SECONDS) or not found:
        proc.kill()
        raise RuntimeError(f"the replica did not start (exit code {proc.poll()}):\n{''.join(lines)}")
    return Replica(proc, found[0], lines)
