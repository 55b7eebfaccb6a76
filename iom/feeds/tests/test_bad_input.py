"""Feed files a fuzzer or a careless sender makes: each refused, naming what is wrong,
and no uploaded file left on disk without the run that retention deletes it by."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from iom.accounts.models import ApiToken
from iom.feeds.models import ImportRun

from .conftest import row

pytestmark = pytest.mark.django_db


def _token(user) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, issued_by=user, name="test",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return f"Bearer {key}"


def _upload(client, user, path: Path, name: str | None = None):
    return client.post("/api/feeds/uploads", {"file": SimpleUploadedFile(
        name or path.name, path.read_bytes(), "text/csv")}, HTTP_AUTHORIZATION=_token(user))


def _kept(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.exists() else []


def test_a_file_named_for_no_real_day_is_refused_and_not_kept(
        client, world, coordinator, feed_file, upload_dir):
    path = feed_file([row("arrest", "A1", "2025-06-01")], name="pnc-2026-13-45.csv")
    response = _upload(client, coordinator, path)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "file"
    assert "2026-13-45" in error["fields"][0]["message"]
    assert _kept(upload_dir) == [] and not ImportRun.objects.exists()


def test_the_web_upload_names_the_bad_day_too(client, world, coordinator, feed_file, upload_dir):
    path = feed_file([row("arrest", "A1", "2025-06-01")], name="pnc-2026-13-45.csv")
    client.force_login(coordinator)
    page = client.post(reverse("feeds:upload"), {"file": SimpleUploadedFile(
        path.name, path.read_bytes(), "text/csv")})
    assert page.status_code == 200
    assert "2026-13-45 as its day, which is not a real date" in page.content.decode()
    assert _kept(upload_dir) == [] and not ImportRun.objects.exists()


def test_a_file_over_the_upload_cap_is_refused_and_not_kept(
        client, world, coordinator, feed_file, upload_dir, settings):
    settings.IOM_UPLOAD_MAX_BYTES = 1_000
    path = feed_file([row("arrest", f"A{n}", "2025-06-01") for n in range(40)])
    response = _upload(client, coordinator, path)
    assert response.status_code == 422
    field = response.json()["error"]["fields"][0]
    assert field["field"] == "file" and "1,000 bytes or smaller" in field["message"]
    assert _kept(upload_dir) == []


def test_a_nul_in_a_description_is_a_row_problem(client, world, coordinator, feed_file):
    path = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28", description="Bur\x00gle")])
    body = _upload(client, coordinator, path).json()
    assert body["status"] == "rejected"
    assert {"row": 1, "column": "description",
            "reason": "contains a null character (NUL)"} in body["problems"]


def test_dates_out_of_bounds_are_row_problems(client, world, coordinator, feed_file):
    path = feed_file([
        row("arrest", "A1", "0001-01-01"),
        row("arrest", "A2", "2025-06-03"),
        row("court_date", "C1", "2025-07-01"),
        row("custody", "K1", "2025-05-01", custody_type="remand",
            expected_release_date="2999-01-01"),
        row("arrest", "A3", "2025-06-01", pnc_id="2013/0000002C", forename="Ann",
            surname="Other", gender="F", date_of_birth="2025-06-09"),
    ])
    body = _upload(client, coordinator, path).json()
    assert body["status"] == "rejected"
    found = {(p["row"], p["column"]): p["reason"] for p in body["problems"]}
    assert found[(1, "record_date")] == "is before 1 January 1900"
    assert found[(2, "record_date")] == "is after the file's day (2 June 2025)"
    assert (3, "record_date") not in found  # a hearing may lie ahead
    assert found[(4, "expected_release_date")] == "is after 2 June 2075"
    assert found[(5, "date_of_birth")] == "is after the file's day (2 June 2025)"


def test_a_file_without_a_day_in_its_name_is_held_to_today(
        client, world, coordinator, feed_file):
    tomorrow = timezone.localdate() + timedelta(days=1)
    path = feed_file([row("arrest", "A1", tomorrow.isoformat())], name="arrests.csv")
    body = _upload(client, coordinator, path).json()
    assert body["problems"][0]["column"] == "record_date"
    assert body["problems"][0]["reason"].startswith("is after the file's day")
