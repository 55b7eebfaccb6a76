"""The alerts inbox: a page of people at a time, each person's alerts together, and
totals over every page that agree with the header's unread badge."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iom.feeds.models import Alert, AlertKind, ImportRun
from iom.people import services as people_services

pytestmark = pytest.mark.django_db


def _people(world, count):
    return [people_services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": f"Person{n:02d}", "surname": "Alerted",
                "date_of_birth": date(1990, 1, 1), "gender": "M", "partnership": world.north})
        for n in range(count)]


def _alerts(world, people, each, *, read=0):
    run = ImportRun.objects.create(file_name="pnc-2025-06-02.csv", feed_date=date(2025, 6, 2),
                                   partnership=world.north, organisation=world.orgs["police"])
    start = timezone.now() - timedelta(days=1)
    for n, nominal in enumerate(people):
        for k in range(each):
            Alert.objects.create(
                recipient=world.users["police"], nominal=nominal, kind=AlertKind.BREACH,
                key=f"breach:{nominal.pk}:{k}", summary=f"Breach {k} on 1 June 2025.", run=run,
                created_at=start + timedelta(minutes=n), read_at=timezone.now() if k < read
                else None)


def _badge(page):
    found = re.search(r'moj-notification-badge">(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_the_inbox_pages_people_and_counts_every_alert(client, world):
    people = _people(world, 30)
    _alerts(world, people, 3, read=1)
    client.force_login(world.users["police"])
    first = client.get(reverse("feeds:inbox")).content.decode()
    assert "90 alerts</strong> not yet acknowledged, about 30 people; 60 unread." in first
    assert _badge(first) == 60
    assert first.count('<th scope="row"') == 25
    assert "Person29 Alerted" in first  # the latest alert first
    assert first.count("Person29 Alerted") == 1  # one row for the person, all alerts in it
    assert "3 alerts, 2 unread" in first
    assert 'href="?show=open&amp;page=2" rel="next"' in first
    second = client.get(reverse("feeds:inbox"), {"page": 2}).content.decode()
    assert second.count('<th scope="row"') == 5
    assert "Person00 Alerted" in second


def test_reading_an_alert_moves_the_badge_and_the_count_together(client, world):
    people = _people(world, 2)
    _alerts(world, people, 2)
    client.force_login(world.users["police"])
    alert = Alert.objects.filter(nominal=people[0]).first()
    assert alert is not None
    client.get(reverse("feeds:alert", args=[alert.pk]))
    page = client.get(reverse("feeds:inbox")).content.decode()
    assert "3 unread." in page and _badge(page) == 3
