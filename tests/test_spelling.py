"""Spelling correction: typos, short ones included, are read as the word meant; real English
words the knowledge base never uses stay unknown, so off-topic questions still decline."""

from __future__ import annotations

import pytest

from bot.answering.engine import Engine
from bot.knowledge import load_knowledge
from bot.retrieval.index import Index
from bot.retrieval.spelling import Speller, english_count
from tests.conftest import KNOWLEDGE, write

VOCABULARY = {"how": 40, "long": 12, "what": 30, "cost": 9, "approval": 6, "take": 5, "training": 4,
              "park": 0, "must": 3, "can": 20, "car": 0, "nhsd": 4, "for": 25, "app": 2, "dars": 7}


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("lnog", "long"),  # four letters, two swapped: one edit in optimal string alignment
        ("wat", "what"),  # three letters: an English list holds "wat", but 25,000 times rarer than "what"
        ("aproval", "approval"),
        ("trainnig", "training"),
        ("dras", "dars"),  # a swap of two letters is a typo even of a name
        ("approva", "approval"),  # cut short, and no English word: a typo of its longer form
        ("trainin", "training"),
    ],
)
def test_short_and_long_typos_are_corrected(typed, meant):
    assert Speller(VOCABULARY).correct(typed) == meant


@pytest.mark.parametrize(
    "word",
    [
        "egg",  # one edit from nothing here, and English: stays
        "mast",  # one edit from "must", but a word people mean (only ~1,000 times rarer)
        "cat",  # one edit from "can" and "car": English, so not bent into either
        "ok",  # two letters: too short to tell a typo from another word
        "parking",  # an inflection of nothing here and a real word
    ],
)
def test_real_english_words_stay_as_typed(word):
    assert english_count(word) > 0 or len(word) < 3
    assert Speller(VOCABULARY).correct(word) == word


@pytest.mark.parametrize(
    "word",
    [
        "nhse",  # short and not English: an acronym as likely as a typo of "nhsd"
        "api",  # not bent into the shorthand "app"
        "foi",  # not bent into the stop word "for", which would drop the topic
    ],
)
def test_short_unknown_acronyms_stay_as_typed(word):
    assert english_count(word) == 0
    assert Speller(VOCABULARY).correct(word) == word


def test_a_knowledge_folder_reads_short_typos_as_its_own_words(tmp_path):
    write(tmp_path / "faq" / "a.yaml", """\
- id: wait
  question: How long does approval take?
  answer: About 30 working days.
- id: fee
  question: What is the cost of an application?
  answer: Around £1,000.
""")
    index = Index(load_knowledge(tmp_path))
    assert index.parse("how lnog does aproval take").tokens == ("how", "long", "does", "approval", "take")
    assert index.parse("wat is the cost").tokens[0] == "what"
    assert "egg" in index.parse("how long does it take to boil an egg").tokens


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_folder(KNOWLEDGE)


@pytest.mark.parametrize(
    "question, fact",
    [("how lnog does aproval take", "30 working days"), ("wat is the cost", "£1,000")],
)
def test_misspelt_plain_questions_are_answered(engine, question, fact):
    answer = engine.ask(question)
    assert answer.answered, answer.text
    assert fact in answer.text


@pytest.mark.parametrize("question", ["how long does it take to boil an egg", "is parking free",
                                      "how much is a passport"])
def test_off_topic_questions_with_real_words_still_decline(engine, question):
    assert not engine.ask(question).answered
