"""The administration area: organisations, districts, users, roles and API tokens.

Every page is for administrators only, and only for their own partnership;
anything else is "not found", the same answer as for a missing record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from iom.core.errors import DomainError, Forbidden, NotFound
from iom.governance import policy
from iom.governance.web import through_of

from . import services
from .admin_forms import (
    ApiTokenForm,
    DistrictForm,
    GovukForm,
    OrganisationForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from .models import User

View = Callable[..., HttpResponse]
Save = Callable[[dict[str, Any]], str]


def administrators_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_administer(request.user):  # type: ignore[arg-type]
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as exc:
            # An administrator without an organisation manages nothing.
            raise Http404 from exc

    return wrapped


def _admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _saved(request: HttpRequest, form: GovukForm, save: Save) -> bool:
    """Call the service with the form's data; put its refusal back on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message = save(form.cleaned_data)
    except DomainError as error:
        form.add_domain_error(error)
        return False
    messages.success(request, message)
    return True


def _form_page(request: HttpRequest, form: GovukForm, *, title: str, back: str,
               intro: str = "") -> HttpResponse:
    return render(request, "admin_area/form.html",
                  {"form": form, "title": title, "back": back, "intro": intro})


@administrators_only
def index(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    users = services.users_managed_by(admin)
    return render(request, "admin_area/index.html", {
        "partnership": admin.organisation.partnership if admin.organisation else None,
        "organisation_count": services.organisations_managed_by(admin).count(),
        "district_count": services.districts_managed_by(admin).count(),
        "user_count": users.filter(is_active=True).count(),
        "inactive_user_count": users.filter(is_active=False).count(),
    })


# --- Organisations -----------------------------------------------------------


@administrators_only
def organisations(request: HttpRequest) -> HttpResponse:
    rows = services.organisations_managed_by(_admin(request)).annotate(
        user_count=Count("users", filter=Q(users__is_active=True)))
    return render(request, "admin_area/organisations.html", {"organisations": rows})


@administrators_only
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = OrganisationForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        made = services.create_organisation(acting_user=admin, through=through_of(request),
                                            **data)
        return f"Added {made.name}."

    if _saved(request, form, save):
        return redirect("admin_area:organisations")
    return _form_page(request, form, title="Add an organisation",
                      back=reverse("admin_area:organisations"))


@administrators_only
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    organisation = services.access_organisation(admin, pk)
    form = OrganisationForm(request.POST or None, editing=True,
                            initial=OrganisationForm.initial_for(organisation))

    def save(data: dict[str, Any]) -> str:
        services.update_organisation(acting_user=admin, through=through_of(request),
                                     organisation=organisation, **data)
        return f"Saved changes to {organisation.name}."

    if _saved(request, form, save):
        return redirect("admin_area:organisations")
    return _form_page(request, form, title=f"Change {organisation.name}",
                      back=reverse("admin_area:organisations"))


# --- Districts ---------------------------------------------------------------


@administrators_only
def districts(request: HttpRequest) -> HttpResponse:
    rows = services.districts_managed_by(_admin(request)).annotate(
        user_count=Count("users", filter=Q(users__is_active=True)))
    return render(request, "admin_area/districts.html", {"districts": rows})


@administrators_only
@require_http_methods(["GET", "POST"])
def district_create(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = DistrictForm(request.POST or None, submit_label="Add district")

    def save(data: dict[str, Any]) -> str:
        made = services.create_district(acting_user=admin, through=through_of(request),
                                        name=data["name"])
        return f"Added {made.name}."

    if _saved(request, form, save):
        return redirect("admin_area:districts")
    return _form_page(request, form, title="Add a district",
                      back=reverse("admin_area:districts"))


@administrators_only
@require_http_methods(["GET", "POST"])
def district_rename(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    district = services.access_district(admin, pk)
    old_name = district.name
    form = DistrictForm(request.POST or None, submit_label="Rename district",
                        initial={"name": district.name})

    def save(data: dict[str, Any]) -> str:
        services.rename_district(acting_user=admin, through=through_of(request),
                                 district=district, name=data["name"])
        return f"Renamed {old_name} to {district.name}."

    if _saved(request, form, save):
        return redirect("admin_area:districts")
    return _form_page(request, form, title=f"Rename {old_name}",
                      back=reverse("admin_area:districts"))


# --- Users -------------------------------------------------------------------


@administrators_only
def users(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = UserFilterForm(request.GET or None, admin=admin)
    rows = services.users_managed_by(admin).select_related("organisation", "district")
    if form.is_valid():
        if form.cleaned_data["organisation"]:
            rows = rows.filter(organisation=form.cleaned_data["organisation"])
        if form.cleaned_data["role"]:
            rows = rows.filter(role=form.cleaned_data["role"])
    return render(request, "admin_area/users.html", {"form": form, "users": rows,
                                                     "filtered": bool(request.GET)})


@never_cache
@administrators_only
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = UserCreateForm(request.POST or None, admin=admin)
    if request.method == "POST" and form.is_valid():
        through = through_of(request)
        try:
            with transaction.atomic():  # the user and their set-up code, or neither
                made = services.create_user(acting_user=admin, through=through,
                                            **form.cleaned_data)
                enrolment, code = services.issue_enrolment_code(acting_user=admin,
                                                                through=through, user=made)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _enrolment_code_page(request, made, enrolment, code, new_user=True)
    return _form_page(request, form, title="Add a user", back=reverse("admin_area:users"),
                      intro="Give the person their username and password in person or by "
                            "phone, never in the same email.")


def _enrolment_code_page(request: HttpRequest, managed: User, enrolment: Any, code: str, *,
                         new_user: bool) -> HttpResponse:
    """The set-up code, shown on this response only (never in a URL, a message or the
    session); the views that call this are not cached."""
    return render(request, "admin_area/enrolment_code.html", {
        "managed": managed, "enrolment": enrolment, "code": code, "new_user": new_user})


@administrators_only
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    managed = services.access_user(admin, pk)
    form = UserEditForm(request.POST or None, admin=admin,
                        initial=UserEditForm.initial_for(managed))

    def save(data: dict[str, Any]) -> str:
        through = through_of(request)
        # Both changes or neither: a refused role change must not leave the
        # permission changed behind it.
        with transaction.atomic():
            services.update_user(acting_user=admin, through=through, user=managed,
                                 role=data["role"], organisation=data["organisation"],
                                 district=data["district"], active=data["active"])
            services.set_intelligence_permission(acting_user=admin, through=through,
                                                 user=managed, granted=data["view_intelligence"])
            services.set_service_account(acting_user=admin, through=through, user=managed,
                                         service_account=data["service_account"])
        return f"Saved changes to {managed.display_name}."

    if _saved(request, form, save):
        return redirect("admin_area:users")
    return render(request, "admin_area/user_edit.html", {
        "form": form, "managed": managed, "has_two_factor": services.has_two_factor(managed),
        "token_count": managed.api_tokens.filter(revoked_at__isnull=True).count(),
    })


@never_cache
@administrators_only
@require_http_methods(["GET", "POST"])
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """A sensitive action: the GET page asks the administrator to confirm it."""
    admin = _admin(request)
    managed = services.access_user(admin, pk)
    if request.method == "POST":
        through = through_of(request)
        with transaction.atomic():
            services.reset_two_factor(acting_user=admin, through=through, user=managed)
            enrolment, code = services.issue_enrolment_code(acting_user=admin, through=through,
                                                            user=managed)
        return _enrolment_code_page(request, managed, enrolment, code, new_user=False)
    return render(request, "admin_area/reset_two_factor.html", {"managed": managed})


# --- API tokens --------------------------------------------------------------


@administrators_only
def user_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    managed = services.access_user(admin, pk)
    return render(request, "admin_area/tokens.html", {
        "managed": managed, "tokens": managed.api_tokens.select_related("issued_by"),
        "may_issue": services.may_issue_token_for(admin, managed),
    })


@administrators_only
@never_cache
@require_http_methods(["GET", "POST"])
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    managed = services.access_user(admin, pk)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.issue_api_token(acting_user=admin, through=through_of(request),
                                                  user=managed, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            # Shown on this response only (never in a URL, a message or the
            # session), and the page is not cached.
            return render(request, "admin_area/token_issued.html",
                          {"managed": managed, "token": token, "key": key})
    return _form_page(request, form, title=f"Issue an API token for {managed.display_name}",
                      back=reverse("admin_area:user-tokens", args=[managed.pk]),
                      intro="The token lets another system use the API as this service "
                            "account, with exactly what the account may see and do. Every use "
                            "is recorded naming the token and you as its issuer.")


@administrators_only
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    admin = _admin(request)
    managed = services.access_user(admin, pk)
    token = services.access_api_token(admin, managed, token_pk)
    services.revoke_api_token(acting_user=admin, through=through_of(request), token=token)
    messages.success(request, f'Revoked the token "{token.name}". It no longer works.')
    return redirect("admin_area:user-tokens", pk=managed.pk)
