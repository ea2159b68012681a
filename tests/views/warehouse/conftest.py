"""Fixtures of the warehouse screens: the demo warehouse (2,400 parts, zones A/B/C, a year of movements) built
once per run and copied for each test, a small warehouse built through the services, and a helper that
works inside a modal dialog."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from desktop.db.engine import make_engine
from desktop.db.migrate import upgrade
from desktop.db.uow import Database
from desktop.domain.roles import Role
from desktop.services import parts, stock, users
from desktop.services.demo import load_demo
from desktop.services.parts import PartInput
from desktop.services.stock import ReceiptLine
from desktop.views.warehouse import widgets
from tests.conftest import sqlite_url

DEMO_PASSWORD = "Demo1234"


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = Database(make_engine(sqlite_url(path)))
    upgrade(db.engine)
    load_demo(db)
    db.dispose()
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path):
    """A private copy of the demo database (SQLite's backup API: consistent whatever the WAL holds)."""
    target = tmp_path / "demo.sqlite3"
    with sqlite3.connect(demo_file) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    db = Database(make_engine(sqlite_url(target)))
    yield db
    db.dispose()


@pytest.fixture
def demo_keeper(demo_db):
    return users.login(demo_db, username="warehouse", password=DEMO_PASSWORD).actor()


@pytest.fixture
def demo_engineer(demo_db):
    return users.login(demo_db, username="engineer", password=DEMO_PASSWORD).actor()


@pytest.fixture
def keeper(sqlite_db, make_user):
    return make_user(sqlite_db, Role.WAREHOUSE, "zhaojun").actor()


@pytest.fixture
def small_warehouse(sqlite_db, keeper):
    """Zone A with 3 shelves × 2 layers × 2 positions; a capacitor received three times into three bins (the
    oldest lot lies furthest along the walk), a fan motor with too little stock and a substitute that has
    some."""
    parts.create_bins(sqlite_db, keeper, zone="A", shelves=range(1, 4), layers=range(1, 3), positions=range(1, 3))

    def part(code, name, unit="个", cost="10"):
        return parts.create_part(sqlite_db, keeper, data=PartInput(code=code, name=name, unit=unit,
                                                                   unit_cost=Decimal(cost)))

    capacitor = part("AC-CAP-35UF", "启动电容")
    motor = part("AC-FAN-20W", "室内风扇电机")
    spare_motor = part("AC-FAN-20W-B", "室内风扇电机（代用）")
    parts.set_substitutes(sqlite_db, keeper, part_id=motor.id, substitute_codes=[spare_motor.code])

    def receive(code, bin_code, quantity, day):
        stock.receive(sqlite_db, keeper, branch_code="GZ01", supplier_document=f"GYS-{day:%Y%m%d}", received_on=day,
                      lines=[ReceiptLine(code, bin_code, Decimal(quantity))])

    receive(capacitor.code, "A-03-1-01", 5, date(2026, 1, 5))  # oldest, last on the walk
    receive(capacitor.code, "A-01-2-02", 6, date(2026, 2, 1))
    receive(capacitor.code, "A-02-1-01", 4, date(2026, 3, 1))  # newest: not touched by an issue of 8
    receive(motor.code, "A-01-1-01", 2, date(2026, 2, 10))
    receive(spare_motor.code, "A-02-2-02", 9, date(2026, 2, 12))
    return {"capacitor": capacitor, "motor": motor, "spare_motor": spare_motor}


@pytest.fixture
def opened_files(monkeypatch) -> list:
    """PDFs the screens would open in the system's viewer (recorded instead)."""
    opened = []
    monkeypatch.setattr(widgets, "open_file", lambda path: opened.append(path) or True)
    return opened


