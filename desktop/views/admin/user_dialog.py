"""Dialogs that create or change a user, or set a user's password.

Each dialog calls the service itself when the user presses OK (or Enter), and stays open showing the
message when the service refuses, so nothing typed is lost. Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError, ValidationError
from desktop.domain.roles import Role
from desktop.services import users
from desktop.services.users import UserRow

USERNAME_PATTERN = r"[A-Za-z0-9_.-]{2,40}"
_HINT_STYLE = "color: #b3261e;"  # a problem the user can fix right now
_ERROR_STYLE = "color: #b3261e; font-weight: bold;"


def password_problem(password: str, repeat: str) -> str:
    """What is wrong with a new password as typed so far; "" when it is fine or nothing is typed yet."""
    if not password and not repeat:
        return ""
    try:
        users.validate_password(password)
    except ValidationError as exc:
        return exc.message
    if password != repeat:
        return QCoreApplication.translate("UserDialog", "The two passwords differ.")
    return ""


class _Form(QDialog):
    """What both dialogs share: a form, a live hint, the service's message, OK and Cancel."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.form = QFormLayout()
        self.error_label = QLabel(self, wordWrap=True, styleSheet=_ERROR_STYLE, visible=False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)  # Enter saves from any field
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def add_password_rows(self, password_label: str, repeat_label: str) -> None:
        self.password_edit = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.hint_label = QLabel(self, wordWrap=True, styleSheet=_HINT_STYLE)
        # Room for two lines from the start, so the dialog does not jump while the user types.
        self.hint_label.setMinimumHeight(2 * self.fontMetrics().lineSpacing())
        self.form.addRow(password_label, self.password_edit)
        self.form.addRow(repeat_label, self.repeat_edit)
        self.form.addRow("", self.hint_label)
        self.password_edit.textChanged.connect(self.update_state)
        self.repeat_edit.textChanged.connect(self.update_state)

    def password_ok(self) -> bool:
        problem = password_problem(self.password_edit.text(), self.repeat_edit.text())
        self.hint_label.setText(problem)
        return not problem and bool(self.password_edit.text())

    def show_error(self, exc: DomainError, fields: dict[str, QWidget]) -> None:
        self.error_label.setText(exc.message)
        self.error_label.setVisible(True)
        widget = fields.get(exc.field or "")
        if widget is not None:
            widget.setFocus()

    def update_state(self) -> None:
        self.ok_button.setEnabled(self.is_complete())

    def is_complete(self) -> bool:
        raise NotImplementedError  # each dialog says what it needs

    def save(self) -> None:
        raise NotImplementedError

    def on_buttons_accepted(self) -> None:
        if not self.is_complete():  # Enter while OK is disabled
            return
        try:
            self.save()
        except ConcurrentEdit as exc:
            self.on_concurrent_edit(exc)
            return
        except DomainError as exc:
            self.show_error(exc, self.error_fields())
            return
        self.accept()

    def on_concurrent_edit(self, exc: ConcurrentEdit) -> None:
        self.show_error(exc, {})

    def error_fields(self) -> dict[str, QWidget]:
        return {}


class UserDialog(_Form):
    """A new user (`user` None: user name, name, role, password twice) or a change of name, role and
    whether the account is active."""

    def __init__(
        self, db: Database, actor: Actor, user: UserRow | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._user = user
        self.saved: UserRow | None = None

        self.username_edit = QLineEdit(self, maxLength=40)
        self.username_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(USERNAME_PATTERN), self)
        )
        self.name_edit = QLineEdit(self, maxLength=60)
        self.role_combo = QComboBox(self)
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        self.active_check = QCheckBox(self.tr("Account is &active (the user may log in)"), self)
        self.form.addRow(self.tr("&User name:"), self.username_edit)
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        self.form.addRow(self.tr("R&ole:"), self.role_combo)

        if user is None:
            self.setWindowTitle(self.tr("New user"))
            self.ok_button.setText(self.tr("Create user"))
            self.username_edit.setPlaceholderText(self.tr("2 to 40 letters, digits, '.', '_' or '-'"))
            self.role_combo.setCurrentIndex(self.role_combo.findData(Role.OPERATOR.value))  # least privilege
            self.active_check.hide()
            self.add_password_rows(self.tr("&Password:"), self.tr("&Repeat password:"))
        else:
            self.setWindowTitle(self.tr("Edit user {name}").format(name=user.username))
            self.ok_button.setText(self.tr("Save"))
            self.username_edit.setReadOnly(True)  # the name is what the audit log and logins refer to
            self.username_edit.setStyleSheet("background: palette(window);")  # looks as fixed as it is
            self.form.addRow("", self.active_check)
            self.load(user)

        self.username_edit.textChanged.connect(self.update_state)
        self.name_edit.textChanged.connect(self.update_state)
        self.update_state()

    def load(self, user: UserRow) -> None:
        self._user = user
        self.username_edit.setText(user.username)
        self.name_edit.setText(user.display_name)
        self.role_combo.setCurrentIndex(self.role_combo.findData(user.role.value))
        self.active_check.setChecked(user.is_active)

    def is_complete(self) -> bool:
        complete = self.username_edit.hasAcceptableInput() and bool(self.name_edit.text().strip())
        if self._user is None:
            complete = self.password_ok() and complete
        return complete

    def save(self) -> None:
        role = Role(self.role_combo.currentData())
        if self._user is None:
            self.saved = users.add_user(
                self._db,
                self._actor,
                username=self.username_edit.text(),
                display_name=self.name_edit.text(),
                role=role,
                password=self.password_edit.text(),
            )
        else:
            self.saved = users.update_user(
                self._db,
                self._actor,
                user_id=self._user.id,
                version=self._user.version,
                display_name=self.name_edit.text(),
                role=role,
                is_active=self.active_check.isChecked(),
            )

    def on_concurrent_edit(self, exc: ConcurrentEdit) -> None:
        # Show what is saved now; the user makes the change again on top of it (never overwrite blindly).
        fresh = next((u for u in users.list_users(self._db, self._actor) if u.id == self._user.id), None)
        if fresh is not None:
            self.load(fresh)
        self.error_label.setText(exc.message + "\n" + self.tr("The form now shows the saved values."))
        self.error_label.setVisible(True)

    def error_fields(self) -> dict[str, QWidget]:
        fields = {"username": self.username_edit, "display_name": self.name_edit, "role": self.role_combo}
        if self._user is None:
            fields["password"] = self.password_edit
        return fields


class PasswordDialog(_Form):
    """An administrator sets another user's password (which also lifts a lockout)."""

    def __init__(self, db: Database, actor: Actor, user: UserRow, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._user = user
        self.saved: UserRow | None = None
        self.setWindowTitle(self.tr("Set password"))
        self.ok_button.setText(self.tr("Set password"))
        self.intro_label = QLabel(
            self.tr("New password for {name} ({username}). Setting it also lifts a lockout.").format(
                name=user.display_name, username=user.username
            ),
            self,
            wordWrap=True,
        )
        self.form.addRow(self.intro_label)
        self.add_password_rows(self.tr("&Password:"), self.tr("&Repeat password:"))
        self.update_state()

    def is_complete(self) -> bool:
        return self.password_ok()

    def save(self) -> None:
        self.saved = users.set_password(
            self._db, self._actor, username=self._user.username, password=self.password_edit.text()
        )

    def error_fields(self) -> dict[str, QWidget]:
        return {"password": self.password_edit}
