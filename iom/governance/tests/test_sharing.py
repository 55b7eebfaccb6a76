import pytest

from iom.governance.models import Consent

pytestmark = pytest.mark.django_db


def test_recording_consent_lets_the_mentor_see_the_person(client, world):
    mentor = world.users["mentor"]
    client.force_login(mentor)
    assert client.get(f"/people/{world.unconsented.pk}/").status_code == 404

    client.force_login(world.users["police"])
    url = f"/governance/people/{world.unconsented.pk}/sharing/"
    client.post(f"/people/{world.unconsented.pk}/reason/",
                {"purpose": "other", "detail": "Recording the signed consent form"})
    response = client.post(url, {
        "form": "consent", "consent-organisation": world.orgs["voluntary"].pk,
        "consent-basis": "consent", "consent-status": "given",
        "consent-decided_on": "2025-06-01", "consent-given_by": "person"})
    assert response.status_code == 302, response.content.decode()[:2000]

    client.force_login(mentor)
    assert client.get(f"/people/{world.unconsented.pk}/").status_code in (200, 302)


def test_youth_consent_needs_the_guardian_named(client, world):
    client.force_login(world.users["police"])
    client.post(f"/people/{world.unconsented.pk}/reason/",
                {"purpose": "other", "detail": "Recording the signed consent form"})
    response = client.post(f"/governance/people/{world.unconsented.pk}/sharing/", {
        "form": "consent", "consent-organisation": world.orgs["voluntary"].pk,
        "consent-basis": "consent", "consent-status": "given",
        "consent-decided_on": "2025-06-01", "consent-given_by": "parent_or_guardian"})
    assert response.status_code == 200
    assert "Enter the parent or guardian" in response.content.decode()
    assert not Consent.objects.filter(nominal=world.unconsented, status="given").exists()


def test_withdrawn_consent_hides_the_person_again(client, world):
    from datetime import date

    from iom.governance.services import record_consent

    client.force_login(world.users["mentor"])
    assert client.get(f"/people/{world.consented.pk}/").status_code in (200, 302)
    record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                   status="withdrawn", decided_on=date(2025, 7, 1), acting_user=None,
                   through="test")
    assert client.get(f"/people/{world.consented.pk}/").status_code == 404


def test_the_demo_records_every_organisations_legal_basis(settings, tmp_path, client):
    """ISA s4: each demo organisation has its basis, recorded through the service."""
    from io import StringIO

    from django.core.management import call_command

    from iom.accounts.models import Organisation, Role, User
    from iom.audit.models import AccessLogEntry
    from iom.governance.models import LegalBasis, SharingBasis

    settings.BASE_DIR = tmp_path
    settings.IOM_REQUIRE_2FA = False
    call_command("seed_demo", "--people", "6", stdout=StringIO())
    assert not Organisation.objects.filter(sharing_basis__isnull=True).exists()
    bases = {b.organisation.name: b for b in SharingBasis.objects.select_related("organisation")}
    assert bases["Northshire Probation Service"].basis == LegalBasis.STATUTORY
    assert "Offender Management Act 2007, s14" in bases["Northshire Probation Service"].legislation
    assert bases["Second Chance Mentoring"].basis == LegalBasis.CONSENT
    assert AccessLogEntry.objects.filter(through="command seed_demo",
                                         records__0__kind="sharing_basis").count() == len(bases)
    dpo = User.objects.filter(role=Role.DATA_PROTECTION_OFFICER).first()
    assert dpo is not None
    client.force_login(dpo)
    answer = client.get("/governance/")
    assert answer.status_code == 200, answer
    page = answer.content.decode()
    assert "without one" not in page and "Recorded for every organisation." in page
