"""Customer search text with a trigram index, and an index per sortable list column.

Revision ID: 0003
Revises: 0002

The substring index differs by database: SQLite gets an FTS5 table with the trigram tokenizer kept in step
by triggers; PostgreSQL a GIN pg_trgm index. Both answer `LIKE '%query%'` for queries of three or more
characters without scanning the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SORTABLE = ("name", "kind", "contact_person", "phone", "region", "importance", "created_at")


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch.drop_index("ix_customers_name_id")
        batch.drop_index("ix_customers_phone")
    for column in SORTABLE:
        op.create_index(f"ix_customers_{column}_id", "customers", [column, "id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE customer_fts USING fts5("
            "search_text, content='customers', content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN "
            "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN "
            "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_text ON customers BEGIN "
            "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
            "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
        op.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER customers_fts_{trigger}")
        op.execute("DROP TABLE customer_fts")
    else:
        op.execute("DROP INDEX ix_customers_search_trgm")
    for column in SORTABLE:
        op.drop_index(f"ix_customers_{column}_id", "customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("search_text")
        batch.create_index("ix_customers_name_id", ["name", "id"])
        batch.create_index("ix_customers_phone", ["phone"])
