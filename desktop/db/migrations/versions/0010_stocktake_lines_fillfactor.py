"""Room on each page of stocktake_lines for the counts written into them (PostgreSQL only).

Revision ID: 0010
Revises: 0009

Importing a count sheet updates every line of a stocktake at once (50,000 in a large one). PostgreSQL writes
each update as a new row version; on a full page it goes to another page, and all three indexes of the table
get a new entry. With 20 % of each page free, most updates stay on their page (a HOT update) and leave the
indexes alone. SQLite updates in place and has no such setting.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE stocktake_lines SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE stocktake_lines RESET (fillfactor)")
