"""Test data of the accounts app: partnerships, districts, organisations and users.

Every app's tests build what they need from the factories of the app that owns it
(tests/test_import_direction.py allows no other import of another app's tests).
"""

from __future__ import annotations

from typing import Any

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from iom.accounts.models import District, Organisation, OrganisationKind, Partnership, Role, User

# The kinds of organisation that are statutory partners (000 s6, 001 Appendix A).
STATUTORY = {OrganisationKind.POLICE, OrganisationKind.PROBATION, OrganisationKind.PRISON,
             OrganisationKind.COUNCIL, OrganisationKind.YOUTH_JUSTICE}
TEST_PASSWORD = "Not-used-in-tests-4821"


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = Sequence(lambda n: f"Partnership {n}")


class DistrictFactory(DjangoModelFactory[District]):
    class Meta:
        model = District

    partnership = SubFactory(PartnershipFactory)
    name = Sequence(lambda n: f"District {n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    partnership = SubFactory(PartnershipFactory)
    kind = OrganisationKind.POLICE
    name = Sequence(lambda n: f"Organisation {n}")
    is_statutory = LazyAttribute(lambda o: o.kind in STATUTORY)


class UserFactory(DjangoModelFactory[User]):
    """A user with a usable password (``TEST_PASSWORD``), named from the username."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"user_{n}")
    organisation = SubFactory(OrganisationFactory)
    role = Role.OFFENDER_MANAGER
    first_name = LazyAttribute(lambda u: u.username.split("_", maxsplit=1)[0].title())
    last_name = "Tester"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        kwargs.setdefault("password", TEST_PASSWORD)
        return model_class.objects.create_user(*args, **kwargs)
