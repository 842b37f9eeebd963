"""The chat around a question (greetings, preambles, sign-offs, the frame it is asked in, chat
abbreviations) does not sink a plain question."""

from __future__ import annotations

import pytest

from bot.answering.engine import Engine
from bot.answering.smalltalk import question_of
from bot.knowledge import load_knowledge
from bot.retrieval.text import Analyzer
from tests.conftest import KNOWLEDGE, write


@pytest.mark.parametrize(
    "message, question",
    [
        ("hi team, quick question: how long does approval take? thanks in advance", "how long does approval take?"),
        ("sorry to bother you but who signs the contract", "who signs the contract"),
        ("Hello! How much does it cost? Cheers", "How much does it cost?"),
        ("hey - who signs the dsa pls", "who signs the dsa"),
        ("thanks for the help, how long is approval?", "how long is approval?"),
        ("does anyone know the igard email", "the igard email"),
        ("hi there, what's PAG in the dars context", "what's PAG"),
        ("what does igard do in the context of an application?", "what does igard do?"),
        ("what is a dsa in simple terms", "what is a dsa"),
        # Who the asker asks for, closing a clause.
        ("how do i order widgets for my team", "how do i order widgets"),
        ("we need an extract for our research project, who signs", "we need an extract, who signs"),
        ("what is in our contract", "what is in our contract"),  # "our contract" is the subject
        ("what is in our contract for the widgets", "what is in our contract for the widgets"),
        # Nothing to take away: these words are the question.
        ("right to object to processing", "right to object to processing"),
        ("ideas for a purpose statement", "ideas for a purpose statement"),
        ("in terms of cost what should we expect", "in terms of cost what should we expect"),
        ("hiring process?", "hiring process?"),
        ("okay so how long", "so how long"),
        ("thanks", "thanks"),
        ("hi", "hi"),
    ],
)
def test_question_of_a_chat_message(message, question):
    assert question_of(message) == question


def test_chat_abbreviation_for_a_period_reads_as_the_period():
    analyzer = Analyzer()
    assert analyzer.analyse("next fy") == analyzer.analyse("next year")


FAQ = """\
- id: approval
  question: How long does approval take?
  answer: Approval takes about 30 working days.
- id: signing
  question: Who signs the contract?
  answer: The applicant's director signs the contract.
- id: training
  question: Is the training free?
  answer: Yes. Training courses are free for every applicant.
"""


@pytest.fixture
def small(tmp_path) -> Engine:
    write(tmp_path / "faq" / "a.yaml", FAQ)
    return Engine(load_knowledge(tmp_path))


@pytest.mark.parametrize(
    "message, fact",
    [
        ("hi team, quick question: how long does approval take? thanks in advance", "30 working days"),
        ("sorry to bother you but who signs the contract", "director"),
        ("hi there, is the training free?", "Yes. Training courses"),  # its own question, greeting aside
    ],
)
def test_chat_around_a_question_leaves_it_answered(small, message, fact):
    answer = small.ask(message)
    assert answer.answered, answer.text
    assert fact in answer.text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_folder(KNOWLEDGE)


@pytest.mark.parametrize(
    "message, fact",
    [
        ("hi there, what's PAG in the dars context", "Professional Advisory Group"),
        # The fitted decision (bot.answering.calibration) declines this one at 0.70 < 0.75: "next" and
        # "fy" are topic words the cost entry lacks. Counting "next"/"last" as function words answers
        # it but lowers abstention on all four eval sets, so it stays a known miss for now.
        pytest.param("need to budget for csds access next fy - ballpark?", "£1,000", marks=pytest.mark.xfail(
            strict=True, reason="declined by the fitted decision (decision branch); see the comment above")),
    ],
)
def test_bundled_plain_questions_in_chat_are_answered(engine, message, fact):
    answer = engine.ask(message)
    assert answer.answered, answer.text
    assert fact in answer.text


@pytest.mark.parametrize("message", ["hi, how do I book a table at a restaurant", "thanks! what's the weather tomorrow"])
def test_chat_around_an_off_topic_question_still_declines(engine, message):
    assert not engine.ask(message).answered


@pytest.mark.parametrize("message, kind", [("hi team", "greeting"), ("morning all", "greeting"),
                                           ("thanks team", "thanks"), ("cheers all!", "thanks")])
def test_a_greeting_or_thanks_to_a_group_is_small_talk_not_a_question(engine, message, kind):
    # "hi team" once answered with a CSDS fact about "the NHS Digital team".
    answer = engine.ask(message)
    assert answer.kind == "smalltalk"
    assert answer.text.startswith("Hello!" if kind == "greeting" else "You're welcome!")
