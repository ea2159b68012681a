"""Imports every entity, so `Base.metadata` is complete (Alembic and tests use this)."""

from desktop.domain import complaints, customers, records, service_orders, stocktake, users, warehouse  # noqa: F401
from desktop.domain.base import Base

metadata = Base.metadata
