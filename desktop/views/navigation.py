"""What the main window's navigation lists: one entry per page, grouped under headings, each shown only to
roles with its permission. A feature adds its pages here; the main window stays thin.

Titles are marked with QT_TRANSLATE_NOOP so lupdate extracts them, and translated when the window is built.
Pages are imported when first opened, which keeps the start fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission


@dataclass(frozen=True)
class PageContext:
    """What a page is built with. `open_page(key)` shows another page and returns it, so a page can hand a
    record to another (a customer's complaints, a complaint's customer)."""

    db: Database
    actor: Actor
    settings: Settings
    parent: QWidget
    open_page: Callable[[str], QWidget | None]


@dataclass(frozen=True)
class PageSpec:
    key: str
    group: str  # heading, English source text in context "Navigation"
    title: str
    permission: Permission
    make: Callable[[PageContext], QWidget]
    badge: Callable[[Database, Actor], str] | None = None  # a short figure shown beside the title
    # Slow to open the first time (figures to read, charts to lay out): the main window builds it once it is
    # idle after sign-in and calls its prepare(), so the first opening shows it at once.
    prepared: bool = False

    def translated_group(self) -> str:
        return QCoreApplication.translate("Navigation", self.group)

    def translated_title(self) -> str:
        return QCoreApplication.translate("Navigation", self.title)


def _users(ctx: PageContext) -> QWidget:
    from desktop.views.admin.users_page import UsersPage

    return UsersPage(ctx.db, ctx.actor, ctx.parent)


def _audit(ctx: PageContext) -> QWidget:
    from desktop.views.admin.audit_page import AuditLogPage

    return AuditLogPage(ctx.db, ctx.actor, ctx.parent)


def _backup(ctx: PageContext) -> QWidget:
    from desktop.views.admin.backup_page import BackupPage

    return BackupPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


def _customers(ctx: PageContext) -> QWidget:
    from desktop.views.customers.customers_page import CustomersPage

    page = CustomersPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)
    page.sig_complaint_activated.connect(lambda complaint_id: _show_complaint(ctx, complaint_id))
    return page


def _show_complaint(ctx: PageContext, complaint_id: int) -> None:
    """A complaint chosen in a customer's file opens on the complaints page, when the user has one."""
    page = ctx.open_page("complaints")
    opener = getattr(page, "open_complaint", None)
    if callable(opener):
        opener(complaint_id)


def _complaint_badge(db: Database, actor: Actor) -> str:
    """Open and overdue complaints, beside the navigation entry: two indexed counts, cheap enough to refresh."""
    from desktop.services.complaint_list import complaint_counts

    counts = complaint_counts(db, actor)
    if counts.overdue:
        return QCoreApplication.translate("Navigation", "{open} open, {overdue} overdue").format(
            open=counts.open, overdue=counts.overdue)
    return QCoreApplication.translate("Navigation", "{open} open").format(open=counts.open)


def _complaints(ctx: PageContext) -> QWidget:
    from desktop.views.complaints.complaints_page import ComplaintsPage

    return ComplaintsPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


def _visits(ctx: PageContext) -> QWidget:
    from desktop.views.visits.visits_page import VisitsPage

    page = VisitsPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)
    page.sig_customer_activated.connect(lambda customer_id: _show_customer(ctx, customer_id))
    page.sig_complaint_activated.connect(lambda complaint_id: _show_complaint(ctx, complaint_id))
    # A recorded or planned visit changes the figure beside the entry: no need to wait for the minute.
    page.sig_counts_changed.connect(lambda: getattr(ctx.parent, "refresh_badges", lambda: None)())
    return page


def _show_customer(ctx: PageContext, customer_id: int) -> None:
    """A customer chosen on another page opens in their file, from the customers page, when the user has one."""
    page = ctx.open_page("customers")
    opener = getattr(page, "open_customer", None)
    if callable(opener):
        opener(customer_id)


def _visit_badge(db: Database, actor: Actor) -> str:
    """Return visits overdue and due today: two counts of visits not yet made."""
    from desktop.services.visit_list import visit_counts

    counts = visit_counts(db, actor)
    if counts.overdue:  # first: the navigation may cut the end off
        return QCoreApplication.translate("Navigation", "{overdue} overdue, {today} due today").format(
            overdue=counts.overdue, today=counts.today)
    return QCoreApplication.translate("Navigation", "{today} due today").format(today=counts.today)


def _engineers(ctx: PageContext) -> QWidget:
    from desktop.views.admin.engineers_page import EngineersPage

    return EngineersPage(ctx.db, ctx.actor, ctx.parent)


def _orders(ctx: PageContext) -> QWidget:
    from desktop.views.orders.orders_page import OrdersPage

    page = OrdersPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)
    # A new or changed order changes the figure beside the entry: no need to wait for the minute.
    page.sig_counts_changed.connect(lambda _text: getattr(ctx.parent, "refresh_badges", lambda: None)())
    return page


def _order_badge(db: Database, actor: Actor) -> str:
    """Open and overdue service orders (an engineer's own), beside the navigation entry: two indexed counts."""
    from desktop.services.order_list import order_counts

    counts = order_counts(db, actor)
    if counts.overdue:
        return QCoreApplication.translate("Navigation", "{open} open, {overdue} overdue").format(
            open=counts.open, overdue=counts.overdue)
    return QCoreApplication.translate("Navigation", "{open} open").format(open=counts.open)


def _kpi(ctx: PageContext) -> QWidget:
    from desktop.views.kpi.dashboard_page import KpiDashboardPage

    page = KpiDashboardPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)
    page.set_page_opener(ctx.open_page)  # the records behind a figure open on the list pages
    return page


def _parts(ctx: PageContext) -> QWidget:
    from desktop.views.warehouse.parts_page import PartsPage

    return PartsPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


def _shelf_map(ctx: PageContext) -> QWidget:
    from desktop.views.warehouse.shelf_map_page import ShelfMapPage

    return ShelfMapPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


def _movements(ctx: PageContext) -> QWidget:
    from desktop.views.warehouse.movements_page import MovementsPage

    return MovementsPage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


def _stocktake(ctx: PageContext) -> QWidget:
    from desktop.views.stocktake.stocktake_page import StocktakePage

    return StocktakePage(ctx.db, ctx.actor, ctx.settings, ctx.parent)


SERVICE_DESK = QT_TRANSLATE_NOOP("Navigation", "Service desk")
WAREHOUSE = QT_TRANSLATE_NOOP("Navigation", "Warehouse")
REPORTS = QT_TRANSLATE_NOOP("Navigation", "Reports")
ADMINISTRATION = QT_TRANSLATE_NOOP("Navigation", "Administration")

# In the order the navigation shows them; Ctrl+1…9 open the first nine a user may see.
PAGES: list[PageSpec] = [
    PageSpec("customers", SERVICE_DESK, QT_TRANSLATE_NOOP("Navigation", "Customers"), Permission.CUSTOMER_READ,
             _customers),
    PageSpec("complaints", SERVICE_DESK, QT_TRANSLATE_NOOP("Navigation", "Complaints"), Permission.COMPLAINT_READ,
             _complaints, _complaint_badge),
    PageSpec("orders", SERVICE_DESK, QT_TRANSLATE_NOOP("Navigation", "Service orders"), Permission.ORDER_READ,
             _orders, _order_badge),
    PageSpec("visits", SERVICE_DESK, QT_TRANSLATE_NOOP("Navigation", "Return visits"), Permission.VISIT_RECORD,
             _visits, _visit_badge),
    PageSpec("engineers", SERVICE_DESK, QT_TRANSLATE_NOOP("Navigation", "Engineers"), Permission.ENGINEER_EDIT,
             _engineers),
    PageSpec("kpi", REPORTS, QT_TRANSLATE_NOOP("Navigation", "KPIs"), Permission.KPI_READ, _kpi, prepared=True),
    PageSpec("parts", WAREHOUSE, QT_TRANSLATE_NOOP("Navigation", "Parts"), Permission.STOCK_READ, _parts),
    PageSpec("shelf_map", WAREHOUSE, QT_TRANSLATE_NOOP("Navigation", "Shelf map"), Permission.STOCK_READ, _shelf_map),
    PageSpec("movements", WAREHOUSE, QT_TRANSLATE_NOOP("Navigation", "Stock movements"), Permission.STOCK_READ,
             _movements),
    PageSpec("stocktake", WAREHOUSE, QT_TRANSLATE_NOOP("Navigation", "Stocktake"), Permission.STOCK_READ,
             _stocktake),
    PageSpec("users", ADMINISTRATION, QT_TRANSLATE_NOOP("Navigation", "Users"), Permission.USER_ADMIN, _users),
    PageSpec("audit", ADMINISTRATION, QT_TRANSLATE_NOOP("Navigation", "Audit log"), Permission.AUDIT_READ, _audit),
    PageSpec("backup", ADMINISTRATION, QT_TRANSLATE_NOOP("Navigation", "Backup and restore"), Permission.BACKUP,
             _backup),
]
