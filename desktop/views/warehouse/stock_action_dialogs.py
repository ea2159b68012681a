"""The smaller stock documents, one dialog each and one transaction each: transfer a lot to another bin
(移库), scrap from a lot (报废), return unused parts of an issue slip (退库), reverse a document (冲销).

A refusal (not enough stock, a bin being counted, an unknown number) shows the service's message in the
dialog, which stays open with everything as typed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.warehouse import MovementKind, kind_label, parse_bin_code
from desktop.models.lazy_table_model import display_text
from desktop.services import stock
from desktop.services.paging import Sort
from desktop.services.stock import DocumentRecord
from desktop.services.stock_lists import stock_by_bin
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.warehouse.widgets import PartCodeCompleter, parse_decimal, purpose_label, quantity_text

_LOT = Qt.ItemDataRole.UserRole
MAX_LOTS = 500


class _StockDialog(QDialog):
    """What the four dialogs share: a form, an inline message, an action button, the resulting document."""

    def __init__(self, db: Database, actor: Actor, branch_code: str, parent: QWidget | None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._branch_code = branch_code
        self.document: DocumentRecord | None = None
        self.form = QFormLayout()
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)

    def _action_button(self, text: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        return button

    def on_buttons_accepted(self) -> None:
        if self.submit():
            self.accept()

    def submit(self) -> bool:
        try:
            self.document = self._post()
        except DomainError as exc:
            self.message_label.setText(exc.message)
            return False
        except Exception as exc:  # noqa: BLE001 - logged and reported; what was typed stays
            show_error(self, exc)
            return False
        return True

    def _post(self) -> DocumentRecord:
        raise NotImplementedError

    def _quantity(self, edit: QLineEdit) -> Decimal | str:
        # The service checks the number and says what is wrong with it; text that is no number goes as typed.
        value = parse_decimal(edit.text())
        return value if value is not None else edit.text()


class _LotDialog(_StockDialog):
    """Choose the lot: a part's stock by bin and receipt date, oldest first."""

    def __init__(self, db, actor, branch_code, parent, *, part_code: str = "", lot_id: int | None = None):
        super().__init__(db, actor, branch_code, parent)
        self.resize(560, 0)
        self.part_edit = QLineEdit(part_code, self, placeholderText=self.tr("part code, name or model"))
        self.completer = PartCodeCompleter(db, actor, self.part_edit)
        self.show_button = QPushButton(self.tr("S&how stock"), self)
        row = QHBoxLayout()
        row.addWidget(self.part_edit, 1)
        row.addWidget(self.show_button)
        self.lots_table = QTableWidget(0, 4, self)
        self.lots_table.setHorizontalHeaderLabels([self.tr("Bin"), self.tr("Received"), self.tr("On hand"),
                                                   self.tr("Unit")])
        self.lots_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lots_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lots_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lots_table.verticalHeader().hide()
        self.lots_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.lots_table.horizontalHeader().setStretchLastSection(True)
        self.lots_table.setFixedHeight(self.fontMetrics().lineSpacing() * 8)
        self.quantity_edit = QLineEdit(self)
        self.form.addRow(self.tr("&Part:"), row)
        self.form.addRow(self.tr("&Lot:"), self.lots_table)
        self.form.addRow(self.tr("&Quantity:"), self.quantity_edit)
        self.show_button.clicked.connect(self.on_show_button_clicked)
        self.part_edit.returnPressed.connect(self.on_show_button_clicked)
        if part_code:
            self.load_lots(part_code, select_lot=lot_id)

    def load_lots(self, part_code: str, *, select_lot: int | None = None) -> int:
        """Fill the lots of this part; returns how many."""
        self.lots_table.setRowCount(0)
        code = part_code.strip().upper()
        if not code:
            return 0
        try:
            rows = stock_by_bin(self._db, self._actor, part_code=code).fetch(sort=Sort("bin"), after=None,
                                                                              limit=MAX_LOTS)
        except DomainError as exc:
            self.message_label.setText(exc.message)
            return 0
        rows.sort(key=lambda r: (r.values[3], r.id))  # oldest receipt first: the FIFO order
        self.lots_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            bin_code, _, _, received, quantity, unit = row.values
            for column, text in enumerate((bin_code, display_text(received), quantity_text(quantity), unit)):
                item = QTableWidgetItem(text)
                item.setData(_LOT, row.id)
                self.lots_table.setItem(index, column, item)
            if row.id == select_lot:
                self.lots_table.selectRow(index)
        if rows and self.lots_table.currentRow() < 0:
            self.lots_table.selectRow(0)
        self.message_label.setText("" if rows else self.tr("No stock of {code}.").format(code=code))
        return len(rows)

    def selected_lot(self) -> int | None:
        row = self.lots_table.currentRow()
        return self.lots_table.item(row, 0).data(_LOT) if row >= 0 else None

    def on_show_button_clicked(self) -> None:
        self.load_lots(self.part_edit.text())

    def _lot_or_say(self) -> int:
        lot = self.selected_lot()
        if lot is None:
            raise DomainError(self.tr("Choose the lot (bin and receipt date) first."))
        return lot


class TransferDialog(_LotDialog):
    def __init__(self, db, actor, branch_code, parent=None, *, part_code: str = "", lot_id: int | None = None):
        super().__init__(db, actor, branch_code, parent, part_code=part_code, lot_id=lot_id)
        self.setWindowTitle(self.tr("Transfer to another bin"))
        self.to_bin_edit = QLineEdit(self, placeholderText="A-03-2-05", maxLength=12)
        self.to_bin_hint = QLabel(self)
        self.form.addRow(self.tr("To &bin:"), self.to_bin_edit)
        self.form.addRow("", self.to_bin_hint)
        self.action_button = self._action_button(self.tr("&Transfer"))
        self.to_bin_edit.textChanged.connect(self.on_to_bin_edit_text_changed)
        self.on_to_bin_edit_text_changed("")

    def on_to_bin_edit_text_changed(self, text: str) -> None:
        good = not text.strip() or parse_bin_code(text) is not None
        self.to_bin_hint.setText(self.tr("Zone-shelf-layer-position, e.g. A-03-2-05.") if good else
                                 self.tr("Not a bin code: zone-shelf-layer-position, e.g. A-03-2-05."))
        self.to_bin_hint.setStyleSheet(HINT_STYLE if good else ERROR_STYLE)

    def _post(self) -> DocumentRecord:
        return stock.transfer(self._db, self._actor, branch_code=self._branch_code, lot_id=self._lot_or_say(),
                              quantity=self._quantity(self.quantity_edit), to_bin_code=self.to_bin_edit.text())


class ScrapDialog(_LotDialog):
    def __init__(self, db, actor, branch_code, parent=None, *, part_code: str = "", lot_id: int | None = None):
        super().__init__(db, actor, branch_code, parent, part_code=part_code, lot_id=lot_id)
        self.setWindowTitle(self.tr("Scrap"))
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.form.addRow(self.tr("&Reason:"), self.reason_edit)
        self.action_button = self._action_button(self.tr("&Scrap"))

    def _post(self) -> DocumentRecord:
        return stock.scrap(self._db, self._actor, branch_code=self._branch_code, lot_id=self._lot_or_say(),
                           quantity=self._quantity(self.quantity_edit), reason=self.reason_edit.toPlainText())


class ReturnDialog(_StockDialog):
    """退库: parts of an issue slip that were not used go back to the lot they came from."""

    def __init__(self, db, actor, branch_code, parent=None, *, number: str = ""):
        super().__init__(db, actor, branch_code, parent)
        self.setWindowTitle(self.tr("Return to stock"))
        self.number_edit = QLineEdit(number, self, placeholderText="CK-GZ01-202611-0001")
        self.load_button = QPushButton(self.tr("&Load slip"), self)
        row = QHBoxLayout()
        row.addWidget(self.number_edit, 1)
        row.addWidget(self.load_button)
        self.part_combo = QComboBox(self)
        self.quantity_edit = QLineEdit(self)
        self.reason_edit = QLineEdit(self)
        self.form.addRow(self.tr("Issue &slip:"), row)
        self.form.addRow(self.tr("&Part:"), self.part_combo)
        self.form.addRow(self.tr("&Quantity:"), self.quantity_edit)
        self.form.addRow(self.tr("&Reason:"), self.reason_edit)
        self.action_button = self._action_button(self.tr("Re&turn"))
        self.load_button.clicked.connect(self.on_load_button_clicked)
        self.number_edit.returnPressed.connect(self.on_load_button_clicked)
        if number:
            self.load_slip(number)

    def load_slip(self, number: str) -> bool:
        self.part_combo.clear()
        try:
            slip = stock.get_document(self._db, self._actor, number)
        except DomainError as exc:
            self.message_label.setText(exc.message)
            return False
        if slip.kind != MovementKind.ISSUE:
            self.message_label.setText(self.tr("{number} is a {kind} document, not an issue slip.").format(
                number=slip.number, kind=kind_label(slip.kind)))
            return False
        issued: dict[int, tuple[str, str, Decimal, str]] = {}
        for line in slip.lines:
            code, name, quantity, unit = issued.get(line.part_id, (line.part_code, line.part_name, Decimal(0), line.unit))
            issued[line.part_id] = (code, name, quantity + line.quantity, unit)
        for part_id, (code, name, quantity, unit) in issued.items():
            self.part_combo.addItem(self.tr("{code} {name} (issued {quantity} {unit})").format(
                code=code, name=name, quantity=quantity_text(quantity), unit=unit), part_id)
        self.message_label.setText("")
        return True

    def on_load_button_clicked(self) -> None:
        self.load_slip(self.number_edit.text())

    def _post(self) -> DocumentRecord:
        part_id = self.part_combo.currentData()
        if part_id is None:
            raise DomainError(self.tr("Load the issue slip and choose the part first."))
        return stock.return_to_stock(self._db, self._actor, branch_code=self._branch_code,
                                     issue_number=self.number_edit.text(), part_id=part_id,
                                     quantity=self._quantity(self.quantity_edit), reason=self.reason_edit.text())


class ReverseDialog(_StockDialog):
    """冲销: the whole document is undone by opposite movements, after the user saw what it was."""

    def __init__(self, db, actor, branch_code, parent=None, *, number: str = ""):
        super().__init__(db, actor, branch_code, parent)
        self.setWindowTitle(self.tr("Reverse a document"))
        self.number_edit = QLineEdit(number, self, placeholderText="RK-GZ01-202611-0001")
        self.load_button = QPushButton(self.tr("&Show"), self)
        row = QHBoxLayout()
        row.addWidget(self.number_edit, 1)
        row.addWidget(self.load_button)
        self.summary_label = QLabel(self, wordWrap=True,
                                    textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.form.addRow(self.tr("&Document:"), row)
        self.form.addRow("", self.summary_label)
        self.form.addRow(self.tr("&Reason:"), self.reason_edit)
        self.action_button = self._action_button(self.tr("Re&verse…"))
        self.confirm = self._ask  # replaced by tests: the question a person answers
        self.load_button.clicked.connect(self.on_load_button_clicked)
        self.number_edit.returnPressed.connect(self.on_load_button_clicked)
        if number:
            self.load_document(number)

    def load_document(self, number: str) -> DocumentRecord | None:
        try:
            record = stock.get_document(self._db, self._actor, number)
        except DomainError as exc:
            self.summary_label.clear()
            self.message_label.setText(exc.message)
            return None
        self.message_label.clear()
        self.summary_label.setText(self._describe(record))
        return record

    def on_load_button_clicked(self) -> None:
        self.load_document(self.number_edit.text())

    def _post(self) -> DocumentRecord:
        record = stock.get_document(self._db, self._actor, self.number_edit.text())
        self.summary_label.setText(self._describe(record))
        if not self.confirm(record):
            raise DomainError(self.tr("Not reversed."))
        return stock.reverse(self._db, self._actor, branch_code=self._branch_code, document_number=record.number,
                             reason=self.reason_edit.toPlainText())

    def _describe(self, record: DocumentRecord) -> str:
        head = self.tr("{kind} {number} of {time} by {user}").format(
            kind=kind_label(record.kind), number=record.number, time=display_text(record.at), user=record.username)
        if record.reference:
            head += f" · {purpose_label(record.purpose)} {record.reference}"
        lines = [f"{line.bin_code}  {line.part_code} {line.part_name}  × {quantity_text(line.quantity)} {line.unit}"
                 for line in record.lines[:8]]
        if len(record.lines) > 8:
            lines.append(self.tr("… and {count} more lines").format(count=len(record.lines) - 8))
        return "\n".join([head, *lines])

    def _ask(self, record: DocumentRecord) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Reverse a document"),
            self.tr("Reverse {number}? Opposite movements are written for all its {count} lines; the ledger "
                    "keeps both.").format(number=record.number, count=len(record.lines)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
