"""Complaint screens on real SQLite files: the demo branch (39 complaints in every state, made through the
services) copied for each test from one loaded per run, or a small book of our own; and help to work in
the modal dialogs the screens open."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool

from desktop.config import Settings
from desktop.db.engine import make_engine
from desktop.db.migrate import upgrade
from desktop.db.uow import Actor, Database
from desktop.domain.complaints import Channel, ComplaintClass, Status
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.models.lazy_table_model import count_pool
from desktop.services import complaints, customers, users
from desktop.services.complaint_list import ComplaintFilter, complaint_register
from desktop.services.complaints import ComplaintInput, ComplaintRecord
from desktop.services.customers import CustomerInput, CustomerRecord, ProductInput, ProductRecord
from desktop.services.demo import DEMO_PASSWORD, load_demo
from desktop.services.paging import Sort

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


@pytest.fixture(autouse=True)
def background_work_finishes(qtbot):
    """Counts, exports and PDFs still running when the test's database goes away would fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0) and QThreadPool.globalInstance().waitForDone(0),
                    timeout=10_000)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    upgrade(engine)
    db = Database(engine)
    load_demo(db)
    db.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path):
    path = tmp_path / "branch.sqlite3"
    shutil.copy(demo_file, path)
    db = Database(make_engine(f"sqlite:///{path.as_posix()}"))
    yield db
    db.dispose()


@pytest.fixture
def demo_people(demo_db) -> dict[str, Actor]:
    names = ("operator", "operator2", "manager", "asadmin", "engineer", "warehouse")
    return {name: users.login(demo_db, username=name, password=DEMO_PASSWORD).actor() for name in names}


@pytest.fixture
def demo_complaint(demo_db, demo_people) -> Callable[[Status], ComplaintRecord]:
    """demo_complaint(status): the oldest demo complaint in this state, as the manager reads it."""

    def find(status: Status) -> ComplaintRecord:
        manager = demo_people["manager"]
        source = complaint_register(demo_db, manager, where=ComplaintFilter(statuses=(status,)))
        [row] = source.fetch(sort=Sort("received_at"), after=None, limit=1)
        return complaints.get_complaint(demo_db, manager, row.id)

    return find


@dataclass
class Book:
    operator: Actor
    admin: Actor  # after-sales administrator
    manager: Actor
    engineer: Actor
    zhang: CustomerRecord
    air_conditioner: ProductRecord
    lathe: ProductRecord


@pytest.fixture
def book(sqlite_db, make_user) -> Book:
    people = {role: make_user(sqlite_db, role, role.value).actor() for role in Role}
    op = people[Role.OPERATOR]
    zhang = customers.create_customer(sqlite_db, op, data=CustomerInput(
        kind=CustomerKind.INDIVIDUAL, name="张三丰", phone="13912345678", region="广东省广州市天河区"))
    air = customers.add_product(sqlite_db, op, customer_id=zhang.id, data=ProductInput(
        category="air_conditioner", model="KFR-35GW", serial_number="KFR2501000001", invoice_number="0451"))
    lathe = customers.add_product(sqlite_db, op, customer_id=zhang.id, data=ProductInput(
        category="machine_tool", model="CK6150", serial_number="CK61502501"))
    return Book(op, people[Role.AFTER_SALES_ADMIN], people[Role.MANAGER], people[Role.ENGINEER], zhang, air, lathe)


@pytest.fixture
def new_complaint(sqlite_db, book) -> Callable[..., ComplaintRecord]:
    """new_complaint(**fields): a complaint of 张三丰 about his air conditioner, registered by the operator."""

    def register(**extra) -> ComplaintRecord:
        data = {"customer_id": book.zhang.id, "product_id": book.air_conditioner.id, "channel": Channel.HOTLINE,
                "description": "空调制冷效果差", "classification": ComplaintClass.QUALITY, "severity": 2}
        return complaints.register_complaint(sqlite_db, book.operator, branch_code="GZ01",
                                             data=ComplaintInput(**{**data, **extra}))

    return register


