"""The interaction log: every question asked and every 👍/👎, in SQLite, for the gaps report.

Privacy: user ids are stored only as a salted hash (the salt is made once per database and kept
in its `settings` table), so repeat askers can be counted but not identified. Rows older than
the retention period are deleted.

Robustness: logging must never slow or break an answer. Each write waits at most a quarter of a
second for a lock, and any database error (locked, read-only, disk full, corrupt) is logged as a
warning and swallowed; the caller gets None and answers anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.errors import BotError
from bot.model import Answer

log = logging.getLogger(__name__)

DB_ENV = "CSDS_BOT_DB"
RETENTION_ENV = "CSDS_BOT_RETENTION_DAYS"
NO_LOG_ENV = "CSDS_BOT_NO_LOG"
DEFAULT_RETENTION_DAYS = 90
CHANNELS = ("console", "cli", "slack")
LOCK_WAIT_SECONDS = 0.25
PRUNE_EVERY_SECONDS = 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,              -- UTC, ISO 8601 (sorts as text)
    channel TEXT NOT NULL,           -- console, cli or slack
    user_hash TEXT,                  -- salted SHA-256 of the user id; NULL when anonymous
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    confidence REAL NOT NULL,
    top_source TEXT                  -- id of the best FAQ entry or passage, if any
);
CREATE INDEX IF NOT EXISTS questions_time ON questions (time);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    question_id INTEGER,             -- the questions row rated, when known
    question TEXT NOT NULL,          -- the question rated, kept even after that row is pruned
    user_hash TEXT,
    helpful INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_time ON feedback (time);
"""


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    time: str
    channel: str
    user_hash: str | None
    question: str
    answered: bool
    confidence: float
    top_source: str | None


@dataclass(frozen=True)
class LoggedFeedback:
    id: int
    time: str
    question_id: int | None
    question: str
    user_hash: str | None
    helpful: bool
    top_source: str | None  # what the rated answer rested on, when its question row is known


def default_db_path() -> Path:
    """`$CSDS_BOT_DB`, else `$XDG_STATE_HOME/csds-bot/interactions.db` (~/.local/state by default)."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "csds-bot" / "interactions.db"


def _retention_from_env() -> int:
    raw = os.environ.get(RETENTION_ENV, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
        if days < 1:
            raise ValueError
    except ValueError:
        log.warning("%s=%r is not a whole number of days; using %d (set it to e.g. 90)",
                    RETENTION_ENV, raw, DEFAULT_RETENTION_DAYS)
        return DEFAULT_RETENTION_DAYS
    return days


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def local_user() -> str | None:
    """The login name of whoever runs `ask` or `chat` (stored only as a salted hash)."""
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name (a bare container): log the question anonymously
        return None


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class InteractionLog:
    """Append-only log of questions and ratings. A disabled log (path None) records nothing."""

    def __init__(self, path: Path | str | None, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.path = Path(path) if path is not None else None
        self.retention_days = retention_days
        self._conn: sqlite3.Connection | None = None
        self._salt = ""
        self._pruned_at = 0.0
        self._lock = threading.Lock()  # one connection shared by Slack's handler threads

    @classmethod
    def from_env(cls, no_log: bool = False) -> "InteractionLog":
        """The log configured by the environment; disabled by `no_log` or CSDS_BOT_NO_LOG=1."""
        if no_log or _truthy(os.environ.get(NO_LOG_ENV)):
            return cls(None)
        return cls(default_db_path(), _retention_from_env())

    @property
    def enabled(self) -> bool:
        return self.path is not None

    # -- connection ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=LOCK_WAIT_SECONDS, check_same_thread=False,
                                   isolation_level=None)  # autocommit: each write is its own transaction
            try:
                conn.execute("PRAGMA journal_mode=WAL")  # readers (the report) never block the bot
                conn.executescript(SCHEMA)
                conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('salt', ?)", (secrets.token_hex(16),))
                self._salt = conn.execute("SELECT value FROM settings WHERE key = 'salt'").fetchone()[0]
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _prune_if_due(self, conn: sqlite3.Connection) -> None:
        # A long-running Slack bot must keep pruning, not only at start-up.
        if self._pruned_at and time.monotonic() - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._prune(conn)
        self._pruned_at = time.monotonic()

    def prune(self) -> int:
        """Delete rows older than the retention period now; returns how many went."""
        if self.path is None:
            return 0
        with self._lock:
            return self._prune(self._connect())

    def _prune(self, conn: sqlite3.Connection) -> int:
        cutoff = iso(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=self.retention_days))
        gone = conn.execute("DELETE FROM questions WHERE time < ?", (cutoff,)).rowcount
        gone += conn.execute("DELETE FROM feedback WHERE time < ?", (cutoff,)).rowcount
        return gone

    def user_hash(self, user_id: str | None) -> str | None:
        if not user_id:
            return None
        # A keyed hash: without the salt (in this database only) ids cannot be guessed back.
        return hmac.new(self._salt.encode(), user_id.encode(), hashlib.sha256).hexdigest()[:32]

    # -- writing ------------------------------------------------------------------------------

    def record_question(self, channel: str, user_id: str | None, answer: Answer) -> int | None:
        """Log one question and how it went; returns the row id (None when off or failing)."""
        if self.path is None:
            return None
        top = answer.top
        return self._insert(
            "question",
            "INSERT INTO questions (time, channel, user_hash, question, answered, confidence, top_source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            lambda: (now_iso(), channel, self.user_hash(user_id), answer.question, int(answer.answered),
                     float(answer.confidence), top.id if top else None),
        )

    def record_feedback(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> None:
        """Log one 👍 (helpful) or 👎 (not helpful) for the question it rates."""
        if self.path is None:
            return
        self._insert(
            "rating",
            "INSERT INTO feedback (time, question_id, question, user_hash, helpful) VALUES (?, ?, ?, ?, ?)",
            lambda: (now_iso(), question_id, question, self.user_hash(user_id), int(helpful)),
        )

    def _insert(self, what: str, sql: str, params) -> int | None:
        with self._lock:
            try:
                conn = self._connect()  # sets the salt, so params are built after it
                self._prune_if_due(conn)
                return conn.execute(sql, params()).lastrowid
            except (sqlite3.Error, OSError) as exc:
                log.warning("interaction log %s: could not record the %s (%s); answered without logging it. "
                            "Set %s to a writable file, or %s=1 to turn logging off",
                            self.path, what, exc, DB_ENV, NO_LOG_ENV)
                return None

    # -- reading (the report) -------------------------------------------------------------------

    def _read(self, sql: str, params: tuple) -> list[tuple]:
        if self.path is None or not self.path.exists():
            return []
        with self._lock:
            try:
                return self._connect().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise BotError(f"{self.path}: cannot read the interaction log ({exc}); "
                               f"check the file, or point {DB_ENV} at the right one") from None

    def questions(self, since: dt.datetime | None = None) -> list[LoggedQuestion]:
        rows = self._read("SELECT id, time, channel, user_hash, question, answered, confidence, top_source "
                          "FROM questions WHERE time >= ? ORDER BY time, id", (iso(since) if since else "",))
        return [LoggedQuestion(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in rows]

    def unanswered(self, since: dt.datetime | None = None) -> list[LoggedQuestion]:
        """Questions the bot declined, oldest first."""
        return [q for q in self.questions(since) if not q.answered]

    def feedback(self, since: dt.datetime | None = None, helpful: bool | None = None) -> list[LoggedFeedback]:
        rows = self._read(
            "SELECT f.id, f.time, f.question_id, f.question, f.user_hash, f.helpful, q.top_source "
            "FROM feedback f LEFT JOIN questions q ON q.id = f.question_id WHERE f.time >= ? ORDER BY f.time, f.id",
            (iso(since) if since else "",))
        out = [LoggedFeedback(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]
        return out if helpful is None else [f for f in out if f.helpful == helpful]

    def unhelpful(self, since: dt.datetime | None = None) -> list[LoggedFeedback]:
        """Ratings of 👎, oldest first."""
        return self.feedback(since, helpful=False)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
