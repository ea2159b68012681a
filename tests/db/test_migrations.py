"""The migrations build one schema on SQLite and PostgreSQL, match the entities, and carry data forward."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, LargeBinary, Date, DateTime, Integer, MetaData, Numeric, String, Text, func, inspect, select

from desktop.db.engine import make_engine
from desktop.db.migrate import alembic_config, current_revision, head_revision, upgrade
from desktop.db.search_index import include_object, is_search_index
from desktop.domain.model import metadata
from tests.conftest import sqlite_url


def revisions_in_order() -> list[str]:
    return [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(sqlite_url(tmp_path / "fresh.sqlite3"))
    else:
        engine = make_engine(request.getfixturevalue("postgres").new_database(migrated=False))
    yield engine
    engine.dispose()


def schema_of(engine) -> dict:
    """Tables, columns, indexes, unique and foreign keys in backend-neutral terms."""
    insp = inspect(engine)
    schema = {}
    for table in sorted(t for t in insp.get_table_names() if not is_search_index(t)):
        columns = {}
        for col in insp.get_columns(table):
            generic = col["type"].as_generic()
            columns[col["name"]] = (type(generic).__name__, getattr(generic, "length", None), col["nullable"])
        uniques = {tuple(u["column_names"]) for u in insp.get_unique_constraints(table)}
        indexes = {
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in insp.get_indexes(table)
            if not i.get("duplicates_constraint")
            and not is_search_index(i["name"])
            and tuple(i["column_names"]) not in uniques
        }
        fks = {(tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"])) for f in insp.get_foreign_keys(table)}
        schema[table] = {"columns": columns, "indexes": indexes, "uniques": uniques, "fks": fks}
    return schema


def test_migrations_build_the_same_schema_on_sqlite_and_postgresql(tmp_path, postgres):
    lite = make_engine(sqlite_url(tmp_path / "a.sqlite3"))
    pg = make_engine(postgres.new_database(migrated=False))
    upgrade(lite)
    upgrade(pg)
    lite_schema, pg_schema = schema_of(lite), schema_of(pg)
    assert set(lite_schema) == set(pg_schema)
    for table in lite_schema:
        assert lite_schema[table] == pg_schema[table], table
    lite.dispose()
    pg.dispose()


def test_migrations_match_the_entities(empty_engine):
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    with empty_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object}), metadata)
    assert diffs == []


def _value_for(column, table: str, n: int):
    kind = column.type.as_generic()
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, DateTime):
        return datetime(2026, 7, 1, 14, 30 + n)
    if isinstance(kind, Date):
        return date(2026, 7, n)
    if isinstance(kind, Numeric):
        return 12.5 + n
    if isinstance(kind, LargeBinary):
        return f"{table}-{n}".encode()
    if isinstance(kind, JSON):
        return {"field": ["旧值", "新值"], "n": n}
    if isinstance(kind, String | Text):
        value = f"{table[:6]}-{column.name[:8]}-{n}-测试"
        return value[: kind.length] if getattr(kind, "length", None) else value
    raise AssertionError(f"no sample value for {table}.{column.name} of type {kind!r}")


def fill_every_table(conn) -> dict[str, int]:
    """Two rows in every empty table, every column filled, foreign keys pointing at real rows."""
    meta = MetaData()
    meta.reflect(conn)
    for table in meta.sorted_tables:
        if table.name == "alembic_version" or is_search_index(table.name):
            continue
        if conn.scalar(select(func.count()).select_from(table)):
            continue
        for n in (1, 2):
            row = {}
            for column in table.columns:
                if column.primary_key and column.autoincrement is not False and isinstance(column.type, Integer) \
                        and not column.foreign_keys:
                    continue
                if column.foreign_keys:  # the n-th row of the referred table, so composite keys stay unique
                    target = next(iter(column.foreign_keys)).column
                    row[column.name] = conn.scalar(select(target).order_by(target).offset(n - 1).limit(1))
                else:
                    row[column.name] = _value_for(column, table.name, n)
            if "JSON" in {type(c.type.as_generic()).__name__ for c in table.columns} and conn.dialect.name == "sqlite":
                row = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for k, v in row.items()}
            conn.execute(table.insert(), row)
    return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in meta.sorted_tables}


def test_every_migration_upgrades_a_database_filled_by_the_previous_version(empty_engine):
    revisions = revisions_in_order()
    assert len(revisions) >= 2
    upgrade(empty_engine, revision=revisions[0])
    for previous, following in zip(revisions, revisions[1:], strict=False):
        with empty_engine.begin() as conn:
            counts = fill_every_table(conn)
        upgrade(empty_engine, revision=following)
        assert current_revision(empty_engine) == following
        with empty_engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            for table, count in counts.items():
                if is_search_index(table):
                    continue
                assert conn.scalar(select(func.count()).select_from(meta.tables[table])) == count, (previous, table)


def test_upgrading_an_existing_sqlite_file_backs_it_up_first(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "old.sqlite3"))
    first = revisions_in_order()[0]
    upgrade(engine, revision=first)
    with engine.begin() as conn:
        fill_every_table(conn)
    result = upgrade(engine, backup_dir=tmp_path / "backups")
    engine.dispose()
    assert result.from_revision == first and result.to_revision == head_revision()
    assert result.backup is not None and result.backup.exists()
    old = make_engine(sqlite_url(result.backup))
    assert current_revision(old) == first
    with old.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar_one() == 2
    old.dispose()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    from desktop.db.migrate import MigrationError

    engine = make_engine(sqlite_url(tmp_path / "new.sqlite3"))
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MigrationError, match="9999"):
        upgrade(engine)
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_full_sync(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "p.sqlite3"))
    with engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 10_000
    engine.dispose()


def test_moments_come_back_as_the_same_utc_instant(any_db):
    from desktop.db.uow import SYSTEM
    from desktop.domain.users import AuditEntry

    moment = datetime(2026, 7, 1, 14, 30, tzinfo=UTC)
    with any_db.uow(SYSTEM) as uow:
        uow.session.add(AuditEntry(at=moment, username="x", action="print", entity="t", summary=""))
        uow.commit()
    with any_db.session_factory() as session:
        assert session.scalar(select(AuditEntry.at)) == moment
