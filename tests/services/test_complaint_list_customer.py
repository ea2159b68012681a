"""The complaint register narrowed to one customer or one unit: what the customer view's tab shows."""

from __future__ import annotations

import pytest

from desktop.domain.complaints import Channel, ComplaintClass
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.services import complaint_list, customers
from desktop.services import complaints as svc
from desktop.services.complaint_list import ComplaintFilter
from desktop.services.complaints import ComplaintInput
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.paging import Sort


@pytest.fixture
def files(any_db, make_user):
    op = make_user(any_db, Role.OPERATOR, "lina").actor()

    def customer(name, phone=""):
        data = CustomerInput(kind=CustomerKind.INDIVIDUAL, name=name, phone=phone)
        return customers.create_customer(any_db, op, data=data)

    def product(owner, serial):
        data = ProductInput(category="air_conditioner", model="KFR-35GW", serial_number=serial)
        return customers.add_product(any_db, op, customer_id=owner.id, data=data)

    def complaint(owner, unit=None, serial=""):
        return svc.register_complaint(any_db, op, branch_code="GZ01", data=ComplaintInput(
            customer_id=owner.id, product_id=unit.id if unit else None, serial_number=serial,
            channel=Channel.HOTLINE, description="不制冷", classification=ComplaintClass.QUALITY,
            severity=2)).number

    wang, twin = customer("王小明", "13800000001"), customer("王小明")
    chain, other = customer("王晓明"), customer("李四")
    first, second = product(wang, "KFR2501000001"), product(wang, "KFR2501000002")
    numbers = {
        "first": complaint(wang, first),
        "by_serial": complaint(wang, serial="KFR2501000001"),  # named the unit by serial, no link to the file
        "second": complaint(wang, second),
        "twin": complaint(twin),
        "chain": complaint(chain),
        "elsewhere": complaint(other),
    }
    # The twin was a duplicate of 王小明; the chain record a duplicate of the twin, merged first.
    customers.merge_customers(any_db, op, keep_id=twin.id, duplicate_id=chain.id)
    customers.merge_customers(any_db, op, keep_id=wang.id, duplicate_id=twin.id)
    return {"op": op, "wang": wang, "other": other, "unit": first, **numbers}


def numbers(db, actor, where):
    source = complaint_list.complaint_register(db, actor, where=where)
    return {row.values[0] for row in source.fetch(sort=Sort("received_at"), after=None, limit=50)}


def test_a_customer_s_complaints_include_those_of_merged_duplicates(any_db, files):
    f = files
    mine = numbers(any_db, f["op"], ComplaintFilter(customer_id=f["wang"].id))
    assert mine == {f["first"], f["by_serial"], f["second"], f["twin"], f["chain"]}
    assert numbers(any_db, f["op"], ComplaintFilter(customer_id=f["other"].id)) == {f["elsewhere"]}


def test_a_unit_s_complaints_include_those_that_named_it_by_serial(any_db, files):
    f = files
    assert numbers(any_db, f["op"], ComplaintFilter(product_id=f["unit"].id)) == {f["first"], f["by_serial"]}
    assert "customer_id=" in ComplaintFilter(customer_id=f["wang"].id).describe()  # the export log names it
