"""The sparse matrices behind the index's word and character signals.

Each matrix is stored transposed (terms x rows, CSR): a question's vector times it walks only the
posting lists of the question's own terms, so a question costs milliseconds even over a hundred
thousand entries, where the usual `matrix @ query.T` reads every stored value.
"""

from __future__ import annotations

from array import array

import numpy as np
import scipy.sparse as sp


def _counts(docs: list[list[str]], vocab: dict[str, int], grow: bool) -> sp.csr_matrix:
    """A documents x terms count matrix; `grow` adds unseen terms to `vocab`."""
    indices = array("i")  # 4 bytes an entry, where a list of ints costs 36
    indptr = [0]
    if grow:
        for doc in docs:
            for term in doc:
                indices.append(vocab.setdefault(term, len(vocab)))
            indptr.append(len(indices))
    else:
        get = vocab.get
        for doc in docs:
            indices.extend(i for i in map(get, doc) if i is not None)
            indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_matrix((data, np.frombuffer(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
                           shape=(len(docs), len(vocab)))
    matrix.sum_duplicates()
    return matrix


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Rows of sublinear tf x idf, each scaled to unit length (scikit-learn's TF-IDF)."""
    out = counts.copy()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    out.data /= np.repeat(norms, np.diff(out.indptr)).astype(np.float32)
    return out


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
    """Word-term matrices: per wording (TF-IDF), per item (TF-IDF and BM25)."""

    def __init__(self, q_terms: list[list[str]], body_terms: list[list[str]], q_owner: np.ndarray,
                 n_items: int, field_boost: int = 1, k1: float = 1.2, b: float = 0.75) -> None:
        self.vocabulary_: dict[str, int] = {}
        per_wording = _counts(q_terms, self.vocabulary_, grow=True)
        per_body = _counts(body_terms, self.vocabulary_, grow=True)
        size = len(self.vocabulary_)
        per_wording.resize((per_wording.shape[0], size))
        owner = sp.csr_matrix((np.ones(len(q_owner), np.float32), (q_owner, np.arange(len(q_owner)))),
                              shape=(n_items, len(q_owner)))
        wordings = (owner @ per_wording).tocsr()
        whole = (wordings + per_body).tocsr()
        # scikit-learn's smooth idf, so figures match a TfidfVectorizer fitted on whole entries.
        df = np.bincount(whole.indices, minlength=size)
        self.idf_ = (np.log((1.0 + n_items) / (1.0 + df)) + 1.0).astype(np.float32)
        self.q_word_t = _tfidf(per_wording, self.idf_).T.tocsr()
        self.doc_cos_t = _tfidf(whole, self.idf_).T.tocsr()
        boosted = (wordings * field_boost + per_body).tocsr() if field_boost != 1 else whole
        self.bm25_t = _bm25(boosted, k1, b).T.tocsr()

    def transform(self, docs: list[list[str]]) -> sp.csr_matrix:
        """TF-IDF rows for lists of terms (unknown terms are ignored)."""
        return _tfidf(_counts(docs, self.vocabulary_, grow=False), self.idf_)

    def query(self, terms) -> sp.csr_matrix:
        return self.transform([list(terms)])

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
    """Character 3-5-gram TF-IDF of the wordings, within word boundaries (scikit-learn's
    `char_wb`, same figures). A word's n-grams are worked out once and reused: a knowledge base
    repeats its words far more often than it coins new ones."""

    def __init__(self, texts: list[str]) -> None:
        self.vocabulary: dict[str, int] = {}
        self._words: dict[str, list[int]] = {}
        counts = self._counts(texts, grow=True)
        df = np.bincount(counts.indices, minlength=len(self.vocabulary))
        self.idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
        self.matrix_t = _tfidf(counts, self.idf).T.tocsr()

    @staticmethod
    def grams(word: str) -> list[str]:
        padded = f" {word} "
        return [padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]

    def _counts(self, texts: list[str], grow: bool) -> sp.csr_matrix:
        vocab, known = self.vocabulary, self._words
        indices = array("i")
        indptr = [0]
        for text in texts:
            for word in text.split():
                ids = known.get(word)
                if ids is None:
                    if grow:
                        ids = known[word] = array("i", [vocab.setdefault(g, len(vocab)) for g in self.grams(word)])
                    else:  # a question's new word: look its n-grams up, remember nothing
                        ids = [i for i in map(vocab.get, self.grams(word)) if i is not None]
                indices.extend(ids)
            indptr.append(len(indices))
        matrix = sp.csr_matrix((np.ones(len(indices), np.float32), np.frombuffer(indices, np.int32),
                                np.asarray(indptr, np.int64)), shape=(len(texts), len(vocab)))
        matrix.sum_duplicates()
        return matrix

    def rows(self, text: str) -> np.ndarray:
        """Cosine of the text with every wording."""
        return _rows_times(_tfidf(self._counts([text], grow=False), self.idf), self.matrix_t)
