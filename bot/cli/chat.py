"""`csds-bot chat`: a local console chat over the engine (offline, no credentials)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.cli.main import add_knowledge_option

HELP = ("Ask a question in your own words. When I offer close questions, type a number to ask one. "
        "Commands: /help shows this, /good or /bad rates the last answer, /quit (or Ctrl-D) leaves.")
RATINGS = {"/good": True, "/up": True, "/bad": False, "/down": False}


def register(sub) -> None:
    p = sub.add_parser("chat", help="chat with the bot in this terminal",
                       description="Chat with the bot in this terminal. Works offline; no credentials needed.")
    add_knowledge_option(p)
    p.add_argument("--no-log", action="store_true",
                   help="do not record questions in the interaction log (also: CSDS_BOT_NO_LOG=1)")
    p.set_defaults(run=run)


def _history_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "csds-bot" / "chat_history"


def _enable_line_editing() -> Path | None:
    """Arrow keys, editing and history across sessions, via the standard library's readline."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: input() still works, without history
        return None
    path = _history_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(path)
    except OSError:
        return None
    readline.set_history_length(1000)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    try:
        import readline

        readline.write_history_file(path)
    except OSError:
        pass  # history is a convenience; never fail the chat over it


def run(args) -> int:
    from bot.answering.live import LiveEngine
    from bot.cli.render import render
    from bot.store.interactions import InteractionLog, local_user

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    colour = interactive and not os.environ.get("NO_COLOR")
    # Follows the knowledge folder: an entry added meanwhile (`faq add`, Slack, an editor) is
    # answered within a second or two, without restarting the chat.
    engine = LiveEngine(args.knowledge)
    log = InteractionLog.from_env(no_log=args.no_log)
    user = local_user()
    last: tuple[int | None, str] | None = None  # the last answer's log row and question, for /good and /bad
    settings = engine.knowledge.settings
    examples = ", ".join(f"“{e}”" for e in settings.examples[:3])
    print(f"{settings.name}: ask me about {settings.scope}" + (f", e.g. {examples}." if examples else "."))
    print(HELP)
    history_path = _enable_line_editing() if interactive else None
    prompt = "\x1b[1myou>\x1b[0m " if colour else "you> "
    history: list[str] = []
    offered: tuple[str, ...] = ()  # the close questions the last decline numbered
    try:
        while True:
            try:
                line = input(prompt if interactive else "")
            except EOFError:
                break
            question = line.strip()
            if not question:
                continue
            if question.lower() in ("/quit", "/exit", "quit", "exit"):
                break
            if question.lower() in ("/help", "/?"):
                print(HELP)
                continue
            if question.lower() in RATINGS:
                if last is None:
                    print("Ask a question first, then rate its answer.")
                else:
                    log.record_feedback(last[0], last[1], user, RATINGS[question.lower()])
                    print("Thanks, noted." + ("" if log.enabled else " (The interaction log is off.)"))
                continue
            if question.isdigit() and len(question) <= 2:  # a pick from the close questions offered
                if not 1 <= int(question) <= len(offered):
                    print(f"There is no close question {question} to ask: type your question in words.")
                    continue
                question = offered[int(question) - 1]
                print(f"→ {question}")
            answer = engine.ask(question, history=history[-1:])
            last = (log.record_question("console", user, answer), answer.question)
            history.append(question)
            offered = answer.suggestions if answer.kind == "fallback" else ()
            print(render(answer, engine.citation(answer), colour, numbered=True))
            print()
    except KeyboardInterrupt:
        print()
    finally:
        _save_history(history_path)
        engine.close()
        log.close()
    print("Bye.")
    return 0
