"""`branchdesk demo`: fill an empty database with demo users, customers and installed products.

Users, customers and products go in with bulk inserts in one transaction (a million customers in minutes,
not hours) and one audit entry records that load; a cancelled or failed load leaves the database as it was.
Then complaints in every state are made through the real services, each step its own transaction as when
people work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from desktop.db.bulk import after_explicit_ids, refresh_statistics
from desktop.db.uow import SYSTEM, Database
from desktop.domain.complaints import Complaint
from desktop.domain.customers import Customer, Product
from desktop.domain.errors import DomainError
from desktop.domain.roles import Role
from desktop.domain.users import User
from desktop.i18n import translate
from desktop.services.demo_complaints import add_demo_complaints
from desktop.services.demo_data import DemoGenerator
from desktop.services.demo_history import add_demo_history
from desktop.services.demo_orders import add_demo_orders
from desktop.services.demo_warehouse import add_demo_warehouse
from desktop.services.users import hash_password

DEMO_PASSWORD = "Demo1234"
DEMO_USERS = (
    ("admin", "系统管理员", Role.SYSADMIN),
    ("manager", "王建国", Role.MANAGER),
    ("asadmin", "陈晓梅", Role.AFTER_SALES_ADMIN),
    ("operator", "李娜", Role.OPERATOR),
    ("operator2", "周敏", Role.OPERATOR),
    ("engineer", "张伟", Role.ENGINEER),
    ("engineer2", "刘强", Role.ENGINEER),
    ("warehouse", "赵军", Role.WAREHOUSE),
)
SIZES = {"small": 300, "large": 1_000_000}
BATCH = 5_000

Progress = Callable[[int, int, str], bool]


class DemoCancelled(DomainError):
    pass


@dataclass(frozen=True)
class DemoSummary:
    users: list[tuple[str, str, Role]] = field(default_factory=list)
    customers: int = 0
    products: int = 0
    complaints: int = 0
    parts: int = 0
    movements: int = 0
    orders: int = 0

    def describe(self) -> str:
        lines = [
            f"demo data: {self.customers:,} customers, {self.products:,} products, {self.complaints} complaints, "
            f"{self.orders} service orders, "
            f"{self.parts:,} parts with {self.movements:,} stock movements; "
            f"users (password {DEMO_PASSWORD}):"
        ]
        lines += [f"  {name:<10} {display:<6} {role.value}" for name, display, role in self.users]
        return "\n".join(lines)


def load_demo(
    db: Database, *, size: str = "small", branch_code: str = "GZ01", progress: Progress | None = None
) -> DemoSummary:
    total = SIZES[size]
    report = progress or (lambda done, total, what: True)
    generator = DemoGenerator()
    password_hash = hash_password(DEMO_PASSWORD)
    with db.uow(SYSTEM) as uow:
        session = uow.session
        if session.scalar(select(func.count()).select_from(User)) or session.scalar(
            select(func.count()).select_from(Customer)
        ):
            raise DomainError(
                translate("Demo", "The database already has data: demo data goes only into an empty database.")
            )
        for username, display_name, role in DEMO_USERS:
            session.add(
                User(username=username, display_name=display_name, role=role.value, password_hash=password_hash)
            )
        session.flush()

        what = translate("Demo", "Customers and products")
        start = datetime.now(UTC) - timedelta(days=5 * 365)
        step = timedelta(days=5 * 365) / total
        product_id = 1
        products_total = 0
        conn = session.connection()
        for first in range(1, total + 1, BATCH):
            customers, products = [], []
            for customer_id in range(first, min(first + BATCH, total + 1)):
                customer, rows = generator.customer_with_products(customer_id, start + step * customer_id, product_id)
                customers.append(customer)
                products.extend(rows)
                product_id += len(rows)
            conn.execute(insert(Customer), customers)
            conn.execute(insert(Product), products)
            products_total += len(products)
            if not report(customers[-1]["id"], total, what):
                raise DemoCancelled(translate("Demo", "Loading demo data was cancelled; nothing was saved."))
        after_explicit_ids(conn, [Customer.__table__, Product.__table__])
        report(0, 1, translate("Demo", "Warehouse"))
        warehouse = add_demo_warehouse(session, branch_code=branch_code, today=datetime.now().date())
        uow.audit(
            "create",
            "demo",
            None,
            summary=f"demo data: {len(DEMO_USERS)} users, {total} customers, {products_total} products, "
            f"{warehouse['parts']} parts, {warehouse['movements']} stock movements",
        )
        history = None
        if size == "large":  # five years of orders, complaints, visits and parts for the KPIs and benchmarks
            history = add_demo_history(session, branch_code=branch_code, password_hash=password_hash, progress=report)
            if history is None:
                raise DemoCancelled(translate("Demo", "Loading demo data was cancelled; nothing was saved."))
            uow.audit("create", "demo", None, summary=f"demo history: {history.describe()}")
        uow.commit()
    refresh_statistics(db.engine)
    report(0, 1, translate("Demo", "Complaints"))
    add_demo_complaints(db, branch_code=branch_code)
    report(1, 1, translate("Demo", "Complaints"))
    report(0, 1, translate("Demo", "Service orders"))
    order_count = add_demo_orders(db, branch_code=branch_code)
    report(1, 1, translate("Demo", "Service orders"))
    with db.session_factory() as session:  # the return visits opened one more complaint
        complaint_count = session.scalar(select(func.count()).select_from(Complaint))
    return DemoSummary(users=list(DEMO_USERS) + (history.engineers if history else []), customers=total,
                       products=products_total, complaints=complaint_count, parts=warehouse["parts"],
                       movements=warehouse["movements"] + (history.movements if history else 0),
                       orders=order_count + (history.orders if history else 0))
