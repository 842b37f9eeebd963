"""Which guidance section an FAQ entry's `source` names, and whether it changed since the answer was read.

An entry's `source` is a section label as the answers cite it: "Cost of access", or a path of
headings "Data Access Request Service (DARS) > Step 3.) Approval" (`›` is read as `>`), or the last
heading alone, matched without regard to case or spacing. The engine finds an entry's document the
same way.

When a maintainer has read an answer against its section, the entry records it in `checked:` as
"DATE HASH": the day, and the first 12 hex digits of the SHA-256 of the section's text (its own
passages and its subsections', as the loader reads them, so re-wrapping lines or editing links
changes nothing; the page's "Last reviewed" line is left out, as a new date alone changes no answer). After a guidance update, an entry whose section hashes differently, or is gone,
needs its answer re-read: `csds-bot check` names it and `csds-bot faq checked ID` records the new
reading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from bot.knowledge.html import REVIEWED_LINE
from bot.model import Document, FaqEntry, Knowledge

HASH_DIGITS = 12  # 48 bits: two different section texts colliding is not a practical worry
_CHECKED = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<hash>[0-9a-f]{6,64})$")


@dataclass
class Section:
    label: str  # "Heading > Subheading", as written in the guidance
    document: Document
    texts: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.texts).encode("utf-8")).hexdigest()[:HASH_DIGITS]


def _key(label: str) -> str:
    return " > ".join(" ".join(part.split()).lower() for part in label.replace("›", ">").split(">"))


def guidance_sections(knowledge: Knowledge) -> dict[str, Section]:
    """Every section of the guidance by its lower-cased label, parents included (their text holds
    their subsections'); the last heading alone also names a section where it is not taken."""
    by_label: dict[str, Section] = {}
    for passage in knowledge.passages:
        for depth in range(1, len(passage.section) + 1):
            label = " > ".join(passage.section[:depth])
            section = by_label.setdefault(_key(label), Section(label, passage.document))
            # The page's own "Last reviewed" line changes with every review, not with what a section says.
            if section.document is passage.document and not REVIEWED_LINE.match(passage.text):
                section.texts.append(passage.text)
    out = dict(by_label)
    for key, section in by_label.items():
        out.setdefault(key.rsplit(" > ", 1)[-1], section)
    return out


def find_section(knowledge: Knowledge, source: str, sections: dict[str, Section] | None = None) -> Section | None:
    sections = guidance_sections(knowledge) if sections is None else sections
    return sections.get(_key(source)) if source.strip() else None


def closest_sections(knowledge: Knowledge, source: str, n: int = 3,
                     sections: dict[str, Section] | None = None) -> list[str]:
    """The labels of the `n` sections whose names are nearest `source`, best first."""
    sections = guidance_sections(knowledge) if sections is None else sections
    labels = {s.label.lower(): s.label for s in sections.values()}
    # No cutoff: a maintainer who typed a wrong name needs the nearest real ones, however far.
    return [labels[k] for k in difflib.get_close_matches(_key(source), list(labels), n=n, cutoff=0.0)]


def stamp(section: Section, today: dt.date | None = None) -> str:
    """The `checked:` value for an answer read against `section` today."""
    return f"{(today or dt.date.today()).isoformat()} {section.digest}"


def parse_checked(value: str) -> tuple[str, str] | None:
    """(date, hash) of a `checked:` value; None when it is not in that form."""
    m = _CHECKED.match(value.strip())
    return (m["date"], m["hash"]) if m else None


State = Literal["no source", "free text", "unknown section", "unchecked", "bad stamp", "changed", "vanished", "current"]


@dataclass(frozen=True)
class Review:
    """Where an entry stands against the guidance now."""

    state: State
    section: Section | None = None
    checked_on: str = ""
    closest: tuple[str, ...] = ()


def review(knowledge: Knowledge, entry: FaqEntry, sections: dict[str, Section] | None = None) -> Review:
    sections = guidance_sections(knowledge) if sections is None else sections
    if not entry.source:
        return Review("no source")
    if not sections:  # a folder of FAQ entries only: a source is a free-text citation
        return Review("free text")
    section = find_section(knowledge, entry.source, sections)
    stamped = parse_checked(entry.checked) if entry.checked else None
    if section is None:
        closest = tuple(closest_sections(knowledge, entry.source, sections=sections))
        if stamped:
            return Review("vanished", None, stamped[0], closest)
        return Review("unknown section", None, "", closest)
    if not entry.checked:
        return Review("unchecked", section)
    if stamped is None:
        return Review("bad stamp", section)
    date, digest = stamped
    return Review("current" if section.digest.startswith(digest) else "changed", section, date)
