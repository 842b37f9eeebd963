"""Logging for the long-running Slack bot: one line per record on stderr, with every token and
secret cut out, whichever library wrote the line (slack_sdk debug logs, tracebacks, ours)."""

from __future__ import annotations

import logging
import re
import sys
from typing import Iterable

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


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    """Route all logging through one redacting stderr handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
