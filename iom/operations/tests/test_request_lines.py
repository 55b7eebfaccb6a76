"""Django's own request lines carry the request's id (iom/operations/logs.py).

"Not Found" and "Internal Server Error" are written by the ``django.request`` logger
after the request's access context has ended; without the id on the request itself an
operator could not tie such a line to the request's other lines.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from iom.operations.logs import JsonLinesFormatter


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLinesFormatter())
    loggers = [logging.getLogger("django.request"), logging.getLogger("iom.requests")]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.addHandler(handler)
        each.setLevel(logging.INFO)
    yield out
    for each, level in zip(loggers, levels, strict=True):
        each.removeHandler(handler)
        each.setLevel(level)


def _read(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_a_not_found_line_carries_the_request_id_and_no_query_string(world, lines):
    client = Client()
    client.force_login(world.users["police"])
    response = client.get("/no-such-page/", {"q": "Surname"})
    assert response.status_code == 404

    written = _read(lines)
    django_lines = [line for line in written if line["logger"] == "django.request"]
    request_lines = [line for line in written if line["logger"] == "iom.requests"]
    assert len(django_lines) == 1 and len(request_lines) == 1
    not_found, request_line = django_lines[0], request_lines[0]
    assert not_found["request_id"] == request_line["request_id"]
    assert isinstance(not_found["request_id"], str) and len(not_found["request_id"]) == 32
    assert not_found["method"] == "GET"
    assert not_found["path"] == "/no-such-page/"
    assert "Surname" not in lines.getvalue()


def test_two_requests_have_two_ids(world, lines):
    client = Client()
    client.force_login(world.users["police"])
    client.get("/no-such-page/")
    client.get("/nor-this-one/")
    ids = {line["request_id"] for line in _read(lines) if line["logger"] == "django.request"}
    assert len(ids) == 2


def test_a_record_without_a_request_or_context_has_no_request_id():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", ("/x/",), None)
    line = json.loads(JsonLinesFormatter().format(record))
    assert "request_id" not in line
