"""One part of the master: code, name, model, specification, unit, usage, reorder point, safety stock, unit
cost, ABC class, and the parts that may stand in for it (可代用型号, shown from both sides).

Users without stock.edit see the same form read-only. A part and its substitutes are two saves; when the
second is refused the part stays saved, the dialog stays open with the list as typed, and the next Save
uses the part's new version."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import UNITS, AbcClass
from desktop.services import parts
from desktop.services.access import allowed
from desktop.services.parts import PartInput, PartRecord
from desktop.views.common import ERROR_STYLE, show_error
from desktop.views.number_box import NumberBox
from desktop.views.warehouse.widgets import PartCodeCompleter, find_part, quantity_text

MAX_AMOUNT = 9_999_999.99


class PartDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, record: PartRecord | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._record = record
        self.saved: PartRecord | None = None
        self.editable = allowed(actor, Permission.STOCK_EDIT)
        if record is None:
            self.setWindowTitle(self.tr("New part"))
        else:
            self.setWindowTitle(self.tr("Part {code}").format(code=record.code))
        self.resize(560, 0)

        self.code_edit = QLineEdit(self, maxLength=40, placeholderText=self.tr("e.g. AC-CAP-35UF"))
        self.name_edit = QLineEdit(self, maxLength=100)
        self.model_edit = QLineEdit(self, maxLength=60)
        self.spec_edit = QLineEdit(self, maxLength=100)
        self.unit_combo = QComboBox(self)
        self.unit_combo.addItems(UNITS)
        self.usage_edit = QPlainTextEdit(self)
        self.usage_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.reorder_spin = self._amount_spin()
        self.safety_spin = self._amount_spin()
        self.cost_spin = self._amount_spin()
        self.abc_combo = QComboBox(self)
        computed = record.abc_class.value if record else "C"
        self.abc_combo.addItem(self.tr("Computed from consumption ({abc})").format(abc=computed), None)
        for abc in AbcClass:
            self.abc_combo.addItem(self.tr("Always {abc}").format(abc=abc.value), abc)
        self.on_hand_label = QLabel(self)

        self.substitutes_list = QListWidget(self)
        self.substitutes_list.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.substitute_edit = QLineEdit(self, placeholderText=self.tr("part code, name or model"))
        self.completer = PartCodeCompleter(db, actor, self.substitute_edit)
        self.add_substitute_button = QPushButton(self.tr("&Add"), self)
        self.remove_substitute_button = QPushButton(self.tr("Remo&ve"), self)
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)

        adding = QHBoxLayout()
        adding.addWidget(self.substitute_edit, 1)
        adding.addWidget(self.add_substitute_button)
        adding.addWidget(self.remove_substitute_button)
        substitutes = QVBoxLayout()
        substitutes.addWidget(self.substitutes_list)
        substitutes.addLayout(adding)
        substitutes.addWidget(QLabel(self.tr("A substitute may stand in either way: it shows on both parts."), self,
                                     wordWrap=True))

        form = QFormLayout()
        form.addRow(self.tr("&Code:"), self.code_edit)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Model:"), self.model_edit)
        form.addRow(self.tr("&Specification:"), self.spec_edit)
        form.addRow(self.tr("&Unit:"), self.unit_combo)
        form.addRow(self.tr("Usa&ge:"), self.usage_edit)
        form.addRow(self.tr("&Reorder point:"), self.reorder_spin)
        form.addRow(self.tr("Sa&fety stock:"), self.safety_spin)
        form.addRow(self.tr("Unit c&ost (yuan):"), self.cost_spin)
        form.addRow(self.tr("A&BC class:"), self.abc_combo)
        form.addRow(self.tr("On hand:"), self.on_hand_label)
        form.addRow(QLabel(self.tr("Substi&tutes:"), self, buddy=self.substitutes_list), substitutes)

        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Save | standard.Cancel if self.editable else standard.Close, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.add_substitute_button.clicked.connect(self.on_add_substitute_button_clicked)
        self.remove_substitute_button.clicked.connect(self.on_remove_substitute_button_clicked)
        self.substitute_edit.returnPressed.connect(self.on_add_substitute_button_clicked)
        self.substitutes_list.currentRowChanged.connect(self._update_buttons)
        self._fill(record)
        self._update_buttons()

    # --- our API -------------------------------------------------------------------------------------------

    def substitute_codes(self) -> list[str]:
        return [self.substitutes_list.item(row).data(_CODE) for row in range(self.substitutes_list.count())]

    def add_substitute(self, text: str) -> bool:
        """Add the part with this code to the list; False (and a message) if there is none."""
        code = text.strip().upper()
        if not code:
            return False
        if code in self.substitute_codes():
            self.substitute_edit.clear()
            return True
        if code == self.code_edit.text().strip().upper():
            self._say(self.tr("A part cannot be its own substitute."))
            return False
        part = find_part(self._db, self._actor, code)
        if part is None:
            self._say(self.tr("There is no part with code {code}.").format(code=code))
            return False
        self._add_item(part.code, part.name)
        self.substitute_edit.clear()
        self._say("")
        return True

    def part_input(self) -> PartInput:
        abc = self.abc_combo.currentData()
        return PartInput(
            code=self.code_edit.text(), name=self.name_edit.text(), unit=self.unit_combo.currentText(),
            model=self.model_edit.text(), specification=self.spec_edit.text(), usage=self.usage_edit.toPlainText(),
            reorder_point=_decimal(self.reorder_spin), safety_stock=_decimal(self.safety_spin),
            unit_cost=_decimal(self.cost_spin), abc_override=AbcClass(abc) if abc else None,
        )

    def save(self) -> bool:
        data = self.part_input()
        try:
            if self._record is None:
                self._record = parts.create_part(self._db, self._actor, data=data)
            else:
                self._record = parts.update_part(self._db, self._actor, part_id=self._record.id,
                                                 version=self._record.version, data=data)
            self.code_edit.setReadOnly(True)  # saved: the code is the part's name from now on
            self.saved = self._record
            codes = self.substitute_codes()
            if codes != [code for _, code, _ in self._record.substitutes]:
                self._record = self.saved = parts.set_substitutes(self._db, self._actor, part_id=self._record.id,
                                                                  substitute_codes=codes)
        except ConcurrentEdit as exc:
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            return False
        except DomainError as exc:
            self._say(exc.message)
            self._focus_field(exc.field)
            return False
        except Exception as exc:  # noqa: BLE001 - logged and reported; the dialog keeps what was typed
            show_error(self, exc)
            return False
        return True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()

    def on_add_substitute_button_clicked(self) -> None:
        self.add_substitute(self.substitute_edit.text())

    def on_remove_substitute_button_clicked(self) -> None:
        row = self.substitutes_list.currentRow()
        if row >= 0:
            self.substitutes_list.takeItem(row)

    # --- helpers -------------------------------------------------------------------------------------------

    def _amount_spin(self) -> QDoubleSpinBox:
        spin = NumberBox(self, decimals=2, minimum=0, maximum=MAX_AMOUNT)
        spin.setGroupSeparatorShown(True)
        return spin

    def _fill(self, record: PartRecord | None) -> None:
        if record is None:
            self.on_hand_label.setText(self.tr("nothing yet"))
        else:
            self.code_edit.setText(record.code)
            self.code_edit.setReadOnly(True)  # the service refuses a new code: a new part is a new record
            self.name_edit.setText(record.name)
            self.model_edit.setText(record.model)
            self.spec_edit.setText(record.specification)
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findText(record.unit), 0))
            self.usage_edit.setPlainText(record.usage)
            self.reorder_spin.setValue(float(record.reorder_point))
            self.safety_spin.setValue(float(record.safety_stock))
            self.cost_spin.setValue(float(record.unit_cost))
            self.abc_combo.setCurrentIndex(self.abc_combo.findData(record.abc_override) if record.abc_override else 0)
            self.on_hand_label.setText(f"{quantity_text(record.on_hand)} {record.unit}")
            for _, code, name in record.substitutes:
                self._add_item(code, name)
        if not self.editable:
            for edit in (self.code_edit, self.name_edit, self.model_edit, self.spec_edit):
                edit.setReadOnly(True)
            self.usage_edit.setReadOnly(True)
            for widget in (self.unit_combo, self.abc_combo, self.reorder_spin, self.safety_spin, self.cost_spin,
                           self.substitute_edit, self.add_substitute_button, self.remove_substitute_button):
                widget.setEnabled(False)

    def _add_item(self, code: str, name: str) -> None:
        item = QListWidgetItem(f"{code}  {name}", self.substitutes_list)
        item.setData(_CODE, code)

    def _update_buttons(self, *_args) -> None:
        self.remove_substitute_button.setEnabled(self.editable and self.substitutes_list.currentRow() >= 0)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def _focus_field(self, field: str | None) -> None:
        widget = {
            "code": self.code_edit, "name": self.name_edit, "unit": self.unit_combo,
            "reorder_point": self.reorder_spin, "safety_stock": self.safety_spin, "unit_cost": self.cost_spin,
            "substitutes": self.substitute_edit,
        }.get(field or "")
        if widget is not None:
            widget.setFocus()


_CODE = Qt.ItemDataRole.UserRole + 1  # the code of a substitute item


def _decimal(spin: QDoubleSpinBox) -> Decimal:
    return Decimal(f"{spin.value():.2f}")
