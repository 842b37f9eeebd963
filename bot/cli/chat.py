"""`csds-bot chat`: a local console chat over the conversation layer (offline, no credentials)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from bot.cli.main import add_knowledge_option

HELP = ("Ask a question in your own words. When I offer close questions, type a number to ask one. "
        "Commands: /help shows this, /good or /bad rates the last answer, /quit (or Ctrl-D) leaves; "
        "Ctrl-C clears the line.")
RATINGS = {"/good": True, "/up": True, "/bad": False, "/down": False}
LOG_OFF = "The interaction log is off (--no-log or CSDS_BOT_NO_LOG), so ratings are not recorded."


def register(sub) -> None:
    p = sub.add_parser("chat", help="chat with the bot in this terminal",
                       description="Chat with the bot in this terminal. Works offline; no credentials needed.")
    add_knowledge_option(p)
    p.add_argument("--no-log", action="store_true",
                   help="record nothing: no interaction log, no saved line history (also: CSDS_BOT_NO_LOG=1)")
    p.set_defaults(run=run)


def _history_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "csds-bot" / "chat_history"


def _enable_line_editing(keep: bool) -> Path | None:
    """Arrow keys, editing and history via the standard library's readline; the history is kept
    across sessions in a file only when `keep` (not with --no-log)."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: input() still works, without history
        return None
    readline.set_history_length(1000)
    if not keep:
        return None
    path = _history_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(path)
    except OSError:
        return None
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    try:
        import readline

        readline.write_history_file(path)
    except OSError:
        pass  # history is a convenience; never fail the chat over it


class _AbovePrompt(logging.Handler):
    """Shows a log message (a knowledge reload that failed, from the reload thread) on lines of its
    own above the prompt, then draws the prompt and what was typed so far again, so the message
    never overwrites the prompt."""

    def __init__(self, prompt: str, interactive: bool) -> None:
        super().__init__(logging.WARNING)
        self.prompt = prompt
        self.interactive = interactive
        self.waiting = False  # True while input() waits at the prompt

    def emit(self, record: logging.LogRecord) -> None:  # logging holds the handler's lock here
        message = self.format(record)
        if not self.interactive:
            print(message, file=sys.stderr, flush=True)
            return
        typed = ""
        if self.waiting:
            try:
                import readline

                typed = readline.get_line_buffer()
            except ImportError:
                pass
        # \r\x1b[K: back to the start of the line and clear it (the prompt and the typing).
        sys.stdout.write("\r\x1b[K" + message + "\n" + (self.prompt + typed if self.waiting else ""))
        sys.stdout.flush()


def run(args) -> int:
    from bot.answering.live import LiveEngine
    from bot.cli.render import fit_for, render, tolerant_output, wrap
    from bot.conversation import Conversations
    from bot.store.interactions import InteractionLog
    from bot.store.switches import local_user

    tolerant_output()
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    colour = interactive and not os.environ.get("NO_COLOR")
    prompt = "\x1b[1myou>\x1b[0m " if colour else "you> "
    notices = _AbovePrompt(prompt, interactive)
    notices.setFormatter(logging.Formatter("%(message)s"))
    bot_log = logging.getLogger("bot")
    bot_log.addHandler(notices)
    bot_log.propagate = False

    def say(text: str = "") -> None:
        if interactive:
            text = "\n".join(wrap(text, _width()))
        print(fit_for(text, sys.stdout.encoding), flush=True)

    # Follows the knowledge folder: an entry added meanwhile (`faq add`, Slack, an editor) is
    # answered within a second or two, without restarting the chat.
    engine = LiveEngine(args.knowledge)
    log = InteractionLog.from_env(no_log=args.no_log)
    conversations = Conversations(engine, log)
    conversation = conversations.open("console", user_id=local_user())
    settings = engine.knowledge.settings
    examples = ", ".join(f"“{e}”" for e in settings.examples[:3])
    say(f"{settings.name}: ask me about {settings.scope}" + (f", e.g. {examples}." if examples else "."))
    say(HELP)
    history_path = _enable_line_editing(keep=log.enabled) if interactive else None
    offered: tuple[str, ...] = ()  # the close questions the last decline numbered
    try:
        while True:
            try:
                notices.waiting = True
                line = input(prompt if interactive else "")
            except EOFError:
                if interactive:
                    print()  # Ctrl-D leaves the cursor on the prompt line: "Bye." goes below it
                break
            except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell; Ctrl-D or /quit leaves
                if not interactive:
                    break
                print()
                continue
            finally:
                notices.waiting = False
            question = line.strip()
            if not question:
                continue
            command = question.lower()
            if command in ("/quit", "/exit", "quit", "exit"):
                break
            if command in ("/help", "/?"):
                say(HELP)
                continue
            if command in RATINGS:
                if conversation.last is None:
                    say("Ask a question first, then rate its answer.")
                else:
                    say("Thanks, noted." if conversation.rate(RATINGS[command]) else LOG_OFF)
                continue
            if question.isdigit() and len(question) <= 2:  # a pick from the close questions offered
                if not 1 <= int(question) <= len(offered):
                    say(f"There is no close question {question} to ask: type your question in words.")
                    continue
                question = offered[int(question) - 1]
                say(f"→ {question}")
            try:
                answer = conversation.ask(question)
            except KeyboardInterrupt:
                print()
                continue
            offered = answer.decline.suggestions if answer.decline else ()
            text = render(answer, colour, numbered=True, width=_width() if interactive else None)
            print(fit_for(text, sys.stdout.encoding))
            print(flush=True)
    finally:
        _save_history(history_path)
        engine.close()
        log.close()
        bot_log.removeHandler(notices)
    print("Bye.")
    return 0


def _width() -> int:
    """The terminal's width now (it may have been resized), less one column so that a line of
    exactly that width does not wrap the cursor onto an empty line."""
    return max(20, shutil.get_terminal_size().columns - 1)
