"""How alike two questions are, for near-duplicate warnings, `check` and grouping the report.

One vector space mixes stemmed content words (with the knowledge folder's synonyms and acronyms,
so "REC approval" meets "research ethics committee approval") and character 3-5-grams (so typos
and plurals still meet). Both halves are L2-normalised and weighted equally, so the cosine of two
vectors is the mean of the word cosine and the character cosine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from bot.model import FaqEntry, Knowledge, Synonyms
from bot.retrieval.text import Analyzer, normalise

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

# NumPy, SciPy and scikit-learn (about a second to import) are imported by TextSpace alone, when
# it is first used: `faq list`, `faq show` and `faq remove` import this module for NearMatch and
# never compare texts.

# Two wordings at or above this cosine say the same thing in nearly the same words. Measured on
# the bundled knowledge: the closest questions of distinct entries score 0.79 ("How do I contact
# the NHS Digital CSDS team?" / "What can I contact the NHS Digital team about?"); a reworded copy
# of an entry ("How long does DARS approval take?") scores 0.9.
NEAR_DUPLICATE = 0.8
# `check` compares whole questions of entries that already exist, so it can afford to be stricter.
DUPLICATE_QUESTIONS = 0.85


@dataclass(frozen=True)
class NearMatch:
    """An existing FAQ entry close to a given question, and the wording that came closest."""

    id: str
    question: str
    wording: str
    similarity: float
    path: str = ""
    line: int = 0


def _identity(terms):
    return terms


class TextSpace:
    """Fitted on a corpus of short texts; turns texts into comparable unit vectors."""

    def __init__(self, corpus: Sequence[str], synonyms: Synonyms | None = None) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.analyzer = Analyzer(synonyms)
        texts = [normalise(t) for t in corpus] or [""]
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        # An empty vocabulary (a corpus of stop words only) must not break a warning.
        self.words.fit([self.analyzer.analyse(t) or ["§empty"] for t in texts])
        self.chars.fit(texts)

    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        import numpy as np
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        norm = [normalise(t) for t in texts]
        w = normalize(self.words.transform([self.analyzer.analyse(t) for t in norm]))
        c = normalize(self.chars.transform(norm))
        half = np.float32(np.sqrt(0.5))
        return sp.hstack([w * half, c * half]).tocsr()

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine similarity of every text in `a` to every text in `b` (dense, len(a) x len(b))."""
        import numpy as np

        if not a or not b:
            return np.zeros((len(a), len(b)), dtype=np.float32)
        return (self.vectors(a) @ self.vectors(b).T).toarray()

    def similarity_blocks(self, a: Sequence[str], b: Sequence[str], rows: int = 512) -> Iterator[tuple[int, np.ndarray]]:
        """The same matrix as `similarity`, `rows` rows at a time (start row, block), so a
        knowledge base of tens of thousands of wordings never needs the whole square in memory."""
        if not a or not b:
            return
        right = self.vectors(b).T.tocsc()
        left = self.vectors(a)
        for start in range(0, len(a), rows):
            yield start, (left[start : start + rows] @ right).toarray()


def wordings(entry: FaqEntry) -> list[str]:
    return [entry.question, *entry.alternates]


def faq_space(knowledge: Knowledge, extra: Sequence[str] = ()) -> TextSpace:
    corpus = [w for e in knowledge.faqs for w in wordings(e)]
    return TextSpace([*corpus, *extra], knowledge.synonyms)


def near_duplicates(knowledge: Knowledge, question: str, threshold: float = NEAR_DUPLICATE,
                    exclude: str = "") -> list[NearMatch]:
    """Entries with a question or alternate at least `threshold` similar to `question`, best first."""
    entries = [e for e in knowledge.faqs if e.id != exclude]
    if not entries or not question.strip():
        return []
    space = faq_space(knowledge, [question])
    rows = [(e, w) for e in entries for w in wordings(e)]
    scores = space.similarity([question], [w for _, w in rows])[0]
    best: dict[str, NearMatch] = {}
    for (entry, wording), score in zip(rows, scores):
        if score >= threshold and (entry.id not in best or score > best[entry.id].similarity):
            best[entry.id] = NearMatch(entry.id, entry.question, wording, float(score), entry.path, entry.line)
    return sorted(best.values(), key=lambda m: -m.similarity)
