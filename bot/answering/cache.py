"""A disk cache of built indexes, so a one-shot `csds-bot ask` skips parsing and indexing.

One file per knowledge folder under `$XDG_CACHE_HOME/csds-bot/` (default `~/.cache/csds-bot/`),
outside the package. It holds the loaded knowledge and its index, keyed by everything that shapes
them: the folder's content (`bot.knowledge.loader.fingerprint`) and path, the code that builds them
(every module of `bot/knowledge` and `bot/retrieval`, `bot/model.py`, `bot/errors.py`), the package
version and the versions of the libraries whose objects it pickles (scikit-learn's fitted
vectorizers, SciPy's matrices): a change to any of them makes the entry stale. It lives in
`bot.answering`, above both the loading and the indexing it caches. A stale, corrupt or unreadable cache is rebuilt silently; a
cache that cannot be written is simply not kept. `CSDS_BOT_NO_CACHE=1` turns it off.

Fitted calibrations (the answering decision, seconds of CPU to fit) are also kept on their own,
keyed on the knowledge's content and the code only, not the folder's path: a copy of a folder, or
the same content after a move, reads the fit instead of fitting again. They live in the same
folder, or in `$CSDS_BOT_CALIBRATION_CACHE` when set (the tests share one per session).

The file is a pickle and is only read from the user's own cache folder: it is trusted like the
user's own code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy
import scipy
import sklearn

from bot import __version__
from bot.knowledge.loader import default_knowledge_dir, fingerprint, load_knowledge
from bot.model import Knowledge
from bot.retrieval.index import Index

_FORMAT = 3  # 2: scikit-learn vectorizers in the index; 3: what `derive` makes from them, beside them


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "csds-bot"


_PACKAGE = Path(__file__).resolve().parents[1]  # bot/
# The code whose output the cache holds: knowledge loading builds the Knowledge, retrieval the
# Index, and both are made of bot.model's records (and may raise bot.errors' errors).
_SHAPING = ("knowledge", "retrieval", "model.py", "errors.py", "__init__.py")


def _code_files() -> list[Path]:
    out: list[Path] = []
    for name in _SHAPING:
        path = _PACKAGE / name
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
    return out


@functools.lru_cache(maxsize=1)  # the code does not change while a process runs
def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in _code_files():
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _derive_hash(derive: Callable | None) -> str:
    """The code of the package `derive` comes from (it shapes the third thing cached)."""
    module = sys.modules.get(getattr(derive, "__module__", "") or "")
    if module is None or not getattr(module, "__file__", None):
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(module.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_version(derive: Callable | None = None) -> str:
    """The code that builds what is cached, the package version and the library versions: an
    index built by other code is not reused (a vectorizer pickled by another scikit-learn may load
    and then misbehave; a changed Markdown parser makes other passages of the same files)."""
    libraries = ",".join(module.__version__ for module in (sklearn, scipy, numpy))
    return f"{_FORMAT}:{__version__}:{libraries}:{_code_hash()}:{_derive_hash(derive)}"


def _key(root: Path, derive: Callable | None = None) -> tuple[str, str]:
    return str(root), f"{fingerprint(root)}:{_code_version(derive)}"


def _path(root: Path) -> Path:
    return cache_dir() / f"index-{hashlib.sha256(str(root).encode()).hexdigest()[:24]}.pickle"


def load_index(folder: Path | str | None = None, derive: Callable[[Knowledge, Index], Any] | None = None):
    """The knowledge of `folder` and its index: from the cache when it is current, else loaded,
    built and stored. Raises KnowledgeError, as `load_knowledge` does, for a bad folder.

    With `derive`, returns (knowledge, index, derive(knowledge, index)) and caches the third too
    (what the answering layer fits on the index), keyed on the code of derive's package as well."""
    root = Path(folder) if folder is not None else default_knowledge_dir()
    if os.environ.get("CSDS_BOT_NO_CACHE") or not root.is_dir():
        knowledge = load_knowledge(root)
        index = Index(knowledge)
        return (knowledge, index) if derive is None else (knowledge, index, derive(knowledge, index))
    root = root.resolve()
    key = _key(root, derive)
    path = _path(root) if derive is None else _path(root).with_suffix(".derived.pickle")
    cached = _read(path, key)
    if cached is not None and len(cached) == (2 if derive is None else 3):
        return cached
    knowledge = load_knowledge(root)
    index = Index(knowledge)
    value = (knowledge, index) if derive is None else (knowledge, index, derive(knowledge, index))
    _write(path, key, value)
    return value


def calibration_digest(knowledge: Knowledge, derive: Callable) -> str:
    """What a fitted calibration depends on, and nothing about where the folder is: each FAQ
    entry's wording and source, each passage's section, text and document title, the synonyms,
    and the code (`derive`'s package as well as loading and indexing). Stable across processes
    (hashlib over JSON, unlike the salted `hash()`)."""
    content = {
        "faqs": [[e.id, e.question, e.answer, list(e.alternates), e.source] for e in knowledge.faqs],
        "passages": [[list(p.section), p.text, p.document.title] for p in knowledge.passages],
        "acronyms": sorted(knowledge.synonyms.acronyms.items()),
        "groups": [list(group) for group in knowledge.synonyms.groups],
        "code": _code_version(derive),
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _calibration_path(digest: str) -> Path:
    folder = os.environ.get("CSDS_BOT_CALIBRATION_CACHE")
    return (Path(folder) if folder else cache_dir()) / f"calibration-{digest[:24]}.pickle"


def read_calibration(digest: str):
    """The calibration stored under `digest`, or None (none stored, damaged, or caching off)."""
    if os.environ.get("CSDS_BOT_NO_CACHE"):
        return None
    try:
        with open(_calibration_path(digest), "rb") as fh:
            if pickle.load(fh) != digest:
                return None
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, truncated, corrupt or from another version: refit
        return None


def write_calibration(digest: str, calibration) -> None:
    if not os.environ.get("CSDS_BOT_NO_CACHE"):
        _write(_calibration_path(digest), digest, calibration)


def _read(path: Path, key: tuple[str, str]):
    try:
        with open(path, "rb") as fh:
            stored_key = pickle.load(fh)
            if stored_key != key:
                return None
            value = pickle.load(fh)
        if isinstance(value, tuple) and isinstance(value[0], Knowledge) and isinstance(value[1], Index):
            return value
    except Exception:  # noqa: BLE001 - missing, truncated, corrupt or from another version: rebuild
        pass
    return None


def _write(path: Path, key, value) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see the old file or the new one, never half of one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only home or a full disk only costs the next start its speed
