"""Imports every entity, so `Base.metadata` is complete (Alembic and tests use this)."""

from desktop.domain import (  # noqa: F401
    complaints,
    customers,
    kpi_months,
    records,
    service_orders,
    stocktake,
    users,
    warehouse,
)
from desktop.domain.base import Base

metadata = Base.metadata
