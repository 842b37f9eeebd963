"""`--log-format json`: one JSON object per line for log shippers (Loki, Elasticsearch, CloudWatch)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Callable


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the record's `fields` (if any) and the traceback, as one JSON
    line; `redact` runs over the finished line, so a token is cut out wherever it appears."""

    def __init__(self, redact: Callable[[str], str] = lambda text: text) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        out.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(out, ensure_ascii=False, default=str))
