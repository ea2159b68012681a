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


FREQUENT = 2_000  # more matches than this: walk the list's own order instead of collecting them all


def customer_matches(db, query: str):
    """A WHERE clause for customers whose search text contains `query` (already normalised).

    SQLite: three or more characters ask the trigram index. When the text is rare, the matching ids are
    few and the list reads just those; when it is frequent (a common surname, a phone prefix), collecting
    every match would cost more than walking the list in its order until a page is full, which LIKE does.
    One or two characters cannot use trigrams and always walk. PostgreSQL's planner makes the same choice
    from the pg_trgm statistics."""
    from sqlalchemy import func, select, text

    from desktop.domain.customers import Customer

    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    walk = Customer.search_text.like(pattern, escape="\\")
    if len(query) < 3 or db.engine.dialect.name != "sqlite":
        return walk
    phrase = '"' + query.replace('"', '""') + '"'
    matching = select(text("rowid")).select_from(text("customer_fts")).where(text("customer_fts MATCH :phrase"))
    matching = matching.params(phrase=phrase)
    with db.read_session_factory() as session:
        found = session.scalar(select(func.count()).select_from(matching.limit(FREQUENT + 1).subquery()))
    return walk if found > FREQUENT else Customer.id.in_(matching)
