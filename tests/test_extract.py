"""What a question asks for, and which of its words only say that."""

from __future__ import annotations

import pytest

from bot.answering import extract


@pytest.mark.parametrize(
    "question, kind",
    [
        ("how long does approval take??", "duration"),
        ("is it weeks or months", "duration"),
        ("timescales?", "duration"),  # plurals of the duration nouns
        ("what is the turnaround time", "duration"),  # a noun meaning a span of time
        # "<noun> time" compounds are open-ended; the ones once listed after reading eval misses
        # are out (issue 13 item 5), so these ask for no particular kind of fact.
        ("approx processing time for a request", None),
        ("what lead times are we looking at", None),
        ("how much time does it take", "duration"),  # time, not money
        ("max cost?", "amount"),
        ("how many contracts are there", "count"),
        ("contact details?", "contact"),
        ("who signs the dsa", "who"),
        ("whats dsfc short for", "meaning"),
        ("what does PAG stand for", "meaning"),
        ("what is a case officer", None),
    ],
)
def test_question_type(question, kind):
    assert extract.question_type(question) == kind


def test_asking_words_include_quantity_hedges_only_for_quantities():
    assert extract.asking_words("roughly how long is the typical wait", "duration") == {"how", "long", "roughly", "typical"}
    assert extract.asking_words("max cost?", "amount") == {"cost", "max"}
    assert extract.asking_words("contact details?", "contact") == {"contact", "details"}
    # A hedge in a question that asks for no quantity is a topic word like any other.
    assert extract.asking_words("what does the typical applicant need", "meaning") == set()


@pytest.mark.parametrize(
    "kind, text, ok",
    [
        ("meaning", "The Data Sharing Framework Contract (DSFC) creates a framework.", True),
        ("meaning", "CSDS stands for Community Services Data Set.", True),
        ("meaning", "Contracts are signed electronically.", False),
        ("duration", "It takes approximately 30 working days.", True),
        ("amount", "Around £1,000.", True),
        ("amount", "It depends on the volume of data.", False),
    ],
)
def test_satisfies(kind, text, ok):
    assert extract.satisfies(kind, text) is ok
