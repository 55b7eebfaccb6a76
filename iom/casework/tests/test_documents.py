"""Each document renders to a PDF with the expected text, is kept with the person,
and its generation is logged as a disclosure."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from iom.audit.models import AccessLogEntry
from iom.casework import services
from iom.casework.models import DocumentKind, GeneratedDocument
from iom.cohorts.tests.factories import case_on_cohort
from iom.core.testing import pdf_text


@pytest.fixture
def worked_case(world):
    user = world.users["police"]
    case_on_cohort(world.person, date(2025, 1, 6), lead=user)
    plan = services.start_plan(nominal=world.person, started_on=date(2025, 1, 7), summary="",
                               acting_user=user, through="test")
    need = services.add_need(plan=plan, pathway="accommodation", level="high",
                             description="Sofa surfing since release", acting_user=user,
                             assessed_on=date(2025, 1, 7), through="test")
    referral = services.refer_to_service(need=need, service="Supported housing scheme",
                                         organisation=world.orgs["housing"], through="test",
                                         referred_on=date(2025, 1, 8), acting_user=user)
    services.record_referral_response(referral=referral, status="accepted", on=date(2025, 1, 9),
                                      response="Attended the assessment", acting_user=user,
                                      through="test")
    services.record_contact(nominal=world.person, kind="home_visit", outcome="kept",
                            happened_on=date(2025, 1, 10), note="", acting_user=user,
                            through="test")
    services.record_outcome(plan=plan, kind="accommodation", status="temporary",
                            recorded_on=date(2025, 1, 20), note="", acting_user=user,
                            through="test")
    return world


EXPECTED = {
    DocumentKind.REFERRAL_FORM: ["referral form", "2012/0012345A", "Restricted when complete"],
    DocumentKind.MATRIX_SHEET: ["IOM Matrix", "Total crime and impact score", "To panel"],
    DocumentKind.OFFENDER_LETTER: ["Section 115", "Jonathan Smith", "consent"],
    DocumentKind.CONFIDENTIALITY: ["Article 8.2", "Signature"],
    DocumentKind.INTERVENTION_STATEMENT: ["Supported housing scheme", "Attended the assessment",
                                          "Home visit", "Temporary or supported accommodation"],
    DocumentKind.EXIT_LETTER: ["Leaving the Integrated Offender Management scheme"],
}


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_document_renders_and_is_logged_as_a_disclosure(worked_case, kind):
    user = worked_case.users["police"]
    document = services.generate_document(nominal=worked_case.person, kind=kind,
                                          acting_user=user, through="test")
    content = bytes(document.content)
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_text(content).split())
    for expected in EXPECTED[kind]:
        assert expected.lower() in text.lower(), (kind, expected)
    entry = AccessLogEntry.objects.filter(nominal_id=worked_case.person.pk,
                                          action="export").first()
    assert entry is not None and entry.detail["document"] == kind
    assert GeneratedDocument.objects.filter(nominal=worked_case.person, kind=kind).count() == 1
    preview = os.environ.get("IOM_PDF_PREVIEW_DIR")
    if preview:  # to look at each page as a picture while changing a layout
        Path(preview, document.filename).write_bytes(content)


def test_an_unknown_kind_is_refused(world):
    from iom.core.errors import DomainError

    with pytest.raises(DomainError):
        services.generate_document(nominal=world.person, kind="diary",
                                   acting_user=world.users["police"], through="test")
