"""Indexes the monthly KPIs range over, so a month reads that month's rows and never a scan of years.

Revision ID: 0009
Revises: 0008

Each leads with the timestamp a KPI restricts to the month and carries the columns the KPI counts, so the
counts (and twelve months of trends) are read from the index alone, without a visit to each row
(services/kpi_queries.py):
- complaints (received_at, status, owner_id, classification, product_model, first_reply_at): complaints
  received (the complaint rate and its trend, classes, models, first reply times);
- complaints (closed_at, status, owner_id): closed as resolved or not (resolution rate); also the ones closed
  after a past month's end (open at that moment);
- complaint_costs (approved_at): the cost lines approved in the month;
- service_orders (created_at, revision, engineer_id, category, customer_id): orders per category and the
  customers served (the complaint rate's denominator);
- service_orders (finished_at, …): repair orders finished on time and first time (timeliness, first-time
  fix), and those finished after a past month's end (open then);
- service_orders (arrived_at, …): repair orders reached (average response time);
- service_orders (finish_by, …): orders due (fix rate);
- return_visits (done_at, due_on, id, score, order_id): the visits made (satisfaction); and, with done_at
  NULL, the visits still to make in due order (the front desk's due list and its badge would otherwise
  read every visit ever made).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_complaints_received_at_status", "complaints",
     ["received_at", "status", "owner_id", "classification", "product_model", "first_reply_at"]),
    ("ix_complaints_closed_at", "complaints", ["closed_at", "status", "owner_id"]),
    ("ix_complaint_costs_approved_at", "complaint_costs", ["approved_at"]),
    ("ix_service_orders_created_at_kpi", "service_orders",
     ["created_at", "revision", "engineer_id", "category", "customer_id"]),
    ("ix_service_orders_finished_at", "service_orders",
     ["finished_at", "category", "revision", "engineer_id", "first_time_fix", "arrived_at", "appointment_at",
      "finish_by"]),
    ("ix_service_orders_arrived_at", "service_orders", ["arrived_at", "category", "revision", "engineer_id", "created_at"]),
    ("ix_service_orders_finish_by", "service_orders", ["finish_by", "status", "revision", "engineer_id", "finished_at"]),
    ("ix_return_visits_done_at", "return_visits", ["done_at", "due_on", "id", "score", "order_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
