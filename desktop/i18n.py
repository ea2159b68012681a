"""Translation hook for code that must not import Qt (domain, services, reports, CLI messages).

`translate("Context", "English source text")` is what pyside6-lupdate extracts into the .ts files. At start
the application installs Qt's translator as the hook (desktop/translations.py); until then, and in tests
that do not install one, the English source text is returned.
"""

from __future__ import annotations

from collections.abc import Callable

_hook: Callable[[str, str], str] | None = None


def translate(context: str, text: str) -> str:
    return _hook(context, text) if _hook else text


def install_hook(hook: Callable[[str, str], str] | None) -> Callable[[str, str], str] | None:
    """Returns the hook it replaces, so a caller can put it back."""
    global _hook
    previous, _hook = _hook, hook
    return previous
