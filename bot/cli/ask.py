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
    p.add_argument("--json", action="store_true",
                   help="print one JSON object per question: `confidence` is how sure the bot is (0-1), each "
                        "source's `score` its ranking relative to the best source (0-1, the best is 1)")
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
    from bot.cli.render import tolerant_output

    tolerant_output()
    if args.question == "-":
        lines = _stdin_lines()
    else:
        lines = [(0, check_question(args.question))]
    from bot.answering.engine import Engine  # heavy: scikit-learn
    from bot.conversation import Conversations
    from bot.store.switches import local_user, logging_off

    log = None
    if not logging_off(args.no_log):  # the database layer (SQLAlchemy) only when it will be used
        from bot.store.interactions import InteractionLog

        log = InteractionLog.from_env()
    conversations = Conversations(Engine.from_folder(args.knowledge), log)
    user = local_user()
    out = sys.stdout
    failed = 0
    try:
        for number, line in lines:
            if isinstance(line, InputError):  # one bad line of a batch: say which, answer the rest
                failed += 1
                print(f"Error: line {number}: {line}", file=sys.stderr)
                if args.json:
                    out.write(json.dumps({"line": number, "error": str(line)}, ensure_ascii=_ascii_only(out)) + "\n")
                continue
            # Each question of a batch is its own conversation: lines are not follow-ups of each other.
            answer = conversations.open("cli", user_id=user).ask(line, top=args.top)
            if args.json:
                out.write(json.dumps(answer.to_json(), ensure_ascii=_ascii_only(out)) + "\n")
            else:
                from bot.cli.render import fit_for, render

                out.write(fit_for(render(answer), out.encoding) + "\n")
            out.flush()
    finally:
        if conversations.log is not None:
            conversations.log.close()
    # Non-zero when any line could not be read, so a script notices; every good line was answered.
    return InputError.exit_code if failed else 0


def _ascii_only(stream) -> bool:
    """JSON escapes non-ASCII characters (\\u203a) when the stream cannot carry them as they are."""
    try:
        "›£“".encode(stream.encoding or "utf-8")
        return False
    except (UnicodeEncodeError, LookupError):
        return True


def _stdin_lines() -> list[tuple[int, str | InputError]]:
    """Each non-blank stdin line with its line number (from 1): the question, or the InputError
    that says why that line cannot be one (not UTF-8, binary data). One bad line never costs the
    others their answers."""
    data = sys.stdin.buffer.read()
    out: list[tuple[int, str | InputError]] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        raw = raw.removesuffix(b"\r")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append((number, InputError(f"byte {exc.start + 1} is not UTF-8 text; save the questions as UTF-8")))
            continue
        if not text.strip():
            continue
        try:
            out.append((number, check_question(text)))
        except InputError as exc:
            out.append((number, exc))
    if not out:
        raise InputError("no questions on stdin; send one question per line")
    return out
