"""The index's own sparse matrices against scikit-learn, the reference they stand in for."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.retrieval.vectors import CharVectors, WordVectors

TEXTS = ["how do i feed my cat", "walking the dog every day", "clean a fish tank", "a cat and a dog", "x"]


def test_char_ngrams_match_scikit_learn_char_wb():
    ours = CharVectors(TEXTS)
    ref = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(TEXTS)
    matrix = ref.transform(TEXTS)
    for question in ("feeding cats", "the dgo", "zzz qqq", "x"):
        expected = (matrix @ ref.transform([question]).T).toarray().ravel()
        np.testing.assert_allclose(ours.rows(question), expected, atol=1e-6)


def test_word_tfidf_matches_scikit_learn_on_whole_entries():
    q_terms = [["feed", "cat"], ["cat", "food"], ["walk", "dog"]]
    body_terms = [["give", "cat", "meat", "meat"], ["walk", "dog", "daili"]]
    owner = np.array([0, 0, 1])
    ours = WordVectors(q_terms, body_terms, owner, 2)
    whole = [q_terms[0] + q_terms[1] + body_terms[0], q_terms[2] + body_terms[1]]
    ref = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True).fit(whole)
    query = ["cat", "meat", "unknown"]
    expected = (ref.transform(whole) @ ref.transform([query]).T).toarray().ravel()
    np.testing.assert_allclose(ours.cosine(ours.query(query)), expected, atol=1e-6)
    for term, column in ref.vocabulary_.items():
        assert ours.idf_[ours.vocabulary_[term]] == np.float32(ref.idf_[column])


def test_bm25_counts_question_words_field_boost_times():
    q_terms = [["cat"], ["dog"]]
    body_terms = [["dog", "dog", "dog"], ["cat", "cat", "cat"]]
    owner = np.array([0, 1])
    plain = WordVectors(q_terms, body_terms, owner, 2, field_boost=1)
    boosted = WordVectors(q_terms, body_terms, owner, 2, field_boost=5)
    query = plain.query(["cat"])
    # Without a boost, the entry that says "cat" three times in its answer wins; with it, the
    # entry whose question is about cats does.
    assert np.argmax(plain.bm25(query)) == 1
    assert np.argmax(boosted.bm25(boosted.query(["cat"]))) == 0


def test_a_question_of_unknown_words_scores_nothing():
    vectors = WordVectors([["cat"]], [["meat"]], np.array([0]), 1)
    query = vectors.query(["zebra"])
    assert query.nnz == 0
    assert not vectors.cosine(query).any() and not vectors.rows(query).any()
