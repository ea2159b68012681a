"""出库: parts for a service order, a complaint or internal use. Each line shows where its parts come from —
the lots first in, first out, listed in walking order (bin by bin along the shelves) — and, when the shelves
cannot give enough, the substitutes that have stock; the user may switch the line to one of them.

The proposal is only a preview: the service works the picks out again inside the transaction, so what is
issued is what is there. One transaction for the whole slip; a refusal leaves every line as typed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
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
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.models.lazy_table_model import display_text
from desktop.services import stock
from desktop.services.stock import DocumentRecord, IssueProposal
from desktop.views.common import ERROR_STYLE, show_error
from desktop.views.warehouse.widgets import (
    PURPOSES,
    PartCodeCompleter,
    PartFound,
    find_part,
    parse_decimal,
    purpose_label,
    quantity_text,
)

SHORT = QBrush(QColor("#b3261e"))


@dataclass
class IssueLine:
    part: PartFound
    quantity: Decimal
    proposal: IssueProposal


class IssueDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, branch_code: str, parent: QWidget | None = None, *,
                 part_code: str = ""):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._branch_code = branch_code
        self.lines: list[IssueLine] = []
        self.document: DocumentRecord | None = None
        self.setWindowTitle(self.tr("Issue parts"))
        self.resize(860, 560)

        self.purpose_combo = QComboBox(self)
        for purpose in PURPOSES:
            self.purpose_combo.addItem(purpose_label(purpose), purpose)
        self.reference_edit = QLineEdit(self, maxLength=60)
        self.receiver_edit = QLineEdit(self, maxLength=60, placeholderText=self.tr("who takes the parts"))
        self.part_edit = QLineEdit(part_code, self, placeholderText=self.tr("part code, name or model"))
        self.completer = PartCodeCompleter(db, actor, self.part_edit)
        self.quantity_edit = QLineEdit("1", self)
        self.quantity_edit.setMaximumWidth(90)
        self.add_button = QPushButton(self.tr("&Add line"), self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Part / bin"), self.tr("Name / received"), self.tr("Quantity"),
                                   self.tr("Availability")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.resizeSection(0, 170)
        header.resizeSection(1, 300)
        header.resizeSection(2, 90)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.remove_button = QPushButton(self.tr("Re&move line"), self)
        self.substitute_label = QLabel(self, wordWrap=True)
        self.substitute_combo = QComboBox(self)
        self.substitute_button = QPushButton(self.tr("&Use this substitute"), self)
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.issue_button = self.buttons.addButton(self.tr("&Issue"), QDialogButtonBox.ButtonRole.AcceptRole)

        form = QFormLayout()
        form.addRow(self.tr("&Purpose:"), self.purpose_combo)
        form.addRow(self.tr("Re&ference:"), self.reference_edit)
        form.addRow(self.tr("Recei&ver:"), self.receiver_edit)
        entry = QHBoxLayout()
        entry.addWidget(QLabel(self.tr("Pa&rt:"), self, buddy=self.part_edit))
        entry.addWidget(self.part_edit, 1)
        entry.addWidget(QLabel(self.tr("&Quantity:"), self, buddy=self.quantity_edit))
        entry.addWidget(self.quantity_edit)
        entry.addWidget(self.add_button)
        substitutes = QHBoxLayout()
        substitutes.addWidget(self.substitute_combo, 1)
        substitutes.addWidget(self.substitute_button)
        below = QHBoxLayout()
        below.addWidget(self.remove_button)
        below.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(entry)
        layout.addWidget(self.tree, 1)
        layout.addLayout(below)
        layout.addWidget(self.substitute_label)
        layout.addLayout(substitutes)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.purpose_combo.currentIndexChanged.connect(self.on_purpose_combo_current_index_changed)
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.part_edit.returnPressed.connect(self.quantity_edit.setFocus)
        self.quantity_edit.returnPressed.connect(self.on_add_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.substitute_button.clicked.connect(self.on_substitute_button_clicked)
        self.tree.currentItemChanged.connect(self.on_tree_current_item_changed)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.on_purpose_combo_current_index_changed(0)
        self._show_substitutes()
        if part_code:
            self.quantity_edit.setFocus()
            self.quantity_edit.selectAll()

    # --- our API -------------------------------------------------------------------------------------------

    def add_line(self, part_code: str, quantity: str) -> bool:
        """Add a line (or more of a part already on the slip) and show its picks; False with a message if the
        part or the quantity is not right."""
        part = find_part(self._db, self._actor, part_code)
        if part is None:
            self._say(self.tr("There is no part with code {code}.").format(code=part_code.strip()))
            return False
        amount = parse_decimal(quantity)
        existing = next((i for i, line in enumerate(self.lines) if line.part.id == part.id), -1)
        try:
            if amount is None:
                raise DomainError(self.tr("{value} is not a quantity.").format(value=quantity))
            total = amount + (self.lines[existing].quantity if existing >= 0 else 0)
            proposal = stock.propose_issue(self._db, self._actor, part_id=part.id, quantity=total)
        except DomainError as exc:
            self._say(exc.message)
            return False
        line = IssueLine(part, total, proposal)
        if existing >= 0:
            self.lines[existing] = line
        else:
            self.lines.append(line)
            existing = len(self.lines) - 1
        self._say("")
        self._rebuild(select=existing)
        return True

    def use_substitute(self, line_index: int, substitute_id: int) -> bool:
        """Switch a short line to a substitute part, same quantity (merged if that part is on the slip)."""
        line = self.lines[line_index]
        code = next((code for pid, code, _, _ in line.proposal.substitutes if pid == substitute_id), None)
        if code is None:
            return False
        del self.lines[line_index]
        if not self.add_line(code, str(line.quantity)):
            self.lines.insert(line_index, line)  # keep what was there
            self._rebuild(select=line_index)
            return False
        return True

    def remove_line(self, line_index: int) -> None:
        del self.lines[line_index]
        self._rebuild(select=min(line_index, len(self.lines) - 1))

    def current_line(self) -> int:
        item = self.tree.currentItem()
        if item is None:
            return -1
        top = item if item.parent() is None else item.parent()
        return self.tree.indexOfTopLevelItem(top)

    def picks_shown(self, line_index: int) -> list[tuple[str, str]]:
        """(bin, quantity) of a line's picks as listed, top to bottom."""
        top = self.tree.topLevelItem(line_index)
        return [(top.child(i).text(0), top.child(i).text(2)) for i in range(top.childCount())]

    def submit(self) -> bool:
        try:
            if not self.lines:
                raise DomainError(self.tr("Add at least one line."))
            self.document = stock.issue(
                self._db, self._actor, branch_code=self._branch_code,
                lines=[(line.part.id, line.quantity) for line in self.lines],
                purpose=self.purpose_combo.currentData(), reference=self.reference_edit.text(),
                receiver=self.receiver_edit.text())
        except DomainError as exc:
            self._say(exc.message)
            self._refresh_proposals()  # somebody may have issued meanwhile: show what is there now
            return False
        except Exception as exc:  # noqa: BLE001 - logged and reported; the slip stays as typed
            show_error(self, exc)
            return False
        return True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        if self.submit():
            self.accept()

    def on_add_button_clicked(self) -> None:
        if self.add_line(self.part_edit.text(), self.quantity_edit.text()):
            self.part_edit.clear()
            self.quantity_edit.setText("1")
            self.part_edit.setFocus()

    def on_remove_button_clicked(self) -> None:
        index = self.current_line()
        if index >= 0:
            self.remove_line(index)

    def on_substitute_button_clicked(self) -> None:
        index = self.current_line()
        if index >= 0 and self.substitute_combo.currentData() is not None:
            self.use_substitute(index, self.substitute_combo.currentData())

    def on_tree_current_item_changed(self, *_args) -> None:
        self._show_substitutes()

    def on_purpose_combo_current_index_changed(self, _index: int) -> None:
        self.reference_edit.setPlaceholderText({
            "service_order": self.tr("service order number, e.g. FW-GZ01-202611-0001"),
            "complaint": self.tr("complaint number"),
            "internal": self.tr("what the parts are for"),
        }[self.purpose_combo.currentData()])

    # --- helpers -------------------------------------------------------------------------------------------

    def _rebuild(self, select: int = -1) -> None:
        self.tree.clear()
        for line in self.lines:
            proposal, unit = line.proposal, line.part.unit
            top = QTreeWidgetItem(self.tree, [line.part.code, f"{line.part.name}  {line.part.model}",
                                              f"{quantity_text(line.quantity)} {unit}", ""])
            top.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if proposal.short > 0:
                top.setText(3, self.tr("{short} {unit} short").format(short=quantity_text(proposal.short), unit=unit)
                            + (self.tr(", substitutes available") if proposal.substitutes else ""))
                top.setForeground(3, SHORT)
            else:
                top.setText(3, self.tr("on the shelves"))
            for pick in proposal.picks:  # the service lists them in walking order
                child = QTreeWidgetItem(top, [pick.bin_code, self.tr("received {date}").format(
                    date=display_text(pick.received_on)), f"{quantity_text(pick.quantity)} {unit}", ""])
                child.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tree.expandAll()
        if 0 <= select < self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(select))
        self._show_substitutes()

    def _refresh_proposals(self) -> None:
        for index, line in enumerate(self.lines):
            try:
                proposal = stock.propose_issue(self._db, self._actor, part_id=line.part.id, quantity=line.quantity)
            except DomainError:
                continue
            self.lines[index] = IssueLine(line.part, line.quantity, proposal)
        self._rebuild(select=self.current_line())

    def _show_substitutes(self) -> None:
        index = self.current_line()
        line = self.lines[index] if 0 <= index < len(self.lines) else None
        self.substitute_combo.clear()
        self.remove_button.setEnabled(line is not None)
        short = line is not None and line.proposal.short > 0
        if short:
            for part_id, code, name, on_hand in line.proposal.substitutes:
                self.substitute_combo.addItem(self.tr("{code} {name} ({on_hand} on hand)").format(
                    code=code, name=name, on_hand=quantity_text(on_hand)), part_id)
            if line.proposal.substitutes:
                text = self.tr("Not enough {code} on the shelves ({short} {unit} short). A substitute with stock "
                               "can take the whole line:")
            else:
                text = self.tr("Not enough {code} on the shelves ({short} {unit} short), and no substitute has "
                               "stock. Lower the quantity or order the part.")
            self.substitute_label.setText(text.format(code=line.part.code, short=quantity_text(line.proposal.short),
                                                      unit=line.part.unit))
        else:
            self.substitute_label.setText("")
        has_choices = short and bool(line.proposal.substitutes)
        for widget in (self.substitute_combo, self.substitute_button):
            widget.setVisible(has_choices)
        self.substitute_label.setVisible(short)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)
