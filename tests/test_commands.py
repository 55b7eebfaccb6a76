from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command

from iom.audit.models import AccessLogEntry
from iom.audit.verify import verify_access_log
from iom.people.demo import RETENTION_EXAMPLES, SUPPLY_EXAMPLE, WESTMOOR_PEOPLE
from iom.people.models import Nominal, OffendingEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_goes_through_the_services_and_the_log(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    out = StringIO()
    call_command("seed_demo", "--people", "12", stdout=out)
    assert "police.om" in out.getvalue() and "password" in out.getvalue()
    # + SUPPLY_EXAMPLE, and Westmoor's few people
    assert Nominal.objects.count() == 12 + len(RETENTION_EXAMPLES) + 1 + len(WESTMOOR_PEOPLE)
    events = OffendingEvent.objects.count()
    assert events > 0
    logged = AccessLogEntry.objects.filter(through="command seed_demo", action="create")
    assert logged.filter(records__0__kind="event").count() == events
    assert verify_access_log().ok
    again = StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert "already loaded" in again.getvalue()
    # + SUPPLY_EXAMPLE, and Westmoor's few people
    assert Nominal.objects.count() == 12 + len(RETENTION_EXAMPLES) + 1 + len(WESTMOOR_PEOPLE)


def test_seed_demo_is_deterministic(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", "--people", "6", stdout=StringIO())
    generated = Nominal.objects.exclude(
        surname__in=[e[1] for e in (*RETENTION_EXAMPLES, SUPPLY_EXAMPLE, *WESTMOOR_PEOPLE)])
    first = list(generated.order_by("pnc_id").values_list("pnc_id", "surname",
                                                          "date_of_birth"))
    assert len(first) == 6
    from iom.people.demo import DEMO_AS_OF
    from iom.synthetic import generate

    tables = generate(people=6, seed=20151, as_of=DEMO_AS_OF)
    expected = sorted(tables.people.select("pnc_id", "surname", "date_of_birth").rows())
    assert first == expected


def test_generate_synthetic_writes_the_four_tables(tmp_path):
    call_command("generate_synthetic", "--people", "50", "--out", str(tmp_path),
                 stdout=StringIO())
    people = pl.read_parquet(tmp_path / "people.parquet")
    assert people.height == 50
    for name in ("events", "custody", "intelligence"):
        assert (tmp_path / f"{name}.parquet").exists()
