"""Roles and what each may do (domain.md §1). Least privilege: a role has only what is listed."""

from __future__ import annotations

from enum import StrEnum

from desktop.i18n import translate


class Role(StrEnum):
    OPERATOR = "operator"  # 客服专员
    ENGINEER = "engineer"  # 技术支持工程师
    WAREHOUSE = "warehouse"  # 库管员
    AFTER_SALES_ADMIN = "after_sales_admin"  # 售后服务管理人员
    MANAGER = "manager"  # 分公司经理
    SYSADMIN = "sysadmin"  # 系统管理员

    @property
    def label(self) -> str:
        return {
            Role.OPERATOR: translate("Role", "Front-desk operator"),
            Role.ENGINEER: translate("Role", "Service engineer"),
            Role.WAREHOUSE: translate("Role", "Warehouse keeper"),
            Role.AFTER_SALES_ADMIN: translate("Role", "After-sales administrator"),
            Role.MANAGER: translate("Role", "Branch manager"),
            Role.SYSADMIN: translate("Role", "System administrator"),
        }[self]


class Permission(StrEnum):
    USER_ADMIN = "user.admin"
    AUDIT_READ = "audit.read"
    BACKUP = "db.backup"
    SETTINGS = "settings.edit"
    CUSTOMER_READ = "customer.read"
    CUSTOMER_EDIT = "customer.edit"
    PII_VIEW = "pii.view"  # see phones, addresses and ID numbers in full (domain.md §10)
    DATA_EXPORT = "data.export"
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_REGISTER = "complaint.register"
    COMPLAINT_HANDLE = "complaint.handle"  # acknowledge, assess, tell the customer, record the answer
    COMPLAINT_INVESTIGATE = "complaint.investigate"  # cause and responsibility
    COMPLAINT_CLOSE = "complaint.close"  # close, reopen, escalate, mark duplicate
    COMPLAINT_DECIDE = "complaint.decide"  # the branch manager's final say (domain.md §3)
    COST_ENTER = "cost.enter"
    COST_APPROVE = "cost.approve"
    ORDER_READ = "order.read"
    ORDER_REGISTER = "order.register"  # intake, read-back, coverage decision
    ORDER_DISPATCH = "order.dispatch"  # choose the engineer, agree and change appointments
    ORDER_WORK = "order.work"  # the engineer's record, parts used, completion, signatures
    VISIT_RECORD = "visit.record"  # return visits
    ENGINEER_EDIT = "engineer.edit"  # engineers' skills and service areas, which dispatch ranks by
    KPI_READ = "kpi.read"  # the monthly KPI dashboard and report (domain.md §9)
    KPI_MANAGE = "kpi.manage"  # the KPI targets and definitions; recompute a closed month
    STOCK_READ = "stock.read"  # parts, bins, availability, the ledger
    STOCK_EDIT = "stock.edit"  # part master and bins
    STOCK_MOVE = "stock.move"  # receive, issue, transfer, return, scrap, reverse


_OPERATOR = {
    Permission.CUSTOMER_READ,
    Permission.CUSTOMER_EDIT,
    Permission.PII_VIEW,
    Permission.COMPLAINT_READ,
    Permission.COMPLAINT_REGISTER,
    Permission.COMPLAINT_HANDLE,
    Permission.ORDER_READ,
    Permission.ORDER_REGISTER,
    Permission.ORDER_DISPATCH,
    Permission.VISIT_RECORD,
}
_ENGINEER = {
    Permission.ORDER_READ,
    Permission.ORDER_WORK,
    Permission.CUSTOMER_READ,
    Permission.COMPLAINT_READ,
    Permission.COMPLAINT_INVESTIGATE,
    Permission.COST_ENTER,
    Permission.STOCK_READ,
}
_WAREHOUSE = {Permission.STOCK_READ, Permission.STOCK_EDIT, Permission.STOCK_MOVE, Permission.DATA_EXPORT}
_AS_ADMIN = _OPERATOR | {
    Permission.ORDER_WORK,
    Permission.DATA_EXPORT,
    Permission.STOCK_READ,
    Permission.COMPLAINT_INVESTIGATE,
    Permission.COMPLAINT_CLOSE,
    Permission.COST_ENTER,
    Permission.ENGINEER_EDIT,
    Permission.KPI_READ,
}
_MANAGER = _AS_ADMIN | {Permission.AUDIT_READ, Permission.COMPLAINT_DECIDE, Permission.COST_APPROVE,
                       Permission.KPI_MANAGE}
_SYSADMIN = {Permission.USER_ADMIN, Permission.AUDIT_READ, Permission.BACKUP, Permission.SETTINGS}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset(_OPERATOR),
    Role.ENGINEER: frozenset(_ENGINEER),
    Role.WAREHOUSE: frozenset(_WAREHOUSE),
    Role.AFTER_SALES_ADMIN: frozenset(_AS_ADMIN),
    Role.MANAGER: frozenset(_MANAGER),
    Role.SYSADMIN: frozenset(_SYSADMIN),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
