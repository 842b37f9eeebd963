"""The sparse matrices behind the index's word and character signals.

scikit-learn's vectorizers count terms and weight them by TF-IDF. What they do not offer is
here: BM25 weights, with an entry's wordings counted `field_boost` times (a BM25F-style field
weight), and the storage. Every fitted matrix is kept transposed (terms x rows, CSR): a question's
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


def _bm25(counts: sp.csr_matrix, k1: float, b: float) -> sp.csr_matrix:
    """Document-side BM25 weights; a query then scores as `(idf * query_terms) @ weights.T`."""
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    avg = lengths.mean() if lengths.size and lengths.mean() > 0 else 1.0
    out = counts.copy()
    row_len = np.repeat(lengths, np.diff(out.indptr))
    tf = out.data
    out.data = (tf * (k1 + 1) / (tf + k1 * (1 - b + b * row_len / avg))).astype(np.float32)
    return out


def _rows_times(query: sp.csr_matrix, transposed: sp.csr_matrix) -> np.ndarray:
    return (query @ transposed).toarray().ravel()


class WordVectors:
    """Word-term matrices: per wording (TF-IDF), per item (TF-IDF and BM25). The vocabulary and
    idf are those of a TfidfVectorizer fitted on whole items (wordings and body together)."""

    def __init__(self, q_terms: list[list[str]], body_terms: list[list[str]], q_owner: np.ndarray,
                 n_items: int, field_boost: int = 1, k1: float = 1.2, b: float = 0.75) -> None:
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
        boosted = owner @ counter.transform(q_terms) * field_boost + counter.transform(body_terms)
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

    def bm25(self, query: sp.csr_matrix) -> np.ndarray:
        """BM25 of every item for the query's distinct terms, each weighted by its idf."""
        weights = sp.csr_matrix((self.idf_[query.indices], query.indices, query.indptr), shape=query.shape)
        return _rows_times(weights, self.bm25_t)


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
