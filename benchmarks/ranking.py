"""The CSDS eval sets as a ranking measure: how many in-scope questions have an item that holds an
expected answer ranked first, whether or not the bot then answers (the decision is not measured).

    python -m benchmarks.ranking tests/eval/questions.jsonl [more.jsonl ...]

Only aggregate lines are printed, so a blind set can be measured without reading its questions.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def first_is_right(engine, cases: list[dict]) -> tuple[int, int]:
    """(questions whose first-ranked item holds an expected string, in-scope questions)."""
    from bot.cli.eval import _contains_one

    right = total = 0
    for case in cases:
        if case.get("out_of_scope"):
            continue
        total += 1
        sources = engine.ask(case["q"], top=1).sources
        right += bool(sources) and _contains_one(sources[0].text, case["expect"])
    return right, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ranking", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="eval JSONL files")
    parser.add_argument("--knowledge", default="knowledge", help="knowledge folder (default: knowledge)")
    args = parser.parse_args(argv)
    os.environ.setdefault("CSDS_BOT_NO_LOG", "1")
    from bot.answering.engine import Engine
    from bot.cli.eval import read_cases

    engine = Engine.from_folder(args.knowledge)
    for name in args.files:
        right, total = first_is_right(engine, read_cases(Path(name)))
        print(f"{name}: right item ranked first {right}/{total} ({right / total:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
