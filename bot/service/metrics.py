"""The bot's Prometheus metrics, in a registry of their own (so two bots in one process, as in the
tests, do not collide and `/metrics` shows only ours)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

OUTCOMES = ("answered", "declined", "smalltalk")

# Answering takes a few milliseconds on the bundled knowledge (README benchmarks) and can reach
# tenths of a second on a large FAQ folder or a loaded machine: buckets from 1 ms to 5 s cover both.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """Counters and the latency histogram; `render()` is the `/metrics` body."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter("csds_bot_questions", "Questions handled, by outcome and channel (front end)",
                                 ("outcome", "channel"), registry=self.registry)
        self.latency = Histogram("csds_bot_answer_seconds", "Time to answer one question (engine only)",
                                 ("channel",), buckets=LATENCY_BUCKETS, registry=self.registry)
        self.reloads = Counter("csds_bot_knowledge_reloads", "Knowledge folder changes loaded and swapped in",
                               registry=self.registry)
        self.reload_failures = Counter("csds_bot_knowledge_reload_failures",
                                       "Knowledge folder changes that did not load (the last good knowledge kept serving)",
                                       registry=self.registry)
        self.slack_api_errors = Counter("csds_bot_slack_api_errors", "Slack Web API calls that failed, by method and error",
                                        ("method", "error"), registry=self.registry)

    def reloaded(self, ok: bool) -> None:
        """The hot-reload hook: one call per knowledge change, True when it loaded."""
        (self.reloads if ok else self.reload_failures).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
