"""The interface language: our translations (.qm built from resources/i18n/*.ts) and Qt's own.

English is the source language, so `en` installs nothing. Qt's qtbase translation turns the standard
buttons (OK, Cancel, Yes, No …) and the file dialogs Chinese too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop import i18n

log = logging.getLogger(__name__)

# Beside this file both in the source tree and in a PyInstaller bundle (build.spec copies desktop/resources).
I18N_DIR = Path(__file__).parent / "resources" / "i18n"
SOURCE_LANGUAGE = "en"


def qm_path(language: str) -> Path:
    return I18N_DIR / f"branchdesk_{language}.qm"


def qt_translations_dirs() -> list[Path]:
    """Where Qt keeps qtbase_*.qm: what QLibraryInfo says, then the PySide6 package folder (a bundle may
    place them there without a qt.conf that points at it)."""
    found = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        found.append(Path(PySide6.__file__).parent / "Qt" / "translations")
    except ImportError:  # pragma: no cover - PySide6 is imported above already
        pass
    return found


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language` on `app` and return them (owned by `app`, so they live as
    long as it does; pass them to remove_translators to undo). Missing files are logged, not fatal: the
    program then speaks English."""
    if language == SOURCE_LANGUAGE:
        return []
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(qm_path(language))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no translation %s: the interface stays English", qm_path(language))
    qt_own = QTranslator(app)
    locale = QLocale(language)
    for folder in qt_translations_dirs():
        if qt_own.load(locale, "qtbase", "_", str(folder)):
            app.installTranslator(qt_own)
            installed.append(qt_own)
            break
    else:
        log.info("Qt's own %s translation not found; standard buttons stay English", language)
    QLocale.setDefault(locale)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale.system())


def install_translate_hook() -> None:
    """Route desktop.i18n.translate() (domain, services: code without Qt) through Qt's translators."""
    i18n.install_hook(lambda context, text: QCoreApplication.translate(context, text))
