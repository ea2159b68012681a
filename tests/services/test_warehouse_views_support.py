"""What the warehouse screens need from the services beyond the core: the zones to choose from, and a
substitute list that edits the relation from either side."""

from __future__ import annotations

import pytest

from desktop.domain.errors import PermissionDenied
from desktop.domain.roles import Role
from desktop.services import parts, stock_lists
from desktop.services.parts import PartInput


@pytest.fixture
def keeper(any_db, make_user):
    return make_user(any_db, Role.WAREHOUSE, "zhaojun").actor()


def test_zones_lists_each_zone_with_bins_once_in_order(any_db, keeper, make_user):
    assert stock_lists.zones(any_db, keeper) == []
    parts.create_bins(any_db, keeper, zone="b", shelves=range(1, 3), layers=range(1, 2), positions=range(1, 3))
    parts.create_bin(any_db, keeper, code="A-01-1-01")
    assert stock_lists.zones(any_db, keeper) == ["A", "B"]
    assert stock_lists.zones(any_db, make_user(any_db, Role.ENGINEER).actor()) == ["A", "B"]
    with pytest.raises(PermissionDenied):
        stock_lists.zones(any_db, make_user(any_db, Role.SYSADMIN).actor())


def test_substitutes_edited_from_either_side_replace_the_pair(any_db, keeper):
    def part(code):
        return parts.create_part(any_db, keeper, data=PartInput(code=code, name="启动电容", unit="个"))

    first, second, third = part("CAP-35"), part("CAP-40"), part("CAP-45")
    parts.set_substitutes(any_db, keeper, part_id=first.id, substitute_codes=["CAP-40", "CAP-45"])
    # Seen from the second part, the first is its substitute; removing it there removes the pair.
    assert [code for _, code, _ in parts.get_part(any_db, keeper, second.id).substitutes] == ["CAP-35"]
    parts.set_substitutes(any_db, keeper, part_id=second.id, substitute_codes=[])
    assert [code for _, code, _ in parts.get_part(any_db, keeper, first.id).substitutes] == ["CAP-45"]
    assert parts.get_part(any_db, keeper, second.id).substitutes == ()
    # Saving the list unchanged from the other side keeps it (no duplicate pair either way).
    parts.set_substitutes(any_db, keeper, part_id=third.id, substitute_codes=["CAP-35"])
    assert [code for _, code, _ in parts.get_part(any_db, keeper, first.id).substitutes] == ["CAP-45"]
