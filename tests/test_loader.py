"""Loading the knowledge folder: the bundled one, the contract, and every kind of broken file."""

from __future__ import annotations

import pytest

from bot.errors import KnowledgeError
from bot.knowledge import load_knowledge
from bot.knowledge.loader import fingerprint
from tests.conftest import KNOWLEDGE, write


def test_bundled_knowledge_has_the_guidance_structure():
    k = load_knowledge(KNOWLEDGE)
    (doc,) = k.documents
    assert doc.title == "Community Services Data Set (CSDS) data access guidance"
    assert doc.publisher == "NHS Digital"
    assert doc.last_reviewed == "2023-01-16"
    sections = {p.section_label for p in k.passages}
    for step in ("Step 1.) Enquiry", "Step 2.) Making an application", "Step 3.) Approval", "Step 4.) Access"):
        assert f"Data Access Request Service (DARS) > {step}" in sections
    tips = [p for p in k.passages if p.section[-1] == "General tips for all DARS applications"]
    assert any(p.text.startswith("Be transparent") for p in tips)
    assert len(k.faqs) >= 40


def test_guidance_is_quoted_faithfully_and_never_links():
    source = (KNOWLEDGE.parents[1] / "shared" / "source" / "csds-data-access-guidance.txt")
    k = load_knowledge(KNOWLEDGE)
    for passage in k.passages:
        assert "(#)" not in passage.text and "http" not in passage.text
    if source.is_file():  # the official text: every passage is a piece of it, word for word
        official = " ".join(source.read_text(encoding="utf-8").replace("[", "").replace("](#)", "").split())
        for passage in k.passages:
            assert passage.text.rstrip(":") in official or passage.text.startswith("Last reviewed"), passage.text


def test_every_faq_entry_is_complete_and_cites_a_real_section():
    k = load_knowledge(KNOWLEDGE)
    sections = {p.section_label for p in k.passages} | {p.section[0] for p in k.passages}
    for entry in k.faqs:
        assert entry.question and entry.answer and 2 <= len(entry.alternates) <= 9, entry.id
        assert entry.source in sections, (entry.id, entry.source)


def test_minimal_folder_follows_the_contract(tmp_path):
    write(tmp_path / "faq" / "one.yaml", "- question: What is X?\n  answer: X is a thing.\n")
    k = load_knowledge(tmp_path)
    assert [e.id for e in k.faqs] == ["what-is-x"]  # an id is made from the question
    assert k.synonyms.groups == () and k.settings.name == "csds-bot"


@pytest.mark.parametrize(
    "text, message",
    [
        ("- question: What?\n  answer: [unclosed\n", "one.yaml:3: invalid YAML (did not find expected ',' or ']', while parsing a flow sequence at line 2)"),
        ("- question: What is it?\n  alternates: [a, b]\n", "one.yaml:1: entry has no `answer`; add `answer: ...` to it"),
        ("question: not a list\n", "one.yaml:1: an FAQ file must be a list of entries"),
        ("- question: Q\n  answer: A\n  alternates: {a: 1}\n", "one.yaml:1: `alternates` must be a list"),
    ],
)
def test_broken_faq_file_names_file_line_and_fix(tmp_path, text, message):
    write(tmp_path / "faq" / "one.yaml", text)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(tmp_path)
    assert message in str(err.value)


def test_duplicate_ids_name_both_places(tmp_path):
    write(tmp_path / "faq" / "a.yaml", "- id: same\n  question: Q1\n  answer: A1\n")
    write(tmp_path / "faq" / "b.yaml", "\n- id: same\n  question: Q2\n  answer: A2\n")
    with pytest.raises(KnowledgeError, match=r"b.yaml:2: duplicate id `same` \(also at .*a.yaml:1\)"):
        load_knowledge(tmp_path)


def test_missing_or_empty_folder(tmp_path):
    with pytest.raises(KnowledgeError, match="knowledge folder not found; pass --knowledge DIR"):
        load_knowledge(tmp_path / "nope")
    with pytest.raises(KnowledgeError, match="no guidance"):
        load_knowledge(tmp_path)


def test_fingerprint_changes_with_any_file(knowledge_copy):
    before = fingerprint(knowledge_copy)
    assert fingerprint(knowledge_copy) == before
    (knowledge_copy / "faq" / "costs.yaml").write_text(
        (knowledge_copy / "faq" / "costs.yaml").read_text() + "\n# note\n"
    )
    assert fingerprint(knowledge_copy) != before
