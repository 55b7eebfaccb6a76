"""Schemathesis over the whole OpenAPI document: no input makes the API fail.

Every operation of the document is sent generated requests, valid ones and
ones the schema forbids, as a persona with broad rights (the police offender
manager, who may also see intelligence) and as a restricted one (the mentoring
charity's practitioner). Each response must be below 500 and conform to the
document: a declared status code, the declared content type and the declared
body (docs/api.md, "Fuzzing"). Path ids are real ones half the time, so that
operations get past "not found" and into their validation.

Bounded for CI: ``IOM_FUZZ_EXAMPLES`` examples per operation, persona and mode
(default 4) and ``IOM_FUZZ_SECONDS`` for the whole run (default 60); generation
is derandomised unless ``IOM_FUZZ_SEED`` is set, so that a CI failure repeats.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import World, grant_intelligence
from iom.casework.services import actions, plans
from iom.cohorts.tests.factories import case_on_cohort
from iom.meetings.tests.factories import arrange

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

EXAMPLES = int(os.environ.get("IOM_FUZZ_EXAMPLES", "4"))
SECONDS = float(os.environ.get("IOM_FUZZ_SECONDS", "60"))
SEED = os.environ.get("IOM_FUZZ_SEED")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
REASON = "Checking the API answers every request properly"
THROUGH = "fuzzing"


@dataclass
class Tally:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def count(self, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1


def _real_ids(world: World) -> dict[str, list[Any]]:
    """A meeting, and the sample person on the cohort with a plan, a need and an action."""
    police, day = world.users["police"], timezone.localdate()
    case_on_cohort(world.person, day - timedelta(days=1), lead=police)
    plan = plans.start_plan(nominal=world.person, started_on=day, summary="Plan",
                            acting_user=police, through=THROUGH)
    need = plans.add_need(plan=plan, pathway="accommodation", level="high",
                          description="No fixed abode", assessed_on=day, acting_user=police,
                          through=THROUGH)
    action = actions.create_action(nominal=world.person, title="Check the address",
                                   owner_user=police, due_on=day, priority="high",
                                   source_kind="plan", source_ref="", acting_user=police,
                                   through=THROUGH)
    return {"person_id": [world.person.pk, world.consented.pk, world.foreign.pk],
            "meeting_id": [arrange(world).pk], "need_id": [need.pk],
            "action_id": [action.pk]}


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str],
          ids: dict[str, list[Any]], tally: Tally, deadline: float) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              derandomize=SEED is None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), real=st.fixed_dictionaries(
        {name: st.none() | st.sampled_from(known) for name, known in ids.items()}))
    def run(case: Any, real: dict[str, Any]) -> None:
        if time.monotonic() > deadline:
            return
        for name, known in real.items():
            if case.path_parameters and name in case.path_parameters and known is not None:
                case.path_parameters[name] = known
        response = case.call(headers=headers)
        tally.count(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failed:
            tally.failures.extend(
                f"{operation.label} [{mode.value}] {response.status_code} {f.code} {f.title}: "
                f"{' '.join(f.message.split())[:300]} "
                f"<- {case.as_curl_command(headers=headers)[:400]}"
                for f in failed.exceptions)

    (seed(int(SEED))(run) if SEED else run)()


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@contextmanager
def _connection_kept() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's own test
    client does: the WSGI handler closes it at the end of each request otherwise, and
    on PostgreSQL that ends the test's transaction (SQLite's in-memory database is
    never closed)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz_as(world: World, token: str, budget: float) -> Tally:
    headers = {"Authorization": token, "X-Access-Reason": REASON}
    ids = _real_ids(world)
    tally = Tally()
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    with _connection_kept():
        operations = _operations()  # loading the WSGI application sets up logging again
        # Every refused request is logged as a warning; thousands of them say nothing here.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        # Each operation and mode has its share of the time, so a slow machine tests
        # every operation a little rather than the first ones fully.
        share = budget / (len(operations) * len(modes))
        for operation in operations:
            for mode in modes:
                _fuzz(operation, mode, headers, ids, tally, time.monotonic() + share)
    return tally


def _report(persona: str, tally: Tally, started: float) -> str:
    return (f"{persona}: {tally.requests} requests in {time.monotonic() - started:.1f} s, "
            f"statuses {dict(sorted(tally.by_status.items()))}, "
            f"{len(tally.failures)} failures")


@pytest.mark.parametrize("persona", ["police", "mentor"])
def test_whole_api_answers_every_generated_request_as_documented(
        world: World, token_for: Callable[[str], str], persona: str) -> None:
    if persona == "police":
        grant_intelligence(world.users["police"])
    started = time.monotonic()
    tally = fuzz_as(world, token_for(persona), SECONDS / 2)
    print(_report(persona, tally, started))
    assert tally.requests > 0
    assert not tally.failures, "\n\n".join(tally.failures[:20])
