"""A non-editable install (a built wheel in a fresh virtual environment) answers from any folder with
the knowledge it carries, and a checkout still reads the checkout's `knowledge/`."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.fixtures.cli import env

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.mark.slow
def test_a_built_wheel_in_a_fresh_venv_answers_from_an_unrelated_folder(tmp_path):
    # Built from a copy of the checkout (setuptools leaves build/ behind in the tree it builds), with
    # the setuptools of the test environment: no network.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__"))
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(source))
    (wheel,) = (tmp_path / "dist").glob("csds_bot-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel))
    # The wheel's dependencies come from the test environment's site-packages, appended after the fresh
    # venv's own (so `bot` is the installed copy; the checkout's editable hook is not run from a .pth line).
    (purelib,) = fresh.glob("lib/python*/site-packages")
    (purelib / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean = {k: v for k, v in env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = _run(str(python), "-c", "import bot, bot.knowledge.loader as l; print(bot.__file__); "
                 "print(l.default_knowledge_dir())", cwd=elsewhere, env=clean).stdout.splitlines()
    assert where[0].startswith(str(purelib)), where  # the installed package, not the checkout
    assert where[1] == str(purelib / "bot" / "_knowledge")

    asked = _run(str(fresh / "bin" / "csds-bot"), "ask", "--json", "what is igard", cwd=elsewhere, env=clean)
    data = json.loads(asked.stdout)
    assert data["answered"] is True and "IGARD" in data["answer"]
    assert data["sources"][0]["id"] == "glossary-igard"


def test_the_knowledge_folder_is_found_in_order_option_environment_checkout(tmp_path, monkeypatch):
    from bot.knowledge.loader import default_knowledge_dir

    assert default_knowledge_dir() == ROOT / "knowledge"  # running from this checkout
    monkeypatch.setenv("CSDS_BOT_KNOWLEDGE", str(tmp_path))
    assert default_knowledge_dir() == tmp_path


def test_the_license_matches_pyproject():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert os.path.getsize(ROOT / "LICENSE") > 1000  # the full text, not a stub
