"""Engineers' skills and areas: who may change them, what is refused, the audit trail, and that dispatch
ranks by what was saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.domain.customers import CustomerKind
from desktop.domain.errors import ConcurrentEdit, PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import EngineerProfile, OrderCategory
from desktop.domain.users import AuditEntry
from desktop.services import customers, engineers, service_orders
from desktop.services.customers import CustomerInput
from desktop.services.service_orders import OrderInput


@pytest.fixture
def people(any_db, make_user):
    return {name: make_user(any_db, role, name) for name, role in (
        ("asadmin", Role.AFTER_SALES_ADMIN), ("manager", Role.MANAGER), ("lina", Role.OPERATOR),
        ("zhang", Role.ENGINEER), ("liu", Role.ENGINEER), ("zhao", Role.WAREHOUSE))}


def test_engineers_are_listed_with_empty_profiles_until_one_is_saved(any_db, people):
    admin = people["asadmin"].actor()
    listed = engineers.list_engineers(any_db, admin)
    assert {(e.username, e.skills, e.area) for e in listed} == {("zhang", (), ""), ("liu", (), "")}
    saved = engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id, area=" 广东省 广州市 ",
                                           skills=["installation", OrderCategory.EMERGENCY_REPAIR, "installation"])
    # Stored in the categories' own order, each once, and the area without spaces (dispatch matches prefixes).
    assert saved.skills == (OrderCategory.EMERGENCY_REPAIR, OrderCategory.INSTALLATION)
    assert saved.area == "广东省广州市"
    [zhang] = [e for e in engineers.list_engineers(any_db, admin) if e.username == "zhang"]
    assert zhang == saved and zhang.skilled_in(OrderCategory.INSTALLATION)


def test_saving_is_audited_and_an_unchanged_save_writes_nothing(any_db, people):
    manager = people["manager"].actor()
    zhang = people["zhang"].id
    engineers.set_engineer_profile(any_db, manager, user_id=zhang, skills=["troubleshooting"], area="广东省广州市")
    engineers.set_engineer_profile(any_db, manager, user_id=zhang, skills=["troubleshooting", "preventive"],
                                   area="广东省广州市")
    engineers.set_engineer_profile(any_db, manager, user_id=zhang, skills=["preventive", "troubleshooting"],
                                   area="广东省广州市")
    with any_db.session_factory() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "engineer_profiles")
                                  .order_by(AuditEntry.id)).all()
    assert [(e.action, e.username, e.entity_id) for e in entries] == [("create", "manager", str(zhang)),
                                                                       ("update", "manager", str(zhang))]
    assert entries[1].before == {"skills": ["troubleshooting"]}
    assert entries[1].after == {"skills": ["troubleshooting", "preventive"]}


def test_unknown_skills_non_engineers_long_areas_and_other_roles_are_refused(any_db, people):
    admin = people["asadmin"].actor()
    with pytest.raises(ValidationError, match="welding") as refused:
        engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id, skills=["welding"], area="")
    assert refused.value.field == "skills"
    with pytest.raises(ValidationError, match="Only service engineers"):
        engineers.set_engineer_profile(any_db, admin, user_id=people["lina"].id, skills=[], area="广东省")
    with pytest.raises(ValidationError, match="at most 60"):
        engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id, skills=[], area="省" * 61)
    for name in ("lina", "zhang", "zhao"):
        with pytest.raises(PermissionDenied):
            engineers.set_engineer_profile(any_db, people[name].actor(), user_id=people["zhang"].id,
                                           skills=["installation"], area="")
    with any_db.session_factory() as session:
        assert session.scalars(select(EngineerProfile)).all() == []


def test_a_save_over_a_profile_changed_meanwhile_names_who_changed_it(any_db, people):
    admin, manager = people["asadmin"].actor(), people["manager"].actor()
    [seen] = [e for e in engineers.list_engineers(any_db, admin) if e.username == "liu"]
    engineers.set_engineer_profile(any_db, manager, user_id=seen.user_id, skills=["installation"], area="广东省佛山市",
                                   expected=seen)
    with pytest.raises(ConcurrentEdit, match="manager"):
        engineers.set_engineer_profile(any_db, admin, user_id=seen.user_id, skills=["consultation"], area="",
                                       expected=seen)
    [now] = [e for e in engineers.list_engineers(any_db, admin) if e.username == "liu"]
    assert now.skills == (OrderCategory.INSTALLATION,) and now.area == "广东省佛山市"


def test_inactive_engineers_are_left_out_unless_asked(any_db, people):
    from desktop.db.uow import SYSTEM
    from desktop.services import users

    users.disable_user(any_db, SYSTEM, username="liu")
    admin = people["asadmin"].actor()
    assert [e.username for e in engineers.list_engineers(any_db, admin)] == ["zhang"]
    assert {e.username for e in engineers.list_engineers(any_db, admin, include_inactive=True)} == {"zhang", "liu"}


def test_customers_in_area_counts_prefix_matches_up_to_a_cap(any_db, people):
    op, admin = people["lina"].actor(), people["asadmin"].actor()
    for name, region in (("甲", "广东省广州市天河区"), ("乙", "广东省广州市越秀区"), ("丙", "广东省佛山市南海区")):
        customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.COMPANY, name=name + "公司",
                                                                 phone="13800000000", region=region))
    assert engineers.customers_in_area(any_db, admin, "广东省广州市") == 2
    assert engineers.customers_in_area(any_db, admin, "广东省") == 3
    assert engineers.customers_in_area(any_db, admin, "广东省", cap=2) == 2
    assert engineers.customers_in_area(any_db, admin, "广州市") == 0  # the province comes first in the file
    assert engineers.customers_in_area(any_db, admin, "  ") == 0
    # an engineer covering two cities: written apart by 、 or a comma (full-width or not)
    assert engineers.normalize_area(" 广东省广州市越秀区，广东省佛山市 、广东省佛山市") == "广东省广州市越秀区、广东省佛山市"
    assert engineers.customers_in_area(any_db, admin, "广东省广州市越秀区, 广东省佛山市") == 2


def test_dispatch_ranks_by_the_saved_profile(any_db, people):
    op, admin = people["lina"].actor(), people["asadmin"].actor()
    customer = customers.create_customer(any_db, op, data=CustomerInput(
        kind=CustomerKind.COMPANY, name="鑫达机电", phone="13800000000", region="广东省佛山市顺德区"))
    order = service_orders.register_order(any_db, op, branch_code="GZ01", coverage=Coverage.CHARGEABLE, data=OrderInput(
        customer_id=customer.id, request="新购空调三台，预约安装", category=OrderCategory.INSTALLATION))
    engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id, skills=["troubleshooting"],
                                   area="广东省广州市")
    engineers.set_engineer_profile(any_db, admin, user_id=people["liu"].id, skills=["installation"], area="广东省佛山市")
    ranked = service_orders.rank_engineers(any_db, op, order_id=order.id)
    assert [c.user_id for c in ranked] == [people["liu"].id, people["zhang"].id] and ranked[0].score == 5
    engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id,
                                   skills=["troubleshooting", "installation"], area="广东省")
    ranked = service_orders.rank_engineers(any_db, op, order_id=order.id)
    assert {c.user_id: c.score for c in ranked} == {people["liu"].id: 5, people["zhang"].id: 5}
    engineers.set_engineer_profile(any_db, admin, user_id=people["zhang"].id, skills=["installation"],
                                   area="广东省东莞市、广东省佛山市顺德区")
    [zhang] = [c for c in service_orders.rank_engineers(any_db, op, order_id=order.id) if c.user_id == people["zhang"].id]
    assert zhang.score == 5 and "covers 广东省佛山市顺德区" in zhang.reasons
