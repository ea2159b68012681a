"""Customers and their installed products (the service file).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from desktop.domain.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("archived_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(40)),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("contact_person", sa.String(60), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("phone2", sa.String(30), nullable=False),
        sa.Column("region", sa.String(60), nullable=False),
        sa.Column("address_detail", sa.String(200), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("importance", sa.String(12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "merged_into_id",
            sa.Integer(),
            sa.ForeignKey("customers.id", name=op.f("fk_customers_merged_into_id_customers")),
        ),
        *_record_columns(),
    )
    op.create_index("ix_customers_name_id", "customers", ["name", "id"])
    op.create_index("ix_customers_phone", "customers", ["phone"])
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "customer_id",
            sa.Integer(),
            sa.ForeignKey("customers.id", name=op.f("fk_products_customer_id_customers")),
            nullable=False,
        ),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("model", sa.String(60), nullable=False),
        sa.Column("serial_number", sa.String(60), nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("purchase_date", sa.Date()),
        sa.Column("invoice_date", sa.Date()),
        sa.Column("invoice_number", sa.String(40), nullable=False),
        sa.Column("install_date", sa.Date()),
        sa.Column("contract_number", sa.String(60), nullable=False),
        sa.Column("warranty_end", sa.Date()),
        sa.Column("site_address", sa.String(200), nullable=False),
        *_record_columns(),
        sa.UniqueConstraint("serial_number", name=op.f("uq_products_serial_number")),
    )
    op.create_index("ix_products_customer_id", "products", ["customer_id"])
    op.create_index("ix_products_contract_number", "products", ["contract_number"])


def downgrade() -> None:
    op.drop_table("products")
    op.drop_table("customers")
