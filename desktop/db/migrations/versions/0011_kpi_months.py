"""Closed months' KPI facts (desktop/domain/kpi_months.py).

Revision ID: 0011
Revises: 0010

One row per closed month and scope (the whole branch, engineer_id 0, or one engineer): the aggregates its
figures are assembled from, stored the first time the month is read after it closed.
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_months",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("engineer_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("computed_by", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("month", "engineer_id", name="uq_kpi_months_month_engineer"),
    )


def downgrade() -> None:
    op.drop_table("kpi_months")
