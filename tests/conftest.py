"""Shared fixtures: real knowledge folders in tmp_path and a real `csds-bot` subprocess."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.postgres import fresh_pg_url, pg_server, pg_url  # noqa: F401 (fixtures for every test)

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"

# Variables that would change what the bot reads or where it writes; scrubbed for every test.
_SCRUB = ("CSDS_BOT_KNOWLEDGE", "CSDS_BOT_DB", "CSDS_BOT_NO_LOG", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
          "SLACK_SIGNING_SECRET", "SLACK_API_URL", "CSDS_BOT_ADMINS", "NO_COLOR")


# A test that starts the real bot (or pip, or hadolint) in a subprocess pays about a second per process
# for Python and scikit-learn to start: it is `slow`, and `pytest -m "not slow"` (the README's quick
# subset) leaves it out. Read from the test's own source, so a new test is sorted without a marker.
_STARTS_A_PROCESS = re.compile(r"\brun_cli\b|\bsubprocess\.|\bPopen\(|(?<![.\w])run\(|(?<![.\w])command\(|\bBot\(|\bhadolint\(")

_PROCESS_FIXTURES = {"run_cli", "pair"}  # pair: the two `csds-bot slack` replicas of tests/slack/test_replicas.py


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        function = getattr(item, "function", None)
        if function is None or item.get_closest_marker("slow"):
            continue
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        if _PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())) or _STARTS_A_PROCESS.search(source):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def _calibration_cache(tmp_path_factory) -> Path:
    """One folder of fitted calibrations per worker for the session: the many copies of the same
    knowledge that tests make fit the decision once, not once per process (seconds each)."""
    return tmp_path_factory.mktemp("calibrations")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path, _calibration_cache):
    for name in _SCRUB:
        monkeypatch.delenv(name, raising=False)
    # Keep logs, caches and chat history of tests out of the real home directory.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CSDS_BOT_CALIBRATION_CACHE", str(_calibration_cache))
    monkeypatch.setenv("CSDS_BOT_NO_LOG", "1")


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the bundled knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def run_cli(tmp_path):
    """Run `python -m bot ARGS` in a fresh process from an unrelated working directory."""

    def run(*args: str, input: str | bytes | None = None, env: dict | None = None, timeout: float = 60):
        full_env = {**os.environ, **(env or {})}
        data = input.encode() if isinstance(input, str) else input
        proc = subprocess.run(
            [sys.executable, "-m", "bot", *args], input=data, capture_output=True,
            cwd=tmp_path, env=full_env, timeout=timeout,
        )
        proc.stdout_text = proc.stdout.decode("utf-8", "replace")
        proc.stderr_text = proc.stderr.decode("utf-8", "replace")
        return proc

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
