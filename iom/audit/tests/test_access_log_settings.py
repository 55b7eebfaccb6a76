"""The access log's key: required in production, read from a file, never short."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from iom.core.testing import settings_with

PRODUCTION = {"IOM_ENV": "production", "DJANGO_SECRET_KEY": "s" * 50}


@pytest.fixture(autouse=True)
def _no_key_from_the_developer(monkeypatch):
    for name in ("IOM_ACCESS_LOG_KEY", "IOM_ACCESS_LOG_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_to_start_without_the_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"IOM_ACCESS_LOG_KEY .* must be set"):
        settings_with(monkeypatch, **PRODUCTION)


def test_a_short_key_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        settings_with(monkeypatch, **PRODUCTION, IOM_ACCESS_LOG_KEY="too short")


def test_the_key_is_read_from_a_file(monkeypatch, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 40 + "\n")
    module = settings_with(monkeypatch, **PRODUCTION, IOM_ACCESS_LOG_KEY_FILE=str(key_file))
    assert module.IOM_ACCESS_LOG_KEY == "k" * 40


def test_tests_and_development_get_a_fixed_key(monkeypatch):
    module = settings_with(monkeypatch, IOM_ENV="development")
    assert module.IOM_ACCESS_LOG_KEY.startswith("development-and-test-only")
