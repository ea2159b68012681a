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


PAGE = 200


def customer_matches(db, query: str):
    """A WHERE clause for customers whose search text contains `query` (already normalised).

    One or two characters match the start of the name (a surname, a company's first characters): no index
    finds "any part" for so short a text, and walking a million rows for it would freeze the list.
    Three or more characters match any part of the search text:
    - SQLite asks the trigram index. A rare text gives few ids, and the list reads just those. A frequent
      text (a phone prefix, a model) would give so many that walking the list in its own order until a page
      is full costs less: collecting m ids costs about m, walking about PAGE × rows ÷ m, which meet at
      m = √(PAGE × rows).
    - PostgreSQL's planner makes the same choice from the pg_trgm statistics."""
    from sqlalchemy import func, select, text

    from desktop.domain.customers import Customer

    if len(query) < 3:
        # A range on the indexed name works on both databases where LIKE 'x%' may not use the index.
        return Customer.name >= query, Customer.name < query + "\U0010ffff"
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    walk = Customer.search_text.like(pattern, escape="\\")
    if db.engine.dialect.name != "sqlite":
        return (walk,)
    phrase = '"' + query.replace('"', '""') + '"'
    probe = text("SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH :phrase LIMIT :limit)")
    with db.read_session_factory() as session:
        rows = session.scalar(select(func.max(Customer.id))) or 0
        frequent = int((PAGE * rows) ** 0.5)
        found = session.scalar(probe, {"phrase": phrase, "limit": frequent + 1})
    if found > frequent:
        return (walk,)
    # Rare: SQLite reads the matching ids from the index itself, within the list's own query.
    matching = select(text("rowid")).select_from(text("customer_fts")).where(text("customer_fts MATCH :phrase"))
    return (Customer.id.in_(matching.params(phrase=phrase)),)
