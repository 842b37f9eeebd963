"""Whether the interaction log is on, and whose questions these are: settings read without the
database layer, so a one-shot `csds-bot ask` with logging off never imports SQLAlchemy (about a
fifth of a second, a seventh of the import floor that the cold-start benchmark measures)."""

from __future__ import annotations

import os

NO_LOG_ENV = "CSDS_BOT_NO_LOG"


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def logging_off(no_log: bool = False) -> bool:
    """`--no-log`, or CSDS_BOT_NO_LOG=1 (also true, yes, on)."""
    return no_log or truthy(os.environ.get(NO_LOG_ENV))


def local_user() -> str | None:
    """The login name of whoever runs `ask` or `chat` (stored only as a salted hash)."""
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name (a bare container): log the question anonymously
        return None
