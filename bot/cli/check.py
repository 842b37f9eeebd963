"""`csds-bot check [DIR]`: report every problem in a knowledge folder, with file and line."""

from __future__ import annotations

import json
import sys

DESCRIPTION = """Check a knowledge folder and report every problem with its file and line: YAML errors,
missing fields, unknown keys (`alternate:` for `alternates:`), duplicate ids (errors); near-duplicate
questions, alternates the bot answers with another entry, entries whose own question it answers from
elsewhere, sources that name no guidance section, and entries whose source section changed or went
since their answer was checked against it (warnings).
Exit code: 0 clean (or warnings only), 1 warnings only with --strict, 2 errors."""


def register(sub) -> None:
    p = sub.add_parser("check", help="check a knowledge folder for problems", description=DESCRIPTION)
    p.add_argument("folder", nargs="?", default=None, metavar="DIR",
                   help="the knowledge folder (default: --knowledge, $CSDS_BOT_KNOWLEDGE, else the bundled one)")
    p.add_argument("--knowledge", metavar="DIR", default=None, help="same as DIR")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings but no errors")
    p.add_argument("--json", action="store_true", help="print the problems as one JSON document")
    p.set_defaults(run=run)


def run(args) -> int:
    from bot.admin.validate import check_folder

    report = check_folder(args.folder or args.knowledge)
    if args.json:
        json.dump({"folder": report.folder, "entries": report.entries,
                   "problems": [p.to_json() for p in report.problems]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return report.exit_code(args.strict)
    for problem in report.problems:
        print(problem)
    if report.unchecked and not report.errors:  # first things first: errors stop the bot loading at all
        print(f"Note: {report.unchecked} FAQ entries have never been checked against their guidance section, so a "
              "guidance update cannot name them; once their answers are read, run `csds-bot faq checked --all`.")
    errors, warnings = len(report.errors), len(report.warnings)
    if not report.problems:
        print(f"{report.folder}: OK ({report.entries} FAQ entries, no problems)")
    else:
        print(f"{report.folder}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
              f"({report.entries} FAQ entries loaded)")
    return report.exit_code(args.strict)
