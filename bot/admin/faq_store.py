"""Add, list, show and remove FAQ entries in a knowledge folder, safely and without reformatting.

People edit these files by hand too, so a write never re-dumps YAML: `add_entry` appends the new
entry's text to `faq/added.yaml` and `remove_entry` cuts exactly the entry's lines, leaving every
other byte (comments, order, quoting) as it was. Each write holds the folder's lock, checks that
the resulting file still parses to the expected entries, then replaces the file atomically.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Sequence

import yaml

from bot.admin import sections, similar
from bot.admin.safefile import locked, replace_file
from bot.admin.similar import NearMatch
from bot.errors import InputError, KnowledgeError, NearDuplicate
from bot.knowledge.loader import default_knowledge_dir, load_knowledge, parse_faq_file, slugify
from bot.model import CONTROL, MAX_ANSWER, MAX_FAQ_QUESTION, MAX_SOURCE, FaqEntry, Knowledge

__all__ = ["NearDuplicate", "NearMatch", "add_entry", "get_entry", "list_entries", "near_duplicates",
           "remove_entry", "ADDED_FILE"]

ADDED_FILE = "faq/added.yaml"
HEADER = (
    "# FAQ entries added with `csds-bot faq add` (or from Slack).\n"
    "# Edit freely: new entries are appended and every other line is kept as written.\n"
)
MAX_QUESTION = MAX_FAQ_QUESTION
MAX_ALTERNATES = 50
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# The bot answering a new question from an existing entry this surely means it is already covered,
# even when the words differ a lot ("how much does it cost to get csds data" / "How much does a
# CSDS extract cost?").
ENGINE_COVERED = 0.85


def _folder(knowledge_dir: Path | str | None) -> Path:
    return Path(knowledge_dir) if knowledge_dir is not None else default_knowledge_dir()


def _clean(text: str, what: str, limit: int, required: bool) -> str:
    text = " ".join((text or "").split())
    if CONTROL.search(text):  # after whitespace is collapsed: tabs and newlines are gone
        raise InputError(f"the {what} contains control characters; write it as plain text")
    if required and not text:
        raise InputError(f"the {what} is empty; write the {what} as plain text")
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text)} characters long; shorten it to at most {limit}")
    return text


def near_duplicates(knowledge: Knowledge, question: str) -> list[NearMatch]:
    """Existing entries that already ask `question`: a wording nearly the same, or the entry the
    bot already answers it with, confidently. Best first."""
    matches = {m.id: m for m in similar.near_duplicates(knowledge, question, similar.NEAR_DUPLICATE)}
    from bot.answering.engine import Engine  # heavy; only needed once the cheap check ran

    answer = Engine(knowledge).ask(question)
    top = answer.top
    if answer.answered and top is not None and top.kind == "faq" and answer.confidence >= ENGINE_COVERED:
        loose = similar.near_duplicates(knowledge, question, 0.5)
        entry = next((e for e in knowledge.faqs if e.id == top.id), None)
        close = next((m for m in loose if m.id == top.id), None)
        if entry is not None and close is not None and top.id not in matches:
            matches[top.id] = close
    return sorted(matches.values(), key=lambda m: -m.similarity)


# Words that say a question is being asked, not what it is about: left out of generated ids.
_ASKING = frozenset("how what when where who whom why which".split())
ID_WORDS = 4  # "cost-new-csds-application": enough to recognise in `faq list`, short enough to type


def short_id(question: str) -> str:
    """A short slug of the question's first few significant words ("What is the cost of a new
    application?" -> "cost-new-application"); the whole question when it has none."""
    from bot.retrieval.text import STOP_WORDS, normalise, words

    significant = [w for w in words(normalise(question)) if w not in STOP_WORDS and w not in _ASKING]
    return slugify(" ".join(significant[:ID_WORDS]), 40) if significant else slugify(question, 40)


def near_duplicates_of(knowledge_dir: Path | str | None, question: str) -> list[NearMatch]:
    """`near_duplicates` for a question about to be added to the folder (checked as `add_entry` would)."""
    return near_duplicates(load_knowledge(_folder(knowledge_dir)), _clean(question, "question", MAX_QUESTION, True))


def _unique_id(question: str, taken: set[str]) -> str:
    base = short_id(question)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _scalar(text: str) -> str:
    """One YAML scalar on one line: plain where YAML allows it, quoted where it does not."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _answer_block(text: str) -> str:
    # A folded block (`>-`) keeps long answers readable and needs no escaping; wrapped lines are
    # joined back with single spaces, which is exactly the whitespace the loader normalises to.
    if len(text) <= 70 or text != text.strip():
        return f"  answer: {_scalar(text)}\n"
    lines = textwrap.wrap(text, 76, break_long_words=False, break_on_hyphens=False)
    return "  answer: >-\n" + "".join(f"    {line}\n" for line in lines)


def entry_yaml(entry_id: str, question: str, answer: str, alternates: Sequence[str], source: str,
               checked: str = "") -> str:
    """The YAML text of one entry, in the layout of the bundled files."""
    out = [f"- id: {_scalar(entry_id)}\n", f"  question: {_scalar(question)}\n"]
    if alternates:
        out.append("  alternates:\n")
        out.extend(f"    - {_scalar(a)}\n" for a in alternates)
    out.append(_answer_block(answer))
    if source:
        out.append(f"  source: {_scalar(source)}\n")
    if checked:
        out.append(f"  checked: {_scalar(checked)}\n")
    return "".join(out)


def resolve_source(knowledge: Knowledge, source: str) -> tuple[str, str]:
    """The section label as the guidance spells it and a `checked:` stamp for it; InputError naming
    the closest sections when `source` names none. A folder without guidance takes any text."""
    if not source:
        return "", ""
    found = sections.guidance_sections(knowledge)
    if not found:
        return source, ""
    section = sections.find_section(knowledge, source, found)
    if section is None:
        closest = ", ".join(f"“{label}”" for label in sections.closest_sections(knowledge, source, sections=found))
        raise InputError(f"the guidance has no section “{source}”; the closest are {closest}: "
                         "give one of them as the source (or none)")
    return section.label, sections.stamp(section)


def add_entry(knowledge_dir: Path | str | None, question: str, answer: str, alternates: Sequence[str] = (),
              source: str = "", entry_id: str | None = None, force: bool = False) -> FaqEntry:
    """Append a new entry to `faq/added.yaml` of the folder and return it as the loader reads it.

    Raises InputError for unusable input or a taken id, NearDuplicate (with the matches) when the
    question is already covered and `force` is false, KnowledgeError when the folder is broken."""
    question = _clean(question, "question", MAX_QUESTION, True)
    answer = _clean(answer, "answer", MAX_ANSWER, True)
    source = _clean(source, "source", MAX_SOURCE, False)
    alts = [_clean(a, "alternate", MAX_QUESTION, False) for a in alternates]
    alts = [a for a in dict.fromkeys(alts) if a and a.lower() != question.lower()]
    if len(alts) > MAX_ALTERNATES:
        raise InputError(f"{len(alts)} alternates given; keep the {MAX_ALTERNATES} most common wordings")
    if entry_id is not None:
        entry_id = entry_id.strip()
        if not _ID.match(entry_id):
            raise InputError(f"id {entry_id!r} is not usable; use lower-case letters, digits and dashes, "
                             f"like {short_id(question)!r}, or leave it out to get one")
    folder = _folder(knowledge_dir)
    # A missing or broken folder, or a source naming no section, is reported before anything is created.
    resolve_source(load_knowledge(folder), source)
    with locked(folder):
        knowledge = load_knowledge(folder)  # again under the lock: ids cannot be taken meanwhile
        source, checked = resolve_source(knowledge, source)
        taken = {e.id: e for e in knowledge.faqs}
        if entry_id in taken:
            other = taken[entry_id]
            raise InputError(f"id `{entry_id}` is already used at {other.path}:{other.line}; "
                             "choose another --id or leave it out to get one")
        if not force:
            matches = near_duplicates(knowledge, question)
            if matches:
                ids = ", ".join(m.id for m in matches[:3])
                raise NearDuplicate(
                    f"the question is close to {len(matches)} existing entr{'y' if len(matches) == 1 else 'ies'} "
                    f"({ids}); add your wording as an alternate there, reword it, or pass --force to add it anyway",
                    tuple(matches),
                )
        entry_id = entry_id or _unique_id(question, set(taken))
        target = folder / ADDED_FILE
        old = _read(target) if target.exists() else HEADER
        new = old + ("" if old.endswith("\n") or not old else "\n") + "\n" + entry_yaml(
            entry_id, question, answer, alts, source, checked)
        parsed = _check_result(target, new, [e.id for e in _entries_of(knowledge, target)] + [entry_id])
        written = parsed[-1]
        if (written.question, written.answer, written.alternates, written.source, written.checked) != (
                question, answer, tuple(alts), source, checked):
            raise KnowledgeError(f"{target}: the new entry would not read back as written; report this with its text")
        replace_file(target, new)
    return written


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise KnowledgeError(f"{path}: cannot be read ({why}); make it a readable UTF-8 file") from None


def _entries_of(knowledge: Knowledge, path: Path) -> list[FaqEntry]:
    return [e for e in knowledge.faqs if Path(e.path) == path]


def _check_result(path: Path, text: str, expected_ids: list[str]) -> list[FaqEntry]:
    """Parse the would-be file; refuse to write anything that does not read back as intended."""
    try:
        parsed = parse_faq_file(path, text)
    except KnowledgeError as exc:
        raise KnowledgeError(f"the change would break the file ({exc}); fix {path} by hand first") from None
    if [e.id for e in parsed] != expected_ids:
        raise KnowledgeError(f"{path}: the change would not leave the expected entries; edit the file by hand")
    return parsed


def list_entries(knowledge_dir: Path | str | None, contains: str = "") -> list[FaqEntry]:
    """All entries, in file order; with `contains`, those whose id or wordings contain it."""
    needle = " ".join(contains.lower().split())
    entries = load_knowledge(_folder(knowledge_dir)).faqs
    if not needle:
        return list(entries)
    return [e for e in entries if needle in " ".join([e.id, e.question, *e.alternates]).lower()]


def get_entry(knowledge_dir: Path | str | None, entry_id: str) -> FaqEntry:
    """The entry with this id; InputError naming `faq list` when there is none."""
    return _find(load_knowledge(_folder(knowledge_dir)), entry_id)


def _find(knowledge: Knowledge, entry_id: str) -> FaqEntry:
    for entry in knowledge.faqs:
        if entry.id == entry_id:
            return entry
    raise InputError(f"no FAQ entry has the id `{entry_id}`; run `csds-bot faq list` to see the ids")


def remove_entry(knowledge_dir: Path | str | None, entry_id: str) -> FaqEntry:
    """Delete one entry's lines from its file, leaving every other line as it was; returns it."""
    folder = _folder(knowledge_dir)
    load_knowledge(folder)
    with locked(folder):
        knowledge = load_knowledge(folder)
        entry = _find(knowledge, entry_id)
        path = Path(entry.path)
        siblings = _entries_of(knowledge, path)
        lines = _read(path).splitlines(keepends=True)
        later = [e.line for e in siblings if e.line > entry.line]
        start, end = _entry_span(lines, entry.line, min(later) if later else len(lines) + 1)
        new = "".join(lines[:start] + lines[end:])
        _check_result(path, new, [e.id for e in siblings if e.id != entry_id])
        replace_file(path, new)
    return entry


def _entry_span(lines: list[str], first: int, next_first: int) -> tuple[int, int]:
    """0-based [start, end) of an entry's lines: from its `- ` line up to the next entry, less
    the comments at column 0 just before the next entry (they introduce it, not this one), plus
    the blank lines that separated this entry from what follows."""
    start = first - 1
    if start > 0 and lines[start - 1].strip() == "-":  # `-` alone, mapping on the next line
        start -= 1
    end = next_first - 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    while end < next_first - 1 and not lines[end].strip():
        end += 1
    return start, end


_CHECKED_LINE = re.compile(r"^\s+checked\s*:")


def mark_checked(knowledge_dir: Path | str | None, ids: Sequence[str] = (), every: bool = False,
                 today=None) -> tuple[list[FaqEntry], list[tuple[FaqEntry, str]]]:
    """Record that these entries' answers were read against their source sections now: each gets
    (or has replaced) a `checked:` line, every other line of its file kept as it was. Returns the
    entries stamped and those skipped with the reason (no source, or a source naming no section)."""
    folder = _folder(knowledge_dir)
    load_knowledge(folder)
    with locked(folder):
        knowledge = load_knowledge(folder)
        wanted = list(knowledge.faqs) if every else [_find(knowledge, i) for i in dict.fromkeys(ids)]
        found = sections.guidance_sections(knowledge)
        stamps, skipped = {}, []
        for entry in wanted:
            section = sections.find_section(knowledge, entry.source, found)
            if section is None:
                why = "it has no source" if not entry.source else f"its source “{entry.source}” names no guidance section"
                skipped.append((entry, why))
            else:
                stamps[entry.id] = sections.stamp(section, today)
        by_file: dict[str, list[FaqEntry]] = {}
        for entry in knowledge.faqs:
            by_file.setdefault(entry.path, []).append(entry)
        for path, siblings in by_file.items():
            if any(e.id in stamps for e in siblings):
                _stamp_file(Path(path), siblings, stamps)
    done = [e for e in wanted if e.id in stamps]
    return [_find(load_knowledge(folder), e.id) for e in done], skipped


def _stamp_file(path: Path, siblings: list[FaqEntry], stamps: dict[str, str]) -> None:
    lines = _read(path).splitlines(keepends=True)
    starts = sorted(e.line for e in siblings)
    # From the last entry up, so inserting a line leaves the earlier entries' line numbers true.
    for entry in sorted(siblings, key=lambda e: -e.line):
        if entry.id not in stamps:
            continue
        later = [n for n in starts if n > entry.line]
        start, end = _entry_span(lines, entry.line, min(later) if later else len(lines) + 1)
        value = f"checked: {_scalar(stamps[entry.id])}"
        existing = next((n for n in range(start, end) if _CHECKED_LINE.match(lines[n])), None)
        if existing is not None:
            indent = lines[existing][: len(lines[existing]) - len(lines[existing].lstrip())]
            lines[existing] = f"{indent}{value}\n"
            continue
        last = max(n for n in range(start, end) if lines[n].strip() and not lines[n].startswith("#"))
        first = lines[entry.line - 1]
        key = re.match(r"^(\s*-\s+)\S", first)
        indent = " " * len(key.group(1)) if key else first[: len(first) - len(first.lstrip())]
        ending = "" if lines[last].endswith("\n") else "\n"
        lines[last] = lines[last] + ending
        lines.insert(last + 1, f"{indent}{value}\n")
    new = "".join(lines)
    parsed = _check_result(path, new, [e.id for e in siblings])
    for before, after in zip(siblings, parsed):
        expected = stamps.get(before.id, before.checked)
        if (after.question, after.answer, after.alternates, after.source, after.checked) != (
                before.question, before.answer, before.alternates, before.source, expected):
            raise KnowledgeError(f"{path}:{before.line}: `{before.id}` would not read back as it was with its "
                                 "new `checked:` line; add it by hand")
    replace_file(path, new)
