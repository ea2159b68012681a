"""Bulk-load helpers that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def execute_many(conn: Connection, sql: str, rows: list[tuple]) -> int:
    """Run one statement for many rows straight through the driver: tens of thousands of rows without
    SQLAlchemy building parameters row by row. `sql` uses ? placeholders; values must already be what the
    column stores (e.g. Quantity as whole hundredths; `insert_many` and `update_many` convert them).
    Returns the rows the statement changed over all parameter sets (sqlite3 and psycopg both add them up),
    so a guarded UPDATE can tell that every row matched."""
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    return conn.exec_driver_sql(sql, rows).rowcount


def insert_many(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple], *,
                same: Mapping[str, object] | None = None) -> int:
    """INSERT plain tuples (in the order of `columns`) straight through the driver; `same` gives further
    columns one value for every row (sent once). PostgreSQL gets one statement over arrays
    (`INSERT … SELECT … FROM unnest(…)`), SQLite executemany (in-process, cheap). Core inserts like this
    bypass the ORM session, so the unit of work writes no audit entry per row: the service that
    bulk-loads records one summary entry itself (`uow.audit`)."""
    if not rows:
        return 0
    quote = conn.dialect.identifier_preparer.quote
    fixed_names, fixed = _fixed(conn, table, same)
    target = f"{quote(table.name)} ({', '.join(quote(c) for c in (*columns, *fixed_names))})"
    values = _bound_columns(conn, table, columns, rows)
    if conn.dialect.name == "postgresql":
        source = _unnest(conn, table, columns, "v")
        extra = "".join(", %b" for _ in fixed)
        # The constants' placeholders come before unnest's in the text, so their values come first.
        sql = f"INSERT INTO {target} SELECT v.*{extra} FROM {source}"
        return conn.exec_driver_sql(sql, (*fixed, *values)).rowcount
    placeholders = ", ".join("?" for _ in (*columns, *fixed_names))
    return execute_many(conn, f"INSERT INTO {target} VALUES ({placeholders})",
                        [(*row, *fixed) for row in zip(*values, strict=True)])


def update_many(conn: Connection, table: Table, key: str, columns: Sequence[str], rows: list[tuple], *,
                same: Mapping[str, object] | None = None, add: bool = False,
                at_least: int | None = None) -> int:
    """UPDATE many rows found by `key`, each with its own values: rows are (key, *columns) as Python values;
    `same` sets further columns to one value on every row (sent once). `add` adds each value to its column
    instead of setting it; `at_least` then leaves alone a row whose first column would end below that (in
    stored units) — compare the returned count with len(rows) to know that every row was changed.
    PostgreSQL gets one statement over arrays (`UPDATE … FROM unnest(…)`), SQLite executemany. No audit
    entries per row, as with `insert_many`."""
    if at_least is not None and not add:
        raise ValueError("at_least guards an addition (add=True)")
    if not rows:
        return 0
    quote = conn.dialect.identifier_preparer.quote
    name = quote(table.name)
    fixed_names, fixed = _fixed(conn, table, same)
    keys, *values = _bound_columns(conn, table, (key, *columns), rows)
    if conn.dialect.name == "postgresql":
        source = _unnest(conn, table, (key, *columns), "v")
        assignments = [f"{quote(c)} = {f'{name}.{quote(c)} + ' if add else ''}v.{quote(c)}" for c in columns]
        assignments += [f"{quote(c)} = %b" for c in fixed_names]
        sql = (f"UPDATE {name} SET {', '.join(assignments)} FROM {source} "
               f"WHERE {name}.{quote(key)} = v.{quote(key)}")
        if at_least is not None:
            first = quote(columns[0])
            sql += f" AND {name}.{first} + v.{first} >= {int(at_least)}"
        return conn.exec_driver_sql(sql, (*fixed, keys, *values)).rowcount
    assignments = [f"{quote(c)} = {f'{quote(c)} + ' if add else ''}?" for c in columns]
    assignments += [f"{quote(c)} = ?" for c in fixed_names]
    sql = f"UPDATE {name} SET {', '.join(assignments)} WHERE {quote(key)} = ?"
    if at_least is None:
        parameters = [(*row, *fixed, k) for k, *row in zip(keys, *values, strict=True)]
    else:
        sql += f" AND {quote(columns[0])} + ? >= {int(at_least)}"
        parameters = [(*row, *fixed, k, row[0]) for k, *row in zip(keys, *values, strict=True)]
    return execute_many(conn, sql, parameters)


def _bound_columns(conn: Connection, table: Table, names: Sequence[str], rows: list[tuple]) -> list[list]:
    """The rows as one list per column, each value converted by its column's own type for this database
    (Decimal quantities to hundredths, aware times to naive UTC, …) as SQLAlchemy would, a column at a
    time."""
    dialect = conn.dialect
    columns = [list(column) for column in zip(*rows, strict=True)]
    for index, name in enumerate(names):
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            columns[index] = [processor(value) for value in columns[index]]
    return columns


def _fixed(conn: Connection, table: Table, same: Mapping[str, object] | None) -> tuple[list[str], list]:
    if not same:
        return [], []
    names = list(same)
    return names, [values[0] for values in _bound_columns(conn, table, names, [tuple(same.values())])]


def _unnest(conn: Connection, table: Table, columns: Sequence[str], alias: str) -> str:
    """PostgreSQL: `unnest(%b::type[], …) AS alias(columns)`, one array parameter per column (%b: sent in
    binary, no quoting of 50,000 values)."""
    quote = conn.dialect.identifier_preparer.quote
    types = [table.c[c].type.compile(dialect=conn.dialect) for c in columns]
    return (f"unnest({', '.join(f'%b::{t}[]' for t in types)}) "
            f"AS {alias}({', '.join(quote(c) for c in columns)})")


def refresh_statistics(engine) -> None:
    """ANALYZE after a bulk load: without fresh statistics PostgreSQL's planner takes a million new rows for
    a few hundred and sorts the whole table instead of walking an index. On PostgreSQL also VACUUM, as
    autovacuum would do some time later: until the visibility map of the new pages is set, an index-only
    scan still visits every row in the table (the KPIs' month of orders took 6 ms instead of 2)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
