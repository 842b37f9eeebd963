"""`csds-bot faq`: add, list, show and remove FAQ entries in the knowledge folder."""

from __future__ import annotations

import sys

from bot.cli.main import add_knowledge_option
from bot.errors import InputError

ADD_HELP = """Add an FAQ entry to faq/added.yaml of the knowledge folder. Without --question and --answer,
asks for them when run in a terminal. Warns and stops when the question is close to an existing entry
(--force adds it anyway). Prints the new id and how the bot now answers the question."""


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
    add.add_argument("--from-report", type=int, metavar="N",
                     help="start from group N of `csds-bot report`: its commonest wording as the question, "
                          "the others as alternates")
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

    rm = actions.add_parser("remove", help="remove one entry",
                            description="Remove one FAQ entry; every other line of its file stays as it was.")
    rm.add_argument("id", help="the entry's id (see `csds-bot faq list`)")
    add_knowledge_option(rm)
    rm.set_defaults(run=run_remove)


def _prompt(label: str, required: bool) -> str:
    while True:
        try:
            value = input(f"{label}: ").strip()
        except EOFError:
            if not required:
                return ""
            raise InputError(f"no {label.lower()} given; pass --{label.lower()} TEXT") from None
        if value or not required:
            return value
        print(f"The {label.lower()} cannot be empty.", file=sys.stderr)


def _from_report(args) -> tuple[str, list[str]]:
    """The question and alternates of report group `--from-report N`, shown before use."""
    from bot.store.faq_store import MAX_ALTERNATES, MAX_QUESTION
    from bot.store.report import group_for_entry

    group = group_for_entry(args.from_report, args.knowledge, args.since)
    question = args.question or group.question
    # Commonest first, so what is left out is the rarest (or a pasted wall of text).
    usable = [a for a in group.alternates if len(a) <= MAX_QUESTION]
    alternates = [*args.alternate, *usable][:MAX_ALTERNATES]
    print(f"From report group {args.from_report}: {group.count} questions, {len(group.alternates) + 1} wordings.")
    # Grouping is by wording, not meaning: show what goes in, so a stray can be taken out.
    print(f"Question:   {question}")
    for alternate in alternates:
        print(f"Alternate:  {alternate}")
    left = len(args.alternate) + len(group.alternates) - len(alternates)
    if left:
        print(f"({left} rarer or overlong wordings left out: an entry takes at most {MAX_ALTERNATES} "
              f"alternates of at most {MAX_QUESTION} characters.)")
    return question, alternates


def _gather(args) -> tuple[str, str, list[str]]:
    question, answer, alternates = args.question, args.answer, list(args.alternate)
    if args.from_report is not None:
        question, alternates = _from_report(args)
    interactive = sys.stdin.isatty()
    if question is None or answer is None:
        if not interactive:
            missing = " and ".join(f"--{n}" for n, v in (("question", question), ("answer", answer)) if v is None)
            raise InputError(f"{missing} missing; pass --question TEXT --answer TEXT, or run it in a terminal to be asked")
        if question is None:
            question = _prompt("Question", True)
        if answer is None:
            answer = _prompt("Answer", True)
        if not args.alternate and args.from_report is None:
            extra = _prompt("Other ways to ask it (separate with ;, or leave empty)", False)
            alternates = [a.strip() for a in extra.split(";") if a.strip()]
    return question, answer, alternates


def run_add(args) -> int:
    from bot.errors import NearDuplicate
    from bot.store import faq_store

    question, answer, alternates = _gather(args)
    add = lambda force: faq_store.add_entry(  # noqa: E731
        args.knowledge, question, answer, alternates, args.source, args.entry_id, force)
    try:
        entry = add(args.force)
    except NearDuplicate as exc:
        print("Similar questions already in the knowledge base:", file=sys.stderr)
        for m in exc.matches:
            print(f"  {m.id}: {m.question}  ({_where(m.path, m.line)}; {m.similarity:.0%} alike"
                  + (f", via “{m.wording}”" if m.wording != m.question else "") + ")", file=sys.stderr)
        if not (sys.stdin.isatty() and _confirm("Add it anyway? [y/N] ")):
            raise
        entry = add(True)
    print(f"Added `{entry.id}` to {_where(entry.path, entry.line)}.")
    _show_answer(args.knowledge, entry)
    return 0


def _confirm(prompt: str) -> bool:
    try:
        return input(prompt).strip().lower() in ("y", "yes")
    except EOFError:
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
    from bot.store import faq_store

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
    from bot.store import faq_store

    e = faq_store.get_entry(args.knowledge, args.id)
    print(f"id:       {e.id}")
    print(f"file:     {_where(e.path, e.line)}")
    print(f"question: {e.question}")
    for alt in e.alternates:
        print(f"  also:   {alt}")
    print(f"answer:   {e.answer}")
    if e.source:
        print(f"source:   {e.source}")
    return 0


def run_remove(args) -> int:
    from bot.store import faq_store

    entry = faq_store.remove_entry(args.knowledge, args.id)
    print(f"Removed `{entry.id}` (“{entry.question}”) from {_where(entry.path, entry.line)}.")
    return 0
