"""The sparse matrices behind the index's word and character signals.

scikit-learn's vectorizers count terms and weight them by TF-IDF. What they do not offer is
here: BM25 weights over the whole entry, its fields weighted (BM25F-style): the wordings counted
`field_boost` times, the answer by how well this folder's answers name their own entries
(`answer_trust`), and the storage. Every fitted matrix is kept transposed (terms x rows, CSR): a question's
vector times it walks only the posting lists of the question's own terms, so a question costs
milliseconds even over a hundred thousand entries, where the usual `matrix @ query.T` reads
every stored value.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

# A question is one short row of our own making: scikit-learn's input checks would cost a third
# of its transform, some 60 microseconds a call.
_TRUSTED_INPUT = {"assume_finite": True, "skip_parameter_validation": True}


def identity(terms: list[str]) -> list[str]:
    """The word vectorizers' analyzer: the index hands them terms, already analysed. Module-level,
    so a fitted vectorizer can be pickled into the index cache."""
    return terms


def _transposed(matrix: sp.csr_matrix) -> sp.csr_matrix:
    return matrix.T.tocsr()


def _bm25(counts: sp.csr_matrix, k1: float, b: float, avg: float | None = None) -> sp.csr_matrix:
    """Document-side BM25 weights; a query then scores as `(idf * query_terms) @ weights.T`.
    `avg` is the collection's mean length, when `counts` holds only some of its rows."""
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    if avg is None:
        avg = lengths.mean() if lengths.size else 1.0
    avg = avg if avg > 0 else 1.0
    out = counts.copy()
    row_len = np.repeat(lengths, np.diff(out.indptr))
    tf = out.data
    out.data = (tf * (k1 + 1) / (tf + k1 * (1 - b + b * row_len / avg))).astype(np.float32)
    return out


def _rows_times(query: sp.csr_matrix, transposed: sp.csr_matrix) -> np.ndarray:
    return (query @ transposed).toarray().ravel()


# At most this many entries are drawn to measure `answer_trust`: the measure then costs the same
# at any size (a 200 x 200 product), and P@1 among 200 candidates means what it means on StackFAQ's
# 125 entries, where the reference figure was measured (Weights.answer_trust_ref). Its standard
# error is then at most 0.035 (sqrt(0.25 / 200)).
TRUST_SAMPLE = 200


def answer_trust(questions: sp.csr_matrix, answers: sp.csr_matrix, idf: np.ndarray, k1: float, b: float,
                 probes: tuple[np.ndarray, np.ndarray] | None = None, seed: int = 0) -> float | None:
    """How well this folder's answers name their own entries: the share of entries whose own answer
    scores strictly best, by BM25 over answers alone, for the entry's question, among the answers
    of up to TRUST_SAMPLE entries drawn at random (a fixed seed, so an index is reproducible).

    `questions` and `answers` are term counts; `probes` pairs each entry's question row with its
    answer row (default: row n with row n). Long answers about many things (or padded with text of
    other subjects) score low: their words vote for the wrong entries. None when there are fewer
    than two entries to compare."""
    q_rows, a_rows = probes if probes is not None else (np.arange(questions.shape[0]),) * 2
    n = len(q_rows)
    if n < 2:
        return None
    avg = float(np.asarray(answers.sum(axis=1)).ravel()[a_rows].mean())  # all probed answers' mean length
    pick = np.sort(np.random.default_rng(seed).choice(n, TRUST_SAMPLE, replace=False)) if n > TRUST_SAMPLE else np.arange(n)
    asked = questions[q_rows[pick]].astype(np.float32)
    asked.data[:] = 1.0  # BM25 scores each distinct query term once, weighted by its idf
    scores = (asked.multiply(idf.astype(np.float32)).tocsr() @ _bm25(answers[a_rows[pick]], k1, b, avg).T).toarray()
    own = np.diag(scores).copy()
    np.fill_diagonal(scores, -np.inf)
    return float(np.mean(own > scores.max(axis=1)))


class WordVectors:
    """Word-term matrices: per wording (TF-IDF), per item (TF-IDF and BM25). The vocabulary and
    idf are those of a TfidfVectorizer fitted on whole items (wordings and body together)."""

    def __init__(self, q_terms: list[list[str]], body_terms: list[list[str]], q_owner: np.ndarray,
                 n_items: int, field_boost: int = 1, k1: float = 1.2, b: float = 0.75,
                 probes: tuple[np.ndarray, np.ndarray] | None = None, trust_ref: float | None = None) -> None:
        """`probes`: (question rows, their items) of the entries that have a question of their
        own, for `trust` (see `answer_trust`). An answer's words count `trust / trust_ref` times
        in the whole-entry BM25 (`answer_weight`); without probes or `trust_ref`, once."""
        if not any(q_terms) and not any(body_terms):
            # scikit-learn refuses an empty vocabulary; a term no question can produce stands in.
            body_terms = [["§none"], *body_terms[1:]]
        wordings_of: list[list[list[str]]] = [[] for _ in range(n_items)]
        for terms, item in zip(q_terms, q_owner.tolist()):
            wordings_of[item].append(terms)
        whole = ([*chain.from_iterable(ws), *body] for ws, body in zip(wordings_of, body_terms))
        self.vectorizer = TfidfVectorizer(analyzer=identity, sublinear_tf=True, dtype=np.float32)
        self.doc_cos_t = _transposed(self.vectorizer.fit_transform(whole))
        self.q_word_t = _transposed(self.vectorizer.transform(q_terms))

        counter = CountVectorizer(analyzer=identity, vocabulary=self.vectorizer.vocabulary_, dtype=np.float32)
        owner = sp.csr_matrix((np.ones(len(q_owner), np.float32), (q_owner, np.arange(len(q_owner)))),
                              shape=(n_items, len(q_owner)))
        q_counts = counter.transform(q_terms)
        body_counts = counter.transform(body_terms)
        self.trust = None
        if probes is not None and len(probes[0]):
            self.trust = answer_trust(q_counts, body_counts, self.idf_, k1, b, probes)
        self.answer_weight = 1.0 if self.trust is None or not trust_ref else self.trust / trust_ref
        body_counts.data *= np.float32(self.answer_weight)  # in place: no second copy of the answers
        boosted = owner @ q_counts * field_boost + body_counts
        self.bm25_t = _transposed(_bm25(boosted, k1, b))

    @property
    def vocabulary_(self) -> dict[str, int]:
        return self.vectorizer.vocabulary_

    @property
    def idf_(self) -> np.ndarray:
        return self.vectorizer.idf_

    def query(self, terms) -> sp.csr_matrix:
        """The TF-IDF row of a question's terms (terms the knowledge base never uses are ignored)."""
        with config_context(**_TRUSTED_INPUT):
            return self.vectorizer.transform([list(terms)])

    def rows(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine of the query with every wording."""
        return _rows_times(query, self.q_word_t)

    def cosine(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine of the query with every whole item."""
        return _rows_times(query, self.doc_cos_t)

    def _idf_weights(self, query: sp.csr_matrix) -> sp.csr_matrix:
        """The query's distinct terms, each weighted by its idf: BM25's query side."""
        return sp.csr_matrix((self.idf_[query.indices], query.indices, query.indptr), shape=query.shape)

    def bm25(self, query: sp.csr_matrix) -> np.ndarray:
        """BM25 of every whole item (its fields weighted) for the query's distinct terms, each
        weighted by its idf."""
        return _rows_times(self._idf_weights(query), self.bm25_t)


class CharVectors:
    """Character 3-5-gram TF-IDF of the wordings, within word boundaries (`char_wb`)."""

    def __init__(self, texts: list[str]) -> None:
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        self.matrix_t = _transposed(self.vectorizer.fit_transform(texts))

    def rows(self, text: str) -> np.ndarray:
        """Cosine of the text with every wording."""
        with config_context(**_TRUSTED_INPUT):
            query = self.vectorizer.transform([text])
        return _rows_times(query, self.matrix_t)
