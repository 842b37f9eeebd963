"""Retrieval on a four-entry corpus, with exact expected ranks (after bm25s's golden tests)."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.retrieval.index import Index
from tests.conftest import write

CORPUS = """\
- id: cat
  question: How do I feed my cat?
  alternates: [what do cats eat]
  answer: Give cats meat twice a day.
- id: dog
  question: How often should I walk the dog?
  alternates: [dog exercise]
  answer: Walk dogs every morning and evening.
- id: fish
  question: How do I clean a fish tank?
  answer: Change a quarter of the water weekly.
- id: price
  question: How much does a vet visit cost?
  answer: A visit costs around £40.
"""
SYNONYMS = "acronyms:\n  VET: veterinary surgeon\nsynonyms:\n  - [cost, price, fee]\n"


@pytest.fixture
def index(tmp_path):
    write(tmp_path / "faq" / "pets.yaml", CORPUS)
    write(tmp_path / "synonyms.yaml", SYNONYMS)
    return Index(load_knowledge(tmp_path))


def ranks(index, question, k=4):
    _, scored = index.search(question, k)
    return [index.items[s.item].id for s in scored]


@pytest.mark.parametrize(
    "question, expected_first",
    [
        ("feeding my cat", "cat"),  # stemming: feeding -> feed
        ("what do cats eat?", "cat"),  # an alternate matches exactly
        ("walking dogs", "dog"),
        ("how do i clean the fsh tank", "fish"),  # typo corrected against the vocabulary
        ("what's the price of a vet visit", "price"),  # synonym: price ~ cost
        ("veterinary surgeon fee", "price"),  # acronym expansion and synonym together
        ("when to give meat", "cat"),  # words only in the answer still count
    ],
)
def test_best_match_ranks_first(index, question, expected_first):
    assert ranks(index, question)[0] == expected_first


def test_exact_ranking_and_scores(index):
    _, scored = index.search("walk the dog", 4)
    ids = [index.items[s.item].id for s in scored]
    assert ids[0] == "dog" and sorted(ids) == ["cat", "dog", "fish", "price"]
    assert scored[0].score > 5 * scored[1].score  # the others share only noise with it
    assert set(scored[0].signals) >= {"qword", "qchar", "doccos", "fuzzy"}
    assert all(0.0 <= scored[0].signals[k] <= 1.0 for k in ("qword", "qchar", "doccos", "fuzzy"))


def test_k_is_clamped_and_empty_queries_give_nothing(index):
    assert len(ranks(index, "cat", k=50)) <= 4
    assert ranks(index, "") == []
    assert ranks(index, "the and of") == []


def test_matched_wording_is_reported(index):
    _, scored = index.search("what do cats eat", 1)
    assert index.q_texts[scored[0].wording] == "what do cats eat"
