"""The engine end to end on the bundled knowledge: answers, sources, abstention, small talk."""

from __future__ import annotations

import pytest

from bot.answering.engine import Engine
from bot.model import Answer
from tests.conftest import KNOWLEDGE, write


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_folder(KNOWLEDGE)


@pytest.mark.parametrize(
    "question, fact",
    [
        ("how long does approval take??", "30 working days"),
        ("HOW MUCH DOES IT COST", "£1,000"),
        ("what does it cost", "£1,000"),  # an amount question gets the answer with a sum of money
        ("igard?", "Independent Group Advising on the Release of Data"),
        ("whats a DSFC", "Data Sharing Framework Contract"),
        ("who do i phone about csds", "0300 303 5678"),
        ("how do we recieve the data", "Secure Electronic File Transfer"),
    ],
)
def test_answers_common_questions_with_the_fact_and_its_source(engine, question, fact):
    answer = engine.ask(question)
    assert answer.answered, answer.text
    assert fact in answer.text
    assert len(answer.text) <= 600
    citation = engine.citation(answer)
    assert citation.startswith("Source: Community Services Data Set (CSDS) data access guidance › ")
    assert citation.endswith("(last reviewed 16 January 2023)")


@pytest.mark.parametrize(
    "question",
    ["how long does it take to boil an egg", "how much is a train ticket to London", "who won the premier league"],
)
def test_unrelated_questions_get_no_csds_fact(engine, question):
    answer = engine.ask(question)
    assert not answer.answered
    assert answer.text.startswith("Sorry, I couldn't find that in the CSDS data access guidance.")
    assert "0300 303 5678" in answer.text and "enquiries@nhsdigital.nhs.uk" in answer.text
    assert "30 working days" not in answer.text and "£" not in answer.text
    assert len(answer.suggestions) <= 3
    assert answer.sources, "ranked candidates are reported even when it declines"
    assert engine.citation(answer) == ""


def test_declining_offers_close_questions_it_can_answer(engine):
    answer = engine.ask("how long does a DBS check take")
    assert not answer.answered
    for suggestion in answer.suggestions:
        assert engine.ask(suggestion).answered


@pytest.mark.parametrize("message, start", [("hi", "Hello!"), ("thanks!", "You're welcome"), ("help", "I answer questions")])
def test_small_talk_says_what_the_bot_can_do(engine, message, start):
    answer = engine.ask(message)
    assert answer.kind == "smalltalk" and answer.text.startswith(start)
    if message != "thanks!":
        assert "How long does approval take?" in answer.text  # examples from bot.yaml


def test_a_question_with_a_greeting_is_still_answered(engine):
    assert "30 working days" in engine.ask("hi, how long does approval take?").text


def test_passage_answers_quote_the_guidance(tmp_path):
    write(tmp_path / "guide.md", "---\ntitle: Guide\nlast_reviewed: 2024-02-03\n---\n# Guide\n\n## Timing\n\n"
          "Applications are read by a panel. The process is expected to take approximately 12 working days. "
          "Panels meet on Tuesdays.\n")
    engine = Engine.from_folder(tmp_path)
    answer = engine.ask("how long does the process take")
    assert answer.answered
    assert "approximately 12 working days" in answer.text
    assert answer.text in (tmp_path / "guide.md").read_text()  # quoted, not paraphrased
    assert engine.citation(answer) == "Source: Guide › Timing (last reviewed 3 February 2024)"
    # Without a bot.yaml the bot speaks of "the guidance", not of CSDS.
    assert engine.ask("how long does it take to boil an egg").text == "Sorry, I couldn't find that in the guidance."
    assert engine.ask("help").text == "I answer questions from the guidance, and say where each answer comes from."
    assert engine.ask("thanks").text == "You're welcome! Ask me anything else about the guidance."


def test_follow_up_is_read_with_the_earlier_question(engine):
    answer = engine.ask("how long does it take?", history=["what is IGARD?"])
    assert answer.answered and "30 working days" in answer.text


def test_json_shape(engine):
    data = engine.ask("what does csds cost", top=2).to_json()
    # The fields of earlier versions stay (scripts read them); new ones are only ever added.
    assert set(data) >= {"question", "answered", "answer", "confidence", "sources", "suggestions"}
    assert data["kind"] == "answer" and "decline" not in data
    assert 0 <= data["confidence"] <= 1 and len(data["sources"]) == 2
    faq = [s for s in data["sources"] if s["kind"] == "faq"][0]
    assert set(faq) == {"id", "kind", "title", "section", "score", "question"}


def test_json_scores_are_on_a_0_to_1_scale_with_the_best_source_at_1(engine):
    for question in ("what does csds cost", "how long does approval take", "igard", "what is the weather"):
        scores = [s["score"] for s in engine.ask(question, top=5).to_json()["sources"]]
        assert scores and scores[0] == 1.0 and all(0 <= s <= 1 for s in scores)
        assert scores == sorted(scores, reverse=True)


def test_a_decline_carries_its_parts_in_json(engine):
    data = engine.ask("how long does it take to boil an egg").to_json()
    assert data["kind"] == "fallback" and not data["answered"]
    decline = data["decline"]
    assert decline["message"].startswith("Sorry, I couldn't find that in ")
    assert decline["suggestions"] == data["suggestions"]
    assert decline["contact"] and decline["contact"] in data["answer"]


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01", "x" * 100_000])
def test_engine_never_raises_on_odd_input(engine, question):
    assert isinstance(engine.ask(question), Answer)


def test_a_passage_that_only_points_at_a_link_is_not_the_answer(tmp_path):
    write(tmp_path / "guide.md", "---\ntitle: Guide\n---\n# Guide\n\n## Fees\n\n"
          "Example fees and further information can be found here.\n\n"
          "Fees range from £10 to £20 depending on the size of the request.\n")
    engine = Engine.from_folder(tmp_path)
    answer = engine.ask("example fees?")
    assert "can be found here" not in answer.text
    assert answer.sources[0].text.startswith("Fees range from £10") and answer.sources[-1].text.startswith("Example fees")


def test_the_question_in_a_chatty_message_is_answered_despite_its_preamble(tmp_path):
    write(tmp_path / "faq" / "a.yaml", "- question: How long does approval take?\n  answer: Approval takes about 30 working days.\n"
          "- question: What does an extract cost?\n  answer: Around £1,000.\n")
    engine = Engine.from_folder(tmp_path)
    # The preamble's words are nowhere in the knowledge: read whole, the message looks off-topic.
    message = "morning all, our borough's parks team is planning a tree survey, how long does approval take??"
    assert not engine.ask(message.split(", how")[0]).answered
    answer = engine.ask(message)
    assert answer.answered and answer.text == "Approval takes about 30 working days."
    # Clauses also meet at a conjunction or a slash, with no punctuation at all.
    joined = "our borough parks team is planning a tree survey so how long does approval take"
    assert not engine.ask(joined.split(" so ")[0]).answered
    assert engine.ask(joined).text == "Approval takes about 30 working days."
    # Splitting never makes an off-topic question answerable.
    assert not engine.ask("morning all, quick one - how long do i boil an egg for?").answered
    assert not engine.ask("planning a tree survey and how long do i boil an egg for").answered


def test_an_item_need_not_repeat_the_words_of_its_document_title(tmp_path):
    write(tmp_path / "guide.md", "---\ntitle: Widget access guidance\n---\n# Widget access guidance\n\n## Approval\n\n"
          "Approval is expected to take approximately 12 working days.\n\n## Fees\n\nThere is no fee.\n")
    write(tmp_path / "faq" / "a.yaml", "- question: How long is the panel review?\n  answer: The panel takes 5 working days.\n"
          "  source: Approval\n- question: Who sits on the panel?\n  answer: Three reviewers.\n")
    engine = Engine.from_folder(tmp_path)
    query = engine.index.parse("how long does the widget panel review take")
    entry, other = (next(i for i, it in enumerate(engine.index.items) if getattr(it, "question", "").startswith(q))
                    for q in ("How long", "Who sits"))
    # "widget" is in the title of the document the entry's source section belongs to: it does not count
    # against the entry, but it does against an entry with no source.
    assert engine.coverage.of(query.tokens, entry) == 1.0
    assert engine.coverage.of(query.tokens, other) < engine.coverage.of(engine.index.parse("how long does the panel review take").tokens, other)
    assert engine.ask("how long does the widget panel review take").text == "The panel takes 5 working days."


def test_asked_for_a_kind_of_fact_in_so_many_words_the_items_that_give_it_are_judged_first(tmp_path):
    write(tmp_path / "faq" / "a.yaml",
          "- question: What does the widget review panel look at?\n"
          "  answer: The widget review panel looks at the purpose and the safety of every widget order.\n"
          "  alternates: [widget review panel, what is the widget review panel for, who is on the widget review panel]\n"
          "- question: When is a widget order reviewed?\n  answer: Every widget order is reviewed within 5 working days of payment.\n"
          "  alternates: [review turnaround, when do reviews happen]\n"
          "- question: Where do I send a widget order?\n  answer: Send it through the widget portal.\n"
          "  alternates: [widget portal, submitting an order]\n")
    engine = Engine.from_folder(tmp_path)
    question = "how long does a widget review take"
    panel, reviewed = (n for n, item in enumerate(engine.index.items) if item.question.startswith(("What does", "When is")))
    # Word for word the panel entry is closest, but it gives no duration, so it cannot answer:
    # the decision judges the entry that does.
    assert engine.index.search(question, k=3)[1][0].item == panel
    assert engine.features(question)[1] == reviewed
    answer = engine.ask(question)
    if answer.answered:
        assert answer.text.startswith("Every widget order is reviewed within 5 working days")
    else:
        # Judged on an item that gives a duration: not certainly unanswerable. And a decline
        # suggests what the asker may have meant, the most alike first.
        assert answer.confidence > 0
        assert answer.sources[0].question.startswith("What does the widget review panel")
    # A hint of a duration ("when") reorders nothing by itself.
    assert engine.features("when does the widget review panel look at an order")[1] == panel


def test_an_item_without_the_kind_of_fact_asked_for_in_so_many_words_does_not_answer(tmp_path):
    write(tmp_path / "faq" / "a.yaml",
          "- question: How long does approval take?\n  answer: Approval takes about 30 working days.\n"
          "- question: How many widgets are in the catalogue?\n  answer: The catalogue listed 141 widgets in 2019.\n"
          "  alternates: [widget count, how big is the widget catalogue]\n"
          "- question: How do I order widgets?\n  answer: Send an order through the widget portal.\n"
          "  alternates: [ordering widgets, where do i place a widget order]\n")
    engine = Engine.from_folder(tmp_path)
    assert engine.ask("how do i order widgets").text == "Send an order through the widget portal."
    # Every word of the question is in the count entry, but it gives no way to do anything; the
    # entry that does give one is judged instead, and has nothing of the catalogue. The decline
    # still offers the most alike entry first.
    declined = engine.ask("how do i get the widget catalogue")
    assert not declined.answered and declined.sources[0].text.startswith("The catalogue listed")
    # "how long" in so many words: a count is no answer, however alike the words.
    assert not engine.ask("how long is the widget catalogue").answered
    # Nor can a clause of the message that does not ask it vouch for the count entry.
    assert not engine.ask("how do i get the widget catalogue, we are new to the widget catalogue").answered
