"""Acronyms read from the knowledge's own text: defined ones match their long forms, and the
initials of a capitalised name stand for it when the knowledge base never uses them."""

from __future__ import annotations

from bot.answering.engine import Engine
from bot.retrieval import acronyms
from tests.conftest import KNOWLEDGE, write


def test_a_bracketed_acronym_is_defined_by_the_words_whose_initials_spell_it():
    found = acronyms.defined([
        "Data is released through the Data Access Environment (DAE) or by file.",
        "Reviewed by the Independent Group Advising on the Release of Data (IGARD) panel.",
        "Fees apply (see below). Costs vary (TBC). Sent by post (WXYZ).",
    ])
    assert found == {
        "dae": "data access environment",
        "igard": "independent group advising on the release of data",  # small words give no letter
    }


def test_initials_of_a_capitalised_name_stand_for_it_unless_ambiguous_or_a_known_word():
    texts = [
        "The Safe Data Access Professionals Group shares best practice.",
        "Ask the Regional Data Office, or the Rapid Delivery Office.",  # both are RDO
        "Tests run in Continuous Integration Tooling.",
    ]
    found = acronyms.implied(texts, known={"cit"})
    assert found["sdap"] == "safe data access professionals"  # a leading part of the name
    assert found["sdapg"] == "safe data access professionals group"
    assert "rdo" not in found, "two names share the initials: no guess"
    assert "cit" not in found, "a word the knowledge base uses keeps its own meaning"
    assert not any(initials.startswith("t") for initials in found), "'The' starts the sentence, not the name"


def test_a_question_with_a_defined_acronym_matches_the_entry_that_spells_it_out(tmp_path):
    write(tmp_path / "faq" / "a.yaml",
          "- question: How do I log in to the Data Access Environment?\n  answer: Use your NHS login.\n"
          "- question: What are the ways to receive data?\n"
          "  answer: By secure file transfer, or in the Data Access Environment (DAE).\n")
    engine = Engine.from_folder(tmp_path)
    answer = engine.ask("how do i log in to the dae")
    assert answer.answered and answer.text == "Use your NHS login."


def test_an_acronym_the_knowledge_never_writes_is_read_as_the_name_it_spells(tmp_path):
    write(tmp_path / "faq" / "a.yaml",
          "- question: What is the Safe Data Access Professionals Group?\n"
          "  answer: A network that shares best practice on safe outputs.\n"
          "- question: What is the Professional Advisory Group?\n  answer: It reviews applications.\n")
    engine = Engine.from_folder(tmp_path)
    assert engine.index.parse("whats the SDAP group").text == "whats the safe data access professionals group"
    answer = engine.ask("whats the SDAP group??")
    assert answer.answered and answer.text.startswith("A network that shares")
    # A word the knowledge base uses is never rewritten, whatever its letters spell.
    assert engine.index.parse("what does the group review").text == "what does the group review"


def test_the_bundled_guidance_answers_an_acronym_it_never_abbreviates():
    engine = Engine.from_folder(KNOWLEDGE)
    answer = engine.ask("whats the sdap?")
    assert answer.answered and "Safe Data Access Professionals Group" in answer.text
