"""The log as JSON lines, one object a line, each with the request id, user id and route.

What a line may hold is fixed here, not left to whoever logs: the time, level, logger and
message, the access context of the request or command it came from (iom/core/context.py:
request id, channel, user id; the same request id as the access-log entries the request
wrote), and only the extra fields named in ``EXTRA_FIELDS``. The request line of
``RequestLogMiddleware`` (middleware.py) gives the route (the URL's name, e.g.
``people:profile``), the path without its query string (a search's words are a person's
name), the status and the time taken. Django's own ``django.request`` lines ("Not Found",
"Internal Server Error") are written after the request's context has ended; they take the
request id, method and path from the request the record carries (the access-context
middleware keeps the id on it), so every line of one request shares one id.

An exception is written as its class and where it was raised (file, line, function),
never its message: a database error quotes the values it refused, and those are record
content. Messages themselves are the code's own words; code in this project never puts a
person's name, PNC ID or record content in one (tests/test_logs_hold_no_personal_data.py
crawls the pages as several personas and fails if the log holds any).
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any

from iom.core import context

# Extra fields a log call may add (logger.info(..., extra={...})) and a line may carry.
EXTRA_FIELDS = ("channel", "user_id", "token_id", "method", "path", "route", "status",
                "duration_ms", "worker_id", "task", "command")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        acting = context.current()
        if acting is not None:
            line["request_id"] = acting.request_id
            line["channel"] = acting.channel
            line["user_id"] = acting.user_id
            if acting.token_id is not None:
                line["token_id"] = acting.token_id
        else:
            # Django's own request lines ("Not Found", "Internal Server Error") are written
            # after the request's context has ended; the record carries the request, and
            # the request its id (never its query string: request.path has none).
            request = record.__dict__.get("request")
            request_id = getattr(request, context.REQUEST_ATTRIBUTE, None)
            if request is not None and request_id is not None:
                line["request_id"] = request_id
                line["method"] = getattr(request, "method", None)
                line["path"] = getattr(request, "path", None)
        for name in EXTRA_FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exception"] = {
                "type": f"{kind.__module__}.{kind.__qualname__}",
                "where": [f"{frame.filename}:{frame.lineno} in {frame.name}"
                          for frame in traceback.extract_tb(trace)][-8:],
            }
        return json.dumps(line, default=str, ensure_ascii=False)
