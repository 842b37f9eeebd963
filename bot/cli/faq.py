"""`csds-bot faq`: add, list, show and remove FAQ entries in the knowledge folder."""

from __future__ import annotations

import sys

from bot.cli.main import add_knowledge_option
from bot.errors import InputError

ADD_HELP = """Add an FAQ entry to faq/added.yaml of the knowledge folder. Without --question and --answer,
asks for them when run in a terminal. When the question is close to an existing entry it shows the
entries and, in a terminal, asks "Add it anyway?" right after the question (before the answer);
elsewhere it stops (--force adds it anyway). No, or Ctrl-D at a prompt, ends with "Not added." and
exit code 1. --source must name a section of the guidance. Prints the new id and how the bot now
answers the question."""


def register(sub) -> None:
    p = sub.add_parser("faq", help="add, list, show or remove FAQ entries",
                       description="Add, list, show or remove FAQ entries in the knowledge folder.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p), required=True)

    add = actions.add_parser("add", help="add an entry", description=ADD_HELP)
    add.add_argument("--question", "-q", metavar="TEXT", help="the question, as people would ask it")
    add.add_argument("--answer", "-a", metavar="TEXT", help="the answer (at most 600 characters)")
    add.add_argument("--alternate", action="append", default=[], metavar="TEXT",
                     help="another way to ask the same question (repeat for more)")
    add.add_argument("--source", default="", metavar="SECTION", help="the guidance section the answer rests on")
    add.add_argument("--id", dest="entry_id", metavar="ID", help="the entry's id (default: made from the question)")
    add.add_argument("--force", action="store_true", help="add even when the question is close to an existing entry")
    add.add_argument("--from-report", metavar="ID",
                     help="start from the group of `csds-bot report` with this id (in brackets there): its "
                          "commonest wording as the question, the others as alternates")
    add.add_argument("--since", metavar="WHEN", help="with --from-report: the same --since as the report")
    add_knowledge_option(add)
    add.set_defaults(run=run_add)

    ls = actions.add_parser("list", help="list entry ids and questions", description="List FAQ entry ids and questions.")
    ls.add_argument("contains", nargs="?", default="", help="show only entries whose id or wordings contain this text")
    add_knowledge_option(ls)
    ls.set_defaults(run=run_list)

    show = actions.add_parser("show", help="show one entry", description="Show one FAQ entry in full.")
    show.add_argument("id", help="the entry's id (see `csds-bot faq list`)")
    add_knowledge_option(show)
    show.set_defaults(run=run_show)

    ck = actions.add_parser(
        "checked", help="record that entries' answers were re-read against their guidance sections",
        description="Record that each entry's answer was read against its source section of the guidance as it is "
                    "now: writes `checked: DATE HASH` (the date and a hash of the section's text) into the entry. "
                    "`csds-bot check` names entries whose section changed or went since.")
    ck.add_argument("ids", nargs="*", metavar="ID", help="the entries' ids (see `csds-bot faq list`)")
    ck.add_argument("--all", dest="every", action="store_true", help="every entry with a source section")
    add_knowledge_option(ck)
    ck.set_defaults(run=run_checked)

    rm = actions.add_parser("remove", help="remove one entry",
                            description="Remove one FAQ entry; every other line of its file stays as it was.")
    rm.add_argument("id", help="the entry's id (see `csds-bot faq list`)")
    add_knowledge_option(rm)
    rm.set_defaults(run=run_remove)


class _NotAdded(Exception):
    """The maintainer ended `faq add` at a prompt (Ctrl-D, or no to "Add it anyway?")."""


def _prompt(label: str, required: bool) -> str:
    while True:
        try:
            value = input(f"{label}: ").strip()
        except EOFError:
            print()  # Ctrl-D leaves the cursor on the prompt line
            if not required:
                return ""
            raise _NotAdded from None
        if value or not required:
            return value
        print(f"The {label.lower()} cannot be empty.", file=sys.stderr)


def _from_report(args) -> tuple[str, list[str]]:
    """The question and alternates of report group `--from-report ID`, shown before use."""
    from bot.admin.faq_store import MAX_ALTERNATES, MAX_QUESTION
    from bot.admin.report import group_for_entry

    group = group_for_entry(args.from_report, args.knowledge, args.since)
    question = args.question or group.question
    # Commonest first, so what is left out is the rarest (or a pasted wall of text).
    usable = [a for a in group.alternates if len(a) <= MAX_QUESTION]
    alternates = [*args.alternate, *usable][:MAX_ALTERNATES]
    print(f"From report group {group.id}: {group.count} questions, {len(group.alternates) + 1} wordings.")
    # Grouping is by wording, not meaning: show what goes in, so a stray can be taken out.
    print(f"Question:   {question}")
    for alternate in alternates:
        print(f"Alternate:  {alternate}")
    left = len(args.alternate) + len(group.alternates) - len(alternates)
    if left:
        print(f"({left} rarer or overlong wordings left out: an entry takes at most {MAX_ALTERNATES} "
              f"alternates of at most {MAX_QUESTION} characters.)")
    return question, alternates


def run_add(args) -> int:
    """Add an entry. On a terminal, a question close to an existing entry is shown right after it is
    typed, before the answer; declining to add it, or Ctrl-D at a prompt, ends with "Not added."
    and exit code 1 (nothing was written, so `faq add ... && next` does not go on)."""
    try:
        return _add(args)
    except _NotAdded:
        print("Not added.")
        return 1


def _add(args) -> int:
    from bot.admin import faq_store
    from bot.errors import NearDuplicate

    question, answer, alternates = args.question, args.answer, list(args.alternate)
    if args.from_report is not None:
        question, alternates = _from_report(args)
    force = args.force
    if question is None or answer is None:
        if not sys.stdin.isatty():
            missing = " and ".join(f"--{n}" for n, v in (("question", question), ("answer", answer)) if v is None)
            raise InputError(f"{missing} missing; pass --question TEXT --answer TEXT, or run it in a terminal to be asked")
        if question is None:
            question = _prompt("Question", True)
        if not force:  # before the answer is typed, not after
            force = _add_anyway(faq_store.near_duplicates_of(args.knowledge, question))
        if answer is None:
            answer = _prompt("Answer", True)
        if not args.alternate and args.from_report is None:
            extra = _prompt("Other ways to ask it (separate with ;, or leave empty)", False)
            alternates = [a.strip() for a in extra.split(";") if a.strip()]
    add = lambda force: faq_store.add_entry(  # noqa: E731
        args.knowledge, question, answer, alternates, args.source, args.entry_id, force)
    try:
        entry = add(force)
    except NearDuplicate as exc:
        _show_matches(exc.matches)
        if not sys.stdin.isatty():
            raise  # a script gets the matches and the one-line error naming --force
        _ask_add_anyway()
        entry = add(True)
    print(f"Added `{entry.id}` to {_where(entry.path, entry.line)}.")
    _show_answer(args.knowledge, entry)
    return 0


def _add_anyway(matches) -> bool:
    """Show the near duplicates and ask; True to add anyway, _NotAdded on no, False when there are none."""
    if not matches:
        return False
    _show_matches(matches)
    _ask_add_anyway()
    return True


def _show_matches(matches) -> None:
    print("Similar questions already in the knowledge base:", file=sys.stderr)
    for m in matches:
        print(f"  {m.id}: {m.question}  ({_where(m.path, m.line)}; {m.similarity:.0%} alike"
              + (f", via “{m.wording}”" if m.wording != m.question else "") + ")", file=sys.stderr)


def _ask_add_anyway() -> None:
    if not _confirm("Add it anyway? [y/N] "):
        raise _NotAdded


def _confirm(prompt: str) -> bool:
    try:
        return input(prompt).strip().lower() in ("y", "yes")
    except EOFError:
        print()
        return False


def _where(path: str, line: int) -> str:
    from pathlib import Path

    try:
        shown = Path(path).resolve().relative_to(Path.cwd())
    except ValueError:
        shown = Path(path)
    return f"{shown}:{line}"


def _show_answer(folder, entry) -> None:
    from bot.answering.engine import Engine
    from bot.cli.render import render

    engine = Engine.from_folder(folder)
    answer = engine.ask(entry.question)
    print(f"The bot now answers “{entry.question}” with:")
    for line in render(answer).splitlines():
        print(f"  {line}")
    if not answer.answered or answer.top is None or answer.top.id != entry.id:
        # Possible after --force: say so now rather than let askers find out.
        print("Note: that is not the new entry; reword its question or run `csds-bot check` to see why.")


def run_list(args) -> int:
    from bot.admin import faq_store

    entries = faq_store.list_entries(args.knowledge, args.contains)
    if not entries:
        what = f" containing {args.contains!r}" if args.contains else ""
        print(f"No FAQ entries{what}.")
        return 0
    width = max(len(e.id) for e in entries)
    for e in entries:
        print(f"{e.id:<{width}}  {e.question}")
    return 0


def run_show(args) -> int:
    from bot.admin import faq_store

    e = faq_store.get_entry(args.knowledge, args.id)
    print(f"id:       {e.id}")
    print(f"file:     {_where(e.path, e.line)}")
    print(f"question: {e.question}")
    for alt in e.alternates:
        print(f"  also:   {alt}")
    print(f"answer:   {e.answer}")
    if e.source:
        print(f"source:   {e.source}")
    print(f"checked:  {_checked_line(args.knowledge, e)}")
    return 0


def _checked_line(folder, entry) -> str:
    from bot.admin import sections
    from bot.knowledge import load_knowledge

    seen = sections.review(load_knowledge(folder), entry)
    date = entry.checked.split()[0] if entry.checked else ""
    redo = f"re-read the answer, then run `csds-bot faq checked {entry.id}`"
    return {
        "no source": "never (no source section to check against)",
        "free text": "never (the folder has no guidance to check against)",
        "unknown section": f"never (the source names no guidance section; closest: {', '.join(seen.closest)})",
        "unchecked": f"never; {redo}",
        "bad stamp": f"unreadable (`{entry.checked}`); {redo}",
        "changed": f"on {date} against “{seen.section.label if seen.section else entry.source}”, "
                   f"which has changed since; {redo}",
        "vanished": f"on {date} against “{entry.source}”, which is no longer in the guidance; {redo}",
        "current": f"on {date} against “{seen.section.label if seen.section else entry.source}” "
                   "(unchanged since)",
    }[seen.state]


def run_checked(args) -> int:
    from bot.admin import faq_store

    if not args.ids and not args.every:
        raise InputError("no entries named; give their ids (see `csds-bot faq list`) or --all")
    if args.ids and args.every:
        raise InputError("give ids or --all, not both")
    done, skipped = faq_store.mark_checked(args.knowledge, args.ids, args.every)
    for entry in done:
        print(f"Checked `{entry.id}` against “{entry.source}” ({entry.checked}).")
    for entry, why in skipped:
        print(f"Skipped `{entry.id}`: {why}.", file=sys.stderr)
    if args.every:
        print(f"{len(done)} entries marked as checked, {len(skipped)} skipped.")
    return 1 if skipped and not args.every else 0


def run_remove(args) -> int:
    from bot.admin import faq_store

    entry = faq_store.remove_entry(args.knowledge, args.id)
    print(f"Removed `{entry.id}` (“{entry.question}”) from {_where(entry.path, entry.line)}.")
    return 0
