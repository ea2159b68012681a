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


def customer_matches(dialect: str, query: str):
    """A WHERE clause for customers whose search text contains `query` (already normalised).

    Three or more characters use the trigram index; one or two cannot (a trigram needs three) and scan,
    which the keyset LIMIT keeps short for frequent text such as a common surname."""
    from sqlalchemy import select, text

    from desktop.domain.customers import Customer

    if len(query) >= 3 and dialect == "sqlite":
        phrase = '"' + query.replace('"', '""') + '"'
        matching = select(text("rowid")).select_from(text("customer_fts")).where(text("customer_fts MATCH :phrase"))
        return Customer.id.in_(matching.params(phrase=phrase))
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return Customer.search_text.like(pattern, escape="\\")
