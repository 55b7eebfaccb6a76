"""The DPO's pages for personal data breaches: the list with the reporting clock, and a
breach with the people and access-log entries it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.audit.models import AccessLogEntry
from iom.audit.services import RecordRef
from iom.core.errors import DomainError
from iom.people.forms import GovukFormMixin

from . import breaches, policy
from .models import Breach, BreachState
from .views import AUDIT_REASON, _dpo
from .web import log_read, through_of


class BreachForm(GovukFormMixin, forms.Form):
    submit_label = "Record the breach"
    summary = forms.CharField(max_length=200, label="Summary")
    what_happened = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                    label="What happened")
    discovered_at = forms.DateTimeField(
        label="When it was discovered", help_text="The date and time it was found",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local",
                                          "class": "govuk-input govuk-input--width-20"}))
    entries = forms.CharField(required=False, label="Access log entries it is about",
                              help_text="Entry numbers from a person's access log, "
                                        "separated by commas")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_entries(self) -> list[int]:
        raw = self.cleaned_data.get("entries", "")
        out = []
        for part in [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]:
            if not part.isdigit():
                raise forms.ValidationError(f"{part!r} is not an entry number.")
            out.append(int(part))
        return out


class BreachUpdateForm(GovukFormMixin, forms.Form):
    submit_label = "Save"
    containment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label="Containment: what was done")
    reportable = forms.ChoiceField(choices=[("", "Not yet assessed"), ("yes", "Reportable"),
                                            ("no", "Not reportable")], required=False,
                                   widget=forms.RadioSelect, label="Reportable to the ICO")
    reportable_reason = forms.CharField(required=False, max_length=500, label="Why")
    reported_at = forms.DateTimeField(
        required=False, label="Reported to the ICO at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local",
                                          "class": "govuk-input govuk-input--width-20"}))
    state = forms.ChoiceField(choices=BreachState.choices, widget=forms.RadioSelect,
                              label="State")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


def _entries_visible(user: User, ids: list[int]) -> list[int]:
    """Entries the DPO may pick: about people of their partnership, or about nobody."""
    assert user.organisation is not None
    people = policy.nominals_for_audit(user).values("pk")
    allowed = AccessLogEntry.objects.filter(pk__in=ids).filter(
        Q(nominal_id__in=people) | Q(nominal_id__isnull=True))
    return list(allowed.values_list("pk", flat=True))


@require_http_methods(["GET", "POST"])
def breach_list(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["entries"]
        visible = _entries_visible(user, ids)
        try:
            if len(visible) != len(set(ids)):
                missing = sorted(set(ids) - set(visible))[0]
                raise DomainError.on_field("entries", f"No access log entry {missing}.")
            found = breaches.record_breach(
                user=user, summary=form.cleaned_data["summary"],
                what_happened=form.cleaned_data["what_happened"],
                discovered_at=form.cleaned_data["discovered_at"], entry_ids=visible,
                through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("governance:breach", pk=found.pk)
    now = timezone.now()
    found_all = list(Breach.objects.filter(partnership_id=user.organisation.partnership_id))
    rows = [{"breach": b, "clock": breaches.clock(b, now)} for b in found_all]
    return render(request, "governance/breaches.html", {"rows": rows, "form": form})


@require_http_methods(["GET", "POST"])
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    found = Breach.objects.filter(pk=pk, partnership_id=user.organisation.partnership_id).first()
    if found is None:
        raise Http404
    initial = {"containment": found.containment, "state": found.state,
               "reportable": "" if found.reportable is None else
               ("yes" if found.reportable else "no"),
               "reportable_reason": found.reportable_reason, "reported_at": found.reported_at}
    form = BreachUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breaches.update_breach(
                breach=found, user=user, through=through_of(request),
                containment=data["containment"],
                reportable={"yes": True, "no": False}.get(data["reportable"]),
                reportable_reason=data["reportable_reason"], reported_at=data["reported_at"],
                state=data["state"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("governance:breach", pk=found.pk)
    people = list(found.people.all())
    entries = list(AccessLogEntry.objects.filter(pk__in=found.entries).order_by("at"))
    log_read(user=user, nominal=None, through=through_of(request), reason=AUDIT_REASON,
             records=[RecordRef("breach", found.pk)]
             + [RecordRef("nominal", p.pk) for p in people])
    return render(request, "governance/breach.html", {
        "breach": found, "clock": breaches.clock(found), "form": form, "people": people,
        "entries": entries})
