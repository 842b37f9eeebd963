"""`csds-bot import-guidance PAGE.html`: a saved copy of the guidance web page becomes the guidance Markdown."""

from __future__ import annotations

import sys

from bot.cli.main import add_knowledge_option

DESCRIPTION = """Read a saved copy of the guidance web page (File > Save Page As, HTML only) and turn it into
the guidance Markdown the bot reads: front matter (the file's own title and publisher, the page's review
date), headings, paragraphs and lists. Shows a unified diff against the current file and which FAQ
entries rest on sections that change or go. Writes nothing unless --write is given; then it replaces the
file atomically. Afterwards re-read the answers it names and run `csds-bot faq checked ID` for each."""


def register(sub) -> None:
    p = sub.add_parser("import-guidance", help="turn a saved copy of the guidance web page into guidance Markdown",
                       description=DESCRIPTION)
    p.add_argument("page", metavar="PAGE.html", help="the saved copy of the guidance page")
    p.add_argument("--into", metavar="FILE", help="the guidance file to replace, inside the knowledge folder "
                                                  "(default: its only guidance file)")
    p.add_argument("--reviewed", metavar="YYYY-MM-DD", help="the review date, when the page states none")
    p.add_argument("--write", action="store_true", help="write the file (without it, only show what would change)")
    add_knowledge_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    import datetime as dt

    from bot.admin.guidance import plan_import, write_import
    from bot.errors import InputError

    reviewed = None
    if args.reviewed:
        try:
            reviewed = dt.date.fromisoformat(args.reviewed)
        except ValueError:
            raise InputError(f"--reviewed {args.reviewed!r} is not a date; write it as YYYY-MM-DD") from None
    plan = plan_import(args.page, args.knowledge, args.into, reviewed)
    if not plan.changed:
        print(f"{plan.target} already says what {args.page} says; nothing to do.")
        return 0
    sys.stdout.write(plan.diff)
    print()
    if plan.affected:
        print(f"{len(plan.affected)} FAQ entr{'y rests' if len(plan.affected) == 1 else 'ies rest'} on sections "
              "that change or go; re-read each answer, then run `csds-bot faq checked ID`:")
        for a in plan.affected:
            print(f"  {a.entry.id}: “{a.section}” {'changes' if a.change == 'changed' else 'is gone'}")
    else:
        print("No FAQ entry rests on a section that changes.")
    if not args.write:
        print(f"Nothing written; run again with --write to replace {plan.target}.")
        return 0
    write_import(plan, args.knowledge)
    print(f"Wrote {plan.target}.")
    return 0
