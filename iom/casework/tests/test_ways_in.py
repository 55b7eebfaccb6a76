"""How people reach case work: the header links and the profile's case-work section."""

from __future__ import annotations


def test_the_header_links_to_actions_and_compliance_for_case_workers(client, world):
    client.force_login(world.users["mentor"])
    page = client.get("/").content.decode()
    assert 'href="/casework/actions/mine/"' in page and 'href="/casework/compliance/"' in page
    client.force_login(world.users["dpo"])
    page = client.get("/").content.decode()
    assert "/casework/actions/mine/" not in page and "/casework/compliance/" not in page


def test_the_profile_links_to_the_case_work(client, world):
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/").content.decode()
    base = f"/people/{world.person.pk}/casework/"
    for anchor in ("#plan", "#actions", "#contacts", "#documents"):
        assert f'href="{base}{anchor}"' in page


def test_a_partner_sees_the_links_but_not_documents(client, world):
    client.force_login(world.users["mentor"])
    client.post(f"/people/{world.consented.pk}/reason/", {"purpose": "Covering for a colleague"})
    page = client.get(f"/people/{world.consented.pk}/").content.decode()
    base = f"/people/{world.consented.pk}/casework/"
    assert f'href="{base}#actions"' in page
    assert f'href="{base}#documents"' not in page
