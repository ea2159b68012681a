"""Gap-free, never-reused numbers that stay unique when two PCs ask at the same moment."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# One statement that both SQLite (3.35+) and PostgreSQL run atomically: PostgreSQL locks the row on
# conflict, SQLite's writer lock (BEGIN IMMEDIATE, db/engine.py) serialises the whole transaction.
_NEXT = text(
    "INSERT INTO counters (name, value) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
)


def next_number(session: Session, series: str) -> int:
    return session.execute(_NEXT, {"name": series}).scalar_one()
