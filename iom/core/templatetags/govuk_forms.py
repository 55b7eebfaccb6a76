"""The error summary's links, in the GOV.UK pattern: one line per message, linking to
the box to correct (for a date, the first of its day, month and year boxes in error)."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def error_links(form: forms.BaseForm) -> list[tuple[str, str]]:
    """``(anchor id, message)`` for every error of the form, in the order of the fields,
    each message once per field."""
    visible = form.visible_fields()
    first = _anchors(visible[0], "")[0] if visible else ""
    links = [(first, str(message)) for message in form.non_field_errors()]
    for bound in visible:
        for message in bound.errors:
            links.append((_anchors(bound, str(message))[0], str(message)))
    return links


def _anchors(bound: Any, message: str) -> list[str]:
    """The ids of the boxes showing ``message``; a field of several boxes (a date, radios,
    checkboxes) is reached through its first box."""
    field = bound.field
    if isinstance(field, forms.MultiValueField):
        parts = [f"{bound.auto_id}_{i}" for i, sub in enumerate(field.fields)
                 if message in getattr(sub.widget, "errors", [])]
        return parts or [f"{bound.auto_id}_0"]
    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return [f"{bound.auto_id}_0"]
    return [str(bound.id_for_label or bound.auto_id)]
