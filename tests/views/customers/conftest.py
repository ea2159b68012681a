"""A small customer book on a real SQLite file, the page as each role sees it, and help to reach the
dialogs the page opens (they are window-modal but do not block, so a test works in them directly)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from desktop.config import Settings
from desktop.db.uow import Actor
from desktop.domain.complaints import Channel, ComplaintClass
from desktop.domain.customers import CustomerKind, Importance
from desktop.domain.roles import Role
from desktop.models.lazy_table_model import count_pool
from desktop.services import complaints, customers
from desktop.services.complaints import ComplaintInput
from desktop.services.customers import CustomerInput, CustomerRecord, ProductInput, ProductRecord
from desktop.views.customers.customers_page import CustomersPage

NAME_COLUMN, PHONE_COLUMN = 1, 4


@dataclass
class Book:
    operator: Actor
    wang: CustomerRecord
    wang_twin: CustomerRecord  # the same person entered twice
    li: CustomerRecord
    firm: CustomerRecord
    unit: ProductRecord  # 王小明's air conditioner, with a complaint
    twin_unit: ProductRecord
    complaint_number: str


@pytest.fixture(autouse=True)
def background_work_finishes(sqlite_db, qtbot):
    """Counts and exports still running when the test's database goes away would fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0) and QThreadPool.globalInstance().waitForDone(0),
                    timeout=10_000)


@pytest.fixture
def book(sqlite_db, make_user) -> Book:
    op = make_user(sqlite_db, Role.OPERATOR, "lina").actor()

    def customer(name, phone="", kind=CustomerKind.INDIVIDUAL, **extra):
        data = CustomerInput(kind=kind, name=name, phone=phone, **extra)
        return customers.create_customer(sqlite_db, op, data=data)

    def product(owner, serial, model="KFR-35GW/BP3DN8Y", contract=""):
        return customers.add_product(sqlite_db, op, customer_id=owner.id, data=ProductInput(
            category="air_conditioner", model=model, serial_number=serial, contract_number=contract))

    wang = customer("王小明", "13800001234", region="广东省广州市天河区", address_detail="天河北路1号")
    twin = customer("王小明", "", region="广东省广州市天河区")
    li = customer("李四", "13912345678")
    firm = customer("佛山华通精密机械有限公司", "0757-83331234", kind=CustomerKind.COMPANY,
                    contact_person="陈经理", importance=Importance.IMPORTANT)
    unit = product(wang, "KFR2503000111")
    twin_unit = product(twin, "KFR2409000222")
    product(firm, "CK61502501", model="CK6150 数控车床", contract="HT-2025-0042")
    complaint = complaints.register_complaint(sqlite_db, op, branch_code="GZ01", data=ComplaintInput(
        customer_id=wang.id, product_id=unit.id, channel=Channel.HOTLINE, description="不制冷",
        classification=ComplaintClass.QUALITY, severity=2))
    wang = customers.get_customer(sqlite_db, op, wang.id)
    return Book(op, wang, twin, li, firm, unit, twin_unit, complaint.number)


@pytest.fixture
def make_page(sqlite_db, qtbot):
    def make(actor: Actor) -> CustomersPage:
        page = CustomersPage(sqlite_db, actor, Settings())
        qtbot.addWidget(page)
        page.resize(1100, 600)
        page.show()
        page.activateWindow()
        qtbot.waitActive(page)  # shortcuts reach only the active window
        return page

    return make


@pytest.fixture
def page(book, make_page) -> CustomersPage:
    return make_page(book.operator)


def names(page: CustomersPage) -> list[str]:
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(row, NAME_COLUMN).data() for row in range(model.rowCount())]


def opened(qtbot, kind: type[QWidget]) -> QWidget:
    """The visible window or dialog of `kind` the last action opened."""
    found: list[QWidget] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=3_000)
    return found[-1]


def closed(window: QWidget) -> bool:
    """Closed, and maybe deleted already (the page's dialogs delete themselves when they close)."""
    return not isValid(window) or not window.isVisible()
