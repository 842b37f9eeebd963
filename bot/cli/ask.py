"""`csds-bot ask`: answer one question, or one per stdin line with `-`."""

from __future__ import annotations

import json
import sys

from bot.errors import InputError
from bot.cli.main import add_knowledge_option

MAX_CHARS = 100_000


def register(sub) -> None:
    p = sub.add_parser("ask", help="answer a question", description="Answer a question about accessing CSDS data.")
    p.add_argument("question", help="the question, quoted; `-` reads one question per line from stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--top", type=_positive, default=3, metavar="K", help="how many ranked sources to include (default 3)")
    add_knowledge_option(p)
    p.add_argument("--no-log", action="store_true",
                   help="do not record the question in the interaction log (also: CSDS_BOT_NO_LOG=1)")
    p.set_defaults(run=run)


def _positive(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"--top takes a whole number of 1 or more, not {value!r}")
    return number


def check_question(text: str) -> str:
    """Refuse what cannot be a question, with the fix; returns the question stripped."""
    if "\x00" in text or sum(not (c.isprintable() or c.isspace()) for c in text[:2000]) > 5:
        raise InputError("the question contains binary data; ask in plain text")
    if len(text) > MAX_CHARS:
        raise InputError(f"the question is {len(text):,} characters long; ask in at most {MAX_CHARS:,} characters")
    text = text.strip()
    if not text:
        raise InputError('the question is empty; ask something like: csds-bot ask "how long does approval take?"')
    return text


def run(args) -> int:
    if args.question == "-":
        questions = _stdin_questions()
    else:
        questions = [check_question(args.question)]
    from bot.answering.engine import Engine  # heavy: scikit-learn
    from bot.store.interactions import InteractionLog, local_user

    engine = Engine.from_folder(args.knowledge)
    log = InteractionLog.from_env(no_log=args.no_log)
    user = local_user()
    out = sys.stdout
    for question in questions:
        answer = engine.ask(question, top=args.top)
        log.record_question("cli", user, answer)
        if args.json:
            out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            from bot.cli.render import render

            out.write(render(answer, engine.citation(answer)) + "\n")
        out.flush()
    return 0


def _stdin_questions():
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("stdin is not UTF-8 text; send one plain-text question per line") from None
    questions = [check_question(line) for line in text.splitlines() if line.strip()]
    if not questions:
        raise InputError("no questions on stdin; send one question per line")
    return questions
