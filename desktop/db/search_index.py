"""The substring-search indexes, which are database-specific objects outside the entities' metadata
(migration 0003): SQLite's FTS5 trigram table with its shadow tables, PostgreSQL's pg_trgm GIN index."""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict

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
PROBE_MEMORY = 256  # texts whose frequency is remembered, per database
PROBE_MEMORY_S = 300.0  # …for this long: the table changes slowly, and a stale answer only costs speed


class _Frequencies:
    """What the trigram index said about texts searched lately, so a keystroke need not ask it again.

    A text containing a rare text is rare, and a text contained in a frequent text is frequent: typing
    "鑫达机电" after "鑫达机" (rare) skips the probe, and so does deleting back from a frequent "kfr2".
    Only the speed depends on this, never what the list shows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._texts: OrderedDict[str, tuple[bool, float]] = OrderedDict()  # text -> (frequent, when)
        self.rows: tuple[int, float] | None = None  # the largest customer id, and when it was read

    def known(self, query: str, now: float) -> bool | None:
        with self._lock:
            for text, (frequent, when) in list(self._texts.items()):
                if now - when > PROBE_MEMORY_S:
                    del self._texts[text]
                elif (frequent and query in text) or (not frequent and text in query):
                    return frequent
        return None

    def remember(self, query: str, frequent: bool, now: float) -> None:
        with self._lock:
            self._texts[query] = (frequent, now)
            self._texts.move_to_end(query)
            while len(self._texts) > PROBE_MEMORY:
                self._texts.popitem(last=False)


_frequencies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> _Frequencies
_frequencies_lock = threading.Lock()


def _frequencies_of(engine) -> _Frequencies:
    with _frequencies_lock:
        found = _frequencies.get(engine)
        if found is None:
            found = _frequencies[engine] = _Frequencies()
        return found


def customer_matches(db, query: str):
    """A WHERE clause for customers whose search text contains `query` (already normalised).

    One or two characters match the start of the name (a surname, a company's first characters): no index
    finds "any part" for so short a text, and walking a million rows for it would freeze the list.
    Three or more characters match any part of the search text:
    - SQLite asks the trigram index. A rare text gives few ids, and the list reads just those. A frequent
      text (a phone prefix, a model) would give so many that walking the list in its own order until a page
      is full costs less: collecting m ids costs about m, walking about PAGE × rows ÷ m, which meet at
      m = √(PAGE × rows).
      What the index said is remembered for a while (`_Frequencies`), as typing asks about nested texts.
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
    memory, now = _frequencies_of(db.engine), time.monotonic()
    frequent = memory.known(query, now)
    if frequent is None:
        probe = text("SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH :phrase "
                     "LIMIT :limit)")
        with db.read_session_factory() as session:
            if memory.rows is None or now - memory.rows[1] > PROBE_MEMORY_S:
                memory.rows = (session.scalar(select(func.max(Customer.id))) or 0, now)
            enough = int((PAGE * memory.rows[0]) ** 0.5)
            frequent = session.scalar(probe, {"phrase": phrase, "limit": enough + 1}) > enough
        memory.remember(query, frequent, now)
    if frequent:
        return (walk,)
    # Rare: SQLite reads the matching ids from the index itself, within the list's own query.
    matching = select(text("rowid")).select_from(text("customer_fts")).where(text("customer_fts MATCH :phrase"))
    return (Customer.id.in_(matching.params(phrase=phrase)),)
