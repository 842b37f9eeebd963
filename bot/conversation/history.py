"""Where a conversation's earlier questions are kept between messages.

The conversation layer only needs `get` and `add` on string keys ("console:<uuid>",
"slack:C123:1700000000.0001"), so a store shared by several bot processes (a database table in
bot.store) can stand in for the in-memory default without changing any conversation logic. The
in-memory store is lost on restart and is not shared between processes: after a restart, or on
another replica, a follow-up is read on its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol


class HistoryStore(Protocol):
    """Earlier questions of each conversation, newest last."""

    def get(self, key: str) -> tuple[str, ...]: ...

    def add(self, key: str, question: str) -> None: ...


class MemoryHistory:
    """The recent questions of each conversation, in this process's memory. The least recently
    used conversations are forgotten beyond `max_conversations`, and each question is kept to
    `max_chars` (the engine reads no more), so memory stays bounded whatever is pasted."""

    max_chars = 1000  # bot.answering.engine.MAX_QUESTION: the engine reads no further

    def __init__(self, max_conversations: int = 2000, per_conversation: int = 5) -> None:
        self.max_conversations = max_conversations
        self.per_conversation = per_conversation
        self._items: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()  # Slack answers on many threads at once

    def get(self, key: str) -> tuple[str, ...]:
        with self._lock:
            questions = self._items.get(key, ())
            if questions:
                self._items.move_to_end(key)
            return questions

    def add(self, key: str, question: str) -> None:
        with self._lock:
            questions = (*self._items.pop(key, ()), question[: self.max_chars])[-self.per_conversation:]
            self._items[key] = questions
            while len(self._items) > self.max_conversations:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
