"""What the forms of an order's steps share (dispatch, work, parts, signatures, revision): the order they
are for in sight, validation as typed (the save button waits until the form can be saved, and says why),
the service's refusal under the fields with the focus on the field it names, and a record changed meanwhile
reported with who and when — the order's pane then reads it again.

Enter saves where a single-line field has the focus, Ctrl+Enter anywhere; Esc cancels.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.services.service_orders import OrderRecord
from desktop.views.common import ERROR_STYLE, HINT_STYLE
from desktop.views.number_box import NumberBox

MAX_AMOUNT = 9_999_999.99


def revision_text(record: OrderRecord) -> str:
    return record.number if record.revision == 1 else f"{record.number} ({record.revision})"


def money_box(parent: QWidget, value: Decimal | None = None) -> QDoubleSpinBox:
    """An amount in yuan with fen: never negative, selected whole when entered so typing replaces it."""
    box = NumberBox(parent)
    box.setRange(0, MAX_AMOUNT)
    box.setDecimals(2)
    box.setPrefix("￥")
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
    box.setValue(float(value or 0))
    return box


def decimal_of(box: QDoubleSpinBox) -> Decimal:
    return Decimal(f"{box.value():.{box.decimals()}f}")


class OrderStepDialog(QDialog):
    """One step's form; `result` holds the order after the step, `conflict` says it changed meanwhile."""

    def __init__(self, db: Database, actor: Actor, record: OrderRecord, *, title: str, ok_text: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.record = record
        self.result: OrderRecord | None = None
        self.conflict = False
        self.fields: dict[str, QWidget] = {}  # the service's field names → the widget that holds them
        self.setWindowTitle(f"{title} — {revision_text(record)}")
        # The window title can be cut short: the order this step is for stays in sight.
        self.context_label = QLabel(f"{revision_text(record)} · {record.status_label} · {record.customer_name}"
                                    + (f" · {record.product_model}" if record.product_model else ""), self)
        self.context_label.setStyleSheet(HINT_STYLE)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hint_label = QLabel(self, wordWrap=True)  # what keeps the form from being saved, as typed
        self.hint_label.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self, wordWrap=True)  # the service's refusal
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setToolTip(self.tr("Enter or Ctrl+Enter"))
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.context_label)
        self.body.addLayout(self.form, 1)
        self.body.addWidget(self.hint_label)
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)
        for keys in (Qt.Modifier.CTRL | Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Key.Key_Enter):
            QShortcut(QKeySequence(keys), self, self.on_ok_button_clicked)
        self.buttons.accepted.connect(self.on_ok_button_clicked)
        self.buttons.rejected.connect(self.reject)

    # --- for the steps -------------------------------------------------------------------------------------

    def perform(self) -> OrderRecord:
        """Call the step's service with what the form holds."""
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What keeps the form from being saved now (checked as the user types); empty when it may be."""
        return []

    def revalidate(self, *_args) -> None:
        problems = self.problems()
        self.ok_button.setEnabled(not problems)
        self.hint_label.setText("\n".join(problems))
        self.hint_label.setStyleSheet(ERROR_STYLE if problems else HINT_STYLE)
        self.hint_label.setVisible(bool(problems))

    # --- slots ---------------------------------------------------------------------------------------------

    def on_ok_button_clicked(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            self.result = self.perform()
        except ConcurrentEdit as exc:
            self.conflict = True
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.reject()
        except DomainError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
        else:
            self.accept()
