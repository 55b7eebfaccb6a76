"""Retention and disposal: groups, review dates, the twin, the command, the erasure."""

from __future__ import annotations

from datetime import UTC, date

import polars as pl
import pytest
import time_machine
from django.core.management import call_command

from iom.accounts.models import Role, User
from iom.audit.models import AccessLogEntry
from iom.audit.verify import verify_access_log
from iom.governance import retention
from iom.governance.models import Consent, Involvement, Tombstone
from iom.governance.retention import Facts, add_years, assess, assess_frame
from iom.governance.services import attach_paperwork
from iom.people import services as people
from iom.people.models import Nominal, PublicProtection

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def test_add_years_keeps_29_february_sensible():
    assert add_years(date(2024, 2, 29), 6) == date(2030, 2, 28)
    assert add_years(date(2020, 3, 1), 6) == date(2026, 3, 1)


@pytest.mark.parametrize(("facts", "group", "verdict"), [
    # Group 3: disposed of 6 years after last coming to notice, without review.
    (Facts(date(1980, 1, 1), False, False, date(2020, 6, 2)), 3, "keep"),
    (Facts(date(1980, 1, 1), False, False, date(2020, 6, 1)), 3, "dispose"),
    # ... unless retained, to the date the decision set.
    (Facts(date(1980, 1, 1), False, False, date(2019, 1, 1), "retain", date(2026, 1, 1),
           date(2027, 1, 1)), 3, "keep"),
    (Facts(date(1980, 1, 1), False, False, date(2019, 1, 1), "legal_hold", date(2026, 1, 1)),
     3, "held"),
    # Group 2: reviewed after 10 years, never disposed of without a decision.
    (Facts(date(1980, 1, 1), False, True, date(2016, 6, 1)), 2, "review"),
    (Facts(date(1980, 1, 1), False, True, date(2016, 6, 2)), 2, "keep"),
    (Facts(date(1980, 1, 1), False, True, date(2010, 1, 1), "dispose", date(2026, 5, 1)),
     2, "dispose"),
    # Group 1: kept until the person is 100, whatever the decision.
    (Facts(date(1950, 1, 1), True, False, date(2000, 1, 1)), 1, "review"),
    (Facts(date(1950, 1, 1), True, False, date(2000, 1, 1), "dispose", date(2026, 5, 1)),
     1, "review"),
    (Facts(date(1920, 1, 1), True, False, date(2000, 1, 1), "dispose", date(2026, 5, 1)),
     1, "dispose"),
])
def test_the_rule(facts, group, verdict):
    found = assess(facts, TODAY)
    assert (found.group, found.verdict) == (group, verdict)


def test_the_polars_twin_agrees_with_the_rule():
    cases = [Facts(date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 7 == 0, i % 3 == 0,
                   date(2008 + i % 18, 1 + i % 12, 1 + i % 28),
                   [None, "retain", "dispose", "legal_hold"][i % 4],
                   date(2025, 1 + i % 12, 1) if i % 4 else None,
                   date(2026, 1 + i % 12, 1) if i % 8 == 1 else None) for i in range(400)]
    frame = pl.DataFrame([{"nominal_id": i, "date_of_birth": c.date_of_birth,
                           "has_protection": c.has_protection, "serious": c.serious,
                           "last_came_to_notice": c.last_came_to_notice, "decision": c.decision,
                           "decided_on": c.decided_on, "review_again_on": c.review_again_on}
                          for i, c in enumerate(cases)],
                         schema_overrides={"decision": pl.Utf8, "decided_on": pl.Date,
                                           "review_again_on": pl.Date})
    twin = assess_frame(frame, TODAY)
    for case, row in zip(cases, twin.iter_rows(named=True), strict=True):
        one = assess(case, TODAY)
        assert (row["group"], row["next_review"], row["verdict"]) == (
            one.group, one.next_review, one.verdict), case


def _old_person(world, surname: str, when: date, code: str = "45"):
    nominal = people.create_nominal(acting_user=world.users["police"], through="test",
                                    fields={"partnership": world.north, "forename": "Old",
                                            "surname": surname,
                                            "date_of_birth": date(1970, 1, 1), "gender": "M"},
                                    allocate_to=None, can_see=lambda n: True)
    Nominal.objects.filter(pk=nominal.pk).update(recorded_at=f"{when.isoformat()}T12:00:00Z")
    people.add_record(nominal=nominal, kind="event", acting_user=world.users["police"],
                      through="test", fields={"kind": "conviction", "event_date": when,
                                              "ho_code": code, "disposal": "fine"})
    return nominal


@time_machine.travel(TODAY, tick=False)
def test_dry_run_changes_nothing_and_the_real_run_erases_leaving_a_tombstone(world, capsys):
    old = _old_person(world, "Shoplifter", date(2019, 1, 10))  # theft: group 3, 6 years
    violent = _old_person(world, "Violent", date(2015, 1, 10), code="8N")  # group 2
    consent = Consent.objects.create(nominal=old, organisation=world.orgs["voluntary"],
                                     status="given", decided_on=date(2019, 2, 1))
    attach_paperwork(consent=consent, file_name="form.pdf", content=b"%PDF-1.4 signed",
                     acting_user=None, through="test")
    from iom.casework.models import Contact

    Contact.objects.create(nominal=old, kind="home_visit", happened_on=date(2019, 2, 1),
                           outcome="kept", organisation=world.orgs["probation"],
                           recorded_by=world.users["probation"])
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would dispose of person {old.pk} (Group 3" in out
    assert f"person {violent.pk}" not in out
    assert Nominal.objects.filter(pk=old.pk).exists()

    call_command("apply_retention")
    out = capsys.readouterr().out
    assert f"Disposed of person {old.pk}" in out
    assert not Nominal.objects.filter(pk=old.pk).exists()
    assert not Contact.objects.filter(nominal_id=old.pk).exists()
    assert Nominal.objects.filter(pk=violent.pk).exists()  # group 2 waits for its review
    tombstone = Tombstone.objects.get(nominal_id=old.pk)
    assert tombstone.erased["event"] == 1 and tombstone.erased["consent"] == 1
    assert tombstone.erased["contact"] == 1
    erasure = AccessLogEntry.objects.get(nominal_id=old.pk, action="delete",
                                         detail__erasure=True)
    assert "Shoplifter" not in str(erasure.detail) and "Shoplifter" not in erasure.reason
    assert verify_access_log().ok


@time_machine.travel(TODAY, tick=False)
def test_a_legal_hold_keeps_a_person_due_for_disposal(world, capsys):
    old = _old_person(world, "Held", date(2018, 1, 10))
    retention.decide(nominal=old, outcome="legal_hold", reason="Civil claim pending in court",
                     acting_user=world.users["dpo"], through="test")
    call_command("apply_retention")
    assert Nominal.objects.filter(pk=old.pk).exists()
    assert "0 dispose, 1 held" in capsys.readouterr().out


@time_machine.travel(TODAY, tick=False)
def test_review_queue_for_the_dpo_and_the_police_lead(client, world):
    violent = _old_person(world, "Violent", date(2015, 1, 10), code="8N")
    lead = User.objects.create_user(username="police_lead", password="x",
                                    organisation=world.orgs["police"], role=Role.COORDINATOR)
    for user in (world.users["dpo"], lead):
        client.force_login(user)
        page = client.get("/governance/retention/").content.decode()
        assert "Violent" in page and "Group 2" in page
    sent = client.post(f"/governance/retention/{violent.pk}/", {
        "outcome": "dispose", "reason": "Reviewed: no longer needed for a policing purpose"})
    assert sent.status_code == 302
    assert "Violent" in client.get("/governance/retention/?show=dispose").content.decode()
    client.force_login(world.users["police"])  # an offender manager does not review
    assert client.get("/governance/retention/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_partners_own_records_go_after_its_involvement_ends(world, capsys):
    from iom.casework.models import Contact

    Involvement.objects.filter(nominal=world.consented).update(end_date=date(2026, 1, 1))
    mentor = world.users["mentor"]
    mine = Contact.objects.create(nominal=world.consented, kind="home_visit",
                                  happened_on=date(2025, 6, 1), outcome="kept",
                                  organisation=world.orgs["voluntary"], recorded_by=mentor)
    call_command("apply_retention", "--dry-run")
    assert "Would destroy 1 record(s) of Northshire Mentors" in capsys.readouterr().out
    assert Contact.objects.filter(pk=mine.pk).exists()
    call_command("apply_retention")
    assert not Contact.objects.filter(pk=mine.pk).exists()
    assert Nominal.objects.filter(pk=world.consented.pk).exists()


def test_an_open_case_keeps_a_person_whatever_the_dates():
    facts = Facts(date(1980, 1, 1), False, False, date(2010, 1, 1), in_use=True)
    assert assess(facts, TODAY).verdict == "keep"
    frame = pl.DataFrame([{"nominal_id": 1, "date_of_birth": facts.date_of_birth,
                           "has_protection": False, "serious": False,
                           "last_came_to_notice": facts.last_came_to_notice, "decision": None,
                           "decided_on": None, "review_again_on": None, "in_use": True}],
                         schema_overrides={"decision": pl.Utf8, "decided_on": pl.Date,
                                           "review_again_on": pl.Date})
    assert assess_frame(frame, TODAY)["verdict"].to_list() == ["keep"]


def _facts_one_by_one(nominal) -> Facts:
    """The facts of one person read record by record through the ORM, as the rule says
    (the plain reading the bulk read of ``facts_frame`` must equal)."""
    from django.utils import timezone

    from iom.governance.models import RetentionDecision

    dates = [getattr(r, f) for model, f in retention.NOTICE_DATES
             for r in model._default_manager.filter(nominal=nominal) if getattr(r, f)]
    decision = RetentionDecision.objects.filter(nominal=nominal).order_by(
        "decided_at", "id").last()
    return Facts(
        nominal.date_of_birth,
        PublicProtection.objects.filter(nominal=nominal).exists(),
        nominal.events.filter(ho_code__in=retention.serious_codes()).exists(),
        max(dates) if dates else nominal.recorded_at.astimezone(UTC).date(),
        decision.outcome if decision else None,
        timezone.localdate(decision.decided_at) if decision else None,
        decision.review_again_on if decision else None)


@time_machine.travel(TODAY, tick=False)
def test_the_bulk_read_of_the_facts_equals_reading_each_person(world):
    """The dry run's fast read (one query per table, the rows fetched with the
    database's cursor or COPY) gives each person the facts and the verdict of the
    one-person rule."""
    _old_person(world, "Longago", date(2012, 3, 4))
    _old_person(world, "Serious", date(2014, 5, 6), code="104")
    _old_person(world, "Recent", date(2025, 1, 2))
    frame = retention.facts_frame(Nominal.objects.all()).sort("nominal_id")
    assessed = assess_frame(frame, TODAY)
    assert frame.height == Nominal.objects.count() >= 7
    for row, verdict in zip(frame.iter_rows(named=True), assessed["verdict"], strict=True):
        nominal = Nominal.objects.get(pk=row["nominal_id"])
        one = _facts_one_by_one(nominal)
        assert (row["date_of_birth"], row["has_protection"], row["serious"],
                row["last_came_to_notice"], row["decision"]) == (
            one.date_of_birth, one.has_protection, one.serious, one.last_came_to_notice,
            one.decision), nominal
        assert assess(Facts(**{**one.__dict__, "in_use": row["in_use"]}), TODAY).verdict \
            == verdict
