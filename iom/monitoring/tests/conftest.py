"""Fixtures of the monitoring tests (the data comes from ``factories.py``)."""

from __future__ import annotations

import pytest

from iom.accounts.models import District


@pytest.fixture(autouse=True)
def _fix_store(tmp_path, settings):
    settings.IOM_FIX_STORE_DIR = tmp_path / "fixes"


@pytest.fixture
def county(world) -> District:
    return District.objects.create(partnership=world.north, name="Northshire County")
