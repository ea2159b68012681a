"""The substring-search indexes, which are database-specific objects outside the entities' metadata
(migration 0003): SQLite's FTS5 trigram table with its shadow tables, PostgreSQL's pg_trgm GIN index."""

from __future__ import annotations

SQLITE_FTS_TABLES = ("customer_fts",)
POSTGRES_TRIGRAM_INDEXES = ("ix_customers_search_trgm",)


def is_search_index(name: str | None) -> bool:
    if not name:
        return False
    return name in POSTGRES_TRIGRAM_INDEXES or any(
        name == table or name.startswith(table + "_") for table in SQLITE_FTS_TABLES
    )


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: leave the search indexes out of schema comparisons."""
    return not (reflected and is_search_index(name))
