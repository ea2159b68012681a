"""PySide6 6.12.0 on Python 3.11 lost a reference to None on every call of a Qt method that returns None;
after a few thousand calls Python aborts with "Fatal Python error: none_dealloc". We pin 6.11.3
(pyproject.toml excludes 6.12.0); this test fails on a build with that bug before it can crash a user."""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QLabel

CALLS = 20_000


def test_qt_methods_returning_none_keep_the_reference_count_of_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    item = QStandardItem()
    before = sys.getrefcount(None)
    for n in range(CALLS):
        label.setText("x")  # each returns None
        label.setToolTip("y")
        item.setData(n)
    after = sys.getrefcount(None)
    # A buggy build loses 3 × 20,000 references here; ordinary interpreter noise is a handful.
    assert before - after < 1_000, f"None lost {before - after} references in {3 * CALLS} calls"
