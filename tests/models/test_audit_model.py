"""AuditModel: the audit log a page at a time, newest first, filtered in SQL."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QModelIndex, Qt

from desktop import i18n
from desktop.db.uow import SYSTEM, Actor
from desktop.domain.base import utcnow
from desktop.domain.roles import Role
from desktop.models.audit_model import (
    ACTION,
    PAGE_SIZE,
    RECORD_ID,
    RECORD_TYPE,
    SUMMARY,
    TIME,
    USER,
    AuditModel,
    record_types,
)
from desktop.services import users
from desktop.services.audit import AuditFilter

N = 450
CLERK = Actor(user_id=None, username="clerk", role=Role.OPERATOR)


def print_slips(db, n: int, actor: Actor = SYSTEM) -> None:
    with db.uow(actor) as uow:
        for number in range(n):
            uow.audit("print", "complaints", number, summary=f"slip {number}")
        uow.commit()


def fetch_all(model: AuditModel) -> None:
    for _ in range(100):  # bounded: a model that never reaches the end fails instead of hanging
        if not model.canFetchMore(QModelIndex()):
            return
        model.fetchMore(QModelIndex())
    raise AssertionError("the model never reached the end of the log")


def column(model: AuditModel, col: int) -> list[str]:
    return [model.index(row, col).data() for row in range(model.rowCount())]


def test_pages_of_200_newest_first_until_the_end(sqlite_db):
    print_slips(sqlite_db, N)
    model = AuditModel(sqlite_db, SYSTEM)
    model.set_filter(AuditFilter(action="print"))

    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == N
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == N

    summaries = column(model, SUMMARY)
    assert summaries == [f"slip {n}" for n in range(N - 1, -1, -1)]  # every entry once, newest first
    ids = [model.entry_at(row).id for row in range(model.rowCount())]
    assert ids == sorted(set(ids), reverse=True)


def test_filters_are_applied_and_a_new_filter_starts_again(sqlite_db, qtbot):
    print_slips(sqlite_db, 250)
    print_slips(sqlite_db, 3, CLERK)
    with sqlite_db.uow(SYSTEM) as uow:
        uow.audit("export", "customers", None, summary="customers.xlsx")
        uow.commit()
    model = AuditModel(sqlite_db, SYSTEM)
    model.set_filter(AuditFilter())
    fetch_all(model)
    assert model.rowCount() == 254

    with qtbot.waitSignal(model.modelReset):
        model.set_filter(AuditFilter(username="clerk"))
    assert column(model, USER) == ["clerk"] * 3
    assert not model.canFetchMore(QModelIndex())

    model.set_filter(AuditFilter(action="export"))
    assert column(model, SUMMARY) == ["customers.xlsx"]
    model.set_filter(AuditFilter(entity="complaints", text="slip 24"))
    assert sorted(column(model, SUMMARY)) == [
        "slip 24",
        "slip 240",
        "slip 241",
        "slip 242",
        "slip 243",
        "slip 244",
        "slip 245",
        "slip 246",
        "slip 247",
        "slip 248",
        "slip 249",
    ]
    model.set_filter(AuditFilter(since=utcnow() + timedelta(hours=1)))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    assert model.filter() == AuditFilter(since=model.filter().since)


def test_model_passes_the_model_tester(sqlite_db, qtmodeltester):
    print_slips(sqlite_db, 230)
    model = AuditModel(sqlite_db, SYSTEM)
    qtmodeltester.check(model, force_py=True)  # checks every change from here on

    model.set_filter(AuditFilter())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 230
    model.set_filter(AuditFilter(text="slip 1"))
    model.refresh()
    assert model.rowCount() > 0


def test_cells_read_in_local_time_with_translated_labels(sqlite_db, make_user):
    admin = make_user(sqlite_db, Role.SYSADMIN, "root").actor()
    lina = make_user(sqlite_db, Role.OPERATOR, "lina")
    users.update_user(
        sqlite_db,
        admin,
        user_id=lina.id,
        version=lina.version,
        display_name="李娜",
        role=Role.OPERATOR,
        is_active=True,
    )
    model = AuditModel(sqlite_db, admin)
    model.set_filter(AuditFilter(username="root"))

    entry = model.entry_at(0)
    assert [model.index(0, c).data() for c in (USER, ACTION, RECORD_TYPE, RECORD_ID, SUMMARY)] == [
        "root",
        "Changed",
        "User",
        str(lina.id),
        "display_name",
    ]
    assert model.index(0, TIME).data() == entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # nobody edits the audit log

    model.set_filter(AuditFilter(action="create", text=str(lina.id)))
    assert model.index(0, SUMMARY).data() == "lina, 测试operator, operator"  # which record was made

    i18n.install_hook(
        lambda context, text: {("AuditAction", "Changed"): "修改", ("RecordType", "User"): "用户"}.get(
            (context, text), text
        )
    )
    try:
        model.set_filter(AuditFilter(username="root"))
        assert [model.index(0, ACTION).data(), model.index(0, RECORD_TYPE).data()] == ["修改", "用户"]
    finally:
        i18n.install_hook(None)


def test_record_types_are_the_tables_and_the_database():
    types = record_types()
    assert {"users", "customers", "complaints", "database"} <= set(types)
    assert "audit_log" not in types
