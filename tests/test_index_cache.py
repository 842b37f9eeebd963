"""The index cache: reused while the knowledge is unchanged, rebuilt silently otherwise."""

from __future__ import annotations

import os

import pytest

from bot.answering.engine import Engine
from bot.answering import cache
from tests.conftest import write

FAQ = """\
- id: feed
  question: How do I feed my cat?
  answer: Give cats meat twice a day.
- id: walk
  question: How often should I walk the dog?
  answer: Walk dogs every morning.
"""


@pytest.fixture
def folder(tmp_path):
    write(tmp_path / "kb" / "faq" / "pets.yaml", FAQ)
    return tmp_path / "kb"


@pytest.fixture
def builds(monkeypatch):
    """Counts the folders actually loaded and indexed (not read from the cache)."""
    count = []
    real = cache.load_knowledge

    def counting(*args, **kwargs):
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "load_knowledge", counting)
    return count


def cache_files():
    return sorted(cache.cache_dir().glob("index-*.pickle"))


def test_second_load_comes_from_the_cache_outside_the_package(folder, builds, tmp_path):
    first = Engine.from_folder(folder)
    second = Engine.from_folder(folder)
    assert len(builds) == 1
    assert [p.parent for p in cache_files()] == [tmp_path / "cache" / "csds-bot"]  # $XDG_CACHE_HOME
    assert first.ask("feeding my cat").text == second.ask("feeding my cat").text == "Give cats meat twice a day."


def test_a_changed_file_rebuilds(folder, builds):
    Engine.from_folder(folder)
    write(folder / "faq" / "pets.yaml", FAQ.replace("twice a day", "three times a day"))
    engine = Engine.from_folder(folder)
    assert len(builds) == 2
    assert engine.ask("feeding my cat").text == "Give cats meat three times a day."
    assert len(cache_files()) == 1  # one file per folder, replaced, not piled up


def test_another_scikit_learn_rebuilds(folder, builds, monkeypatch):
    # The index pickles fitted vectorizers: one from another version may load, then misbehave.
    Engine.from_folder(folder)
    monkeypatch.setattr(cache.sklearn, "__version__", "0.0")
    assert Engine.from_folder(folder).ask("feeding my cat").answered
    assert len(builds) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_corrupt_cache_rebuilds_silently(folder, builds, damage, capsys):
    Engine.from_folder(folder)
    cache_files()[0].write_bytes(damage)
    engine = Engine.from_folder(folder)
    assert len(builds) == 2 and engine.ask("walking the dog").answered
    assert capsys.readouterr().err == ""
    Engine.from_folder(folder)
    assert len(builds) == 2  # and the rebuilt cache is good again


def test_an_unwritable_cache_only_costs_speed(folder, builds, monkeypatch, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert Engine.from_folder(folder).ask("feeding my cat").answered
    assert Engine.from_folder(folder).ask("feeding my cat").answered
    assert len(builds) == 2


def test_the_cache_can_be_turned_off(folder, builds, monkeypatch):
    monkeypatch.setenv("CSDS_BOT_NO_CACHE", "1")
    Engine.from_folder(folder)
    assert cache_files() == [] and len(builds) == 1


def test_the_same_content_in_another_folder_keeps_its_own_paths(folder, tmp_path):
    other = tmp_path / "copy"
    write(other / "faq" / "pets.yaml", FAQ)
    Engine.from_folder(folder)
    engine = Engine.from_folder(other)
    assert engine.knowledge.root == str(other.resolve())
    assert all(entry.path.startswith(str(other)) for entry in engine.knowledge.faqs)


def test_one_shot_cli_answers_the_same_with_a_warm_cache(run_cli, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cli-cache")}
    cold = run_cli("ask", "how long does approval take?", env=env)
    warm = run_cli("ask", "how long does approval take?", env=env)
    assert cold.returncode == warm.returncode == 0
    assert cold.stdout_text == warm.stdout_text
    assert os.listdir(tmp_path / "cli-cache" / "csds-bot")


# Appended to a copy of bot/knowledge/markdown.py: every guidance document gets another title,
# as an edit to the Markdown parser would change what it makes of the same files.
_RETITLE = '''

import dataclasses as _dc

_parse = parse_markdown


def parse_markdown(*args, **kwargs):
    doc, parts = _parse(*args, **kwargs)
    doc = _dc.replace(doc, title="Retitled by the new parser")
    return doc, [_dc.replace(p, document=doc) for p in parts]
'''


def test_a_change_to_knowledge_loading_code_makes_a_warm_cache_stale(tmp_path, knowledge_copy):
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT

    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "bot", package / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(package), "XDG_CACHE_HOME": str(tmp_path / "cli-cache")}

    def ask() -> str:
        proc = subprocess.run([sys.executable, "-m", "bot", "ask", "--knowledge", str(knowledge_copy), "what is igard"],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    cached = lambda: sorted((tmp_path / "cli-cache" / "csds-bot").glob("index-*.pickle"))  # noqa: E731
    before = ask()
    [entry] = cached()
    stamp = entry.stat().st_mtime_ns
    assert ask() == before and entry.stat().st_mtime_ns == stamp  # warm: read, not rebuilt
    with open(package / "bot" / "knowledge" / "markdown.py", "a", encoding="utf-8") as fh:
        fh.write(_RETITLE)
    after = ask()
    assert "Source: Community Services Data Set (CSDS) data access guidance" in before
    assert "Source: Retitled by the new parser" in after  # the new code's passages, not the cached ones


def test_what_a_higher_layer_derives_is_cached_beside_the_index(folder, builds):
    made = []

    def derive(knowledge, index):
        made.append(1)
        return len(knowledge.faqs)

    assert cache.load_index(folder, derive=derive)[2] == 2
    knowledge, index, derived = cache.load_index(folder, derive=derive)
    assert derived == 2 and len(made) == 1 and len(builds) == 1
    assert len(cache.load_index(folder)) == 2  # without derive: the plain pair, cached on its own
