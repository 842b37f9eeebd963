"""Readiness of the bot's database (the interaction log's: SQLite or PostgreSQL), from the store's
own status (`bot.store.interactions.InteractionLog.status` / `ping`), as one line of reason."""

from __future__ import annotations

from typing import Callable


def database_check(log) -> Callable[[], "str | None"]:
    """None when the log's database answers (or there is no log: --no-log), else the reason."""

    def check() -> str | None:
        if log is None or not getattr(log, "enabled", True):
            return None
        # status() never waits (the store pings in the background); until it has checked once, ping now
        # (bounded by the store's connect timeout).
        result = log.status()
        if result is not None and not result.checked_at:
            result = log.ping()
        return _describe(result)

    return check


def _describe(result) -> str | None:
    """`sqlite /path/log.db: file is not a database`, plus how many rows wait in memory; None when ok."""
    if result is None or result.ok:
        return None
    reason = f"{result.backend} {result.where}: {result.reason or 'does not answer'}"
    if result.kept_in_memory:
        reason += f"; {result.kept_in_memory} interaction-log rows kept in memory until it is back"
    return reason
