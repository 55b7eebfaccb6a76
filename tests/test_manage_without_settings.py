"""manage.py run without IOM_ENV says what to set, in one line, instead of a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("IOM_", "DJANGO_"))} | env
    return subprocess.run([sys.executable, str(MANAGE), *args],  # noqa: S603 - our own script
                          capture_output=True, text=True, env=clean, check=False, timeout=120)


@pytest.mark.parametrize("args", [("generate_feed", "--help"), ("check",)])
def test_without_iom_env_a_command_says_what_to_set(args):
    done = _manage(*args)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == ("Set IOM_ENV=development to run the demo, or set "
                                   "DJANGO_SECRET_KEY for production")


def test_a_bad_setting_is_one_line_naming_it():
    done = _manage("check", IOM_ENV="prod")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "IOM_ENV must be production, development or test, not 'prod'"]


def test_with_iom_env_the_command_runs():
    done = _manage("generate_feed", "--help", IOM_ENV="development")
    assert done.returncode == 0, done.stderr
    assert "--rows" in done.stdout
