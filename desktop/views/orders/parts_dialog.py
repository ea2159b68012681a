"""The parts used on the order, chosen from what the warehouse issued against it (issue slips whose reference is
the order number, less what went back): quantity used, the unit price charged and what became of the old
part. The keeper issues and takes back parts in the warehouse screens, so stock and ledger follow; this form
only says which of them went into the unit.

A line not yet recorded starts with everything issued as used, at the part's cost when the order is
chargeable and free under warranty, 三包 or contract; a quantity of 0 leaves the part out.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.amounts import format_yuan
from desktop.domain.errors import DomainError
from desktop.domain.service_orders import OLD_PART_FATES, old_part_label
from desktop.services import service_orders
from desktop.services.service_orders import IssuedPart, OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import fill_combo, select_data
from desktop.views.number_box import NumberBox
from desktop.views.orders.step_dialog import OrderStepDialog, decimal_of, money_box

PART, ISSUED, USED, PRICE, AMOUNT, OLD_PART = range(6)


def quantity_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


class PartsDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        super().__init__(db, actor, record, title=self.tr("Parts used"), ok_text=self.tr("Save the parts"),
                         parent=parent)
        self.lines: list[IssuedPart] = []
        try:
            self.lines = service_orders.issued_parts(db, actor, record.id)
        except DomainError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
        self.table = QTableWidget(len(self.lines), 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("Part"), self.tr("Issued"), self.tr("Used"),
                                              self.tr("Unit price"), self.tr("Amount"), self.tr("Old part")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PART, QHeaderView.ResizeMode.Stretch)
        self.used_boxes: list[QDoubleSpinBox] = []
        self.price_boxes: list[QDoubleSpinBox] = []
        self.old_part_boxes: list[QComboBox] = []
        for row, line in enumerate(self.lines):
            self._add_line(row, line)
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 8)
        self.form.addRow(self.table)
        self.total_label = QLabel(self)
        self.form.addRow(self.tr("Parts total:"), self.total_label)
        explanation = QLabel(self.tr("Lines come from the parts the warehouse issued against {number}, less what "
                                     "went back. Used 0 leaves a part out; unused parts go back to the warehouse "
                                     "on a return slip.").format(number=record.number), self, wordWrap=True)
        explanation.setStyleSheet(HINT_STYLE)
        self.form.addRow(explanation)
        self.fields["parts"] = self.table
        self.fields["old_part"] = self.table
        self.revalidate()
        self.resize(760, min(620, self.sizeHint().height()))
        if self.used_boxes:
            self.used_boxes[0].setFocus()

    # --- our API -------------------------------------------------------------------------------------------

    def chosen_lines(self) -> list[tuple[int, Decimal, Decimal, str]]:
        """(part id, quantity, unit price, old part) of every line used."""
        return [(line.part_id, decimal_of(used), decimal_of(price), old.currentData())
                for line, used, price, old in zip(self.lines, self.used_boxes, self.price_boxes, self.old_part_boxes,
                                                  strict=True)
                if decimal_of(used) > 0]

    # --- the step ------------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        total = Decimal(0)
        for row, (used, price) in enumerate(zip(self.used_boxes, self.price_boxes, strict=True)):
            amount = (decimal_of(used) * decimal_of(price)).quantize(Decimal("0.01"))
            self.table.item(row, AMOUNT).setText(format_yuan(amount))
            total += amount
        self.total_label.setText(format_yuan(total))
        found = []
        if not self.lines:
            found.append(self.tr("The warehouse has issued no parts against {number} yet: the keeper issues them "
                                 "with the order number as the reference.").format(number=self.record.number))
        for line, used in zip(self.lines, self.used_boxes, strict=True):
            if decimal_of(used) > line.issued:
                found.append(self.tr("Only {n} of {code} are issued for this order.").format(
                    n=quantity_text(line.issued), code=line.code))
        recorded_before = any(line.used for line in self.lines)
        if self.lines and not self.chosen_lines() and not recorded_before:
            found.append(self.tr("Enter the quantity used of at least one part."))
        return found

    def perform(self) -> OrderRecord:
        return service_orders.record_parts_used(self._db, self._actor, order_id=self.record.id,
                                                version=self.record.version, lines=self.chosen_lines())

    # --- helpers -------------------------------------------------------------------------------------------

    def _add_line(self, row: int, line: IssuedPart) -> None:
        self.table.setItem(row, PART, QTableWidgetItem(f"{line.code}  {line.name}"))
        issued = QTableWidgetItem(f"{quantity_text(line.issued)} {line.unit}")
        issued.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, ISSUED, issued)
        amount = QTableWidgetItem()
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, AMOUNT, amount)

        used = NumberBox(self.table)
        used.setDecimals(2)  # the warehouse keeps hundredths
        used.setRange(0, float(max(line.issued, line.used or 0)))
        used.setSuffix(f" {line.unit}")
        used.setValue(float(line.used if line.used is not None else line.issued))
        used.setAccessibleName(self.tr("Used of {code}").format(code=line.code))
        default_price = Decimal(0) if self.record.coverage_decided.free else line.unit_cost
        price = money_box(self.table, line.unit_price if line.unit_price is not None else default_price)
        price.setAccessibleName(self.tr("Unit price of {code}").format(code=line.code))
        old = QComboBox(self.table)
        fill_combo(old, OLD_PART_FATES, old_part_label)
        select_data(old, line.old_part or "returned")
        for widget, column in ((used, USED), (price, PRICE), (old, OLD_PART)):
            self.table.setCellWidget(row, column, widget)
        used.valueChanged.connect(self.revalidate)
        price.valueChanged.connect(self.revalidate)
        self.used_boxes.append(used)
        self.price_boxes.append(price)
        self.old_part_boxes.append(old)
