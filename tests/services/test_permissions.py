"""Every service refuses a role that lacks its permission, and changes nothing when it does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.domain.errors import PermissionDenied
from desktop.domain.roles import GRANTS, Permission, Role
from desktop.domain.users import AuditEntry, User
from desktop.services import audit, maintenance, users
from desktop.services import engineers, visit_list
from desktop.services import service_orders
from desktop.services import kpi, kpi_drill, kpi_settings
from desktop.domain.kpi import Drill, month

SERVICE_CALLS = {
    "list users": (Permission.USER_ADMIN, lambda db, actor, tmp: users.list_users(db, actor)),
    "add user": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.add_user(
            db, actor, username="newbie", display_name="新人", role=Role.SYSADMIN, password="Newbie123"
        ),
    ),
    "update user": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.update_user(
            db, actor, user_id=1, version=1, display_name="x", role=Role.SYSADMIN, is_active=True
        ),
    ),
    "set another user's password": (
        Permission.USER_ADMIN,
        lambda db, actor, tmp: users.set_password(db, actor, username="victim", password="Hacked123"),
    ),
    "disable user": (Permission.USER_ADMIN, lambda db, actor, tmp: users.disable_user(db, actor, username="victim")),
    "read audit log": (Permission.AUDIT_READ, lambda db, actor, tmp: audit.read_audit_log(db, actor)),
    "back up": (Permission.BACKUP, lambda db, actor, tmp: maintenance.backup_database(db, actor, target=tmp / "b.db")),
    "restore": (
        Permission.BACKUP,
        lambda db, actor, tmp: maintenance.restore_database(db, actor, source=tmp / "b.db", safety_dir=tmp),
    ),
    "read the month's KPIs": (Permission.KPI_READ, lambda db, actor, tmp: kpi.kpi_report(db, actor, period=month(2026, 10))),
    "read the KPI trends": (Permission.KPI_READ, lambda db, actor, tmp: kpi.kpi_trends(db, actor, end_month=month(2026, 10))),
    "open the records behind a KPI": (
        Permission.KPI_READ,
        lambda db, actor, tmp: kpi_drill.drill_rows(db, actor, Drill("orders", {"created_from": month(2026, 10).start})),
    ),
    "read the KPI settings": (Permission.KPI_READ, lambda db, actor, tmp: kpi_settings.get_kpi_settings(db, actor)),
    "change the KPI targets": (
        Permission.KPI_MANAGE, lambda db, actor, tmp: kpi_settings.set_kpi_settings(db, actor, fix_rate_target_percent=90),
    ),
    "list engineers": (Permission.ENGINEER_EDIT, lambda db, actor, tmp: engineers.list_engineers(db, actor)),
    "set an engineer's profile": (
        Permission.ENGINEER_EDIT,
        lambda db, actor, tmp: engineers.set_engineer_profile(db, actor, user_id=1, skills=["installation"], area="广东省"),
    ),
    "count customers in an area": (
        Permission.ENGINEER_EDIT, lambda db, actor, tmp: engineers.customers_in_area(db, actor, "广东省"),
    ),
    "list return visits due": (Permission.VISIT_RECORD, lambda db, actor, tmp: visit_list.due_list(db, actor)),
    "count return visits due": (Permission.VISIT_RECORD, lambda db, actor, tmp: visit_list.visit_counts(db, actor)),
    "open a return visit": (Permission.VISIT_RECORD, lambda db, actor, tmp: visit_list.visit_detail(db, actor, 1)),
    "customer of a return visit": (
        Permission.VISIT_RECORD, lambda db, actor, tmp: visit_list.customer_of_visit(db, actor, 1),
    ),
    "an order's contact and site address": (
        Permission.ORDER_READ, lambda db, actor, tmp: service_orders.order_contact(db, actor, 1),
    ),
    "parts issued against an order": (
        Permission.ORDER_READ, lambda db, actor, tmp: service_orders.issued_parts(db, actor, 1),
    ),
    "attach a signed paper sign-off": (
        Permission.ORDER_WORK,
        lambda db, actor, tmp: service_orders.attach_paper_signoff(db, actor, order_id=1, signer_name="张三",
                                                                   path=tmp / "signoff.png"),
    ),
    "open an order's attachment": (
        Permission.ORDER_READ,
        lambda db, actor, tmp: service_orders.order_attachment(db, actor, order_id=1, attachment_id=1),
    ),
}

CASES = [
    pytest.param(name, role, id=f"{name}-as-{role.value}")
    for name, (permission, _) in SERVICE_CALLS.items()
    for role in Role
    if permission not in GRANTS[role]
]


def test_every_permission_is_missing_from_some_role():
    for name, (permission, _) in SERVICE_CALLS.items():
        assert any(permission not in GRANTS[role] for role in Role), name


@pytest.mark.parametrize(("call", "role"), CASES)
def test_a_role_without_the_permission_is_refused(sqlite_db, make_user, tmp_path, call, role):
    make_user(sqlite_db, Role.OPERATOR, "victim")
    actor = make_user(sqlite_db, role).actor()
    with sqlite_db.session_factory() as session:
        before = (session.scalar(select(func.count()).select_from(User)),
                  session.scalar(select(func.count()).select_from(AuditEntry)))
    permission, invoke = SERVICE_CALLS[call]
    with pytest.raises(PermissionDenied) as refused:
        invoke(sqlite_db, actor, tmp_path)
    assert permission.value in refused.value.message
    with sqlite_db.session_factory() as session:
        after = (session.scalar(select(func.count()).select_from(User)),
                 session.scalar(select(func.count()).select_from(AuditEntry)))
    assert after == before
    assert not (tmp_path / "b.db").exists()


def test_everybody_may_change_their_own_password(sqlite_db, make_user):
    for role in Role:
        me = make_user(sqlite_db, role)
        users.set_password(sqlite_db, me.actor(), username=me.username, password="Mine12345")
        assert users.login(sqlite_db, username=me.username, password="Mine12345").id == me.id
