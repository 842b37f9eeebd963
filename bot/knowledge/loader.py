"""Load a knowledge folder.

The contract, so anyone can point the bot at their own FAQ:
- every `*.md` under the folder is guidance (front matter: title, publisher, last_reviewed);
- every `*.yaml` under `faq/` is a list of entries with `question` and `answer`, and optional
  `id`, `alternates`, `source`, `checked` (any other key is an error: a misspelt key would
  otherwise be dropped without a word);
- `synonyms.yaml` at the root (optional): `acronyms:` mapping and `synonyms:` list of groups;
- `bot.yaml` at the root (optional): `name`, `scope`, `contact`, `examples`, `help`.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from pathlib import Path
from typing import Iterable

from bot.errors import KnowledgeError
from bot.knowledge.markdown import parse_markdown
from bot.knowledge.yamlfile import LINE_KEY, load_yaml, read_text
from bot.model import Document, FaqEntry, Knowledge, Passage, Settings, Synonyms

ENV_VAR = "CSDS_BOT_KNOWLEDGE"
# The keys an FAQ entry may have. `checked` is what `csds-bot faq checked` wrote: the date and the
# hash of the guidance section the answer was last read against (see bot/admin/sections.py).
FAQ_KEYS = ("id", "question", "alternates", "answer", "source", "checked")


def default_knowledge_dir() -> Path:
    """`$CSDS_BOT_KNOWLEDGE`, else the knowledge folder shipped beside the package."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    here = Path(__file__).resolve().parents[2] / "knowledge"  # a source checkout
    if here.is_dir():
        return here
    import sys

    installed = Path(sys.prefix) / "share" / "csds-bot" / "knowledge"  # a wheel install
    return installed if installed.is_dir() else here


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "entry"


def knowledge_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The guidance and FAQ files of a folder, sorted so that loading is deterministic."""
    guidance = sorted(p for p in root.rglob("*.md") if p.is_file() and not _hidden(p, root))
    faq_dir = root / "faq"
    faqs = sorted(p for p in faq_dir.rglob("*.yaml") if p.is_file() and not _hidden(p, root)) if faq_dir.is_dir() else []
    return guidance, faqs


def _hidden(path: Path, root: Path) -> bool:
    # Editors and the FAQ store leave dot-files (swap files, temp files) that are not knowledge.
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def fingerprint(root: Path) -> str:
    """A hash of every knowledge file's name and bytes: equal hashes mean equal knowledge."""
    digest = hashlib.sha256()
    guidance, faqs = knowledge_files(root)
    extra = [root / name for name in ("synonyms.yaml", "bot.yaml") if (root / name).is_file()]
    for path in [*guidance, *faqs, *extra]:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _string(value, path: Path, line: int, key: str, required: bool) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise KnowledgeError(f"{path}:{line}: entry has no `{key}`; add `{key}: ...` to it")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise KnowledgeError(f"{path}:{line}: `{key}` must be text; quote it or write it on one line")
    return " ".join(value.split())


def _known_keys(raw: dict, path: Path, line: int, text: str) -> None:
    """Refuse a key the bot does not read (`alternate:` for `alternates:`), naming its own line."""
    for key in raw:
        if key == LINE_KEY or key in FAQ_KEYS:
            continue
        name = str(key)
        where = key_line(text, line, name)
        close = difflib.get_close_matches(name.lower(), FAQ_KEYS, n=1, cutoff=0.6)
        fix = f"did you mean `{close[0]}`?" if close else "remove it or rename it"
        raise KnowledgeError(f"{path}:{where}: unknown key `{name}` (the bot would ignore it); {fix} "
                             f"An entry's keys are {', '.join(FAQ_KEYS)}")


def key_line(text: str, start: int, key: str) -> int:
    """The line of `key:` in the entry starting at `start` (YAML marks mappings, not keys)."""
    pattern = re.compile(rf"^\s*(?:-\s+)?['\"]?{re.escape(key)}['\"]?\s*:")
    lines = text.splitlines()
    for number in range(max(start, 1), len(lines) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return start


def parse_faq_file(path: Path, text: str | None = None) -> list[FaqEntry]:
    """The entries of one FAQ file, validated; raises KnowledgeError naming file and line."""
    if text is None:
        text = read_text(path)
    data = load_yaml(path, text)
    if data is None:
        return []
    if not isinstance(data, list):
        raise KnowledgeError(f"{path}:1: an FAQ file must be a list of entries (`- question: ...`); fix its layout")
    entries = []
    for raw in data:
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{path}: every list item must be an entry with `question:` and `answer:`; fix the item `{str(raw)[:40]}`")
        line = raw.get(LINE_KEY, 0)
        _known_keys(raw, path, line, text)
        question = _string(raw.get("question"), path, line, "question", True)
        answer = _string(raw.get("answer"), path, line, "answer", True)
        alternates = raw.get("alternates") or []
        if isinstance(alternates, str):
            alternates = [alternates]
        if not isinstance(alternates, list):
            raise KnowledgeError(f"{path}:{line}: `alternates` must be a list (`- another way to ask`); fix it")
        alts = tuple(a for a in (_string(a, path, line, "alternates", False) for a in alternates) if a)
        entry_id = _string(raw.get("id"), path, line, "id", False) or slugify(question)
        source = _string(raw.get("source"), path, line, "source", False)
        checked = _string(raw.get("checked"), path, line, "checked", False)
        entries.append(FaqEntry(entry_id, question, answer, alts, source, str(path), line, checked))
    return entries


def _load_synonyms(path: Path) -> Synonyms:
    if not path.is_file():
        return Synonyms()
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}:1: expected `acronyms:` and `synonyms:` keys; fix its layout")
    acronyms = data.get("acronyms") or {}
    groups = data.get("synonyms") or []
    if not isinstance(acronyms, dict) or not isinstance(groups, list):
        raise KnowledgeError(f"{path}: `acronyms` must be a mapping and `synonyms` a list of lists; fix its layout")
    acr = {str(k).lower(): " ".join(str(v).split()) for k, v in acronyms.items() if k != LINE_KEY and v}
    out = []
    for group in groups:
        if not isinstance(group, list):
            raise KnowledgeError(f"{path}: each synonym group must be a list like `[cost, price, fee]`; fix `{group}`")
        words = tuple(dict.fromkeys(" ".join(str(w).lower().split()) for w in group if str(w).strip()))
        if len(words) > 1:
            out.append(words)
    return Synonyms(acr, tuple(out))


def _load_settings(path: Path) -> Settings:
    if not path.is_file():
        return Settings()
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}:1: expected `name:`, `contact:` and `examples:` keys; fix its layout")
    examples = data.get("examples") or []
    if not isinstance(examples, list):
        raise KnowledgeError(f"{path}: `examples` must be a list of questions; fix it")
    return Settings(
        name=str(data.get("name") or "csds-bot"),
        scope=" ".join(str(data.get("scope") or "the guidance").split()),
        contact=" ".join(str(data.get("contact") or "").split()),
        examples=tuple(str(e) for e in examples),
        help=" ".join(str(data.get("help") or "").split()),
    )


def split_duplicates(entries: Iterable[FaqEntry]) -> tuple[list[FaqEntry], list[tuple[FaqEntry, str]]]:
    """The entries whose ids come first, in order, and each later entry that reuses an id, with
    the message that says where the first one is (the loader stops at one; `check` lists all)."""
    kept: list[FaqEntry] = []
    duplicates: list[tuple[FaqEntry, str]] = []
    seen: dict[str, FaqEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.id, entry)
        if first is entry:
            kept.append(entry)
        else:
            duplicates.append((entry, f"duplicate id `{entry.id}` (also at {first.path}:{first.line}); give one of them another id"))
    return kept, duplicates


def load_knowledge(root: Path | str | None = None) -> Knowledge:
    """Load and validate a knowledge folder; raises KnowledgeError with file, line and fix."""
    root = Path(root) if root is not None else default_knowledge_dir()
    if not root.is_dir():
        raise KnowledgeError(
            f"{root}: knowledge folder not found; pass --knowledge DIR or set {ENV_VAR} to a folder with guidance (*.md) or faq/*.yaml"
        )
    guidance, faq_files = knowledge_files(root)
    documents: list[Document] = []
    passages: list[Passage] = []
    for path in guidance:
        doc, parts = parse_markdown(path, read_text(path), path.relative_to(root).with_suffix("").as_posix())
        documents.append(doc)
        passages.extend(parts)
    faqs, duplicates = split_duplicates(entry for path in faq_files for entry in parse_faq_file(path))
    for entry, message in duplicates[:1]:
        raise KnowledgeError(f"{entry.path}:{entry.line}: {message}")
    if not passages and not faqs:
        raise KnowledgeError(f"{root}: no guidance (*.md) or FAQ entries (faq/*.yaml) found; add some or point --knowledge at the right folder")
    return Knowledge(
        root=str(root),
        documents=tuple(documents),
        passages=tuple(passages),
        faqs=tuple(faqs),
        synonyms=_load_synonyms(root / "synonyms.yaml"),
        settings=_load_settings(root / "bot.yaml"),
    )
