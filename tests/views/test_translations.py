"""Every visible string has its Simplified Chinese translation, the shipped .qm matches the .ts, and the
interface really speaks Chinese with the translator installed (architecture.md convention 7)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from desktop import i18n
from desktop.config import Settings
from desktop.domain.roles import Role
from desktop.translations import install_translate_hook, install_translators, qm_path, remove_translators

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "desktop" / "resources" / "i18n" / "branchdesk_zh_CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    kind: str  # the translation's type: "" when finished
    texts: tuple[str, ...]  # the translation; one text per plural form for a %n message
    numerus: bool


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            found.append(
                Message(
                    context=context.findtext("name"),
                    source=message.findtext("source"),
                    kind=translation.get("type", ""),
                    texts=forms or (translation.text or "",),
                    numerus=message.get("numerus") == "yes",
                )
            )
    return found


def test_every_message_has_a_finished_translation():
    found = messages(TS)
    assert len(found) > 300
    problems = [
        f"[{m.context}] {m.source!r}: {m.kind or 'empty'}"
        for m in found
        if m.kind or not all(text.strip() for text in m.texts)
    ]
    assert not problems, "translate these (python tools/i18n.py check):\n" + "\n".join(problems)


def test_translations_keep_placeholders_and_accelerators():
    for m in messages(TS):
        for text in m.texts:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(m.source)), (
                m.context,
                m.source,
            )
            assert ("%Ln" in text or "%n" in text) is m.numerus, (m.context, m.source, text)
            if re.search(r"&[^&\s]", m.source):  # a keyboard accelerator such as &File
                assert re.search(r"&[^&\s]", text), (
                    f"[{m.context}] {m.source!r} lost its accelerator: {text!r}"
                )


def test_the_ts_file_has_exactly_the_strings_of_the_code(tmp_path):
    """A string added to the code without a translation, or one left over after it was removed, fails."""
    fresh = tmp_path / "branchdesk_zh_CN.ts"
    shutil.copy(TS, fresh)
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "update", "--ts", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    in_code = {(m.context, m.source) for m in messages(fresh)}
    committed = {(m.context, m.source) for m in messages(TS)}
    assert sorted(in_code - committed) == [], (
        "new strings: run python tools/i18n.py update and translate them"
    )
    assert sorted(committed - in_code) == [], "strings gone from the code: run python tools/i18n.py update"
    # pyside6-lupdate sometimes invents a context such as "QCoreApplication.self" for a self.tr() right
    # after a QCoreApplication.translate(); such a string is never found at run time.
    assert all(context.isidentifier() for context, _ in in_code), sorted(
        c for c, _ in in_code if not c.isidentifier()
    )


def test_the_shipped_qm_translates_every_message_as_the_ts_says():
    translator = QTranslator()
    assert translator.load(str(qm_path("zh_CN"))), qm_path("zh_CN")
    stale = [
        (m.context, m.source)
        for m in messages(TS)
        if translator.translate(m.context, m.source, None, 1 if m.numerus else -1) != m.texts[0]
    ]
    assert not stale, f"{len(stale)} messages differ from the .ts: run python tools/i18n.py release"


@pytest.fixture
def chinese(qapp):
    translators = install_translators(qapp, "zh_CN")
    install_translate_hook()
    yield
    remove_translators(qapp, translators)
    i18n.install_hook(None)


def test_the_main_window_speaks_chinese(chinese, qtbot, sqlite_db, make_user):
    from desktop.views.main_window import MainWindow

    actor = make_user(sqlite_db, Role.SYSADMIN, "admin").actor()
    window = MainWindow(sqlite_db, actor, Settings(), idle_timeout_ms=0)
    qtbot.addWidget(window)
    texts = [window.windowTitle(), window.role_label.text()]
    texts += [window.navigation.item(row).text() for row in range(window.navigation.count())]
    for menu_action in window.menuBar().actions():
        texts.append(menu_action.text())
        texts += [a.text() for a in menu_action.menu().actions() if not a.isSeparator()]
    untranslated = [text for text in texts if not CJK.search(text)]
    assert not untranslated, untranslated
    assert window.role_label.text() == "系统管理员"
    assert "用户管理" in texts


def test_qt_own_buttons_speak_chinese(chinese):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_english_installs_no_translator(qapp):
    assert install_translators(qapp, "en") == []
    assert QApplication.translate("MainWindow", "Users") == "Users"
