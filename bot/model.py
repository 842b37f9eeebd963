"""Typed records that flow between the layers: knowledge -> retrieval -> answering -> adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["faq", "passage"]


@dataclass(frozen=True)
class Document:
    """One guidance document (a Markdown file with front matter)."""

    id: str
    title: str
    path: str
    publisher: str = ""
    last_reviewed: str = ""  # ISO date, as written in the front matter


@dataclass(frozen=True)
class Passage:
    """A paragraph or list item of a guidance document, with the headings above it."""

    id: str
    document: Document
    section: tuple[str, ...]
    text: str
    line: int

    @property
    def section_label(self) -> str:
        return " > ".join(self.section)


@dataclass(frozen=True)
class FaqEntry:
    """A curated question and answer. `source` names the guidance section it rests on."""

    id: str
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    source: str = ""
    path: str = ""
    line: int = 0
    checked: str = ""  # "DATE HASH": when the answer was last read against its source section (bot/admin/sections.py)


@dataclass(frozen=True)
class Synonyms:
    """Acronym expansions and groups of interchangeable words or phrases (all lower case)."""

    acronyms: dict[str, str] = field(default_factory=dict)
    groups: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Settings:
    """What the bot says about itself: its name, what it knows, who to contact, examples."""

    name: str = "csds-bot"
    contact: str = ""
    examples: tuple[str, ...] = ()
    scope: str = "the guidance"  # what the bot knows, as in "I couldn't find that in {scope}"


@dataclass(frozen=True)
class Knowledge:
    """Everything loaded from one knowledge folder."""

    root: str
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    faqs: tuple[FaqEntry, ...]
    synonyms: Synonyms
    settings: Settings
    fingerprint: str  # hash of every file's path and bytes: changes when any file does


@dataclass(frozen=True)
class Hit:
    """One ranked candidate: an FAQ entry or a passage, its score and what matched."""

    id: str
    kind: Kind
    score: float
    title: str  # document title
    section: str
    last_reviewed: str
    question: str = ""  # the FAQ entry's question; empty for passages
    matched: str = ""  # the text the query matched best (an FAQ wording or the passage)
    text: str = ""  # FAQ answer or passage text

    def to_json(self) -> dict:
        out = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "section": self.section,
            "score": round(self.score, 4),
        }
        if self.kind == "faq":
            out["question"] = self.question
        return out


@dataclass(frozen=True)
class Answer:
    """What the engine returns for one question."""

    question: str
    answered: bool
    text: str
    confidence: float
    sources: tuple[Hit, ...] = ()
    suggestions: tuple[str, ...] = ()
    kind: Literal["answer", "fallback", "smalltalk"] = "answer"

    @property
    def top(self) -> Hit | None:
        return self.sources[0] if self.sources else None

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "confidence": round(self.confidence, 4),
            "sources": [h.to_json() for h in self.sources],
            "suggestions": list(self.suggestions),
        }
