"""`csds-bot` entry point: parses arguments, runs one command, turns errors into one line."""

from __future__ import annotations

import argparse
import importlib
import sys

from bot import __version__
from bot.errors import BotError

# Each command is a module in bot.cli (dashes become underscores) with `register(subparsers)`; the module must import only
# light things at the top so that `csds-bot --help` and one-shot `ask` stay fast.
COMMANDS = ("ask", "chat", "eval", "faq", "check", "report", "import-guidance", "slack")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, the fix, exit 2 (argparse's code)
        self.exit(2, f"Error: {message}. Run `{self.prog} --help` for usage.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="csds-bot",
        description="Answers questions about accessing Community Services Data Set (CSDS) data.",
    )
    parser.add_argument("--version", action="version", version=f"csds-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"bot.cli.{name.replace('-', '_')}").register(sub)
    return parser


def add_knowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", metavar="DIR", default=None,
        help="knowledge folder to use (default: $CSDS_BOT_KNOWLEDGE, else the bundled one)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        # No command is a usage mistake (argparse's code 2), not a successful run: scripts must notice.
        parser.print_usage(sys.stderr)
        print(f"Error: no command given; run a command such as `{parser.prog} ask \"QUESTION\"`, "
              f"or `{parser.prog} --help` for all of them.", file=sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except BotError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `csds-bot ask --json - | head`
        return 0
