"""Shared fixtures: real SQLite files and the real PostgreSQL server, never mocks of the database.

PostgreSQL tests run when BRANCHDESK_TEST_PG_URL names a server where we may create databases
(.ci/run sets it to postgresql+psycopg://postgres@127.0.0.1:5432/postgres); elsewhere they skip, saying so.
Each test gets its own database, copied from a migrated template made once per run.
"""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("BRANCHDESK_TEST_CHEAP_HASH", "1")  # before desktop.services.users builds its hasher

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desktop.db.engine import make_engine
from desktop.db.migrate import upgrade
from desktop.db.uow import SYSTEM, Database
from desktop.domain.roles import Role
from desktop.services import users

PG_URL = os.environ.get("BRANCHDESK_TEST_PG_URL", "")
PASSWORD = "Secret123"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Settings, logs and backups of the code under test go to a temporary folder."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("BRANCHDESK_HOME", str(folder))
    return folder


def sqlite_url(path) -> str:
    return f"sqlite:///{path.as_posix()}"


@pytest.fixture
def sqlite_db(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "branch.sqlite3"))
    upgrade(engine)
    db = Database(engine)
    yield db
    db.dispose()


class PostgresServer:
    def __init__(self, url: str):
        self.admin_url = make_url(url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"bd_template_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = [self.template]
        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.url_of(self.template))
        upgrade(engine)
        engine.dispose()

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def new_database(self, *, migrated: bool = True) -> str:
        name = f"bd_test_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{self.template}"' if migrated else ""))
        self.created.append(name)
        return self.url_of(name)

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))


@pytest.fixture(scope="session")
def postgres():
    if not PG_URL:
        pytest.skip("PostgreSQL tests need BRANCHDESK_TEST_PG_URL (set by .ci/run)")
    server = PostgresServer(PG_URL)
    yield server
    server.drop_all()


@pytest.fixture
def pg_db(postgres):
    db = Database(make_engine(postgres.new_database()))
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request):
    """The same test on both databases the product supports."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def make_user():
    def make(db: Database, role: Role, username: str | None = None) -> users.UserRow:
        return users.add_user(
            db,
            SYSTEM,
            username=username or f"{role.value}_{uuid.uuid4().hex[:6]}",
            display_name=f"测试{role.value}",
            role=role,
            password=PASSWORD,
        )

    return make
