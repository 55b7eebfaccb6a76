"""The impact filters: period, scheme policy, cohort type and district."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from iom.accounts.models import District, Partnership
from iom.cohorts.policy.schemes import newest_policies, scheme_names

from .selectors import Scope


def default_period(today: date) -> tuple[date, date]:
    """The twelve months to today."""
    return today - timedelta(days=364), today


class ImpactFilterForm(forms.Form):
    date_from = forms.DateField(label="From", input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(label="To", input_formats=["%Y-%m-%d"])
    policy = forms.ChoiceField(label="Scheme policy", required=False)
    cohort_type = forms.ChoiceField(label="Cohort type", required=False)
    district = forms.ChoiceField(label="District", required=False)

    def __init__(self, data: Any, *, partnership: Partnership, today: date,
                 full: bool = True) -> None:
        start, end = default_period(today)
        given = data.dict() if hasattr(data, "dict") else dict(data)
        merged = {"date_from": start.isoformat(), "date_to": end.isoformat(), **given}
        super().__init__(merged)
        self.partnership = partnership
        types = {t.key: t.label for p in newest_policies() for t in p.cohort_types}
        self._choose("policy", [("", "The partnership's own"), *scheme_names()])
        self._choose("cohort_type", [("", "All"), *sorted(types.items())])
        self._choose("district", [("", "All"), *(
            (str(d.pk), d.name) for d in District.objects.filter(partnership=partnership))])
        if not full:
            for name in ("policy", "cohort_type", "district"):
                del self.fields[name]

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return data

    def scope(self) -> Scope:
        d = self.cleaned_data
        district = d.get("district")
        return Scope(self.partnership, d["date_from"], d["date_to"], policy=d.get("policy", ""),
                     cohort_type=d.get("cohort_type", ""),
                     district_id=int(district) if district else None)
