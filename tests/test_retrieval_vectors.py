"""The index's sparse matrices: scikit-learn fits them; the transposed storage, the grouping of
wordings into entries and the BM25 weights are ours, and are checked here."""

from __future__ import annotations

import math
import pickle

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.retrieval.vectors import TRUST_SAMPLE, CharVectors, WordVectors, answer_trust

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


def _counts(rows: list[list[str]], vocabulary: list[str]):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer=lambda terms: terms, vocabulary=vocabulary, dtype=np.float32).transform(rows)


def test_answer_trust_is_the_share_of_questions_whose_own_answer_scores_strictly_best():
    vocab = ["cat", "dog", "fish", "meat"]
    idf = np.ones(len(vocab), np.float32)
    questions = _counts([["cat"], ["dog"], ["fish"]], vocab)
    own = _counts([["cat", "meat"], ["dog"], ["fish", "fish"]], vocab)
    rotated = _counts([["dog"], ["fish"], ["cat"]], vocab)  # each answer is about the next entry
    same = _counts([["cat", "dog", "fish"]] * 3, vocab)  # a tie names no entry
    assert answer_trust(questions, own, idf, 1.2, 0.75) == 1.0
    assert answer_trust(questions, rotated, idf, 1.2, 0.75) == 0.0
    assert answer_trust(questions, same, idf, 1.2, 0.75) == 0.0
    mixed = _counts([["cat"], ["cat"], ["fish"]], vocab)  # the dog entry's answer is about cats
    assert answer_trust(questions, mixed, idf, 1.2, 0.75) == 1 / 3
    assert answer_trust(questions[:1], own[:1], idf, 1.2, 0.75) is None


def test_answer_trust_samples_a_fixed_set_of_entries_in_a_large_folder():
    n = TRUST_SAMPLE * 3
    vocab = [f"w{i}" for i in range(n)]
    questions = _counts([[f"w{i}"] for i in range(n)], vocab)
    # A third of the answers name their own entry, the rest the next entry's.
    answers = _counts([[f"w{i}"] if i % 3 == 0 else [f"w{(i + 1) % n}"] for i in range(n)], vocab)
    idf = np.ones(n, np.float32)
    first = answer_trust(questions, answers, idf, 1.2, 0.75)
    assert first == answer_trust(questions, answers, idf, 1.2, 0.75)  # reproducible
    assert 0.2 < first < 0.5  # a sample of 200 from a third that name their own


def test_answers_that_do_not_name_their_entries_stop_outvoting_the_question():
    # Entry 0 is asked about dogs; entry 1's answer says "dog" three times but its question is
    # about cats, and entry 2's about fish; answers are rotated, so trust is 0.
    q_terms = [["dog"], ["cat"], ["fish"]]
    body_terms = [["cat", "food"], ["dog", "dog", "dog", "walk"], ["dog", "tank"]]
    owner, probes = np.array([0, 1, 2]), (np.array([0, 1, 2]), np.array([0, 1, 2]))
    untrusted = WordVectors(q_terms, body_terms, owner, 3, field_boost=1, probes=probes, trust_ref=0.776)
    assert untrusted.trust == 0.0 and untrusted.answer_weight == 0.0
    assert np.argmax(untrusted.bm25(untrusted.query(["dog"]))) == 0
    # The same folder without a measured trust counts answers whole, and the long answer wins.
    whole = WordVectors(q_terms, body_terms, owner, 3, field_boost=1)
    assert whole.trust is None and whole.answer_weight == 1.0
    assert np.argmax(whole.bm25(whole.query(["dog"]))) == 1


def test_answer_weight_is_trust_over_the_reference():
    q_terms, body_terms = [["cat"], ["dog"]], [["cat", "meat"], ["dog", "walk"]]
    owner = probes_rows = np.array([0, 1])
    vectors = WordVectors(q_terms, body_terms, owner, 2, probes=(probes_rows, probes_rows), trust_ref=0.5)
    assert vectors.trust == 1.0 and vectors.answer_weight == 2.0
