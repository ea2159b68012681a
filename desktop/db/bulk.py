"""Bulk-load helpers that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection, Table, text


def after_explicit_ids(conn: Connection, tables: list[Table]) -> None:
    """After inserting rows with explicit ids, move PostgreSQL's id sequences past them (SQLite needs
    nothing: it takes max(id) + 1)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def execute_many(conn: Connection, sql: str, rows: list[tuple]) -> None:
    """Run one statement for many rows straight through the driver: tens of thousands of rows without
    SQLAlchemy building parameters row by row. `sql` uses ? placeholders; values must already be what the
    column stores (e.g. Quantity as whole hundredths)."""
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    conn.exec_driver_sql(sql, rows)


def refresh_statistics(engine) -> None:
    """ANALYZE after a bulk load: without fresh statistics PostgreSQL's planner takes a million new rows for
    a few hundred and sorts the whole table instead of walking an index."""
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
