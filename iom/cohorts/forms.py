"""The cohort dashboard's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from iom.accounts.models import Organisation
from iom.cohorts.lifecycle import Rag
from iom.cohorts.policy.schemes import scheme_names


class FilterForm(forms.Form):
    policy = forms.ChoiceField(label="Scheme", required=False)
    cohort_type = forms.ChoiceField(label="Cohort", required=False)
    rag = forms.ChoiceField(label="RAG status", required=False,
                            choices=[("", "Any"), *Rag.choices])
    lead_agency = forms.TypedChoiceField(label="Lead agency", required=False, coerce=int,
                                         empty_value=None)
    mine = forms.BooleanField(label="Only people I lead or police", required=False)
    district = forms.TypedChoiceField(label="District", required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation],
                 districts: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", "Any"), *(districts or [])]
        from iom.cohorts.policy.schemes import scheme_terms

        names = scheme_names()
        self.fields["policy"].choices = [("", "Any"), *names]  # type: ignore[attr-defined]
        types: dict[str, str] = {}
        for name, _ in names:
            types.update(scheme_terms(name).cohort_types)
        self.fields["cohort_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any"), *sorted(types.items(), key=lambda t: t[1])]
        self.fields["lead_agency"].choices = [  # type: ignore[attr-defined]
            ("", "Any"), *((o.pk, o.name) for o in organisations)]
