"""Every change through a service is in the audit log, in the same transaction; nobody can edit it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from desktop.db.uow import SYSTEM
from desktop.domain.errors import ValidationError
from desktop.domain.roles import Role
from desktop.domain.users import AuditEntry
from desktop.services import audit, users
from desktop.services.audit import AuditFilter


def test_a_change_records_who_what_and_before_after(any_db, make_user):
    admin = make_user(any_db, Role.SYSADMIN, "root").actor()
    lina = make_user(any_db, Role.OPERATOR, "lina")
    users.update_user(any_db, admin, user_id=lina.id, version=lina.version, display_name="李娜",
                      role=Role.AFTER_SALES_ADMIN, is_active=True)
    [entry] = audit.read_audit_log(any_db, admin, where=AuditFilter(action="update", username="root"))
    assert entry.entity == "users" and entry.entity_id == str(lina.id)
    assert entry.before == {"display_name": "测试operator", "role": "operator"}
    assert entry.after == {"display_name": "李娜", "role": "after_sales_admin"}
    created = audit.read_audit_log(any_db, admin, where=AuditFilter(action="create", text=str(lina.id)))
    assert created[-1].after["username"] == "lina"
    assert "password_hash" not in created[-1].after


def test_a_refused_change_leaves_no_audit_entry(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    count = len(audit.read_audit_log(sqlite_db, admin))
    with pytest.raises(ValidationError):
        users.add_user(sqlite_db, admin, username="x y", display_name="坏", role=Role.OPERATOR, password="Good12345")
    assert len(audit.read_audit_log(sqlite_db, admin)) == count


def test_audit_entries_cannot_be_changed_through_the_application(any_db):
    with any_db.uow(SYSTEM) as uow:
        uow.audit("print", "users", 1, summary="slip")
        uow.commit()
    with any_db.uow(SYSTEM) as uow:
        entry = uow.session.scalar(select(AuditEntry))
        entry.summary = "forged"
        with pytest.raises(PermissionError):
            uow.commit()
    with any_db.uow(SYSTEM) as uow:
        uow.session.delete(uow.session.scalar(select(AuditEntry)))
        with pytest.raises(PermissionError):
            uow.commit()


@pytest.mark.parametrize("statement", [update(AuditEntry).values(summary="forged"), delete(AuditEntry)])
def test_the_database_refuses_to_change_audit_entries_whatever_program_asks(any_db, statement):
    with any_db.uow(SYSTEM) as uow:
        uow.audit("export", "customers", None, summary="xlsx")
        uow.commit()
    with any_db.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(statement)
        conn.rollback()
        assert conn.execute(text("SELECT summary FROM audit_log")).scalar_one() == "xlsx"


def test_audit_log_pages_newest_first_with_keyset(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    with sqlite_db.uow(SYSTEM) as uow:
        for n in range(25):
            uow.audit("print", "slips", n, summary=f"slip {n}")
        uow.commit()
    where = AuditFilter(action="print")
    first = audit.read_audit_log(sqlite_db, admin, where=where, limit=10)
    second = audit.read_audit_log(sqlite_db, admin, where=where, limit=10, before_id=first[-1].id)
    assert [r.summary for r in first][:2] == ["slip 24", "slip 23"]
    assert second[0].summary == "slip 14"
    assert {r.id for r in first}.isdisjoint(r.id for r in second)
