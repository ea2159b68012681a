"""User administration: who may log in, with which role; new users, changes, passwords, disabling.

Users are never deleted (the audit log names them); a user who leaves is disabled.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.models.users_model import ACTIVE, LAST_LOGIN, LOCKED_UNTIL, NAME, ROLE, USERNAME, UsersModel
from desktop.services import users
from desktop.services.users import UserRow
from desktop.views.admin.user_dialog import PasswordDialog, UserDialog

_WIDTHS = {USERNAME: 140, NAME: 160, ROLE: 170, ACTIVE: 110, LOCKED_UNTIL: 160, LAST_LOGIN: 160}


class UsersPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.model = UsersModel(self)

        self.new_button = QPushButton(self.tr("&New user…"), self)
        self.new_button.setToolTip(self.tr("Ctrl+N or Insert"))
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setToolTip(self.tr("Enter or double-click"))
        self.password_button = QPushButton(self.tr("Set &password…"), self)
        self.active_button = QPushButton(self.tr("&Disable"), self)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        refresh_keys = QKeySequence(QKeySequence.StandardKey.Refresh)
        self.refresh_button.setToolTip(refresh_keys.toString(QKeySequence.SequenceFormat.NativeText))

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.status_label = QLabel(self, wordWrap=True)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.password_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        QWidget.setTabOrder(self.table, self.new_button)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in (QKeySequence(QKeySequence.StandardKey.New), QKeySequence(Qt.Key.Key_Insert)):
            QShortcut(keys, self, self.on_new_button_clicked, context=context)
        QShortcut(refresh_keys, self, self.refresh, context=context)

        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.edit_button.clicked.connect(self.on_edit_button_clicked)
        self.password_button.clicked.connect(self.on_password_button_clicked)
        self.active_button.clicked.connect(self.on_active_button_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self.on_selection_current_row_changed)
        self.table.installEventFilter(self)
        self.refresh()

    # --- our API -------------------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the users again, keeping the same user selected (or `select_id`)."""
        current = self.current_user()
        keep = select_id if select_id is not None else (current.id if current else None)
        try:
            rows = users.list_users(self._db, self._actor)
        except DomainError as exc:
            self.model.set_rows([])
            self.status_label.setText(exc.message)
            self._update_buttons()
            return
        self.model.set_rows(rows)
        row = self.model.row_of_user(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, USERNAME))
        self._update_buttons()

    def current_user(self) -> UserRow | None:
        index = self.table.currentIndex()
        return self.model.user_at(index.row()) if index.isValid() else None

    def select_user(self, username: str) -> None:
        row = next(
            (r for r in range(self.model.rowCount()) if self.model.user_at(r).username == username), -1
        )
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, USERNAME))

    # --- Qt overrides --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.current_user() is not None
        ):
            self.on_edit_button_clicked()
            return True
        return super().eventFilter(watched, event)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_new_button_clicked(self) -> None:
        dialog = UserDialog(self._db, self._actor, None, self)
        if dialog.exec() == UserDialog.DialogCode.Accepted and dialog.saved:
            self.status_label.setText(self.tr("User {name} created.").format(name=dialog.saved.username))
            self.refresh(select_id=dialog.saved.id)

    def on_edit_button_clicked(self) -> None:
        user = self.current_user()
        if user is None:
            return
        dialog = UserDialog(self._db, self._actor, user, self)
        accepted = dialog.exec() == UserDialog.DialogCode.Accepted
        # Refreshed even after Cancel: the dialog may have reloaded a record somebody else changed.
        self.refresh(select_id=user.id)
        if accepted and dialog.saved:
            self.status_label.setText(self.tr("User {name} saved.").format(name=dialog.saved.username))

    def on_password_button_clicked(self) -> None:
        user = self.current_user()
        if user is None:
            return
        dialog = PasswordDialog(self._db, self._actor, user, self)
        if dialog.exec() == PasswordDialog.DialogCode.Accepted and dialog.saved:
            self.status_label.setText(self.tr("New password set for {name}.").format(name=user.username))
            self.refresh(select_id=user.id)

    def on_active_button_clicked(self) -> None:
        user = self.current_user()
        if user is None:
            return
        try:
            if user.is_active:
                answer = QMessageBox.question(
                    self,
                    self.tr("Disable user"),
                    self.tr(
                        "Disable {name} ({username})? They can no longer log in; their records stay."
                    ).format(name=user.display_name, username=user.username),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                users.disable_user(self._db, self._actor, username=user.username)
                message = self.tr("User {name} disabled.")
            else:
                users.update_user(
                    self._db,
                    self._actor,
                    user_id=user.id,
                    version=user.version,
                    display_name=user.display_name,
                    role=user.role,
                    is_active=True,
                )
                message = self.tr("User {name} enabled again.")
        except ConcurrentEdit as exc:
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.refresh(select_id=user.id)
            return
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not possible"), exc.message)
            return
        self.status_label.setText(message.format(name=user.username))
        self.refresh(select_id=user.id)

    def on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.on_edit_button_clicked()

    def on_selection_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    # --- helpers -------------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        user = self.current_user()
        for button in (self.edit_button, self.password_button, self.active_button):
            button.setEnabled(user is not None)
        enabling = user is not None and not user.is_active
        self.active_button.setText(self.tr("Ena&ble") if enabling else self.tr("&Disable"))
