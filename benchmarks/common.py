"""Shared by the benchmarks: the two baselines and a writer for knowledge folders.

The baselines are what a user would pick instead of the bot, used the obvious way:
- bm25s BM25 with its English stop words;
- scikit-learn TfidfVectorizer (defaults plus sublinear tf), cosine by a sparse product.
Both index the same text per entry: question, alternates and answer (`entry_text`). BM25 over the
question field alone (`question_text`: question and alternates) is the third: the floor the bot must
not fall under on any FAQ folder, however long its answers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml


def entry_text(entry: dict) -> str:
    return " ".join([entry["question"], *entry.get("alternates", ()), entry["answer"]])


def question_text(entry: dict) -> str:
    return " ".join([entry["question"], *entry.get("alternates", ())])


def write_folder(root: Path, entries: list[dict], per_file: int = 5000) -> Path:
    """A knowledge folder `root/faq/*.yaml` holding `entries` (dicts with the loader's keys)."""
    faq = root / "faq"
    faq.mkdir(parents=True, exist_ok=True)
    for n, start in enumerate(range(0, len(entries), per_file)):
        chunk = entries[start : start + per_file]
        with open(faq / f"part-{n:04d}.yaml", "w", encoding="utf-8") as fh:
            yaml.dump(chunk, fh, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                      sort_keys=False, width=1 << 30)
    return root


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the `k` best scores, best first (argpartition: no full sort of a big corpus)."""
    k = min(k, scores.size)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class TfidfBaseline:
    name = "TF-IDF (scikit-learn)"

    def __init__(self, texts: list[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32)
        self.matrix = self.vectorizer.fit_transform(texts)

    def search(self, query: str, k: int) -> list[int]:
        scores = (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()
        return [int(i) for i in top_k(scores, k) if scores[i] > 0]


class Bm25Baseline:
    name = "BM25 (bm25s)"

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
        self.size = len(texts)

    def search(self, query: str, k: int) -> list[int]:
        tokens = self._bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)[0]
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return []
        scores = self.model.get_scores(known)
        return [int(i) for i in top_k(scores, k) if scores[i] > 0]
