"""Log records as one JSON object a line (`PACT_LEDGER_LOG_FORMAT=json`) or as plain text.

The same formatter serves the ledger's loggers and uvicorn's (its access log included), so a
collector parses one format. Fields passed with `extra=` become keys of the object; uvicorn's
access records are taken apart into method, path, status, without the client's address (an
address can be personal data; the request line names the principal instead).
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from datetime import UTC, datetime
from typing import Any

#: Attributes every LogRecord has: whatever else a record carries came in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                          "color_message"}


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) \
            and len(record.args) == 5:
        _client, method, path, http_version, status = record.args
        return {"message": "access", "method": method, "path": str(path).split("?")[0],
                "http_version": http_version, "status": status}
    fields = {"message": record.getMessage()}
    fields.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {"time": _time(record), "level": record.levelname,
                                "logger": record.name, **_fields(record)}
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record)
        message = fields.pop("message")
        extra = " ".join(f"{k}={v}" for k, v in fields.items())
        line = f"{_time(record)} {record.levelname:<7} {record.name}: {message}"
        line += f" {extra}" if extra else ""
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def log_config(log_format: str, level: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the ledger and uvicorn (pass as uvicorn's log_config)."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ledger": {"()": f"{formatter.__module__}.{formatter.__name__}"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "ledger",
                                "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def configure(log_format: str, level: str) -> dict[str, Any]:
    config = log_config(log_format, level)
    logging.config.dictConfig(config)
    sys.stderr.flush()
    return config
