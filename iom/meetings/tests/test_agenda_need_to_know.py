"""A generated agenda names a public protection exclusion only to readers who may see
public protection detail, whoever generated it: on the meeting page, the item page,
the print view, the PDF and the API (docs/adr/0007)."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from conftest import World
from iom.core.testing import pdf_words
from iom.meetings import services
from iom.meetings.grounds import notes_for
from iom.meetings.models import AgendaItem, ItemSource
from iom.meetings.tests.factories import THROUGH

from .test_agenda_candidates import _meeting, listed  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
MAPPA = "MAPPA level 2 or 3"


_pdf_text = pdf_words


def _excluded_item(world: World) -> AgendaItem:
    meeting = _meeting(world)
    services.generate_agenda(meeting=meeting, acting_user=world.users["police"],
                             through=THROUGH)
    return next(i for i in meeting.items.all()
                if ItemSource.CANDIDATE in i.reasons and MAPPA in notes_for(
                    i, world.users["police"]))


@override_settings(IOM_MEETING_POLICIES={})
def test_the_exclusion_is_stored_as_a_code_and_worded_per_reader(listed: World) -> None:  # noqa: F811
    item = _excluded_item(listed)
    assert MAPPA not in item.notes
    assert [e["restricted"] for g in item.grounds for e in g.get("exclusions", [])] == [
        "protection"]
    assert MAPPA in notes_for(item, listed.users["probation"])
    housing = notes_for(item, listed.users["housing"])
    assert "Candidate under" in housing and "exclusion" not in housing


@override_settings(IOM_MEETING_POLICIES={})
def test_no_page_document_or_api_tells_the_council_of_it(listed: World, client,  # noqa: F811
                                                         token_for) -> None:
    item = _excluded_item(listed)
    meeting = item.meeting
    client.force_login(listed.users["housing"])
    for url in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/items/{item.pk}/",
                f"/meetings/{meeting.pk}/export/"):
        page = client.get(url)
        assert page.status_code == 200 and item.title in page.content.decode()
        assert "MAPPA" not in page.content.decode() and "exclusion for" not in (
            page.content.decode())
    pdf = _pdf_text(client.get(f"/meetings/{meeting.pk}/export.pdf").content)
    assert item.title in pdf and "MAPPA" not in pdf
    api = client.get(f"/api/meetings/{meeting.pk}", HTTP_AUTHORIZATION=token_for("housing"))
    assert api.status_code == 200 and "MAPPA" not in json.dumps(api.json())
    client.force_login(listed.users["police"])
    assert MAPPA in client.get(f"/meetings/{meeting.pk}/items/{item.pk}/").content.decode()
