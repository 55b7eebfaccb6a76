"""Test data of the people app: people (through the service, so each has its name
keys and provenance like any other), their offending and custody."""

from __future__ import annotations

from datetime import date
from typing import Any

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from iom.accounts.tests.factories import OrganisationFactory
from iom.people import services
from iom.people.models import CustodyPeriod, Nominal, OffendingEvent


class NominalFactory(DjangoModelFactory[Nominal]):
    """A person of ``partnership`` recorded by ``organisation`` (a police force of the
    same partnership by default), as ``services.create_nominal`` records one."""

    class Meta:
        model = Nominal

    organisation = SubFactory(OrganisationFactory)
    partnership = LazyAttribute(lambda p: p.organisation.partnership)
    forename = Sequence(lambda n: f"Person{chr(65 + n % 26)}{n // 26 or ''}")
    surname = "Tested"
    date_of_birth = date(1990, 3, 21)
    gender = "M"
    pnc_id = None

    @classmethod
    def _create(cls, model_class: type[Nominal], *args: Any, **kwargs: Any) -> Nominal:
        organisation = kwargs.pop("organisation")
        return services.create_nominal(acting_user=None, through="test",
                                       organisation=organisation, fields=kwargs)


class OffendingEventFactory(DjangoModelFactory[OffendingEvent]):
    """A conviction of a dwelling burglary (Home Office code 28A) a year before 2026."""

    class Meta:
        model = OffendingEvent

    nominal = SubFactory(NominalFactory)
    kind = "conviction"
    event_date = date(2025, 6, 1)
    offence_date = None
    ho_code = "28A"
    disposal = "custody"
    originating_organisation = LazyAttribute(
        lambda e: OrganisationFactory.create(partnership=e.nominal.partnership))


class CustodyPeriodFactory(DjangoModelFactory[CustodyPeriod]):
    class Meta:
        model = CustodyPeriod

    nominal = SubFactory(NominalFactory)
    custody_type = "sentence"
    start_date = date(2025, 6, 1)
    expected_release_date = None
    actual_release_date = None
    originating_organisation = LazyAttribute(
        lambda c: OrganisationFactory.create(partnership=c.nominal.partnership,
                                      kind="prison", name="HMP Tested"))
