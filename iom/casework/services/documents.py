"""Generating a document: render it, keep it with the person, log the disclosure."""

from __future__ import annotations

import hashlib

from django.db import transaction

from iom.accounts.models import User
from iom.audit.models import Action as LogAction
from iom.core.errors import DomainError
from iom.people.models import Nominal

from ..documents import build, reads
from ..models import DocumentKind, GeneratedDocument
from ..pdf import render
from .base import logged, today


@transaction.atomic
def generate_document(*, nominal: Nominal, kind: str, acting_user: User, through: str,
                      reason: str = "") -> GeneratedDocument:
    if kind not in DocumentKind.values:
        raise DomainError.on_field("kind", "Choose a kind of document.")
    day = today()
    content = render(build(kind, nominal, acting_user, day))
    held = reads(kind, acting_user)
    document = GeneratedDocument.objects.create(
        nominal=nominal, kind=kind, filename=f"{kind.replace('_', '-')}-{nominal.pk}-{day}.pdf",
        content=content, sha256=hashlib.sha256(content).hexdigest(), generated_by=acting_user,
        reads_intelligence=held.intelligence, reads_public_protection=held.public_protection)
    logged(user=acting_user, through=through, nominal_id=nominal.pk, kind="document",
           record_id=document.pk, event="document generated", action=LogAction.EXPORT,
           reason=reason, detail={"document": kind, "sha256": document.sha256})
    return document
