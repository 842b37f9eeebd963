"""State that several replicas of the Slack bot must share, in the bot's database: which Slack
events were already taken in, and the recent questions of each conversation (for follow-ups).

Both have the methods of the in-memory versions (`bot/conversation/history.py`, `bot/slack/memory.py`), and wrap one of those as
a fallback: while the database is unavailable a replica goes on with its own memory (it then
de-duplicates only the retries that reach it, and reads only the follow-ups asked through it),
and it never waits more than the database's bounded timeouts, once per outage.

Conversation keys and event ids arrive as Slack gives them; keys are stored only as a salted hash
(the interaction log's salt), so the table never names a channel or a user.
"""

from __future__ import annotations

import logging
from typing import Hashable, Protocol

import sqlalchemy as sa

from bot.store import database as db
from bot.store.database import Database, StoreUnavailable
from bot.store.interactions import keyed_hash, now_iso

log = logging.getLogger(__name__)


class History(Protocol):
    def get(self, key: Hashable) -> tuple[str, ...]: ...

    def add(self, key: Hashable, question: str) -> None: ...


class Seen(Protocol):
    def first_time(self, event_id: str) -> bool: ...


def _key_text(key: Hashable) -> str:
    # Slack's keys today are (channel, thread_ts) tuples; the conversation layer's are strings.
    return "\x1f".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


class SharedSeenEvents:
    """Event ids taken in by any replica. `first_time` is atomic across processes: the row is
    inserted with ON CONFLICT DO NOTHING, and only the insert that created it gets True."""

    def __init__(self, database: Database, local: Seen) -> None:
        self.database = database
        self.local = local  # this process's memory: saves a round trip for its own retries

    def first_time(self, event_id: str) -> bool:
        if not self.local.first_time(event_id):
            return False
        try:
            return self.database.run(lambda conn: db.insert_ignoring_duplicates(
                conn, db.seen_events, {"event_id": event_id, "time": now_iso()}))
        except StoreUnavailable as exc:
            log.debug("seen events: database unavailable (%s); this replica de-duplicates alone", exc)
            return True


class SharedHistory:
    """The last `per_thread` questions of each conversation, newest last, each cut to `max_chars`.
    Older questions of a thread are deleted as new ones come; quiet threads go with retention
    pruning (`bot.store.interactions.THREAD_HISTORY_DAYS`)."""

    max_chars = 1000  # as MemoryHistory: the engine reads no more

    def __init__(self, database: Database, local: History, per_thread: int = 5) -> None:
        self.database = database
        self.local = local  # kept too, and read while the database is unavailable
        self.per_thread = per_thread

    def _thread(self, key: Hashable) -> str:
        return keyed_hash(self.database.salt, _key_text(key))  # the salt is set once run() has opened

    def get(self, key: Hashable) -> tuple[str, ...]:
        t = db.thread_history.c

        def read(conn: sa.Connection) -> tuple[str, ...]:
            rows = conn.execute(sa.select(t.question).where(t.thread == self._thread(key))
                                .order_by(t.id.desc()).limit(self.per_thread)).scalars().all()
            return tuple(reversed(rows))

        try:
            return self.database.run(read)
        except StoreUnavailable:
            return self.local.get(key)

    def add(self, key: Hashable, question: str) -> None:
        question = question[: self.max_chars]
        self.local.add(key, question)
        t = db.thread_history.c

        def write(conn: sa.Connection) -> None:
            thread = self._thread(key)
            conn.execute(db.thread_history.insert().values(thread=thread, time=now_iso(), question=question))
            newest = sa.select(t.id).where(t.thread == thread).order_by(t.id.desc()).limit(self.per_thread)
            conn.execute(db.thread_history.delete().where(t.thread == thread, t.id.not_in(newest.scalar_subquery())))

        try:
            self.database.run(write)
        except StoreUnavailable as exc:
            log.debug("thread history: database unavailable (%s); kept in this replica's memory", exc)
