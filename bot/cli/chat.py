"""`csds-bot chat`: a local console chat over the engine (offline, no credentials)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.cli.main import add_knowledge_option

HELP = "Ask a question in your own words. Commands: /help shows this, /quit (or Ctrl-D) leaves."


def register(sub) -> None:
    p = sub.add_parser("chat", help="chat with the bot in this terminal",
                       description="Chat with the bot in this terminal. Works offline; no credentials needed.")
    add_knowledge_option(p)
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
    from bot.answering.engine import Engine
    from bot.cli.render import render

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    colour = interactive and not os.environ.get("NO_COLOR")
    engine = Engine.from_folder(args.knowledge)
    settings = engine.knowledge.settings
    examples = ", ".join(f"“{e}”" for e in settings.examples[:3])
    print(f"{settings.name}: ask me about accessing CSDS data" + (f", e.g. {examples}." if examples else "."))
    print(HELP)
    history_path = _enable_line_editing() if interactive else None
    prompt = "\x1b[1myou>\x1b[0m " if colour else "you> "
    history: list[str] = []
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
            answer = engine.ask(question, history=history[-1:])
            history.append(question)
            print(render(answer, engine.citation(answer), colour))
            print()
    except KeyboardInterrupt:
        print()
    finally:
        _save_history(history_path)
    print("Bye.")
    return 0
