"""Split a guidance Markdown file into a Document and its passages.

The format is deliberately small: YAML front matter, `#` headings, paragraphs and `-` list items.
Each paragraph and each list item becomes one passage that carries the headings above it, so an
answer can say which section it quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge.yamlfile import LINE_KEY, load_yaml
from bot.model import Document, Passage

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def strip_links(text: str) -> str:
    """`[words](url)` -> `words`: the bot quotes text, it never repeats a link it cannot vouch for."""
    return _LINK.sub(r"\1", text)


def _front_matter(path: Path, lines: list[str]) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            meta = load_yaml(path, "\n".join(lines[1:end])) or {}
            if not isinstance(meta, dict):
                raise KnowledgeError(f"{path}:2: front matter must be `key: value` lines; fix it")
            meta.pop(LINE_KEY, None)
            return meta, end + 1
    raise KnowledgeError(f"{path}:1: front matter opened with `---` is never closed; add a closing `---` line")


def parse_markdown(path: Path, text: str, doc_id: str) -> tuple[Document, list[Passage]]:
    lines = text.splitlines()
    meta, start = _front_matter(path, lines)
    headings: list[tuple[int, str]] = []  # (level, title) of the headings in force
    title = str(meta.get("title") or "")
    passages: list[Passage] = []
    block: list[str] = []
    block_line = 0
    doc = Document(
        id=doc_id,
        title=title,
        path=str(path),
        publisher=str(meta.get("publisher") or ""),
        last_reviewed=str(meta.get("last_reviewed") or ""),
    )

    def flush() -> None:
        nonlocal block
        body = strip_links(" ".join(s.strip() for s in block)).strip()
        if body:
            # The document title (level 1) is implied by the document; sections start at level 2.
            section = tuple(t for lvl, t in headings if lvl > 1 or len(headings) == 1)
            passages.append(Passage(f"{doc_id}#{len(passages) + 1}", doc, section, body, block_line))
        block = []

    for number, raw in enumerate(lines[start:], start=start + 1):
        heading = _HEADING.match(raw)
        item = _ITEM.match(raw)
        if heading:
            flush()
            level, name = len(heading.group(1)), strip_links(heading.group(2))
            headings = [(lvl, t) for lvl, t in headings if lvl < level] + [(level, name)]
            if level == 1 and not doc.title:
                doc = Document(doc.id, name, doc.path, doc.publisher, doc.last_reviewed)
        elif not raw.strip():
            flush()
        elif item:
            flush()
            block, block_line = [item.group(1)], number
        else:
            if not block:
                block_line = number
            block.append(raw)
    flush()
    # Passages were built with the document as first seen; give them the final one (title may
    # have come from the first heading).
    passages = [Passage(p.id, doc, p.section, p.text, p.line) for p in passages]
    return doc, passages
