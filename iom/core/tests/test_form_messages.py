"""Every web form of the project, sent empty, says what is wrong with each field in that
form: never one of Django's (or the form package's) generic messages."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django import forms
from django.forms import fields as django_fields
from django.http import QueryDict
from django.template import Context, Template

import iom
from iom.accounts.models import District, Organisation, User
from iom.cohorts.policy.schemes import scheme_terms
from iom.monitoring.models import Device
from iom.people.forms import RECORD_FIELDS, record_form_class
from iom.people.models import Nominal


def _generic_messages() -> tuple[set[str], set[str]]:
    """Messages said the same in any form: Django's defaults for every field class (whole,
    or up to their first placeholder) and the form package's date messages."""
    whole = {"Enter the day, month and year", "Enter the day of the month", "Enter the month",
             "Enter the year", "Enter a valid date", "Enter a valid month", "Enter a valid year"}
    starts: set[str] = set()
    for _, cls in inspect.getmembers(django_fields, inspect.isclass):
        for klass in cls.__mro__:
            for message in getattr(klass, "default_error_messages", {}).values():
                text = str(message)
                head = re.split(r"%\(|\{", text)[0].strip()
                (starts if head != text else whole).add(head)
    return whole, starts


WHOLE, STARTS = _generic_messages()


def _generic(message: str) -> bool:
    return message in WHOLE or any(message.startswith(head) for head in STARTS)


def _forms_of_the_project() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for module in pkgutil.walk_packages(iom.__path__, "iom."):
        if ".tests" in module.name or ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (inspect.isclass(value) and issubclass(value, forms.BaseForm)
                    and value.__module__ == loaded.__name__):
                found.append(value)
    return found


NONE_ORGS: Callable[[], Any] = Organisation.objects.none
NONE_USERS: Callable[[], Any] = User.objects.none

# What each form needs besides its data; a new form must say it here.
NEEDS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "UserCreateForm": lambda world: {"admin": world.users["admin"]},
    "ImpactFilterForm": lambda world: {"partnership": world.north, "today": date(2026, 12, 3)},
    "UserEditForm": lambda world: {"admin": world.users["admin"]},
    "UserFilterForm": lambda world: {"admin": world.users["admin"]},
    "NeedForm": lambda _: {"pathway_set": "reducing_reoffending"},
    "ServiceReferralForm": lambda _: {"partnership_id": 0},
    "TagAuditForm": lambda _: {"partnership_id": 0},
    "iom.casework.forms.ActionForm": lambda _: {"users": NONE_USERS(), "orgs": NONE_ORGS()},
    "ReferralForm": lambda _: {"organisations": NONE_ORGS()},
    "iom.cohorts.lifecycle.forms.DecisionForm": lambda _: {
        "organisations": NONE_ORGS(), "terms": scheme_terms("derbyshire-2021")},
    "Ogrs3CategoryForm": lambda _: {"choices": [("drug_possession_supply",
                                                 "Drug possession or supply")]},
    "PlacementForm": lambda _: {"organisations": NONE_ORGS(),
                              "terms": scheme_terms("derbyshire-2021")},
    "TeamForm": lambda _: {"organisations": NONE_ORGS(),
                           "terms": scheme_terms("derbyshire-2021")},
    "PrisonHubForm": lambda _: {"organisations": NONE_ORGS()},
    "StepForm": lambda _: {"step": "exit", "reason_label": "Reason for exit",
                         "submit": "Record exit"},
    "FilterForm": lambda _: {"organisations": NONE_ORGS()},
    "ConsentForm": lambda _: {"organisations": NONE_ORGS()},
    "BasisForm": lambda _: {"organisations": NONE_ORGS()},
    "InvolvementForm": lambda _: {"organisations": NONE_ORGS()},
    "AttendeeForm": lambda _: {"users": NONE_USERS(), "organisations": NONE_ORGS()},
    "ItemForm": lambda _: {"people": Nominal.objects.none()},
    "iom.meetings.forms.DecisionForm": lambda _: {"present": NONE_USERS()},
    "iom.meetings.forms.ActionForm": lambda _: {"users": NONE_USERS(),
                                              "organisations": NONE_ORGS()},
    **dict.fromkeys((f"iom.monitoring.forms.{name}" for name in (
        "DeviceForm", "FlexForm", "AuditForm")),
        lambda _: {"districts": District.objects.none()}),
    "iom.monitoring.forms.FitForm": lambda _: {"devices": Device.objects.none()},
    "iom.monitoring.forms.UploadForm": lambda _: {"help_text": "A CSV file", "parquet": False},
    "iom.monitoring.forms.ConsentForm": lambda _: {},
}

PAGE = Template("{% load crispy_forms_tags crispy_forms_gds %}"
                "{% if form.helper %}{% error_summary form %}{% crispy form %}"
                "{% else %}{{ form.as_div }}{% endif %}")


# Bases of other forms, never shown themselves: their subclasses are tested.
BASES = {"iom.cohorts.candidates.forms.ChoosingForm",
         "iom.cohorts.lifecycle.forms.VersionedForm", "iom.monitoring.forms.MonitoringForm",
         "iom.accounts.admin_forms.GovukForm", "iom.casework.forms.CaseworkForm"}


# Forms that show their defaults for an empty query: asked with one blank field instead.
BLANK_QUERY = {"CandidateForm": "policy=", "CompareForm": "first="}


def _build(cls: type[forms.BaseForm], data: QueryDict, world: Any) -> forms.BaseForm:
    data = data or QueryDict(BLANK_QUERY.get(cls.__name__, ""))
    needs = NEEDS.get(f"{cls.__module__}.{cls.__name__}") or NEEDS.get(cls.__name__)
    kwargs = needs(world) if needs else {}
    form = cls(data=data, **kwargs)
    assert form.is_bound
    return form


def _every_form() -> list[Any]:
    params = [pytest.param(cls, id=f"{cls.__module__}.{cls.__name__}")
              for cls in _forms_of_the_project()
              if f"{cls.__module__}.{cls.__name__}" not in BASES]
    params += [pytest.param(record_form_class(kind), id=f"record:{kind}")
               for kind in RECORD_FIELDS]
    return params


@pytest.mark.parametrize("cls", _every_form())
def test_an_empty_form_says_what_is_wrong_with_each_field(cls: type[forms.BaseForm],
                                                          rf: Any, world: Any) -> None:
    form = _build(cls, QueryDict(""), world)
    form.is_valid()
    html = PAGE.render(Context({"form": form, "request": rf.post("/")}))
    shown = [str(m) for errors in form.errors.values() for m in errors]
    generic = [m for m in shown if _generic(m)]
    assert not generic, f"{cls.__name__} says {generic}"
    assert "This field is required" not in html
    for message in shown:
        assert message in html or message.replace("'", "&#x27;") in html


def test_the_list_of_generic_messages_holds_djangos_own() -> None:
    assert _generic("This field is required.")
    assert _generic("Enter a whole number.")
    assert _generic("Select a valid choice. 9 is not one of the available choices.")
    assert not _generic("Enter the date of the decision")
    assert not _generic("Enter the month audited")



def test_a_page_sent_with_errors_says_so_first(client: Any, world: Any) -> None:
    """GOV.UK: "Error: " opens the title and the error summary opens the main content."""
    client.force_login(world.users["police"])
    page = client.post(f"/people/{world.person.pk}/add/event/",
                       {"submit": "Save"}).content.decode()  # as a browser sends it
    assert "<title>Error: " in page
    main = page[page.index('id="main-content"'):]
    assert main.index("govuk-error-summary") < main.index("<h1")
    assert '<a href="#id_event_date_0">Enter the event date</a>' in main
