"""Typed records that flow between the layers: knowledge -> retrieval -> answering -> adapters,
and the few limits more than one layer must agree on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["faq", "passage"]

# Limits shared by the layers: the engine shows at most MAX_ANSWER characters of an answer, so the
# FAQ store refuses a longer one and Slack's "add an FAQ" form caps its field at the same length.
MAX_ANSWER = 600
MAX_FAQ_QUESTION = 200  # an FAQ question is one question, not a paragraph
MAX_SOURCE = 200  # a guidance section name ("Document > Heading > Sub-heading")
# Control characters other than tab, newline and carriage return: never part of a question.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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
    help: str = ""  # what the bot is and does, in a sentence or two; every front end shows this text

    @property
    def about(self) -> str:
        """The help text: bot.yaml's `help`, else one worded from the scope (so a bot pointed at
        another folder speaks of that folder's subject)."""
        return self.help or f"I answer questions from {self.scope}, and say where each answer comes from."


@dataclass(frozen=True)
class Knowledge:
    """Everything loaded from one knowledge folder."""

    root: str
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    faqs: tuple[FaqEntry, ...]
    synonyms: Synonyms
    settings: Settings


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
    text: str = ""  # FAQ answer or passage text

    def to_json(self, best: float) -> dict:
        """`score` is this hit's ranking score relative to the best hit's (`best`), in [0, 1]: the
        raw fused score has no fixed scale (it can exceed 1), and how sure the bot is lies in the
        answer's `confidence`, not here."""
        out = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "section": self.section,
            "score": round(min(1.0, max(0.0, self.score / best)), 4) if best > 0 else 0.0,
        }
        if self.kind == "faq":
            out["question"] = self.question
        return out


@dataclass(frozen=True)
class Decline:
    """Why the bot did not answer, as parts each front end lays out its own way: the console
    numbers the suggestions, Slack makes them buttons, JSON lists them."""

    message: str  # "Sorry, I couldn't find that in the CSDS data access guidance."
    suggestions: tuple[str, ...] = ()  # close FAQ questions, best first
    contact: str = ""  # who to ask instead (bot.yaml's `contact`)


@dataclass(frozen=True)
class SmallTalk:
    """A greeting, thanks or a request for help, answered from bot.yaml without searching."""

    kind: Literal["greeting", "thanks", "help"]
    text: str
    examples: tuple[str, ...] = ()  # example questions to offer


@dataclass(frozen=True)
class Answer:
    """What the engine returns for one question. `text` is the whole reply as one plain sentence
    or paragraph (what JSON's `answer` and the log hold); a front end lays out a decline from
    `decline` and small talk from `smalltalk`, never by taking `text` apart."""

    question: str
    answered: bool
    text: str
    confidence: float
    sources: tuple[Hit, ...] = ()
    suggestions: tuple[str, ...] = ()
    kind: Literal["answer", "fallback", "smalltalk"] = "answer"
    decline: Decline | None = None  # set when kind == "fallback"
    smalltalk: SmallTalk | None = None  # set when kind == "smalltalk"

    @property
    def top(self) -> Hit | None:
        return self.sources[0] if self.sources else None

    def citation(self, arrow: str = " › ") -> str:
        """`Source: title › section (last reviewed 16 January 2023)` for an answered question."""
        hit = self.top
        if not self.answered or hit is None or self.kind == "smalltalk":
            return ""
        where = arrow.join(p for p in (hit.title, hit.section.replace(" > ", arrow)) if p)
        date = f" (last reviewed {readable_date(hit.last_reviewed)})" if hit.last_reviewed else ""
        return f"Source: {where}{date}"

    def to_json(self) -> dict:
        best = max((h.score for h in self.sources), default=0.0)
        out = {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "confidence": round(self.confidence, 4),
            "sources": [h.to_json(best) for h in self.sources],
            "suggestions": list(self.suggestions),
            "kind": self.kind,
        }
        if self.decline is not None:
            out["decline"] = {"message": self.decline.message, "suggestions": list(self.decline.suggestions),
                              "contact": self.decline.contact}
        return out


def readable_date(iso: str) -> str:
    """2023-01-16 -> 16 January 2023; anything else as written."""
    try:
        day = dt.date.fromisoformat(iso)
    except (ValueError, TypeError):
        return iso
    return f"{day.day} {day.strftime('%B %Y')}"
