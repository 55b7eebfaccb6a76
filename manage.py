#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# What to do when the secret key is missing: the usual cause is a command run on a
# development machine without IOM_ENV, which then defaults to production.
WHAT_TO_SET = ("Set IOM_ENV=development to run the demo, or set DJANGO_SECRET_KEY "
                 "for production")


def _settings_problem() -> str:
    """Why the settings cannot be read, in one line; "" when they can."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting reads them all
    except ImproperlyConfigured as exc:
        return WHAT_TO_SET if "DJANGO_SECRET_KEY" in str(exc) else str(exc)
    return ""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    problem = _settings_problem()
    if problem:
        # One line saying what to set, not a traceback from inside the settings module.
        sys.stderr.write(f"{problem}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
