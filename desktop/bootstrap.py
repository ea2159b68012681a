"""Start-up that the GUI and the CLI share: logging, the database at the newest schema."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from desktop import __version__
from desktop.config import Settings, data_dir, effective_db_url
from desktop.db.engine import log_database_version, make_engine
from desktop.db.migrate import upgrade
from desktop.db.uow import Database

log = logging.getLogger("desktop")


def setup_logging(*, verbose: bool = False) -> None:
    logs = data_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        logs / "branchdesk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    root.setLevel(logging.INFO)
    log.info("BranchDesk %s, Python %s", __version__, sys.version.split()[0])


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    engine = make_engine(effective_db_url(settings))
    log_database_version(engine)
    if migrate:
        upgrade(engine, backup_dir=data_dir() / "backups")
    return Database(engine)
