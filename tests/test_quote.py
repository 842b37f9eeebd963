"""What the bot says cannot mislead: a reply's "Yes." only to its own question, and passage
extracts of whole sentences that stand on their own."""

from __future__ import annotations

import pytest

from bot.answering import quote
from bot.answering.engine import Engine
from bot.knowledge import load_knowledge
from tests.conftest import KNOWLEDGE, write


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ask a team, e.g. NHS Digital. They reply.", ["Ask a team, e.g. NHS Digital.", "They reply."]),
        ("It takes approx. 30 days. Then sign.", ["It takes approx. 30 days.", "Then sign."]),
        ("Write to Dr. Jones or J. Smith. Wait.", ["Write to Dr. Jones or J. Smith.", "Wait."]),
        ("See No. 5 below. No. It is not.", ["See No. 5 below.", "No.", "It is not."]),
        ("Purpose, funding, etc. Once done, sign.", ["Purpose, funding, etc.", "Once done, sign."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
    ],
)
def test_sentences_end_at_sentence_ends_not_at_abbreviations(text, expected):
    assert quote.sentences(text) == expected


@pytest.mark.parametrize(
    "answer, fact",
    [
        ("Yes. Free data awareness training is offered.", "Free data awareness training is offered."),
        ("No, not all enquiries progress.", "Not all enquiries progress."),
        ("Yes, for published outputs: CSDS publish analyses.", "For published outputs: CSDS publish analyses."),
        ("If necessary. Your case officer will call.", "Your case officer will call."),
        ("Not necessarily. A new application costs around £1,000.", "A new application costs around £1,000."),
        # Not replies: they state something themselves.
        ("By September 2019, 141 providers submitted.", "By September 2019, 141 providers submitted."),
        ("30 days. After that, access.", "30 days. After that, access."),
        ("Use SEFT. It is secure.", "Use SEFT. It is secure."),
        ("It depends. Costs vary.", "Costs vary."),
        ("Yes.", "Yes."),
    ],
)
def test_a_reply_opening_is_dropped_to_lead_with_the_fact(answer, fact):
    assert quote.lead_with_fact(answer) == fact


def test_clip_keeps_whole_sentences_and_marks_a_cut():
    assert quote.clip("One two three. Four five six seven.", 20) == "One two three."
    assert quote.clip("One two three four five six seven.", 20) == "One two three…"
    assert quote.clip("Short.", 20) == "Short."


FAQ = """\
- id: training
  question: Is the training free?
  alternates:
    - is there a charge for the courses
  answer: Yes. Free data awareness training courses are open to every user of the service.
- id: cost
  question: How much does an application cost?
  answer: A new application costs around £1,000.
"""


@pytest.fixture
def small(tmp_path) -> Engine:
    write(tmp_path / "faq" / "a.yaml", FAQ)
    return Engine(load_knowledge(tmp_path))


@pytest.mark.parametrize("question", ["Is the training free?", "is the training free", "IS THE TRAINNING FREE??",
                                      "is there a charge for the course"])
def test_yes_is_given_to_the_entrys_own_question_and_alternates(small, question):
    answer = small.ask(question)
    assert answer.answered and answer.text.startswith("Yes. Free data awareness"), answer.text


@pytest.mark.parametrize("question", ["is the training free of charge", "is the training not free",
                                      "is training free"])
def test_other_wordings_get_the_fact_without_the_yes(small, question):
    answer = small.ask(question)
    assert answer.answered, answer.text
    assert answer.text == "Free data awareness training courses are open to every user of the service."


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_folder(KNOWLEDGE)


@pytest.mark.parametrize("question", ["do i need to pay for the training", "is it free"])
def test_bundled_training_answer_leads_with_the_fact(engine, question):
    answer = engine.ask(question)
    assert answer.top.id == "training"
    if answer.answered:  # whether it answers is the decision's business; what it says is this test's
        assert answer.text.startswith("Free data awareness training"), answer.text


def test_bundled_entry_asked_as_written_keeps_its_yes(engine):
    entry = next(f for f in engine.knowledge.faqs if f.answer.startswith("Yes. Free data awareness"))
    assert engine.ask(entry.question).text.startswith("Yes. ")


def test_no_bundled_answer_opens_with_a_bare_fragment_when_matched_from_another_wording(engine):
    answer = engine.ask("how do I book a GP appointment")
    assert not answer.text.startswith("If necessary.")


GUIDANCE = """\
---
title: Parking guidance
publisher: Estates
last_reviewed: 2024-03-01
---

# Permits

Permits are issued by the estates office, e.g. Dr. Jones or Mr. A. Patel. Each permit costs £20 a month and is renewed in April. This covers the main car park only.
"""


@pytest.fixture
def parking(tmp_path) -> Engine:
    write(tmp_path / "guidance.md", GUIDANCE)
    return Engine(load_knowledge(tmp_path))


def _extracts(engine: Engine, question: str) -> str:
    query, ranked = engine.index.search(question, k=1)
    return engine._text(ranked[0], query, None)


@pytest.mark.parametrize("question", ["who issues permits", "what does a permit cover", "which car park"])
def test_passage_extracts_are_whole_sentences_that_stand_alone(parking, question):
    text = _extracts(parking, question)
    whole = ["Permits are issued by the estates office, e.g. Dr. Jones or Mr. A. Patel.",
             "Each permit costs £20 a month and is renewed in April.", "This covers the main car park only."]
    assert text in {" ".join(whole[:2]), " ".join(whole[1:]), " ".join(whole)}, text
