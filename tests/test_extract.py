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
        ("how much data should we ask for", None),  # a quantity of data, not a price
        ("how much of the extract can we share", None),
        ("how much for a new application?", "amount"),
        ("how much we will pay", "amount"),
        ("max cost?", "amount"),
        ("how many contracts are there", "count"),
        ("contact details?", "contact"),
        ("who signs the dsa", "who"),
        ("whats dsfc short for", "meaning"),
        ("what does PAG stand for", "meaning"),
        ("what is a case officer", None),
        # A polar question about a cost asks yes or no; only "how much" makes it an amount question.
        ("is the fee fixed or negotiated", None),
        ("does monthly data cost more", None),
        ("is it how much they quoted us", "amount"),
        ("why is it so expensive", None),
        ("what is the fee", "amount"),
        # The asker wants a way to do something.
        ("how do i get the widgets", "method"),
        ("how to renew", "method"),
        ("how does the panel work", None),  # an explanation, not a way for the asker
        ("how do i contact them", "contact"),  # the more specific kind first
    ],
)
def test_question_type(question, kind):
    assert extract.question_type(question) == kind


@pytest.mark.parametrize(
    "question, explicit",
    [
        ("how long does approval take", True),
        ("roughly how many weeks", True),  # counting time units asks for a duration
        ("how much", True),
        ("what does PAG stand for", True),
        ("how do i get the data", True),
        ("what determines the cost", False),  # a hint of an amount: factors are an answer
        ("when do we sign", False),  # a time point: an event is an answer
    ],
)
def test_explicit_questions_name_their_kind_of_fact(question, explicit):
    assert extract.explicit(question, extract.question_type(question)) is explicit


def test_a_way_is_given_by_procedural_language():
    assert extract.satisfies("method", "Apply through the portal.")
    assert extract.satisfies("method", "You can ask the team by emailing them.")
    assert not extract.satisfies("method", "By 2019 the list held 141 providers in England.")
    assert extract.satisfies("method", "Use your NHS login.")  # an instruction
    assert extract.satisfies("method", "It varies. Ask your case officer.")


def test_a_span_may_be_bounded_by_a_condition_or_an_event():
    assert extract.satisfies("duration", "Only as long as your agreement allows.")
    assert extract.satisfies("duration", "Until the project ends.")
    assert not extract.satisfies("duration", "The data is produced and signed off.")


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


def _words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split()]


def test_the_sentence_with_the_question_s_rarer_word_is_the_extract():
    pad = " across every organisation that takes part in the programme each year, wherever it is based"
    text = f"Training courses cover safe working{pad}. Sessions on outputs are part of training{pad}."
    # "outputs" is the rarer word: it says which sentence is meant.
    words = [(frozenset({"training"}), 1.0), (frozenset({"outputs"}), 4.0)]
    assert extract.best_sentences(text, words, _words, None) == f"Sessions on outputs are part of training{pad}."


def test_a_word_counts_once_however_many_of_its_labels_a_sentence_has():
    pad = " across every organisation that takes part in the programme each year, wherever it is based"
    text = f"Training and course dates are set by the group{pad}. Outputs are checked by the panel{pad}."
    # "training" and its synonym label "course" are one word of the question, not two.
    words = [(frozenset({"training", "course"}), 1.0), (frozenset({"outputs"}), 1.5)]
    assert extract.best_sentences(text, words, _words, None) == f"Outputs are checked by the panel{pad}."


def test_a_continuing_sentence_that_matches_as_well_comes_with_the_best():
    pad = " across every organisation that takes part in the programme each year, wherever it is based"
    text = (f"Mentoring in the peer group gives advice on careful reporting{pad}. "
            f"This is aimed at producing tables that protect privacy{pad}. Other courses cover budgeting{pad}.")
    # Each of the first two sentences has two of the three words; the second continues the first.
    words = [(frozenset({"mentoring"}), 2.0), (frozenset({"careful", "privacy"}), 2.0), (frozenset({"tables"}), 2.0)]
    first = f"Mentoring in the peer group gives advice on careful reporting{pad}."
    both = f"{first} This is aimed at producing tables that protect privacy{pad}."
    assert extract.best_sentences(text, words, _words, None) == both
    # A sentence that does not lean back stays out, however well it matches.
    standalone = text.replace("This is aimed at producing", "Analysts produce")
    assert extract.best_sentences(standalone, words, _words, None) == first
