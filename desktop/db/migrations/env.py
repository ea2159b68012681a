"""Alembic environment: run with the connection desktop/db/migrate.py hands over."""

from alembic import context

from desktop.db.search_index import include_object
from desktop.domain.model import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
