"""Two KPI indexes carry the columns their month's statement reads, so it reads the index alone.

Revision ID: 0013
Revises: 0012

- return_visits (due_on, id) gains done_at and order_id: the visits due in a month and those made (visit
  response rate, also per engineer through the order) were each looked up in the table, 7,900 rows for a
  month of the large demo. Leading with (due_on, id) it still gives the due list its order.
- complaint_costs (approved_at) becomes (approved_at, state, bearer, allocation_department, amount,
  complaint_id): a month's approved costs by bearer and department.
On SQLite each statement took half the time (services/kpi_queries.py).
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# (name, table, columns before, columns after)
CHANGES = (
    ("ix_return_visits_due_on_id", "return_visits", ["due_on", "id"], ["due_on", "id", "done_at", "order_id"]),
    ("ix_complaint_costs_approved_at", "complaint_costs", ["approved_at"],
     ["approved_at", "state", "bearer", "allocation_department", "amount", "complaint_id"]),
)


def upgrade() -> None:
    for name, table, _before, after in CHANGES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, after)


def downgrade() -> None:
    for name, table, before, _after in reversed(CHANGES):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before)
