"""What information governance asks of case work (registered in apps.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import GeneratedDocument


def documents_citing(correction: Any, record: Any) -> Iterable[tuple[str, int, str]]:
    """Documents about the person produced since the record was held, before it was
    corrected: they may have drawn on it, so they are marked for their readers."""
    recorded_at = getattr(record, "recorded_at", None)
    found = GeneratedDocument.objects.filter(nominal_id=correction.nominal_id,
                                             generated_at__lte=correction.corrected_at)
    if recorded_at is not None:
        found = found.filter(generated_at__gte=recorded_at)
    for document in found:
        yield ("document", document.pk,
               f"{document.get_kind_display()} of {document.generated_at:%-d %B %Y}")


def partner_contacts(nominal: Any, partner: Any, action: str, lead: Any) -> int:
    """A partner's own contact records about a person, after its involvement ended:
    destroyed, or handed to the lead agency (governance retention)."""
    from .models import Contact

    found = Contact.objects.filter(nominal=nominal, organisation=partner)
    if action == "destroy":
        return int(found.delete()[0])
    return int(found.update(organisation=lead))
