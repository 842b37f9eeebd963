"""Readiness of the interaction log's database, until (and through) the store's own `ping()`."""

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
        ping = getattr(log, "ping", None)
        if ping is not None:  # the store's own check (PostgreSQL or SQLite)
            try:
                result = ping()
            except Exception as exc:
                return f"unreachable ({type(exc).__name__}: {exc})"
            if result is False:
                return "unreachable"
            return result if isinstance(result, str) and result else None
        return _sqlite(getattr(log, "path", None))

    return check


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
