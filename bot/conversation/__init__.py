"""The one conversation layer every front end (console chat, one-shot `ask`, Slack) goes through.

history       where a conversation's earlier questions live: `HistoryStore`, in memory by default
conversation  `Conversations` (engine + interaction log + history store + an observer) opens a
              `Conversation` (id, channel, user); `Conversation.ask(message) -> Answer` applies the
              one history rule, logs the question and tells the observer; ratings go through it too
"""

from bot.conversation.conversation import Answerer, Conversation, Conversations, OnAnswer, QuestionLog, Turn
from bot.conversation.history import HistoryStore, MemoryHistory

__all__ = ["Answerer", "Conversation", "Conversations", "HistoryStore", "MemoryHistory", "OnAnswer", "QuestionLog",
           "Turn"]
