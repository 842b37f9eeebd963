"""Read YAML with line numbers, so every problem can be reported as file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import KnowledgeError

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader

LINE_KEY = "__line__"


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that notes the 1-based line where each mapping starts."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{path}: is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot be read ({exc.strerror}); check it exists and is readable") from None


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a KnowledgeError naming file and line."""
    if text is None:
        text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            problem += f", {exc.context} at line {exc.context_mark.line + 1}"
        raise KnowledgeError(
            f"{path}{line}: invalid YAML ({problem}); fix the syntax there (indentation, quotes, colons)"
        ) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML ({exc}); fix the syntax") from None
