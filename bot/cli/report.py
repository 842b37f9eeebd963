"""`csds-bot report`: unanswered and 👎-rated questions, grouped, so the next FAQ entry is the needed one."""

from __future__ import annotations

import json
import sys

from bot.cli.main import add_knowledge_option

DESCRIPTION = """Show the questions the bot could not answer or whose answer was rated 👎, grouped by
similarity, with counts, when last asked and the closest existing entry. Reads the interaction log
($CSDS_BOT_DB; also when CSDS_BOT_NO_LOG is set, which only stops writing). Each group has an id that
stays put as other groups are added: turn one into an entry with `csds-bot faq add --from-report ID`."""


def register(sub) -> None:
    p = sub.add_parser("report", help="group unanswered and 👎-rated questions", description=DESCRIPTION)
    p.add_argument("--since", metavar="WHEN", help="only questions since then: 7d, 2w, 12h or a date like 2026-11-01")
    p.add_argument("--json", action="store_true", help="print the groups as one JSON document")
    p.add_argument("--all", dest="include_resolved", action="store_true",
                   help="also show groups the current knowledge now answers")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N groups (default 20; 0 for all)")
    add_knowledge_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from bot.admin.report import report_for

    groups = report_for(args.knowledge, args.since, args.include_resolved)
    shown = groups[: args.limit] if args.limit > 0 else groups
    if args.json:
        json.dump({"groups": [g.to_json() for g in shown], "total_groups": len(groups)}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not groups:
        print("No unanswered or 👎-rated questions" + (f" since {args.since}" if args.since else "") + ". Nothing to add.")
        return 0
    total = sum(g.count for g in groups)
    print(f"{total} unanswered or 👎-rated question{'s' * (total != 1)} in {len(groups)} group{'s' * (len(groups) != 1)}"
          + (f" since {args.since}" if args.since else "") + ", most asked first:")
    for g in shown:
        print()
        print(f"{g.number:>3}. [{g.id}] “{g.question}”")
        people = f" by {g.askers} {'person' if g.askers == 1 else 'people'}" if g.askers else ""
        times = "once" if g.count == 1 else f"{g.count} times"
        print(f"     {times}{people} ({g.unanswered} unanswered, {g.unhelpful} 👎), last {g.last_seen[:10]}")
        if g.alternates:
            more = len(g.alternates) - 2
            print("     also: " + "; ".join(f"“{a}”" for a in g.alternates[:2]) + (f" and {more} more" if more > 0 else ""))
        if g.closest_id:
            print(f"     closest entry: {g.closest_id} (“{g.closest_question}”)")
    if len(shown) < len(groups):
        print(f"\n... and {len(groups) - len(shown)} smaller groups (--limit 0 shows all).")
    print("\nTurn a group into an entry: csds-bot faq add --from-report ID (the id in brackets)")
    return 0
