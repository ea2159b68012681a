"""The main window: navigation on the left, the chosen page on the right, menus and a status bar.

Thin on purpose: it lists the pages of navigation.py that the actor's role may use, builds each page the
first time it is shown, and passes keys on (Ctrl+1…9 choose a page, F5 refreshes it, Ctrl+L locks). The
pages do the work. With `prepare_pages_after_ms` (the application's sign-in passes PREPARE_PAGES_AFTER_MS),
pages marked `prepared` in navigation.py (the KPIs) are built that long after the window and prepared while
the user works elsewhere.
"""

from __future__ import annotations

import logging
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop import __version__
from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission
from desktop.services.access import allowed
from desktop.views.idle_lock import IdleLock
from desktop.views.navigation import PAGES, PageContext
from desktop.views.tasks import BackgroundTask
from desktop.views.welcome import WelcomePanel

MINIMUM_SIZE = QSize(1024, 640)
DEFAULT_SIZE = QSize(1280, 720)
BADGE_REFRESH_MS = 60_000
# After sign-in, once the window has been drawn and before most users have found their first task (a manager's
# is often the KPIs); building the KPI page takes ~30 ms of the GUI thread, its figures are read in the
# background.
PREPARE_PAGES_AFTER_MS = 1000
_KEY_ROLE = Qt.ItemDataRole.UserRole  # the page's key in navigation.PAGES; headings have none

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    sig_logout_requested = Signal()
    sig_closed = Signal()  # the user closed the window (quit), not a logout

    def __init__(
        self,
        db: Database,
        actor: Actor,
        settings: Settings,
        *,
        idle_timeout_ms: int | None = None,
        prepare_pages_after_ms: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.settings = settings
        self.setWindowTitle(self.tr("BranchDesk after-sales service desk"))
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(DEFAULT_SIZE)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setMinimumWidth(160)
        self.navigation.setSpacing(2)
        # No focus frame inside the highlighted row: the highlight already shows where the keyboard is.
        self.navigation.setStyleSheet(
            "QListWidget#navigation { outline: 0; } QListWidget#navigation::item { padding: 5px 8px; }"
        )
        self.stack = QStackedWidget(self)
        self._pages: dict[str, QWidget] = {}  # page key → page, built on first visit
        self._add_pages()
        if self.page_rows():
            splitter = QSplitter(self)
            splitter.addWidget(self.navigation)
            splitter.addWidget(self.stack)
            splitter.setStretchFactor(1, 1)
            splitter.setSizes([200, DEFAULT_SIZE.width() - 200])
            splitter.setChildrenCollapsible(False)
            self.setCentralWidget(splitter)
            self.welcome = None
            self.navigation.currentRowChanged.connect(self.on_navigation_current_row_changed)
            self.navigation.setCurrentRow(self.page_rows()[0])
        else:
            self.navigation.hide()
            self.welcome = WelcomePanel(actor, settings, self)
            self.stack.addWidget(self.welcome)
            self.setCentralWidget(self.stack)

        self._build_menus()
        self._build_status_bar()
        for n in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            shortcut.activated.connect(lambda n=n: self.show_page(n - 1))

        if idle_timeout_ms is None:
            idle_timeout_ms = 0 if actor.is_system else settings.idle_lock_minutes * 60_000
        self.idle_lock = IdleLock(db, actor, self, timeout_ms=idle_timeout_ms, parent=self)
        self.idle_lock.sig_logout_requested.connect(self.request_logout)
        if prepare_pages_after_ms is not None:
            QTimer.singleShot(prepare_pages_after_ms, self, self.prepare_pages)

    # --- navigation ----------------------------------------------------------------------------------------

    def _add_pages(self) -> None:
        """The pages of desktop/views/navigation.py this role may use, under their headings."""
        self._specs = {spec.key: spec for spec in PAGES if allowed(self.actor, spec.permission)}
        heading_font = QFont(self.navigation.font())
        heading_font.setBold(True)
        group = None
        for spec in self._specs.values():
            if spec.group != group:
                group = spec.group
                heading = QListWidgetItem(spec.translated_group(), self.navigation)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)  # not selectable, skipped by the arrow keys
                heading.setFont(heading_font)
                heading.setForeground(self.palette().windowText())
            item = QListWidgetItem(spec.translated_title(), self.navigation)
            item.setData(_KEY_ROLE, spec.key)
        self._badge_task: BackgroundTask | None = None
        self._badges_again = False
        self._badges = QTimer(self, interval=BADGE_REFRESH_MS)
        self._badges.timeout.connect(self.refresh_badges)
        self._badges.start()
        self.refresh_badges()

    def refresh_badges(self) -> None:
        """Figures beside navigation titles (e.g. open and overdue complaints), refreshed every minute and
        after changes. Counted off the GUI thread: on a large database a count can take a tenth of a second,
        and the window froze for it every minute."""
        if self._badge_task is not None and self._badge_task.is_running():
            self._badges_again = True  # once the running count ends: it may have missed the change
            return
        badges = [(key, spec.badge) for key, spec in self._specs.items() if spec.badge is not None]
        if not badges:
            return
        db, actor = self.db, self.actor

        def count(_progress) -> dict[str, str]:
            counted = {}
            for key, badge in badges:
                try:
                    counted[key] = badge(db, actor)
                except Exception:  # noqa: BLE001 - that figure keeps its last text; the others are shown
                    log.warning("navigation figure %s not counted", key, exc_info=True)
            return counted

        # No owner: a count is short and never cancelled, and an owner would gain a connection per count.
        task = BackgroundTask(count)
        task.sig_finished.connect(self._show_badges)
        self._badge_task = task
        task.start()

    def _show_badges(self, badges: dict[str, str]) -> None:
        for row in self.page_rows():
            item = self.navigation.item(row)
            key = item.data(_KEY_ROLE)
            if key in badges:
                title, badge = self._specs[key].translated_title(), badges[key]
                # on a line of its own: beside the title it would widen the navigation or be cut off
                item.setText(f"{title}\n{badge}" if badge else title)
                item.setToolTip(badge)
        if self._badges_again:
            self._badges_again = False
            self.refresh_badges()

    def prepare_pages(self) -> None:
        """Build the pages marked `prepared` that are not built yet, and let each prepare() itself."""
        for key, spec in self._specs.items():
            if spec.prepared and key not in self._pages:
                self._page(key).prepare()

    def page_rows(self) -> list[int]:
        """Navigation rows that open a page (headings left out), in order."""
        return [r for r in range(self.navigation.count()) if self.navigation.item(r).data(_KEY_ROLE)]

    def page_keys(self) -> list[str]:
        return [self.navigation.item(r).data(_KEY_ROLE) for r in self.page_rows()]

    def open_page(self, key: str) -> QWidget | None:
        """Show the page `key` (building it if needed) and return it; None if this role may not use it."""
        for row in self.page_rows():
            if self.navigation.item(row).data(_KEY_ROLE) == key:
                self.navigation.setCurrentRow(row)
                return self.current_page()
        return None

    def page_titles(self) -> list[str]:
        return [self.navigation.item(r).text() for r in self.page_rows()]

    def show_page(self, index: int) -> None:
        rows = self.page_rows()
        if 0 <= index < len(rows):
            self.navigation.setCurrentRow(rows[index])

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def refresh_page(self) -> None:
        refresh = getattr(self.current_page(), "refresh", None)
        if callable(refresh):
            refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # F5 arrives here when nothing inside the page took it: pages may bind F5 themselves, and a second
        # window-wide shortcut for the same key would make both ambiguous, so neither would fire.
        if event.key() == Qt.Key.Key_F5 and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.refresh_page()
            event.accept()
            return
        super().keyPressEvent(event)

    def on_navigation_current_row_changed(self, row: int) -> None:
        key = self.navigation.item(row).data(_KEY_ROLE) if row >= 0 else None
        if not key:
            return
        self.stack.setCurrentWidget(self._page(key))

    def _page(self, key: str) -> QWidget:
        """The page `key`, built and put into the page stack the first time."""
        page = self._pages.get(key)
        if page is None:
            context = PageContext(self.db, self.actor, self.settings, self, self.open_page)
            page = self._specs[key].make(context)
            self._pages[key] = page
            self.stack.addWidget(page)
        return page

    # --- menus and status bar ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.on_settings_action_triggered)
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.on_lock_action_triggered)
        self.logout_action = QAction(self.tr("Log &out"), self)
        self.logout_action.triggered.connect(self.request_logout)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.logout_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About BranchDesk"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(self.actor.display_name or self.actor.username, self)
        self.user_label.setToolTip(self.tr("Logged in as {user}").format(user=self.actor.username))
        self.role_label = QLabel(self.actor.role.label, self)
        self.branch_label = QLabel(self)
        self.database_label = QLabel(self.tr("Database: {url}").format(url=self.db.url), self)
        self.database_label.setToolTip(self.db.url)
        # A long file path must not make the window wider than the screen: the label is cut instead.
        self.database_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.database_label.setMinimumWidth(1)
        bar.addWidget(self.database_label, 1)
        for label in (self.branch_label, self.role_label, self.user_label):
            label.setContentsMargins(10, 0, 10, 0)
            separator = QFrame(self)
            separator.setFrameShape(QFrame.Shape.VLine)
            separator.setFrameShadow(QFrame.Shadow.Sunken)
            bar.addPermanentWidget(separator)
            bar.addPermanentWidget(label)
        self._show_branch()

    def _show_branch(self) -> None:
        self.branch_label.setText(f"{self.settings.branch_code} {self.settings.branch_name}".strip())

    def on_settings_action_triggered(self) -> None:
        from desktop.views.settings_dialog import SettingsDialog

        full = allowed(self.actor, Permission.SETTINGS)
        dialog = SettingsDialog(self.settings, full_access=full, parent=self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.settings = dialog.settings
            self._show_branch()
            if not self.actor.is_system:
                self.idle_lock.set_timeout_ms(self.settings.idle_lock_minutes * 60_000)

    def on_lock_action_triggered(self) -> None:
        self.idle_lock.lock()

    def on_about_action_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About BranchDesk"),
            self.tr(
                "<h3>BranchDesk after-sales service desk</h3>"
                "<p>Version {version}</p><p>Database: {database}</p>"
                "<p>Python {python}, Qt for Python {pyside}</p>"
            ).format(
                version=__version__,
                database=self.db.url,
                python=platform.python_version(),
                pyside=pyside_version,
            ),
        )

    # --- leaving -------------------------------------------------------------------------------------------

    def busy_page(self) -> QWidget | None:
        """A page that is in the middle of work that must not be cut off (a backup or restore)."""
        for page in self._pages.values():
            is_busy = getattr(page, "is_busy", None)
            if callable(is_busy) and is_busy():
                return page
        return None

    def may_leave(self) -> bool:
        if self.busy_page() is None:
            return True
        QMessageBox.information(
            self, self.windowTitle(), self.tr("A backup or restore is running. Wait until it has finished.")
        )
        return False

    def request_logout(self) -> None:
        if self.may_leave():
            self.sig_logout_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave():
            event.ignore()
            return
        self.idle_lock.stop()
        event.accept()
        self.sig_closed.emit()
