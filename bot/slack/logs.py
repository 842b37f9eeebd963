"""Logging for the long-running Slack bot: one line per record on stderr, with every token and
secret cut out, whichever library wrote the line (slack_sdk debug logs, tracebacks, ours)."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator

# Slack tokens (bot, user, app-level, refresh, config) and the one-time ticket of a Socket Mode URL.
_TOKENS = re.compile(r"\b(?:xox[a-z]|xapp|xoxe(?:\.xox[a-z])?)-[A-Za-z0-9-]+|(?<=ticket=)[^&\s\"']+")
REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes anything that looks like a token and every known secret."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TOKENS.sub(REDACTED, text)


def setup_logging(level: str, secrets: Iterable[str]) -> logging.Handler:
    """Route all logging through one redacting stderr handler; returns it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


@contextmanager
def held_back(handler: logging.Handler) -> Iterator[None]:
    """Hold the log records of start-up back: written out once the bot is up, dropped when start-up
    fails, because then the one-line error (bad token, unreachable URL) says it all and slack_sdk's
    own records of the same failure would bury it. At DEBUG level they are written out regardless."""
    root = logging.getLogger()
    memory = logging.handlers.MemoryHandler(capacity=100_000, flushLevel=logging.CRITICAL + 1, target=handler)
    root.removeHandler(handler)
    root.addHandler(memory)
    ok = False
    try:
        yield
        ok = True
    finally:
        root.removeHandler(memory)
        root.addHandler(handler)
        if ok or root.level <= logging.DEBUG:
            memory.flush()
        memory.target = None
        memory.close()
