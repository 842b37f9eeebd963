"""What happens once per handled question, whichever front end handled it: the metrics move and one
INFO line is logged. Neither the question's text nor who asked is in the line: the interaction log
(with user ids hashed) is the place for those."""

from __future__ import annotations

import logging

from bot.model import Answer
from bot.service.metrics import Metrics

log = logging.getLogger("bot.questions")


def outcome(answer: Answer) -> str:
    """answered, declined or smalltalk: the metric label and the log field."""
    if answer.kind == "smalltalk":
        return "smalltalk"
    return "answered" if answer.answered else "declined"


class QuestionObserver:
    """`on_answer(channel, answer, seconds)`: the conversation layer calls it once per handled question."""

    def __init__(self, metrics: Metrics | None = None) -> None:
        self.metrics = metrics

    def on_answer(self, channel: str, answer: Answer, seconds: float) -> None:
        result = outcome(answer)
        top = answer.top.id if answer.top is not None else None
        if self.metrics is not None:
            self.metrics.questions.labels(result, channel).inc()
            self.metrics.latency.labels(channel).observe(seconds)
        fields = {"channel": channel, "outcome": result, "confidence": round(answer.confidence, 4),
                  "top_entry": top, "latency_ms": round(seconds * 1000, 1)}
        # The fields ride along as `extra` so the JSON format writes them as keys of their own.
        log.info("question handled: " + " ".join(f"{k}={v}" for k, v in fields.items()), extra={"fields": fields})

    __call__ = on_answer
