"""An index of the service orders' status with their deadlines: the open and overdue orders beside the
navigation are counted from it alone.

Revision ID: 0012
Revises: 0011

The count of open orders found the few thousand open ones by the status index, but the overdue ones needed
their deadlines: SQLite then searched the deadline indexes (past which nearly every order of the years lies)
or read the whole table, 66–105 ms on the large demo every minute. With the deadlines in the index, both
counts read only the open orders' entries.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NAME = "ix_service_orders_status_deadlines"


def upgrade() -> None:
    op.create_index(NAME, "service_orders", ["status", "finish_by", "appointment_at", "arrived_at"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="service_orders")
