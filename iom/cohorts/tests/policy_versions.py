"""A second version of a policy, installed beside the first for one test.

Version 2 of derbyshire-2021 changes the lifecycle figures and drops the youth
strand, so a test can tell which version's terms a rule used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iom.cohorts.policy import schemes
from iom.cohorts.policy.schemes import POLICY_DIR, SchemePolicy, read_policy

NAME = "derbyshire-2021"
VERSION_2_CHANGES = [
    ("version = 1", "version = 2"),
    ("notice_months = 3", "notice_months = 4"),
    ("exit_after_months = 6", "exit_after_months = 12"),
    ("custody_removal_months = 12", "custody_removal_months = 24"),
    ("tasking_quorum = 3", "tasking_quorum = 4"),
    ("review_every_months = 1", "review_every_months = 2"),
    ("[youth]\nenabled = true", "[youth]\nenabled = false"),
]


def install_version_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SchemePolicy:
    """Install derbyshire-2021 version 2 (with the changes above) until the test ends."""
    text = (POLICY_DIR / f"{NAME}.toml").read_text(encoding="utf-8")
    for old, new in VERSION_2_CHANGES:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"{NAME}.v2.toml"
    path.write_text(text, encoding="utf-8")
    second = read_policy(path)
    installed = {**schemes.installed_policies(), (NAME, 2): second}
    monkeypatch.setattr(schemes, "installed_policies", lambda: installed)
    return second
