"""The interaction log: every question asked and every 👍/👎, for the gaps report, in the bot's
database (`bot.store.database`: a SQLite file by default, PostgreSQL when several replicas share it).

Privacy: user ids are stored only as a salted hash (the salt is made once per database and kept
in its `settings` table), so repeat askers can be counted but not identified. Rows older than
the retention period are deleted.

Robustness: logging must never slow or break an answer. Every wait is bounded (see
`bot.store.database`), and a question or rating that cannot be written (locked, down, read-only,
disk full) is kept in memory, up to `KEEP_ROWS`, and written by a background thread once the
database answers again; the caller gets None for the row id and answers anyway. What is kept is lost
only if the process ends first (it tries once more on close) or more than `KEEP_ROWS` pile up (the
oldest go); both are logged as warnings.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import hmac
import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

from bot.errors import BotError
from bot.model import Answer
from bot.store import database as db
from bot.store.database import DB_ENV, Database, DbStatus, StoreUnavailable
from bot.store.switches import NO_LOG_ENV, logging_off

log = logging.getLogger(__name__)

RETENTION_ENV = "CSDS_BOT_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
CHANNELS = ("console", "cli", "slack")
PRUNE_EVERY_SECONDS = 3600
# Rows kept in memory while the database is down: a busy day's questions (the pilot saw a few
# hundred a day) many times over, at well under a kilobyte each.
KEEP_ROWS = 10_000
FLUSH_BATCH = 500  # rows per transaction when writing kept rows back
# Slack retries an event within minutes; a day covers every retry with room to spare.
SEEN_EVENTS_DAYS = 1
# A thread's questions are read for follow-ups for a week of quiet (and never beyond the retention).
THREAD_HISTORY_DAYS = 7
_PRUNE_LOCK = 7_215_302  # pg_try_advisory_xact_lock key: one replica prunes at a time, the others skip


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
    """The SQLite file when `$CSDS_BOT_DB` is not a URL: it, else `$XDG_STATE_HOME/csds-bot/interactions.db`."""
    return Path(db.default_target())


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


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class InteractionLog:
    """Append-only log of questions and ratings. A disabled log (target None) records nothing.
    `target` is a SQLite file path or a postgresql:// URL."""

    def __init__(self, target: Path | str | None, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.database = Database(target) if target is not None else None
        self.path = self.database.path if self.database else None  # the SQLite file, if that is the engine
        self.retention_days = retention_days
        self._pruned_at = 0.0
        self._kept: deque[tuple[str, sa.Table, dict]] = deque()
        self._lost = 0  # rows dropped because more than KEEP_ROWS piled up
        self._lock = threading.Lock()  # guards _kept, _lost and the flusher
        self._flusher: threading.Thread | None = None
        self._closing = threading.Event()
        self._atexit = False

    @classmethod
    def from_env(cls, no_log: bool = False) -> "InteractionLog":
        """The log configured by the environment; disabled by `no_log` or CSDS_BOT_NO_LOG=1."""
        if logging_off(no_log):
            return cls(None)
        return cls.configured()

    @classmethod
    def configured(cls) -> "InteractionLog":
        """The log CSDS_BOT_DB names, whatever CSDS_BOT_NO_LOG says: that switch stops questions
        being written, and a reading tool (the gaps report) still reads what is there."""
        return cls(db.default_target(), _retention_from_env())

    @property
    def enabled(self) -> bool:
        return self.database is not None

    @property
    def where(self) -> str:
        return self.database.where if self.database else "(off)"

    def status(self) -> DbStatus | None:
        """For readiness: the database's state (never waits) and how many rows wait in memory;
        None when logging is off."""
        if self.database is None:
            return None
        return replace(self.database.status(), kept_in_memory=len(self._kept))

    def ping(self) -> DbStatus | None:
        """Check the database now (bounded by its connect timeout); None when logging is off."""
        if self.database is None:
            return None
        return replace(self.database.ping(), kept_in_memory=len(self._kept))

    # -- pruning ------------------------------------------------------------------------------

    def prune(self) -> int:
        """Delete rows older than the retention period now; returns how many went (0 when another
        replica is pruning at this moment: its DELETE does the same work)."""
        if self.database is None:
            return 0
        try:
            return self.database.run(self._prune, force=True, transaction=True)
        except StoreUnavailable as exc:
            log.warning("interaction log %s: could not prune old rows (%s); will try again", self.where, exc)
            return 0

    def _prune(self, conn: sa.Connection) -> int:
        # Each DELETE by time is idempotent, so replicas pruning together would only repeat work;
        # on PostgreSQL an advisory lock lets just one of them do it.
        if not db.try_exclusive(conn, _PRUNE_LOCK):
            return 0
        now = dt.datetime.now(dt.timezone.utc)
        cutoffs = {db.questions: self.retention_days, db.feedback: self.retention_days,
                   db.seen_events: SEEN_EVENTS_DAYS, db.thread_history: min(THREAD_HISTORY_DAYS, self.retention_days)}
        gone = 0
        for table, days in cutoffs.items():
            gone += conn.execute(table.delete().where(table.c.time < iso(now - dt.timedelta(days=days)))).rowcount
        return gone

    def _prune_if_due(self) -> None:
        # A long-running Slack bot must keep pruning, not only at start-up.
        if self._pruned_at and time.monotonic() - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = time.monotonic()
        self.prune()

    def user_hash(self, user_id: str | None) -> str | None:
        if not user_id or self.database is None:
            return None
        # A keyed hash: without the salt (in this database only) ids cannot be guessed back.
        return keyed_hash(self.database.salt, user_id)

    # -- writing ------------------------------------------------------------------------------

    def record_question(self, channel: str, user_id: str | None, answer: Answer) -> int | None:
        """Log one question and how it went; returns the row id (None when off, or when the
        database is unavailable and the row is kept in memory for later)."""
        if self.database is None:
            return None
        top = answer.top
        return self._write("question", db.questions, {
            "time": now_iso(), "channel": channel, "user": user_id, "question": answer.question,
            "answered": int(answer.answered), "confidence": float(answer.confidence),
            "top_source": top.id if top else None})

    def record_feedback(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> None:
        """Log one 👍 (helpful) or 👎 (not helpful) for the question it rates."""
        if self.database is None:
            return
        self._write("rating", db.feedback, {"time": now_iso(), "question_id": question_id, "question": question,
                                            "user": user_id, "helpful": int(helpful)})

    def _row(self, values: dict) -> dict:
        row = dict(values)
        row["user_hash"] = self.user_hash(row.pop("user"))  # hashed at write time: the salt is the database's
        return row

    def _write(self, what: str, table: sa.Table, values: dict) -> int | None:
        assert self.database is not None
        try:
            row_id = self.database.run(lambda conn: conn.execute(table.insert().values(**self._row(values)))
                                       .inserted_primary_key[0])
        except StoreUnavailable as exc:
            self._keep(what, table, values, str(exc))
            return None
        self._prune_if_due()
        return row_id

    def _keep(self, what: str, table: sa.Table, values: dict, reason: str) -> None:
        with self._lock:
            first = not self._kept
            if len(self._kept) >= KEEP_ROWS:
                self._kept.popleft()
                self._lost += 1
                if self._lost == 1:
                    log.warning("interaction log %s: more than %d rows waiting for the database; dropping the "
                                "oldest from now on", self.where, KEEP_ROWS)
            self._kept.append((what, table, values))
            if not self._atexit:  # a one-shot command (`ask`) that never closes still gets its last try
                self._atexit = True
                atexit.register(self.close)
            if self._flusher is None and not self._closing.is_set():
                self._flusher = threading.Thread(target=self._flush_when_back, name="csds-bot-log-flush", daemon=True)
                self._flusher.start()
        if first:
            log.warning("interaction log %s: could not record the %s (%s); answered anyway, and keeping it in "
                        "memory (up to %d rows) to write when the database is back. Set %s to a writable "
                        "database, or %s=1 to turn logging off", self.where, what, reason, KEEP_ROWS, DB_ENV, NO_LOG_ENV)

    def _flush_when_back(self) -> None:
        written = 0
        while not self._closing.wait(db.RETRY_SECONDS):
            written += self._flush()
            with self._lock:
                if not self._kept:
                    self._flusher = None
                    break
        if written:
            log.warning("interaction log %s: the database is back; wrote the %d rows kept in memory%s", self.where,
                        written, f" ({self._lost} older ones were dropped)" if self._lost else "")

    def _flush(self) -> int:
        """Write kept rows in batches, oldest first; stops at the first failure (they stay kept)."""
        assert self.database is not None
        written = 0
        while True:
            with self._lock:
                batch = list(self._kept)[:FLUSH_BATCH]
            if not batch:
                return written

            def insert(conn: sa.Connection) -> None:
                for _, table, values in batch:
                    conn.execute(table.insert().values(**self._row(values)))

            try:
                self.database.run(insert, force=True, transaction=True)
            except StoreUnavailable:
                return written
            with self._lock:
                for _ in batch:
                    self._kept.popleft()
            written += len(batch)

    # -- reading (the report) -------------------------------------------------------------------

    def _read(self, query) -> list[sa.Row]:
        if self.database is None or (self.path is not None and not self.path.exists()):
            return []  # reading never creates a log
        try:
            return self.database.run(lambda conn: conn.execute(query).all(), force=True)
        except StoreUnavailable as exc:
            raise BotError(f"{self.where}: cannot read the interaction log ({exc}); "
                           f"check the database, or point {DB_ENV} at the right one") from None

    def questions(self, since: dt.datetime | None = None) -> list[LoggedQuestion]:
        q = db.questions.c
        rows = self._read(sa.select(q.id, q.time, q.channel, q.user_hash, q.question, q.answered, q.confidence,
                                    q.top_source).where(q.time >= (iso(since) if since else "")).order_by(q.time, q.id))
        return [LoggedQuestion(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in rows]

    def unanswered(self, since: dt.datetime | None = None) -> list[LoggedQuestion]:
        """Questions the bot declined, oldest first."""
        return [q for q in self.questions(since) if not q.answered]

    def feedback(self, since: dt.datetime | None = None, helpful: bool | None = None) -> list[LoggedFeedback]:
        f, q = db.feedback.c, db.questions.c
        rows = self._read(
            sa.select(f.id, f.time, f.question_id, f.question, f.user_hash, f.helpful, q.top_source)
            .select_from(db.feedback.outerjoin(db.questions, q.id == f.question_id))
            .where(f.time >= (iso(since) if since else "")).order_by(f.time, f.id))
        out = [LoggedFeedback(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]
        return out if helpful is None else [x for x in out if x.helpful == helpful]

    def unhelpful(self, since: dt.datetime | None = None) -> list[LoggedFeedback]:
        """Ratings of 👎, oldest first."""
        return self.feedback(since, helpful=False)

    def close(self) -> None:
        """Stop the flusher, try once more to write what is kept, and close the connections."""
        if self.database is None:
            return
        self._closing.set()
        flusher = self._flusher
        if flusher is not None:
            flusher.join(timeout=5)
        if self._kept:
            self._flush()
        if self._kept:
            log.warning("interaction log %s: %d rows could not be written (%s) and are lost with this process; "
                        "the answers were given without logging them", self.where, len(self._kept),
                        self.database.last_reason or "database unavailable")
            self._kept.clear()
        self.database.close()
        self._closing.clear()


def keyed_hash(salt: str, value: str) -> str:
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
