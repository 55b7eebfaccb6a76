"""My people opens sorted by name, as its "Name" heading says.

The sortable table sorts on load by each cell's ``data-sort-value``, else by its
HTML; a name cell holds a link, so without a sort value it sorted by the link's id.
"""

import re
from datetime import date

import pytest

from iom.people import services

pytestmark = pytest.mark.django_db


def _add(world, forename, surname):
    nominal = services.create_nominal(
        acting_user=None, through="test", organisation=world.orgs["police"],
        fields={"forename": forename, "surname": surname, "date_of_birth": date(1991, 1, 1),
                "gender": "M", "partnership": world.north})
    services.allocate(nominal=nominal, user=world.users["police"], acting_user=None,
                      through="test", start=date(2025, 1, 1))


def test_name_cells_carry_the_name_to_sort_by_in_name_order(client, world):
    _add(world, "Zoe", "Young")  # created after Smith: a higher id, an earlier name below
    _add(world, "Adam", "Abbott")
    client.force_login(world.users["police"])
    page = client.get("/").content.decode()
    names = re.findall(r'<td class="govuk-table__cell" data-sort-value="([^"]+)"><a ', page)
    assert names == ["ABBOTT ADAM", "SMITH JONATHAN", "YOUNG ZOE"]
    assert 'aria-sort="ascending">Name<' in page
