"""Telling the other replicas that the knowledge folder changed, through PostgreSQL LISTEN/NOTIFY.

The replicas share one knowledge folder and each polls it every second (`bot.answering.live`), which
alone gets an FAQ entry saved through one replica answering on all of them within a second or two.
A notification makes that immediate and independent of how fast a shared filesystem shows the
change (NFS caches file attributes for up to a minute): the replica that saved the entry sends
`NOTIFY csds_bot_knowledge`, and every replica listening re-reads the folder at once (reading the
files, which NFS revalidates on open). A missed notification (the listener was reconnecting) only
means waiting for the poll. SQLite is one machine's database: nothing to notify, polling does it.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

import sqlalchemy as sa

from bot.store.database import CONNECT_TIMEOUT_SECONDS, RETRY_SECONDS, Database, StoreUnavailable

log = logging.getLogger(__name__)

CHANNEL = "csds_bot_knowledge"
WAIT_SECONDS = 1.0  # how often the listener looks up from waiting, to notice it is being stopped


class KnowledgeChanges:
    """`announce()` after writing to the shared knowledge folder; `follow(reload)` to hear of
    every replica's writes. Both do nothing on SQLite."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set while LISTEN is in place (tests wait on it)

    @property
    def shared(self) -> bool:
        return self.database.backend == "postgresql"

    def announce(self) -> None:
        if not self.shared:
            return
        try:
            self.database.run(lambda conn: conn.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL}))
        except StoreUnavailable as exc:
            log.warning("could not tell the other replicas that the knowledge changed (%s); they will see it "
                        "at their next check of the folder", exc)

    def follow(self, reload: Callable[[], object]) -> None:
        """Call `reload()` on every notification, from a daemon thread, until `close()`."""
        if not self.shared or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._listen, args=(reload,), name="csds-bot-knowledge-listen",
                                        daemon=True)
        self._thread.start()

    def _listen(self, reload: Callable[[], object]) -> None:
        import psycopg

        conninfo = self.database.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                     application_name="csds-bot-listen") as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=WAIT_SECONDS, stop_after=1):
                            self._reload(reload)
            except psycopg.Error as exc:
                self.listening.clear()
                log.debug("knowledge change listener: %s; retrying in %ss", exc, RETRY_SECONDS)
                self._stop.wait(RETRY_SECONDS)
        self.listening.clear()

    @staticmethod
    def _reload(reload: Callable[[], object]) -> None:
        try:
            reload()
        except Exception:  # a reload bug must not stop the listening
            log.exception("reloading the knowledge after a change notification failed")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=WAIT_SECONDS * 5)
