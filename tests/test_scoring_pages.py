"""Scores in the product: the person's scores page, the calculator, the nightly run."""

from datetime import date, timedelta
from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command
from django.utils import timezone

from iom.audit.models import AccessLogEntry
from iom.people import services
from iom.scoring.models import EmergingThreat, StoredScore

pytestmark = pytest.mark.django_db


def _history(world, recent_arrests=0):
    police = world.users["police"]
    person = world.person
    for year in (2015, 2018, 2021):
        services.add_record(nominal=person, kind="event", acting_user=police, through="test",
                            fields={"kind": "conviction", "event_date": date(year, 5, 1),
                                    "offence_date": date(year, 3, 1), "ho_code": "46",
                                    "disposal": "fine"})
    today = timezone.localdate()
    for i in range(recent_arrests):
        services.add_record(nominal=person, kind="event", acting_user=police, through="test",
                            fields={"kind": "arrest", "event_date": today - timedelta(days=i + 1),
                                    "offence_date": today - timedelta(days=i + 1),
                                    "ho_code": "28A"})


def test_scores_page_shows_values_working_and_logs(client, world):
    _history(world)
    client.force_login(world.users["police"])
    page = client.get(f"/scores/people/{world.person.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for title in ("OGRS 3", "Crime Severity Score", "IOM Matrix", "Risk of reoffending",
                  "Emerging threat"):
        assert title in text
    assert "2-year probability" in text and "Working" in text
    assert AccessLogEntry.objects.filter(nominal_id=world.person.pk,
                                         through__contains="scoring:person").exists()


def test_recompute_as_at_uses_only_what_was_known(client, world):
    _history(world)
    client.force_login(world.users["police"])
    early = client.get(f"/scores/people/{world.person.pk}/", {"as_at": "2016-01-01"})
    assert "Scores as at 1 January 2016" in early.content.decode()
    bad = client.get(f"/scores/people/{world.person.pk}/", {"as_at": "2999-01-01"})
    assert "cannot be worked out for a future date" in bad.content.decode()
    nonsense = client.get(f"/scores/people/{world.person.pk}/", {"as_at": "31/02/2020"})
    assert nonsense.status_code == 200
    assert "The as-at date must be a real date" in nonsense.content.decode()


def test_storing_scores_builds_the_history(client, world):
    _history(world)
    client.force_login(world.users["police"])
    for as_at in ("2019-01-01", "2022-01-01"):
        client.post(f"/scores/people/{world.person.pk}/?as_at={as_at}")
    assert StoredScore.objects.filter(nominal=world.person).count() == 10
    page = client.get(f"/scores/people/{world.person.pk}/").content.decode()
    assert "<svg" in page and "Stored scores, newest first" in page


def test_ogrs3_calculator(client, world):
    client.force_login(world.users["probation"])
    page = client.post("/scores/ogrs3/", {
        "gender": "M", "date_of_birth": "1990-06-15", "date_of_current_conviction": "2025-01-10",
        "date_at_start_of_followup": "2025-02-01", "total_number_of_sanctions": "6",
        "age_at_first_sanction": "15", "offence_category": "burglary_domestic"})
    text = page.content.decode()
    assert "over 2 years" in text
    bad = client.post("/scores/ogrs3/", {
        "gender": "M", "date_of_birth": "1990-06-15", "date_of_current_conviction": "2025-01-10",
        "date_at_start_of_followup": "2025-02-01", "total_number_of_sanctions": "0",
        "age_at_first_sanction": "40", "offence_category": "burglary_domestic"})
    assert "There is a problem" in bad.content.decode()
    assert "over 2 years" not in bad.content.decode()


def test_nightly_run_stores_scores_and_raises_emerging_threats(world):
    _history(world, recent_arrests=8)
    out = StringIO()
    call_command("nightly_scores", stdout=out)
    assert StoredScore.objects.filter(nominal=world.person, name="risk_of_reoffending").exists()
    threat = EmergingThreat.objects.get(nominal=world.person)
    assert threat.score_now > threat.score_before
    assert threat.causes
    call_command("nightly_scores", stdout=StringIO())
    assert EmergingThreat.objects.filter(nominal=world.person).count() == 1


def test_score_people_exports_and_logs(world, tmp_path):
    _history(world)
    out = tmp_path / "scores.parquet"
    call_command("score_people", "--out", str(out), stdout=StringIO())
    frame = pl.read_parquet(out)
    assert world.person.pk in frame["person_id"].to_list()
    assert AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="export").exists()


def test_api_calculator_and_person_scores(client, world, token_for):
    auth = token_for("probation")
    good = client.post("/api/scores/ogrs3", {
        "gender": "F", "date_of_birth": "1985-02-28", "date_of_current_conviction": "2024-05-01",
        "date_at_start_of_followup": "2024-06-01", "total_number_of_sanctions": 3,
        "age_at_first_sanction": 20, "offence_code": "46"}, content_type="application/json",
        HTTP_AUTHORIZATION=auth)
    assert good.status_code == 200, good.json()
    assert 0 < good.json()["ogrs3_2y"] < 1
    bad = client.post("/api/scores/ogrs3", {
        "gender": "F", "date_of_birth": "1985-02-28", "date_of_current_conviction": "2024-05-01",
        "date_at_start_of_followup": "2024-06-01", "total_number_of_sanctions": 0,
        "age_at_first_sanction": 20, "offence_category": "no_such_category"},
        content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert bad.status_code == 422
    fields = {f["field"] for f in bad.json()["error"]["fields"]}
    assert "total_number_of_sanctions" in fields and "offence_category" in fields
    _history(world)
    scores = client.get(f"/api/scores/people/{world.person.pk}", {"as_at": "2022-01-01"},
                        HTTP_AUTHORIZATION=auth,
                        HTTP_X_ACCESS_REASON="Preparing the Tuesday panel")
    assert scores.status_code == 200
    assert next(s["name"] for s in scores.json()["scores"]) == "ogrs3"
