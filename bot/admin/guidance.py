"""Guidance updates: a saved copy of the guidance web page becomes the folder's guidance Markdown.

`plan_import` reads the page and says what would change (a unified diff, and which FAQ entries rest
on sections that change or go); `write_import` writes it under the folder's lock, atomically, after
checking the new file loads. The title and publisher in the front matter are the folder's own names
for the document (answers cite them), so an existing file keeps them; the review date is the one
the page states, or `reviewed` when it states none.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, replace
from pathlib import Path

from bot.admin import sections
from bot.admin.safefile import locked, replace_file
from bot.errors import InputError, KnowledgeError
from bot.knowledge import html
from bot.knowledge.loader import default_knowledge_dir, knowledge_files, load_knowledge
from bot.knowledge.markdown import parse_markdown
from bot.knowledge.yamlfile import read_text
from bot.model import FaqEntry, Knowledge


@dataclass(frozen=True)
class Affected:
    entry: FaqEntry
    change: str  # "changed" or "gone"
    section: str


@dataclass(frozen=True)
class ImportPlan:
    target: Path
    old: str  # "" when the file is new
    new: str
    diff: str
    affected: tuple[Affected, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _target(folder: Path, into: str | None) -> Path:
    if into:
        path = Path(into)
        path = path if path.is_absolute() else folder / path
        if path.suffix != ".md":
            raise InputError(f"--into {into}: guidance files end in .md; give e.g. guidance/{path.stem}.md")
        return path
    guidance, _ = knowledge_files(folder)
    if len(guidance) == 1:
        return guidance[0]
    if not guidance:
        return folder / "guidance" / "guidance.md"
    names = ", ".join(str(p.relative_to(folder)) for p in guidance)
    raise InputError(f"the knowledge folder has {len(guidance)} guidance files ({names}); say which to replace "
                     "with --into FILE")


def _read_page(page_path: Path) -> html.Page:
    try:
        raw = page_path.read_bytes()
    except OSError as exc:
        raise InputError(f"{page_path}: cannot be read ({exc.strerror}); give the saved copy of the page "
                         "(File > Save Page As, HTML only)") from None
    page = html.read_page(raw.decode("utf-8", errors="replace"))
    if not any(kind.startswith("h") for kind, _ in page.blocks):
        raise InputError(f"{page_path}: no headings found, so this is not the guidance page; save the page itself "
                         "(File > Save Page As, HTML only) and give that file")
    return page


def plan_import(page_path: Path | str, knowledge_dir: Path | str | None = None, into: str | None = None,
                reviewed: dt.date | None = None) -> ImportPlan:
    """What importing the page would do; writes nothing."""
    folder = Path(knowledge_dir) if knowledge_dir is not None else default_knowledge_dir()
    knowledge = load_knowledge(folder)  # a missing or broken folder stops here, before anything else
    page = _read_page(Path(page_path))
    target = _target(folder, into)
    old = read_text(target) if target.exists() else ""
    current = parse_markdown(target, old, "old")[0] if old else None
    title = (current.title if current else "") or page.title
    publisher = (current.publisher if current else "") or html.publisher(page)
    date = html.review_date(page) or reviewed
    if date is None:
        raise InputError(f"{page_path}: the page states no review date (no “Last reviewed” line); "
                         "give the date it was reviewed with --reviewed YYYY-MM-DD")
    if not title:
        raise InputError(f"{page_path}: the page has no <title>; it is not a saved copy of the guidance page")
    new = html.to_markdown(page, title, publisher, date)
    shown = target.relative_to(folder) if target.is_relative_to(folder) else target
    diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"{shown} (now)", f"{shown} (from {Path(page_path).name})"))
    return ImportPlan(target, old, new, diff, tuple(_affected(knowledge, target, new)))


def _affected(knowledge: Knowledge, target: Path, new: str) -> list[Affected]:
    """FAQ entries whose source section reads differently, or is gone, in the new text."""
    _, passages = parse_markdown(target, new, "new")
    kept = tuple(p for p in knowledge.passages if Path(p.document.path) != target)
    after = replace(knowledge, passages=kept + tuple(passages))
    old_sections, new_sections = sections.guidance_sections(knowledge), sections.guidance_sections(after)
    out = []
    for entry in knowledge.faqs:
        before = sections.find_section(knowledge, entry.source, old_sections)
        if before is None:
            continue
        now = sections.find_section(after, entry.source, new_sections)
        if now is None:
            out.append(Affected(entry, "gone", before.label))
        elif now.digest != before.digest:
            out.append(Affected(entry, "changed", before.label))
    return out


def write_import(plan: ImportPlan, knowledge_dir: Path | str | None = None) -> None:
    """Write the planned file atomically under the folder's lock, refusing if it changed meanwhile
    or if the new text would not load."""
    folder = Path(knowledge_dir) if knowledge_dir is not None else default_knowledge_dir()
    try:
        _, passages = parse_markdown(plan.target, plan.new, "new")
    except KnowledgeError as exc:
        raise KnowledgeError(f"the imported page would not load ({exc}); report this with the saved page") from None
    if not passages:
        raise InputError("the imported page has no text to answer from; save the page itself and try again")
    with locked(folder):
        now = read_text(plan.target) if plan.target.exists() else ""
        if now != plan.old:
            raise InputError(f"{plan.target} changed while the import was being prepared; run the import again")
        replace_file(plan.target, plan.new)
