"""The index's sparse matrices: scikit-learn fits them; the transposed storage, the grouping of
wordings into entries and the BM25 weights are ours, and are checked here."""

from __future__ import annotations

import math
import pickle

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.retrieval.vectors import CharVectors, WordVectors

TEXTS = ["how do i feed my cat", "walking the dog every day", "clean a fish tank", "a cat and a dog", "x"]

# Item 0 owns wordings 0 and 2, item 1 wording 1: owners need not come in order.
Q_TERMS = [["feed", "cat"], ["walk", "dog"], ["cat", "food"]]
BODY_TERMS = [["give", "cat", "meat", "meat"], ["walk", "dog", "daili"]]
OWNER = np.array([0, 1, 0])
WHOLE = [Q_TERMS[0] + Q_TERMS[2] + BODY_TERMS[0], Q_TERMS[1] + BODY_TERMS[1]]


def reference(docs, **kwargs) -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, **kwargs).fit(docs)


def test_char_rows_are_scikit_learns_matrix_times_the_question():
    ours = CharVectors(TEXTS)
    ref = reference(TEXTS, analyzer="char_wb", ngram_range=(3, 5))
    for question in ("feeding cats", "the dgo", "zzz qqq", "x"):
        expected = (ref.transform(TEXTS) @ ref.transform([question]).T).toarray().ravel()
        np.testing.assert_allclose(ours.rows(question), expected, atol=1e-6)


def test_word_cosines_are_against_whole_entries_and_each_wording():
    ours = WordVectors(Q_TERMS, BODY_TERMS, OWNER, 2)
    ref = reference(WHOLE, analyzer=lambda terms: terms)
    question = ["cat", "meat", "unknown"]
    q = ref.transform([question]).T
    np.testing.assert_allclose(ours.cosine(ours.query(question)), (ref.transform(WHOLE) @ q).toarray().ravel(), atol=1e-6)
    np.testing.assert_allclose(ours.rows(ours.query(question)), (ref.transform(Q_TERMS) @ q).toarray().ravel(), atol=1e-6)
    # Coverage weighs question words by this idf, looked up through this vocabulary.
    assert {t: float(ours.idf_[i]) for t, i in ours.vocabulary_.items()} == {
        t: float(np.float32(ref.idf_[i])) for t, i in ref.vocabulary_.items()
    }


def bm25(tf: float, length: float, avg: float, k1: float = 1.2, b: float = 0.75) -> float:
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))


def test_bm25_by_hand_with_the_question_counted_field_boost_times():
    # Item 0: wording "cat", answer "dog". Item 1: wording "dog", answer "dog fish".
    q_terms, body_terms, owner = [["cat"], ["dog"]], [["dog"], ["dog", "fish"]], np.array([0, 1])
    idf_cat, idf_dog = math.log(3 / 2) + 1, math.log(3 / 3) + 1  # smooth idf over 2 entries
    plain = WordVectors(q_terms, body_terms, owner, 2)
    # Lengths 2 and 3, average 2.5.
    np.testing.assert_allclose(plain.bm25(plain.query(["cat", "dog"])), [
        idf_cat * bm25(1, 2, 2.5) + idf_dog * bm25(1, 2, 2.5),
        idf_dog * bm25(2, 3, 2.5),
    ], rtol=1e-6)
    boosted = WordVectors(q_terms, body_terms, owner, 2, field_boost=3)
    # Wordings count three times: "cat" x3 + "dog" (length 4); "dog" x3 + "dog" + "fish" (5).
    np.testing.assert_allclose(boosted.bm25(boosted.query(["cat", "dog"])), [
        idf_cat * bm25(3, 4, 4.5) + idf_dog * bm25(1, 4, 4.5),
        idf_dog * bm25(4, 5, 4.5),
    ], rtol=1e-6)
    # A repeated question word counts once: BM25 is over the question's distinct terms.
    np.testing.assert_allclose(plain.bm25(plain.query(["cat", "cat"])), plain.bm25(plain.query(["cat"])), rtol=1e-6)


def test_field_boost_lets_the_question_outweigh_a_long_answer():
    q_terms, body_terms, owner = [["cat"], ["dog"]], [["dog", "dog", "dog"], ["cat", "cat", "cat"]], np.array([0, 1])
    plain = WordVectors(q_terms, body_terms, owner, 2, field_boost=1)
    boosted = WordVectors(q_terms, body_terms, owner, 2, field_boost=5)
    assert np.argmax(plain.bm25(plain.query(["cat"]))) == 1  # says "cat" three times in its answer
    assert np.argmax(boosted.bm25(boosted.query(["cat"]))) == 0  # is asked about cats


def test_a_question_of_unknown_words_scores_nothing():
    vectors = WordVectors([["cat"]], [["meat"]], np.array([0]), 1)
    query = vectors.query(["zebra"])
    assert query.nnz == 0
    assert not vectors.cosine(query).any() and not vectors.rows(query).any() and not vectors.bm25(query).any()


def test_entries_without_a_single_term_still_index():
    vectors = WordVectors([[], []], [[], []], np.array([0, 1]), 2)
    assert vectors.cosine(vectors.query(["cat"])).tolist() == [0.0, 0.0]


def test_fitted_vectors_survive_the_index_cache_pickle():
    words = pickle.loads(pickle.dumps(WordVectors(Q_TERMS, BODY_TERMS, OWNER, 2)))
    chars = pickle.loads(pickle.dumps(CharVectors(TEXTS)))
    assert words.cosine(words.query(["cat"]))[0] > 0 and chars.rows("cats")[0] > 0
