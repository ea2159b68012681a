"""Service order screens on real SQLite files: a small branch of our own (an operator, two engineers with
profiles, the after-sales administrator, the manager, a customer with two units on file), orders made through
the real services in the state a test asks for, and help to work in the modal dialogs the screens open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import QThreadPool

from desktop.config import Settings
from desktop.db.uow import SYSTEM, Actor
from desktop.domain.base import utcnow
from desktop.domain.customers import CustomerKind
from desktop.domain.roles import Role
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import EngineerProfile, OrderCategory, OrderStatus
from desktop.models.lazy_table_model import count_pool
from desktop.services import customers
from desktop.services import service_orders as orders
from desktop.services.customers import CustomerInput, CustomerRecord, ProductInput, ProductRecord
from desktop.services.service_orders import OrderInput, OrderRecord

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")
BOUGHT_DAYS_AGO = 100  # the air conditioner: in its whole-unit warranty, past the 15 days of exchange


@pytest.fixture(autouse=True)
def background_work_finishes(qtbot):
    """Counts, exports and PDFs still running when the test's database goes away would fail later."""
    yield
    qtbot.waitUntil(lambda: count_pool().waitForDone(0) and QThreadPool.globalInstance().waitForDone(0),
                    timeout=10_000)


@dataclass
class Desk:
    operator: Actor
    engineer: Actor  # 张工: troubleshooting and repairs in Guangzhou
    engineer2: Actor  # 刘工: installation in Foshan
    admin: Actor  # after-sales administrator
    manager: Actor
    engineer_id: int
    engineer2_id: int
    zhang: CustomerRecord  # 张三丰, an individual in Guangzhou
    air_conditioner: ProductRecord  # KFR-35GW, bought BOUGHT_DAYS_AGO days ago
    lathe: ProductRecord  # CK6150 machinery, under contract until next year


@pytest.fixture
def desk(sqlite_db, make_user) -> Desk:
    people = {
        "operator": make_user(sqlite_db, Role.OPERATOR, "operator"),
        "engineer": make_user(sqlite_db, Role.ENGINEER, "engineer"),
        "engineer2": make_user(sqlite_db, Role.ENGINEER, "engineer2"),
        "admin": make_user(sqlite_db, Role.AFTER_SALES_ADMIN, "asadmin"),
        "manager": make_user(sqlite_db, Role.MANAGER, "manager"),
    }
    with sqlite_db.uow(SYSTEM) as uow:
        uow.session.add(EngineerProfile(user_id=people["engineer"].id, area="广东省广州市",
                                        skills=[OrderCategory.TROUBLESHOOTING.value,
                                                OrderCategory.EMERGENCY_REPAIR.value]))
        uow.session.add(EngineerProfile(user_id=people["engineer2"].id, area="广东省佛山市",
                                        skills=[OrderCategory.INSTALLATION.value]))
        uow.commit()
    op = people["operator"].actor()
    zhang = customers.create_customer(sqlite_db, op, data=CustomerInput(
        kind=CustomerKind.INDIVIDUAL, name="张三丰", contact_person="张三丰", phone="13912345678",
        region="广东省广州市天河区", address_detail="天河路 385 号 12 楼"))
    bought = utcnow().astimezone().date() - timedelta(days=BOUGHT_DAYS_AGO)
    air = customers.add_product(sqlite_db, op, customer_id=zhang.id, data=ProductInput(
        category="air_conditioner", model="KFR-35GW", serial_number="KFR3525001", purchase_date=bought,
        invoice_date=bought, invoice_number="0451"))
    lathe = customers.add_product(sqlite_db, op, customer_id=zhang.id, data=ProductInput(
        category="machinery", model="CK6150", serial_number="CK61502501", contract_number="HT-2025-018",
        warranty_end=utcnow().astimezone().date() + timedelta(days=300)))
    zhang = customers.get_customer(sqlite_db, op, zhang.id)
    return Desk(op, people["engineer"].actor(), people["engineer2"].actor(), people["admin"].actor(),
                people["manager"].actor(), people["engineer"].id, people["engineer2"].id, zhang, air, lathe)


@pytest.fixture
def make_order(sqlite_db, desk) -> Callable[..., OrderRecord]:
    """make_order(status=REGISTERED, request=..., appointment_in=hours, finish_in=hours, **input fields): an
    order for 张三丰's air conditioner brought to `status` through the services (dispatched to 张工)."""

    def make(status: OrderStatus = OrderStatus.REGISTERED, *, request: str = "空调不制冷",
             appointment_in: float = 2, finish_in: float = 6, arrived: bool | None = None, **fields) -> OrderRecord:
        data = {"customer_id": desk.zhang.id, "product_id": desk.air_conditioner.id, "request": request,
                "category": OrderCategory.TROUBLESHOOTING, **fields}
        order = orders.register_order(sqlite_db, desk.operator, branch_code="GZ01", coverage=Coverage.WARRANTY,
                                      data=OrderInput(**data))
        if status == OrderStatus.REGISTERED:
            return order
        when = utcnow() + timedelta(hours=appointment_in)
        order = orders.dispatch(sqlite_db, desk.operator, order_id=order.id, version=order.version,
                                engineer_id=desk.engineer_id, appointment_at=when,
                                finish_by=utcnow() + timedelta(hours=finish_in))
        if status == OrderStatus.DISPATCHED:
            return order
        # arrives now: the request was registered just now, so a past appointment is met late
        order = orders.arrive(sqlite_db, desk.engineer, order_id=order.id, version=order.version)
        if status == OrderStatus.ON_SITE:
            return order
        order = orders.record_work(sqlite_db, desk.engineer, order_id=order.id, version=order.version,
                                   confirmed_need="不制冷", diagnosis="电容失效", measures="更换电容",
                                   labour_fee=0, other_fee=0, fees_agreed=True, self_check_done=True)
        order = orders.complete(sqlite_db, desk.engineer, order_id=order.id, version=order.version)
        if status == OrderStatus.COMPLETED:
            return order
        return orders.sign(sqlite_db, desk.engineer, order_id=order.id, signer_role="customer",
                           signer_name="张三丰", strokes=[[[1, 1, 0], [9, 9, 10]]], image_png=b"\x89PNG...")

    return make


