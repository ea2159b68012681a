"""The login dialog: user name and password; the service decides and its message is shown as it is
(wrong password, locked until HH:MM, disabled), so the dialog never says more than the service allows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Database
from desktop.domain.errors import AuthenticationError
from desktop.services import users
from desktop.services.users import UserRow
from desktop.views.common import ERROR_STYLE, HINT_STYLE


class LoginDialog(QDialog):
    def __init__(
        self,
        db: Database,
        *,
        username: str = "",
        branch_name: str = "",
        notice: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._db = db
        self.user: UserRow | None = None
        self.setWindowTitle(self.tr("Log in — BranchDesk"))

        title = QLabel(self.tr("BranchDesk after-sales service desk"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        branch = QLabel(branch_name, self)
        branch.setVisible(bool(branch_name))

        self.username_edit = QLineEdit(username, self)
        self.username_edit.setMaxLength(40)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.username_edit, self.password_edit):
            edit.textEdited.connect(self.on_edit_text_edited)
        self.notice_label = QLabel(notice, self)  # e.g. the demo users after the first run
        self.notice_label.setWordWrap(True)
        self.notice_label.setVisible(bool(notice))
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        database = QLabel(self.tr("Database: {url}").format(url=db.url), self)
        database.setStyleSheet(HINT_STYLE)
        database.setWordWrap(True)
        database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.tr("Log in"))
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(branch)
        layout.addWidget(self.notice_label)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(database)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.password_edit if username else self.username_edit).setFocus()

    def on_edit_text_edited(self, _text: str) -> None:
        # The message was about what was typed before; it would mislead next to new input.
        self.error_label.hide()

    def on_buttons_accepted(self) -> None:
        username = self.username_edit.text().strip()
        if not username:
            self._show_error(self.tr("Enter your user name."), self.username_edit)
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # Argon2 takes a moment on purpose
        try:
            self.user = users.login(self._db, username=username, password=self.password_edit.text())
        except AuthenticationError as exc:
            self.password_edit.clear()
            self._show_error(exc.message, self.password_edit)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()

    def _show_error(self, message: str, focus: QLineEdit) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        focus.setFocus()
