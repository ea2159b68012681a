"""First start on an empty database: create the system administrator, or load demo data to try things out.

Demo data loads on a worker thread (it takes seconds) with a progress dialog and Cancel; a cancelled load
saves nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Role
from desktop.services import users
from desktop.services.demo import DEMO_PASSWORD, DemoSummary, load_demo
from desktop.views.admin.user_dialog import USERNAME_PATTERN, password_problem
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.tasks import BackgroundTask, show_progress

# Who created the first account, as the audit log shows it: nobody is logged in yet.
FIRST_RUN = Actor(
    user_id=None, username="first-run", role=Role.SYSADMIN, display_name="first-run", is_system=True
)


class FirstRunDialog(QDialog):
    """Accepted once there is somebody to log in as; `username` and `notice` are for the login dialog."""

    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._settings = settings
        self._task: BackgroundTask | None = None
        self.username = ""
        self.notice = ""  # what the login dialog should tell next
        self.summary: DemoSummary | None = None
        self.setWindowTitle(self.tr("Welcome to BranchDesk"))

        intro = QLabel(
            self.tr(
                "This database has no user accounts yet. Create the system administrator's account to start "
                "working, or fill the database with demo data to try BranchDesk out."
            ),
            self,
        )
        intro.setWordWrap(True)
        database = QLabel(self.tr("Database: {url}").format(url=db.url), self)
        database.setStyleSheet(HINT_STYLE)
        database.setWordWrap(True)

        # (a) the administrator
        self.username_edit = QLineEdit("admin", self)
        self.username_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(USERNAME_PATTERN), self)
        )
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("as shown on screen and in the audit log"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(ERROR_STYLE)
        self.hint_label.setMinimumHeight(2 * self.fontMetrics().lineSpacing())
        self.create_button = QPushButton(self.tr("&Create administrator"), self)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.on_create_button_clicked)
        for edit in (self.username_edit, self.name_edit, self.password_edit, self.repeat_edit):
            edit.textChanged.connect(self.on_form_text_changed)
            edit.returnPressed.connect(self.on_create_button_clicked)
        admin_box = QGroupBox(self.tr("Create the administrator account"), self)
        form = QFormLayout(admin_box)
        form.addRow(self.tr("&User name:"), self.username_edit)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        form.addRow(self.tr("&Repeat password:"), self.repeat_edit)
        form.addRow("", self.hint_label)
        form.addRow("", self.create_button)

        # (b) demo data
        demo_box = QGroupBox(self.tr("Or try BranchDesk with demo data"), self)
        demo_text = QLabel(
            self.tr(
                "Loads demo users, customers, installed products and complaints in every state. Every demo "
                "user has the password {password}: log in as admin (system administrator), manager, asadmin, "
                "operator, engineer or warehouse. Demo data cannot be removed again: use a separate database "
                "for real work."
            ).format(password=DEMO_PASSWORD),
            demo_box,
        )
        demo_text.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("Load &demo data"), self)
        self.demo_button.setAutoDefault(False)
        self.demo_button.clicked.connect(self.on_demo_button_clicked)
        demo_layout = QVBoxLayout(demo_box)
        demo_layout.addWidget(demo_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.demo_button)
        demo_layout.addLayout(row)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(database)
        layout.addWidget(admin_box)
        layout.addWidget(demo_box)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.name_edit.setFocus()
        self.on_form_text_changed()

    # --- (a) -----------------------------------------------------------------------------------------------

    def on_form_text_changed(self, _text: str = "") -> None:
        self.hint_label.setText(password_problem(self.password_edit.text(), self.repeat_edit.text()))
        self.create_button.setEnabled(self._form_complete())

    def on_create_button_clicked(self) -> None:
        if not self._form_complete():
            return
        if users.has_users(self._db):  # another PC of the branch was quicker
            QMessageBox.information(
                self,
                self.windowTitle(),
                self.tr("Somebody has created user accounts meanwhile: log in with yours."),
            )
            self.accept()
            return
        try:
            row = users.add_user(
                self._db,
                FIRST_RUN,
                username=self.username_edit.text(),
                display_name=self.name_edit.text(),
                role=Role.SYSADMIN,
                password=self.password_edit.text(),
            )
        except DomainError as exc:
            self.hint_label.setText(exc.message)
            return
        self.username = row.username
        self.notice = self.tr("The administrator account {name} was created: log in with it.").format(
            name=row.username
        )
        self.accept()

    def _form_complete(self) -> bool:
        return (
            self.username_edit.hasAcceptableInput()
            and bool(self.name_edit.text().strip())
            and bool(self.password_edit.text())
            and not password_problem(self.password_edit.text(), self.repeat_edit.text())
        )

    # --- (b) -----------------------------------------------------------------------------------------------

    def on_demo_button_clicked(self) -> None:
        db, branch_code = self._db, self._settings.branch_code
        self._task = BackgroundTask(
            lambda progress: load_demo(db, size="small", branch_code=branch_code, progress=progress), self
        )
        self._task.sig_finished.connect(self.on_task_finished)
        self._task.sig_failed.connect(self.on_task_failed)
        self._task.sig_cancelled.connect(self.on_task_cancelled)
        show_progress(self._task, self, self.tr("Loading demo data"))
        self._set_busy(True)
        self.status_label.setText(self.tr("Loading demo data…"))
        self._task.start()

    def is_busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def on_task_finished(self, summary: DemoSummary) -> None:
        self._set_busy(False)
        self.summary = summary
        self.username = "admin"
        users_text = ", ".join(name for name, _display, _role in summary.users)
        self.notice = (
            self.tr("Demo data loaded: {customers} customers, {complaints} complaints.").format(
                customers=summary.customers, complaints=summary.complaints
            )
            + " "
            + self.tr("Demo users, all with the password {password}: {users}").format(
                password=DEMO_PASSWORD, users=users_text
            )
        )
        self.accept()

    def on_task_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status_label.setText("")
        show_error(self, exc, title=self.windowTitle())

    def on_task_cancelled(self) -> None:
        self._set_busy(False)
        self.status_label.setText(self.tr("Loading demo data was cancelled; nothing was saved."))

    def reject(self) -> None:
        if self.is_busy():  # Esc or Close while loading: cancel the load first, the dialog stays
            self._task.cancel()
            self.status_label.setText(self.tr("Cancelling…"))
            return
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.username_edit,
            self.name_edit,
            self.password_edit,
            self.repeat_edit,
            self.demo_button,
        ):
            widget.setEnabled(not busy)
        self.create_button.setEnabled(not busy and self._form_complete())
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
