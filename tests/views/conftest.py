"""Fixtures every screen's tests share."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.views.dialogs import in_dialog as _in_dialog


@pytest.fixture
def in_dialog() -> Callable:
    """tests.views.dialogs.in_dialog, as a fixture."""
    return _in_dialog
