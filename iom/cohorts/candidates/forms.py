"""Forms for the candidate list and the what-if comparison: the policy versions, the
as-at date (a GOV.UK date input) and what to show. They check shape only; an unknown
policy or version is refused by the policy loader, which names the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from iom.cohorts.candidates import policy_ref
from iom.cohorts.policy.schemes import SchemePolicy, installed_policies
from iom.core.dates import GovukDateField
from iom.core.errors import DomainError

EARLIEST = date(2000, 1, 1)


def policy_choices() -> list[tuple[str, str]]:
    """Every installed version of every policy, as ``name@version``."""
    return [(f"{p.name}@{p.version}", p.label)
            for _, p in sorted(installed_policies().items())]


def default_policy() -> str:
    """The first policy in the list, unless the user chose one."""
    return policy_choices()[0][0]


class AsAtField(GovukDateField):
    """The as-at day: GOV.UK messages, and no earlier than 2000 nor after today."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(subject="the as-at date", **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST <= value <= timezone.localdate():
            raise self._fail(
                f"The as-at date must be between {EARLIEST:%-d %B %Y} and today", (0, 1, 2),
                "out_of_range")


class ChoosingForm(forms.Form):
    """Shared shape: policy fields checked by the loader, an as-at date that defaults to
    today, and GOV.UK markup through the crispy helper."""

    policy_fields: tuple[str, ...] = ()

    def __init__(self, data: Any, **kwargs: Any) -> None:
        super().__init__(self._versioned(data) or None, **kwargs)
        self.chosen: dict[str, SchemePolicy] = {}
        for name in self.policy_fields:
            self.fields[name].widget = forms.Select(choices=policy_choices())
        self.fields["as_at"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form: no token in the address

    @classmethod
    def _versioned(cls, data: Any) -> Any:
        """The data with each policy given by name alone (a link such as
        ``?policy=derbyshire-2021``) as ``name@version`` of the version it reads, the
        newest, so the select shows the policy actually used and not its first option.
        An unknown name is left as given, for ``clean`` to refuse."""
        if not data:
            return data
        wanted = {name: str(data.get(name) or "") for name in cls.policy_fields}
        bare = {name: ref for name, ref in wanted.items() if ref and "@" not in ref}
        if not bare:
            return data
        data = data.copy()
        for name, ref in bare.items():
            try:
                found = policy_ref(ref)
            except DomainError:
                continue
            data[name] = f"{found.name}@{found.version}"
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.policy_fields:
            ref = cleaned.get(name)
            if not ref:
                continue
            try:
                self.chosen[name] = policy_ref(ref)
            except DomainError as error:
                self.add_error(name, error.message)
        return cleaned

    def choices(self) -> dict[str, Any]:
        """What to show: the cleaned values, or the defaults when nothing was asked."""
        if not self.is_bound:
            return {**{f: policy_ref(self.fields[f].initial) for f in self.policy_fields},
                    "as_at": timezone.localdate()}
        return {**self.chosen, **{k: v for k, v in self.cleaned_data.items()
                                  if k not in self.policy_fields}}


class CandidateForm(ChoosingForm):
    policy_fields = ("policy",)
    policy = forms.CharField(label="Scheme policy",
                             error_messages={"required": "Choose a scheme policy"})
    as_at = AsAtField(label="As at", required=False,
                      help_text="The records and scores known on this day. For example, "
                                "2 6 2025. Leave blank for today.")
    cohort_type = forms.ChoiceField(label="Cohort type", required=False)
    district = forms.TypedChoiceField(label="District", required=False, coerce=int,
                                      empty_value=None)
    near_misses = forms.BooleanField(label="Near misses only", required=False)

    def __init__(self, data: Any, *, default: str = "",
                 districts: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        """``default``: the policy shown when none is asked for (``name@version``), else
        the first installed; ``districts``: the partnership's, to choose from."""
        super().__init__(data, **kwargs)
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", "Any"), *(districts or [])]
        self.default = default or default_policy()
        self.fields["policy"].initial = self.default
        field = self.fields["cohort_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any"), *self._types()]

    def _types(self) -> list[tuple[str, str]]:
        ref = (self.data.get("policy") if self.is_bound else None) or self.default
        try:
            chosen = policy_ref(str(ref))
        except DomainError:
            return []
        kinds = [*chosen.cohort_types, chosen.youth.cohort]
        return [(k.key, chosen.cohort_label(k.key)) for k in kinds]


class CompareForm(ChoosingForm):
    policy_fields = ("first", "second")
    first = forms.CharField(label="First policy",
                            error_messages={"required": "Choose the first policy"})
    second = forms.CharField(label="Second policy",
                             error_messages={"required": "Choose the second policy"})
    as_at = AsAtField(label="As at", required=False,
                      help_text="The same records and scores for both. For example, 2 6 2025. "
                                "Leave blank for today.")
    show = forms.ChoiceField(label="Show", required=False, choices=[
        ("", "Everyone listed"), ("changed", "Only people whose outcome differs"),
        ("in_in", "In under both"), ("in_out", "In under the first only"),
        ("out_in", "In under the second only"), ("out_out", "Out under both")])

    def __init__(self, data: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = policy_choices()
        self.fields["first"].initial = choices[0][0]
        self.fields["second"].initial = choices[min(1, len(choices) - 1)][0]
