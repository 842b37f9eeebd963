"""The one database the bot keeps its state in: a SQLite file (the default) or PostgreSQL (for
several replicas), chosen by `CSDS_BOT_DB`, through SQLAlchemy Core so both speak one dialect-free
set of statements.

Schema: created on first use and versioned (`schema_version`), so a later change is one more entry
in `MIGRATIONS`. Version 1 is the SQLite interaction log written before this module existed (no
version table); opening such a file migrates it in place.

A database that is down must never hold up an answer. Every wait is bounded (a SQLite lock a
quarter of a second, a PostgreSQL connect two seconds, a statement two), and after a failure the
database is treated as down for `RETRY_SECONDS`: callers see `StoreUnavailable` at once and fall
back (the interaction log buffers in memory, the Slack state uses the process's own memory)
instead of each waiting out its own timeout. `status()` says which, without waiting.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.errors import BotError

log = logging.getLogger(__name__)

T = TypeVar("T")

DB_ENV = "CSDS_BOT_DB"
SCHEMA_VERSION = 2
LOCK_WAIT_SECONDS = 0.25  # SQLite: the longest a write waits for another writer's lock
SCHEMA_WAIT_SECONDS = 2  # SQLite: opening waits this long for another process making the schema
# libpq treats any connect_timeout under 2 as 2 (its documentation), so 2 is the shortest honest bound.
CONNECT_TIMEOUT_SECONDS = 2
STATEMENT_TIMEOUT_MS = 2000  # PostgreSQL: no statement of the bot's own runs anywhere near this
# Connections per process: a burst of Slack events each takes one for a millisecond or two; 20 lets
# the 32 answer workers and the HTTP threads share them, and keeps two replicas (40) well inside
# PostgreSQL's default max_connections of 100.
POOL_SIZE, POOL_OVERFLOW = 5, 15
POOL_WAIT_SECONDS = 5.0  # waiting for a free connection in a burst; a busy pool is not a database that is down
RETRY_SECONDS = 2.0  # after a failure, how long the database counts as down before it is tried again
STATUS_MAX_AGE = 5.0  # status() pings again (in the background) when what it knows is older than this
_SCHEMA_LOCK = 7_215_301  # pg_advisory_xact_lock key: replicas starting together create the schema once

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
settings = sa.Table("settings", metadata,
                    sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))
# Times are UTC ISO 8601 text ("2026-01-31T09:00:00Z"): they sort as text in both engines, and the
# SQLite logs written before version 2 already hold them so.
questions = sa.Table(
    "questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("time", sa.Text, nullable=False, index=True),
    sa.Column("channel", sa.Text, nullable=False),  # console, cli or slack
    sa.Column("user_hash", sa.Text),  # salted SHA-256 of the user id; NULL when anonymous
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("top_source", sa.Text),  # id of the best FAQ entry or passage, if any
)
feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("time", sa.Text, nullable=False, index=True),
    sa.Column("question_id", sa.Integer),  # the questions row rated, when known
    sa.Column("question", sa.Text, nullable=False),  # kept even after that row is pruned
    sa.Column("user_hash", sa.Text),
    sa.Column("helpful", sa.Integer, nullable=False),
)
# Version 2: the Slack state several replicas share.
seen_events = sa.Table(
    "seen_events", metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("time", sa.Text, nullable=False, index=True),
)
thread_history = sa.Table(
    "thread_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("thread", sa.Text, nullable=False),  # salted hash of the conversation key
    sa.Column("time", sa.Text, nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Index("thread_history_thread", "thread", "id"),
)


class StoreUnavailable(Exception):
    """The database cannot be reached or used right now; the message says why."""


@dataclass(frozen=True)
class DbStatus:
    """What readiness reports: which database, whether it answers, and why not."""

    ok: bool
    backend: str  # "sqlite" or "postgresql"
    where: str  # the file, or the URL without its password
    reason: str = ""  # empty when ok
    checked_at: float = 0.0  # time.monotonic() of the check; 0 when never checked
    kept_in_memory: int = 0  # interaction-log rows waiting for the database to be back


def is_url(target: str) -> bool:
    return target.startswith(("postgresql:", "postgres:", "postgresql+"))


def default_target() -> str:
    """`$CSDS_BOT_DB` (a file or a postgresql:// URL), else `$XDG_STATE_HOME/csds-bot/interactions.db`."""
    raw = os.environ.get(DB_ENV, "").strip()
    if raw:
        return raw if is_url(raw) else str(Path(raw).expanduser())
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return str(Path(base) / "csds-bot" / "interactions.db")


def _url(target: str) -> sa.URL:
    if not is_url(target):
        return sa.URL.create("sqlite", database=target)
    try:
        url = make_url("postgresql" + target[target.index(":"):])  # postgres:// and +driver forms too
    except (ArgumentError, ValueError):
        raise BotError(f"{DB_ENV} is not a usable URL; write it as postgresql://USER@HOST:PORT/DATABASE "
                       "(or give a file path for SQLite)") from None
    return url.set(drivername="postgresql+psycopg")


def _reason(exc: BaseException) -> str:
    """The driver's own one-line message, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:300] or type(orig).__name__


class Database:
    """A lazily opened, schema-checked connection pool that fails fast while the database is down."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        self.url = _url(self.target)
        self.backend = "postgresql" if self.url.drivername.startswith("postgresql") else "sqlite"
        self.path = Path(self.target) if self.backend == "sqlite" else None
        self.where = self.target if self.path else \
            self.url.set(drivername="postgresql").render_as_string(hide_password=True)
        self.salt = ""
        self._engine: Engine | None = None
        self._lock = threading.Lock()  # guards the down/up bookkeeping: held for moments only
        self._open_lock = threading.Lock()  # held while connecting, so status() never waits on it
        self._down_until = 0.0
        self._status = DbStatus(False, self.backend, self.where, "not connected yet")
        self._pinging = False

    # -- opening ------------------------------------------------------------------------------

    def _open(self, force: bool) -> Engine:
        with self._open_lock:
            if self._engine is not None:
                return self._engine
            if not force and not self.up:  # another thread's attempt just failed: do not queue up behind it
                raise StoreUnavailable(self._status.reason or "down")
            return self._open_now()

    def _open_now(self) -> Engine:
        engine = self._make_engine()
        try:
            with engine.connect() as conn:
                self.salt = _ensure_schema(_transactional(conn), self.backend)
        except BaseException:
            engine.dispose()
            raise
        self._engine = engine
        return engine

    def _make_engine(self) -> Engine:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # it holds what people asked: owner only, from the first byte
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            engine = sa.create_engine(self.url, connect_args={"timeout": LOCK_WAIT_SECONDS, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        # Autocommit: the bot's writes are single statements, and a BEGIN and a COMMIT would triple
        # their round trips (run(transaction=True) asks for a real transaction). No pre-ping either
        # (one more round trip per use): a connection the server dropped fails once, SQLAlchemy
        # then discards the whole pool, and the caller's fallback covers that one call.
        return sa.create_engine(
            self.url, isolation_level="AUTOCOMMIT", pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=POOL_WAIT_SECONDS,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "csds-bot",
                          "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"})

    # -- using --------------------------------------------------------------------------------

    @property
    def up(self) -> bool:
        """False while a recent failure says not to try (for `RETRY_SECONDS`)."""
        return time.monotonic() >= self._down_until

    def run(self, work: Callable[[Connection], T], *, force: bool = False, transaction: bool = False) -> T:
        """`work(conn)`: its statements each commit at once, or all together with `transaction`.
        Raises StoreUnavailable at once while the database is down (unless `force`), or with the
        reason when this attempt fails."""
        if not force and not self.up:
            raise StoreUnavailable(self._status.reason or "down")
        try:
            engine = self._engine or self._open(force)
            with engine.connect() as conn:
                if transaction:
                    _transactional(conn)
                with conn.begin():
                    result = work(conn)
        except sa.exc.TimeoutError as exc:  # every pooled connection busy: this call fails, the database is fine
            raise StoreUnavailable(f"all {POOL_SIZE + POOL_OVERFLOW} connections busy ({_reason(exc)})") from None
        except (SQLAlchemyError, OSError, BotError) as exc:  # BotError: a schema this bot cannot use
            self._mark(False, _reason(exc))
            raise StoreUnavailable(_reason(exc)) from None
        self._mark(True, "")
        return result

    def _mark(self, ok: bool, reason: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = 0.0 if ok else now + RETRY_SECONDS
            self._status = DbStatus(ok, self.backend, self.where, reason, now)

    # -- readiness ----------------------------------------------------------------------------

    @property
    def last_reason(self) -> str:
        """Why the last use failed ("" when it worked)."""
        return self._status.reason

    def ping(self) -> DbStatus:
        """Check now (`SELECT 1`, opening and migrating the schema if need be); at most a connect
        timeout, two seconds, when the server does not answer."""
        try:
            self.run(lambda conn: conn.execute(sa.text("SELECT 1")), force=True)
        except StoreUnavailable:
            pass
        return self._status

    def status(self) -> DbStatus:
        """What is known now, never waiting: the outcome of the last use or ping. When that is
        older than `STATUS_MAX_AGE` seconds a ping starts in the background for the next caller."""
        current = self._status
        if time.monotonic() - current.checked_at > STATUS_MAX_AGE or not current.checked_at:
            with self._lock:
                start, self._pinging = not self._pinging, True
            if start:
                threading.Thread(target=self._background_ping, name="csds-bot-db-ping", daemon=True).start()
        return current

    def _background_ping(self) -> None:
        try:
            self.ping()
        finally:
            self._pinging = False

    def close(self) -> None:
        with self._open_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _transactional(conn: Connection) -> Connection:
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="READ COMMITTED")  # PostgreSQL's default level
    return conn


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (SQLAlchemy's pysqlite recipe)
    # Readers (the report) never block the bot. Switching a new file to WAL needs it alone, so
    # this waits as long as opening does for another process making the schema; WAL then stays.
    dbapi_conn.execute(f"PRAGMA busy_timeout = {SCHEMA_WAIT_SECONDS * 1000:.0f}")
    # While another connection is switching the same new file to WAL, SQLite refuses at once
    # ("database is locked") without calling the busy handler: 4 of 200 starts of four replicas
    # at once did so. So the waiting is ours, as long as the busy timeout would have waited.
    deadline = time.monotonic() + SCHEMA_WAIT_SECONDS
    while True:
        try:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    dbapi_conn.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_SECONDS * 1000:.0f}")


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE for schema changes: two processes opening a new file at once take turns.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


# -- schema and migrations ----------------------------------------------------------------------

def _v1_to_v2(conn: Connection) -> None:
    """The Slack state tables, beside the interaction log of version 1 (kept as it is)."""
    metadata.create_all(conn, tables=[seen_events, thread_history, schema_version])


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}  # from version N to N + 1


def _ensure_schema(conn: Connection, backend: str) -> str:
    """Create or migrate the schema to SCHEMA_VERSION, once, whoever else is starting; returns the salt."""
    if backend == "sqlite":  # once per process: wait out another process creating the file's schema,
        # for the read below too: while it commits, even a reader is refused the file for a moment
        conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {SCHEMA_WAIT_SECONDS * 1000:.0f}")
    try:
        return _current_or_made_schema(conn, backend)
    finally:
        if backend == "sqlite":
            conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_SECONDS * 1000:.0f}")


def _current_or_made_schema(conn: Connection, backend: str) -> str:
    with conn.begin():  # the usual case, a current schema: read it without taking any write lock
        if "schema_version" in sa.inspect(conn).get_table_names():
            version = conn.execute(sa.select(schema_version.c.version)).scalar()
            salt = conn.execute(sa.select(settings.c.value).where(settings.c.key == "salt")).scalar()
            if version == SCHEMA_VERSION and salt is not None:
                return salt
    conn.execution_options(immediate=True)
    with conn.begin():
        if backend == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        tables = set(sa.inspect(conn).get_table_names())
        if "schema_version" in tables:
            version = conn.execute(sa.select(schema_version.c.version)).scalar() or 0
        else:
            version = 1 if "questions" in tables else 0
        if version > SCHEMA_VERSION:
            raise BotError(f"the database was written by a newer csds-bot (schema {version}, this one knows "
                           f"{SCHEMA_VERSION}); upgrade csds-bot, or point {DB_ENV} elsewhere")
        if version == 0:
            metadata.create_all(conn)
        else:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
        if version != SCHEMA_VERSION:
            conn.execute(schema_version.delete())
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        salt = conn.execute(sa.select(settings.c.value).where(settings.c.key == "salt")).scalar()
        if salt is None:
            salt = secrets.token_hex(16)
            conn.execute(settings.insert().values(key="salt", value=salt))
    conn.execution_options(immediate=False)
    return salt


def insert_ignoring_duplicates(conn: Connection, table: sa.Table, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row (atomic across processes)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    key = table.primary_key.columns[0]
    # RETURNING rather than rowcount: only the statement that created the row gets it back.
    return conn.execute(insert(table).values(**values).on_conflict_do_nothing().returning(key)).first() is not None


def try_exclusive(conn: Connection, key: int) -> bool:
    """On PostgreSQL, take a transaction-scoped advisory lock if free (False: another holds it);
    SQLite serialises writers itself, so there it is always True."""
    if conn.dialect.name != "postgresql":
        return True
    return bool(conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar())
