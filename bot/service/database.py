"""Readiness of the interaction log's database: the store's own status when it has one, else a
direct look at the SQLite file."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from typing import Callable

PING_SECONDS = 2.0  # a probe that waits longer than this is itself a sign of trouble


def database_check(log) -> Callable[[], "str | None"]:
    """None when the log's database answers (or there is no log: --no-log), else the reason."""

    def check() -> str | None:
        if log is None or not getattr(log, "enabled", True):
            return None
        status = getattr(log, "status", None)
        ping = getattr(log, "ping", None)
        if status is None and ping is None:
            return _sqlite(getattr(log, "path", None))
        try:
            # status() never waits (the store pings in the background); until it has checked once, ping now.
            result = status() if status is not None else None
            if result is None or (hasattr(result, "checked_at") and not result.checked_at):
                result = ping() if ping is not None else result
        except Exception as exc:
            return f"unreachable ({type(exc).__name__}: {exc})"
        return _describe(result)

    return check


def _describe(result) -> str | None:
    """The store's answer as a reason: a status record (`ok`, `reason`, ...), False, a string, or None."""
    if result is None or result is True:
        return None
    if result is False:
        return "unreachable"
    if isinstance(result, str):
        return result or None
    if getattr(result, "ok", True):
        return None
    where = " ".join(str(part) for part in (getattr(result, "backend", ""), getattr(result, "where", "")) if part)
    reason = f"{where} unreachable" if where else "unreachable"
    if getattr(result, "reason", ""):
        reason += f" ({result.reason})"
    kept = getattr(result, "kept_in_memory", 0)
    if kept:
        reason += f"; {kept} interaction-log rows kept in memory until it is back"
    return reason


def _sqlite(path) -> str | None:
    if path is None:
        return None
    if not path.exists():  # created with the first question; its folder must take it
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        return None if os.access(parent, os.W_OK) else f"cannot create {path}: {parent} is not writable"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=PING_SECONDS)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        return f"cannot open {path} ({exc})"
    return None
