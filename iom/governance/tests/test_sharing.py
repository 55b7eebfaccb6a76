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
