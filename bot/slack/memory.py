"""Small, bounded, thread-safe memories the Slack layer keeps between requests.

Thread history lives here, in memory, rather than being read back with conversations.replies:
that would need the channels:history, groups:history and im:history scopes (the bot could then
read every message in its channels) and one more API call per reply. The cost: after a restart
a follow-up is read on its own until it is asked again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Hashable


class ThreadHistory:
    """The recent questions of each conversation (a channel thread, a DM, a user's /csds), newest
    last; least recently used conversations are forgotten beyond `max_threads`, and each question
    is kept to `max_chars` (the engine reads no more), so memory stays bounded whatever is pasted."""

    max_chars = 1000

    def __init__(self, max_threads: int = 2000, per_thread: int = 5) -> None:
        self.max_threads = max_threads
        self.per_thread = per_thread
        self._items: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[str, ...]:
        with self._lock:
            questions = self._items.get(key, ())
            if questions:
                self._items.move_to_end(key)
            return questions

    def add(self, key: Hashable, question: str) -> None:
        with self._lock:
            questions = (*self._items.pop(key, ()), question[: self.max_chars])[-self.per_thread:]
            self._items[key] = questions
            while len(self._items) > self.max_threads:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class SeenEvents:
    """Event ids already taken in, so that Slack's retries (same `event_id`, with
    X-Slack-Retry-Num over HTTP or retry_attempt in Socket Mode) never produce a second reply.
    Slack retries within minutes, so the last few thousand ids are plenty."""

    def __init__(self, max_size: int = 10000) -> None:
        self.max_size = max_size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen, False ever after (atomically: two deliveries of
        the same event racing in on two threads get one True between them)."""
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self.max_size:
                self._ids.popitem(last=False)
            return True
