"""A fresh copy of ``config/settings.py`` read under a chosen environment.

The copy is loaded under its own module name, so the settings the running tests
use are left as they were.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings

# Every variable the meetings and case work read; cleared first, so a developer's
# own environment cannot change what a test sees.
OURS = ("IOM_MEETING_", "IOM_COMPLIANCE_", "IOM_CONFIDENTIALITY_STATEMENT", "IOM_PATHWAY_SET")


def settings_with(monkeypatch: pytest.MonkeyPatch, **variables: str) -> ModuleType:
    for name in [n for n in os.environ if n.startswith(OURS)]:
        monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "settings_under_test", Path(settings.BASE_DIR) / "config" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
