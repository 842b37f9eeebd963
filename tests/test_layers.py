"""Imports go one way, down the layers of README "How it works" (TEAM.md): a module may import
only from its own layer and the layers it builds on. Lazy imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bot"

# Each layer and the layers it may import from (its own is always allowed).
BOTTOM = {"bottom"}
MAY_IMPORT = {
    "bottom": set(),  # bot (the version), bot.model, bot.errors
    "knowledge": BOTTOM,
    "retrieval": BOTTOM | {"knowledge"},
    "answering": BOTTOM | {"knowledge", "retrieval"},
    "store": BOTTOM,
    "conversation": BOTTOM | {"answering", "store"},
    "admin": BOTTOM | {"knowledge", "retrieval", "answering", "store"},
    "service": BOTTOM | {"store"},
    "slack": BOTTOM | {"knowledge", "retrieval", "answering", "store", "conversation", "admin", "service"},
    "cli": BOTTOM | {"knowledge", "retrieval", "answering", "store", "conversation", "admin", "service", "slack"},
}
# Narrower than their layers allow:
# - layout modules turn an Answer into plain text or Block Kit; they need only the typed records
#   (and their own front end's helpers), so that formatting never pulls in the engine (and so
#   scikit-learn), storage or admin tools;
# - retrieval indexes the Knowledge it is handed; reading a folder from disk (and caching what it
#   makes) is done above it, in bot.answering.
ONLY = {"bot.cli.render": BOTTOM, "bot.slack.blocks": BOTTOM | {"bot.slack.text", "bot.slack.config"},
        "bot.slack.text": BOTTOM}
NEVER = {"retrieval": {"bot.knowledge.loader"}}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module in ("bot", "bot.model", "bot.errors"):
        return "bottom"
    if parts[1] == "__main__":
        return "cli"
    return parts[1]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def bot_imports(source: str, module: str) -> list[tuple[int, str]]:
    """Every `bot...` module imported by `source` (module `module`), with its line number."""
    out = []
    package = module if module.count(".") == 1 and not module.endswith("__main__") else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "bot"]
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:  # relative: from its own package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, name] if name else base)
            if name.split(".")[0] != "bot":
                continue
            if name == "bot":  # `from bot import x`: x may be a subpackage or the version
                out += [(node.lineno, f"bot.{a.name}" if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                         else "bot") for a in node.names]
            else:
                out.append((node.lineno, name))
    return out


def wrong_way(files: list[Path], root: Path = PACKAGE) -> list[str]:
    problems = []
    for path in files:
        module = module_name(path, root)
        mine = layer_of(module)
        where = path.relative_to(root.parent)
        for line, target in bot_imports(path.read_text(encoding="utf-8"), module):
            theirs = layer_of(target)
            if theirs != mine and theirs not in MAY_IMPORT[mine]:
                problems.append(f"{where}:{line}: {mine} imports {target} ({theirs}); "
                                f"{mine} may import only {sorted(MAY_IMPORT[mine] | {mine})}")
            elif module in ONLY and target not in ONLY[module] and theirs not in ONLY[module]:
                problems.append(f"{where}:{line}: {module} lays out answers and may import only {sorted(ONLY[module])}")
            elif target in NEVER.get(mine, ()):
                problems.append(f"{where}:{line}: {mine} must not import {target}")
    return problems


def test_every_module_belongs_to_a_known_layer():
    unknown = {module_name(p) for p in PACKAGE.rglob("*.py") if layer_of(module_name(p)) not in MAY_IMPORT}
    assert not unknown, f"add these to a layer in tests/test_layers.py and the README: {sorted(unknown)}"


def test_imports_go_down_the_layers_only():
    assert wrong_way(sorted(PACKAGE.rglob("*.py"))) == []


@pytest.mark.parametrize("where, source", [
    ("retrieval/x.py", "from bot.answering.engine import Engine\n"),
    ("store/interactions2.py", "def f():\n    from bot.answering import engine\n"),  # lazy counts too
    ("slack/x.py", "from bot.cli.render import render\n"),
    ("model.py", "import bot.retrieval.text\n"),
    ("knowledge/x.py", "from ..retrieval import text\n"),
    ("cli/render.py", "from bot.answering.engine import did_you_mean\n"),
    ("slack/blocks.py", "from bot.store.faq_store import MAX_ANSWER\n"),
    ("retrieval/cache.py", "from bot.knowledge.loader import load_knowledge\n"),
])
def test_a_wrong_way_import_is_caught(tmp_path, where, source):
    path = tmp_path / "bot" / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    assert len(wrong_way([path], tmp_path / "bot")) == 1
