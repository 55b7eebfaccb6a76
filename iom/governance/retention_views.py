"""The DPO's retention review pages: the queue of people due for review or disposal, a
person's decision, and the tombstones of those disposed of."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.accounts.models import User
from iom.audit.services import RecordRef
from iom.core.dates import GovukDateField
from iom.core.errors import DomainError
from iom.people.forms import GovukFormMixin

from . import policy
from .models import RetentionOutcome
from .views import _dpo
from .web import log_read, through_of

RETENTION_REASON = "Retention review (000 ISA s8, MoPI)"


def _reviewer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_review_retention(user):
        raise Http404
    return user


def retention_queue(request: HttpRequest) -> HttpResponse:
    import polars as pl

    from iom.people.models import Nominal

    from . import retention

    user = _reviewer(request)
    today = timezone.localdate()
    assessed = retention.assess_people(policy.nominals_for_retention(user), today)
    show = request.GET.get("show", "review")
    if show not in retention.VERDICTS:
        show = "review"
    counts = dict(assessed.group_by("verdict").len().iter_rows())
    chosen = assessed.filter(pl.col("verdict") == show).sort("next_review").head(200)
    people = Nominal.objects.in_bulk(chosen["nominal_id"].to_list())
    labels = retention.rules().groups
    rows = [{**r, "nominal": people[r["nominal_id"]], "group": labels[r["group"]].label}
            for r in chosen.iter_rows(named=True) if r["nominal_id"] in people]
    log_read(user=user, nominal=None, through=through_of(request), reason=RETENTION_REASON,
             records=[RecordRef("nominal", r["nominal_id"]) for r in rows])
    return render(request, "governance/retention_queue.html", {
        "rows": rows, "counts": {v: counts.get(v, 0) for v in retention.VERDICTS},
        "show": show})


class RetentionForm(GovukFormMixin, forms.Form):
    submit_label = "Record the decision"
    outcome = forms.ChoiceField(choices=RetentionOutcome.choices, widget=forms.RadioSelect,
                                label="Decision")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             label="Reason")
    review_again_on = GovukDateField(required=False, label="Review again on (retain only)",
                                     subject="the date to review again")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


@require_http_methods(["GET", "POST"])
def retention_person(request: HttpRequest, pk: int) -> HttpResponse:
    from . import retention

    user = _reviewer(request)
    nominal = policy.nominals_for_retention(user).filter(pk=pk).first()
    if nominal is None:
        raise Http404
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.decide(nominal=nominal, outcome=form.cleaned_data["outcome"],
                             reason=form.cleaned_data["reason"],
                             review_again_on=form.cleaned_data["review_again_on"],
                             acting_user=user, through=through_of(request))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("governance:retention")
    assessed = retention.assess_people(policy.nominals_for_retention(user).filter(pk=pk),
                                       timezone.localdate()).row(0, named=True)
    decisions = list(nominal.retention_decisions.select_related("decided_by"))
    log_read(user=user, nominal=nominal, through=through_of(request), reason=RETENTION_REASON,
             records=[RecordRef("retention_decision", d.pk) for d in decisions])
    return render(request, "governance/retention_person.html", {
        "nominal": nominal, "assessed": assessed, "form": form, "decisions": decisions,
        "group": retention.rules().groups[assessed["group"]].label})


def tombstones(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    assert user.organisation is not None
    from .models import Tombstone

    found = Tombstone.objects.filter(partnership_id=user.organisation.partnership_id)[:200]
    return render(request, "governance/tombstones.html", {"tombstones": found})
