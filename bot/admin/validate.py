"""`csds-bot check`: every problem in a knowledge folder, with file and line, not just the first.

Errors stop the folder loading at all: YAML syntax, entries without a question or answer, fields
of the wrong type, duplicate ids, unreadable files. Warnings load but make the bot worse: two
entries asking the same question, an alternate the bot answers with a different entry, an entry
whose own question the bot does not answer with it.

The loader stops at the first error, so each file is parsed on its own, and a file with a bad
entry is parsed again entry by entry (each entry's lines, padded so line numbers stay true) to
find every bad entry and keep checking the good ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot.admin import sections
from bot.admin.similar import DUPLICATE_QUESTIONS, faq_space, wordings
from bot.errors import KnowledgeError
from bot.knowledge import loader
from bot.knowledge.markdown import parse_markdown
from bot.knowledge.yamlfile import LINE_KEY, load_yaml, read_text
from bot.model import Document, FaqEntry, Knowledge, Passage, Settings, Synonyms

Severity = Literal["error", "warning"]
_WHERE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class Problem:
    severity: Severity
    path: str
    line: int
    message: str  # says what is wrong and the fix

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return {"severity": self.severity, "path": self.path, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Report:
    folder: str
    problems: tuple[Problem, ...]
    entries: int
    unchecked: int = 0  # entries with a source section but no `checked:` stamp

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 2 with errors, 1 with warnings only when `strict`."""
        if self.errors:
            return 2
        return 1 if strict and self.warnings else 0


def _problem(exc: KnowledgeError, fallback: Path, severity: Severity = "error") -> Problem:
    m = _WHERE.match(str(exc))
    if not m:
        return Problem(severity, str(fallback), 0, str(exc))
    return Problem(severity, m["path"], int(m["line"] or 0), m["message"])


def _faq_file(path: Path) -> tuple[list[FaqEntry], list[Problem]]:
    try:
        text = read_text(path)
        data = load_yaml(path, text)
    except KnowledgeError as exc:  # unreadable or not YAML: nothing in it can be checked
        return [], [_problem(exc, path)]
    try:
        return loader.parse_faq_file(path, text), []
    except KnowledgeError as exc:
        whole = _problem(exc, path)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return [], [whole]
    starts = [item[LINE_KEY] for item in data]
    if starts != sorted(set(starts)):  # flow style, several entries on a line: cannot split it
        return [], [whole]
    lines = text.splitlines(keepends=True)
    entries, problems = [], []
    for n, start in enumerate(starts):
        first = start - 1 if start > 1 and lines[start - 2].strip() == "-" else start
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines)
        if n + 1 < len(starts) and lines[end - 1].strip() == "-":
            end -= 1
        piece = "\n" * (first - 1) + "".join(lines[first - 1 : end])  # keeps line numbers true
        try:
            entries.extend(loader.parse_faq_file(path, piece))
        except KnowledgeError as exc:
            problems.append(_problem(exc, path))
    return entries, problems or [whole]


def _guidance(paths: list[Path], root: Path) -> tuple[list[Document], list[Passage], list[Problem]]:
    docs, passages, problems = [], [], []
    for path in paths:
        try:
            doc, parts = parse_markdown(path, read_text(path), path.relative_to(root).with_suffix("").as_posix())
        except KnowledgeError as exc:
            problems.append(_problem(exc, path))
            continue
        docs.append(doc)
        passages.extend(parts)
    return docs, passages, problems


def _extra(root: Path, problems: list[Problem]):
    out = []
    # The loader's own readers, so `check` and the bot can never disagree about these files.
    for name, load, default in (("synonyms.yaml", loader._load_synonyms, Synonyms()),
                                ("bot.yaml", loader._load_settings, Settings())):
        try:
            out.append(load(root / name))
        except KnowledgeError as exc:
            problems.append(_problem(exc, root / name))
            out.append(default)
    return out


def check_folder(folder: Path | str | None) -> Report:
    """Every problem in the folder; never raises for bad content (only for a missing folder)."""
    root = Path(folder) if folder is not None else loader.default_knowledge_dir()
    if not root.is_dir():
        raise KnowledgeError(f"{root}: knowledge folder not found; pass the folder to check, e.g. csds-bot check knowledge/")
    guidance, faq_files = loader.knowledge_files(root)
    docs, passages, problems = _guidance(guidance, root)
    synonyms, settings = _extra(root, problems)
    entries: list[FaqEntry] = []
    for path in faq_files:
        found_entries, found = _faq_file(path)
        problems.extend(found)
        entries.extend(found_entries)
    faqs, duplicates = loader.split_duplicates(entries)
    problems.extend(Problem("error", entry.path, entry.line, message) for entry, message in duplicates)
    if not passages and not faqs and not problems:
        problems.append(Problem("error", str(root), 0, "no guidance (*.md) or FAQ entries (faq/*.yaml) found; add some"))
    unchecked = 0
    if faqs:
        knowledge = Knowledge(str(root), tuple(docs), tuple(passages), tuple(faqs), synonyms, settings)
        problems.extend(_duplicate_questions(knowledge))
        problems.extend(_sources(knowledge))
        found = sections.guidance_sections(knowledge)
        unchecked = sum(sections.review(knowledge, e, found).state == "unchecked" for e in faqs)
        problems.extend(_answering(knowledge))
    # Errors first: they stop the folder loading, so they are what to fix before any warning.
    problems.sort(key=lambda p: (p.severity != "error", p.path, p.line))
    return Report(str(root), tuple(problems), len(faqs), unchecked)


def _sources(knowledge: Knowledge) -> list[Problem]:
    """Entries whose `source` names no guidance section, or whose section changed or went since
    their answer was last checked against it (see bot/admin/sections.py)."""
    found = sections.guidance_sections(knowledge)
    out = []
    for entry in knowledge.faqs:
        seen = sections.review(knowledge, entry, found)
        named = ", ".join(f"“{label}”" for label in seen.closest)
        redo = f"then run `csds-bot faq checked {entry.id}`"
        message = {
            "unknown section": f"`{entry.id}`'s source “{entry.source}” names no section of the guidance "
                               f"(closest: {named}); set `source:` to the section its answer rests on",
            "vanished": f"`{entry.id}`'s source section “{entry.source}” is no longer in the guidance (its answer was "
                        f"checked on {seen.checked_on}); re-read the answer, set `source:` to where that text went "
                        f"(closest: {named}), {redo}",
            "changed": f"the guidance section “{entry.source}” changed since `{entry.id}`'s answer was checked on "
                       f"{seen.checked_on}; re-read the answer against it, {redo}",
            "bad stamp": f"`{entry.id}`'s `checked: {entry.checked}` is not a date and a section hash; {redo} to set it",
        }.get(seen.state)
        if message:
            key = "checked" if seen.state == "bad stamp" else "source"
            out.append(Problem("warning", entry.path, _key_line(entry, key), message))
    return out


def _key_line(entry: FaqEntry, key: str) -> int:
    try:
        return loader.key_line(Path(entry.path).read_text(encoding="utf-8"), entry.line, key)
    except OSError:
        return entry.line


def _duplicate_questions(knowledge: Knowledge) -> list[Problem]:
    faqs = knowledge.faqs
    questions = [e.question for e in faqs]
    out = []
    for start, block in faq_space(knowledge).similarity_blocks(questions, questions):
        for row, col in zip(*np.nonzero(block >= DUPLICATE_QUESTIONS)):
            i = start + int(row)
            j = int(col)
            if j <= i:
                continue  # each pair once, reported at the later entry
            a, b = faqs[i], faqs[j]
            out.append(Problem("warning", b.path, b.line,
                               f"`{b.id}` asks nearly the same as `{a.id}` ({a.path}:{a.line}, {block[row, col]:.0%} alike); "
                               "merge them, or reword one so they differ"))
    return out


def _answering(knowledge: Knowledge) -> list[Problem]:
    """Ask the bot each entry's question and alternates; flag those it answers from elsewhere."""
    from bot.answering.engine import Engine

    engine = Engine(knowledge)
    by_id = {e.id: e for e in knowledge.faqs}
    lexical = _closer_elsewhere(knowledge)
    out = []
    for entry in knowledge.faqs:
        answer = engine.ask(entry.question)
        top = answer.top
        if not answer.answered or top is None:
            out.append(Problem("warning", entry.path, entry.line,
                               f"the bot declines `{entry.id}`'s own question; reword the question or add alternates"))
        elif top.id != entry.id:
            out.append(Problem("warning", entry.path, entry.line,
                               f"the bot answers `{entry.id}`'s own question with `{top.id}`; reword the question or add alternates"))
        for alternate in entry.alternates:
            answer = engine.ask(alternate)
            top = answer.top
            if answer.answered and top is not None and top.id != entry.id and top.id in by_id:
                other = by_id[top.id]
                out.append(Problem("warning", entry.path, _line_of(entry, alternate),
                                   f"alternate “{alternate}” of `{entry.id}` is answered with `{other.id}` "
                                   f"(“{other.question}”, {other.path}:{other.line}); move it there or reword it"))
            elif (entry.id, alternate) in lexical:
                other, wording, score = lexical[entry.id, alternate]
                out.append(Problem("warning", entry.path, _line_of(entry, alternate),
                                   f"alternate “{alternate}” of `{entry.id}` is nearly “{wording}” of `{other.id}` "
                                   f"({other.path}:{other.line}, {score:.0%} alike); keep it in one entry only"))
    return out


def _closer_elsewhere(knowledge: Knowledge) -> dict[tuple[str, str], tuple[FaqEntry, str, float]]:
    """Alternates nearly identical to a wording of another entry, and closer to it than to any
    wording of their own entry: the bot can only send one of the two entries' askers right."""
    rows = [(e, w) for e in knowledge.faqs for w in wordings(e)]
    texts = [w for _, w in rows]
    owner = np.array([n for n, e in enumerate(knowledge.faqs) for _ in wordings(e)])
    out = {}
    for start, block in faq_space(knowledge).similarity_blocks(texts, texts):
        for offset, scores in enumerate(block):
            i = start + offset
            entry, wording = rows[i]
            if wording == entry.question:
                continue
            mine = owner == owner[i]
            scores = scores.copy()
            scores[i] = -1.0  # not itself
            own = float(scores[mine].max(initial=0.0))
            scores[mine] = -1.0
            best = int(scores.argmax())
            if scores[best] >= DUPLICATE_QUESTIONS and scores[best] > own:
                out[entry.id, wording] = (rows[best][0], rows[best][1], float(scores[best]))
    return out


def _line_of(entry: FaqEntry, wording: str) -> int:
    """The line of `wording` inside the entry (YAML gives line numbers to mappings, not strings)."""
    try:
        lines = Path(entry.path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return entry.line
    for number in range(entry.line, min(len(lines), entry.line + 200) + 1):
        if wording in " ".join(lines[number - 1].split()):
            return number
    return entry.line
