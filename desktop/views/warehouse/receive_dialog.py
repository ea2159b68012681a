"""入库: a receipt note from a supplier's delivery. Each line is a part code (completed from the master, its
name shown so a mislabelled box is caught here), the bin it goes into (checked as typed, proposed from where
the part already lies), the quantity and the unit cost (empty: the part's cost). One transaction: every
line is received or none."""

from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.warehouse import parse_bin_code
from desktop.services import stock
from desktop.services.paging import Sort
from desktop.services.stock import DocumentRecord, ReceiptLine
from desktop.services.stock_lists import stock_by_bin
from desktop.views.common import ERROR_STYLE, show_error
from desktop.views.warehouse.widgets import PartCodeCompleter, find_part, parse_decimal

CODE, NAME, BIN, QUANTITY, COST = range(5)
WRONG = QBrush(QColor("#fde0dc"))


class _PartCodeDelegate(QStyledItemDelegate):
    """The part code cell is edited with the completer of the part master."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget):
        super().__init__(parent)
        self._db = db
        self._actor = actor

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(40)
        PartCodeCompleter(self._db, self._actor, editor)
        return editor


class ReceiveDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, branch_code: str, parent: QWidget | None = None, *,
                 part_code: str = ""):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._branch_code = branch_code
        self.document: DocumentRecord | None = None
        self.setWindowTitle(self.tr("Receive parts"))
        self.resize(820, 460)

        self.supplier_edit = QLineEdit(self, maxLength=60, placeholderText=self.tr("delivery note number"))
        self.date_edit = QDateEdit(QDate.currentDate(), self, calendarPopup=True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate.currentDate())  # goods are received when they are here
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Part code"), self.tr("Name"), self.tr("Bin"),
                                              self.tr("Quantity"), self.tr("Unit cost")])
        self.table.setItemDelegateForColumn(CODE, _PartCodeDelegate(db, actor, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        for column, width in ((CODE, 140), (BIN, 110), (QUANTITY, 80), (COST, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Add line"), self)
        self.add_button.setToolTip(self.tr("Insert"))
        self.remove_button = QPushButton(self.tr("Re&move line"), self)
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.receive_button = self.buttons.addButton(self.tr("&Receive"), QDialogButtonBox.ButtonRole.AcceptRole)

        form = QFormLayout()
        form.addRow(self.tr("&Supplier document:"), self.supplier_edit)
        form.addRow(self.tr("Receipt &date:"), self.date_edit)
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.add_button)
        line_buttons.addWidget(self.remove_button)
        line_buttons.addStretch(1)
        hint = QLabel(self.tr("Empty unit cost: the part's unit cost. A bin holds one part at a time."), self)
        line_buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(line_buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, self.on_add_button_clicked)
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.table.itemChanged.connect(self.on_table_item_changed)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.add_line(part_code)

    # --- our API -------------------------------------------------------------------------------------------

    def add_line(self, part_code: str = "", bin_code: str = "", quantity: str = "", unit_cost: str = "") -> int:
        """Append a line (empty, or filled as a person would type it); returns its row."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        try:
            self.table.insertRow(row)
            name = QTableWidgetItem()
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)  # shown, not typed
            self.table.setItem(row, NAME, name)
            for column, text in ((CODE, part_code), (BIN, bin_code), (QUANTITY, quantity), (COST, unit_cost)):
                item = QTableWidgetItem(text)
                if column in (QUANTITY, COST):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        finally:
            self.table.blockSignals(False)
        if part_code:
            self._show_part(row)
        if bin_code:
            self.on_table_item_changed(self.table.item(row, BIN))
        return row

    def receipt_lines(self) -> list[ReceiptLine]:
        """The lines typed so far; empty rows are left out. Raises DomainError for an unreadable unit cost."""
        lines = []
        for row in range(self.table.rowCount()):
            code, bin_code, quantity, cost = (self._text(row, c) for c in (CODE, BIN, QUANTITY, COST))
            if not (code or bin_code or quantity or cost):
                continue
            unit_cost = None
            if cost:
                unit_cost = parse_decimal(cost)
                if unit_cost is None or unit_cost < 0:
                    raise DomainError(self.tr("Line {n}: unit cost {cost} is not an amount.").format(n=row + 1,
                                                                                                      cost=cost))
            amount = parse_decimal(quantity)
            lines.append(ReceiptLine(code, bin_code, amount if amount is not None else quantity, unit_cost))
        return lines

    def submit(self) -> bool:
        try:
            self.document = stock.receive(self._db, self._actor, branch_code=self._branch_code,
                                          supplier_document=self.supplier_edit.text(),
                                          received_on=self.date_edit.date().toPython(), lines=self.receipt_lines())
        except DomainError as exc:
            self.message_label.setText(exc.message)
            return False
        except Exception as exc:  # noqa: BLE001 - logged and reported; the lines stay as typed
            show_error(self, exc)
            return False
        return True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        if self.submit():
            self.accept()

    def on_add_button_clicked(self) -> None:
        row = self.add_line()
        self.table.setCurrentCell(row, CODE)
        self.table.editItem(self.table.item(row, CODE))

    def on_remove_button_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def on_table_item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if column == CODE:
            self._show_part(row)
        elif column == BIN:
            text = item.text().strip()
            good = not text or parse_bin_code(text) is not None
            self._mark(item, good, "" if good else self.tr("Not a bin code: zone-shelf-layer-position, e.g. A-03-2-05."))

    # --- helpers -------------------------------------------------------------------------------------------

    def _show_part(self, row: int) -> None:
        code_item, name_item = self.table.item(row, CODE), self.table.item(row, NAME)
        if code_item is None or name_item is None:
            return
        code = code_item.text().strip()
        part = find_part(self._db, self._actor, code) if code else None
        self.table.blockSignals(True)
        try:
            if not code:
                name_item.setText("")
                self._mark(code_item, True, "")
            elif part is None:
                name_item.setText(self.tr("no part with this code"))
                self._mark(code_item, False, self.tr("Check the label: the part master has no such code."))
            else:
                code_item.setText(part.code)
                name_item.setText(f"{part.name}  {part.model}  ({part.unit})")
                self._mark(code_item, True, "")
                bin_item = self.table.item(row, BIN)
                if bin_item is not None and not bin_item.text().strip():
                    bin_item.setText(self._home_bin(part.code))
        finally:
            self.table.blockSignals(False)

    def _home_bin(self, code: str) -> str:
        """The bin where this part lies now: a bin holds one part, so its receipts go there too."""
        try:
            rows = stock_by_bin(self._db, self._actor, part_code=code).fetch(sort=Sort("bin"), after=None, limit=1)
        except DomainError:
            return ""
        return rows[0].values[0] if rows else ""

    def _mark(self, item: QTableWidgetItem, good: bool, tip: str) -> None:
        item.setBackground(QBrush() if good else WRONG)
        item.setToolTip(tip)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""
