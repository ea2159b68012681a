"""Indexes of the service order list: sorting by number and the search by contact phone.

Revision ID: 0008
Revises: 0007

- (number, id): the list sorts by number with the id as tie-breaker (keyset paging), and the search matches
  a number from its start, a range on this index;
- (contact_phone): the search matches the caller's number from its start.
The filter "newest revision only" needs nothing new: the unique (number, revision) index answers it.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_service_orders_number_id", ["number", "id"]),
    ("ix_service_orders_contact_phone", ["contact_phone"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "service_orders", columns)


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="service_orders")
