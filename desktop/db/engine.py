"""Engines for the two supported databases.

SQLite (the default, one file): WAL, foreign keys, a busy timeout and synchronous=FULL on every
connection. SQLite before 3.51.3 can corrupt a WAL database when two connections of one process write or
checkpoint at the same moment, so a process keeps exactly one SQLite connection and threads take turns.

PostgreSQL (several PCs on one branch database): `postgresql+psycopg://user@host/db`.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUrlError(ValueError):
    pass


def normalize_url(url: str) -> str:
    """Accept the spellings people type: a bare file path, postgres://, postgresql:// (psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve().as_posix()}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(normalize_url(url)).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is None:
            raise DatabaseUrlError("an in-memory SQLite database cannot be shared; give a file path")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, decide when a transaction starts: BEGIN IMMEDIATE on the first
        # statement, so a writer waits for the lock up front instead of failing halfway (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    if backend == "postgresql":
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=4, max_overflow=4)
    raise DatabaseUrlError(f"unsupported database {backend!r}: use a SQLite file or postgresql+psycopg://")


def make_read_engine(engine: Engine) -> Engine:
    """Read-only connections for big lists and counts, so a long count never makes a save wait for the
    single writing connection. Read-only SQLite connections never write or checkpoint, which keeps them
    clear of the WAL race; on PostgreSQL the pool is shared."""
    if engine.dialect.name != "sqlite":
        return engine
    path = sqlite_path(str(engine.url))

    def connect():
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, check_same_thread=False,
                               timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return conn

    return create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=2, max_overflow=2,
                         pool_timeout=60)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" listener issues BEGIN itself
    cur = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "synchronous=FULL",
    ):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def log_database_version(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        version = f"SQLite {sqlite3.sqlite_version}"
        if sqlite3.sqlite_version_info < (3, 51, 3):
            version += " (before 3.51.3: one connection per process guards against the WAL race)"
    else:
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar_one()
            version = f"PostgreSQL {version}"
    log.info("database: %s at %s", version, engine.url.render_as_string(hide_password=True))
    return version
