"""Small, bounded, thread-safe memories the Slack layer keeps between requests.

Thread history is the conversation layer's (bot.conversation.history), kept by the bot rather than
read back with conversations.replies: that would need the channels:history, groups:history and
im:history scopes (the bot could then read every message in its channels) and one more API call
per reply."""

from __future__ import annotations

import threading
from collections import OrderedDict


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
