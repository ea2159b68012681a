"""Finding the customer at the front desk: type a phone number, a name or a serial number, pick from the
list (Enter takes the highlighted one), or create the customer on the spot with a minimal form.

The list is the customer list service's (masked, searched in SQL, paged); the customer is opened in full
(get_customer, audited) only when chosen, not while the user arrows through the matches.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import DomainError
from desktop.domain.privacy import mask_phone
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import customers
from desktop.services.access import allowed
from desktop.services.customers import CustomerInput, CustomerRecord
from desktop.services.paging import Sort
from desktop.views.common import HINT_STYLE

SEARCH_DELAY_MS = 250
SHOWN_COLUMNS = ("name", "kind", "phone", "region")
_PHONE_LIKE = re.compile(r"^\+?[0-9][0-9 \-]*$")  # digits typed are (part of) a phone number


class CustomerPicker(QWidget):
    sig_customer_chosen = Signal(object)  # CustomerRecord, or None when the choice was cleared
    sig_problem = Signal(str)  # a refusal to show where the form shows its messages

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.customer: CustomerRecord | None = None

        self.search_edit = QLineEdit(self, clearButtonEnabled=True)
        self.search_edit.setPlaceholderText(self.tr("Phone, name or serial number — Enter takes the first match"))
        self.results_model = LazyTableModel(None, page_size=50, parent=self)
        self.results = QTableView(self)
        self.results.setModel(self.results_model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setTabKeyNavigation(False)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.results.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.new_button = QPushButton(self.tr("&New customer…"), self, autoDefault=False, checkable=True)
        self.chosen_label = QLabel(self, wordWrap=True)

        self.new_box = QGroupBox(self.tr("New customer"), self)
        self.new_kind_combo = QComboBox(self.new_box)
        self.new_kind_combo.addItem(self.tr("Individual"), CustomerKind.INDIVIDUAL)
        self.new_kind_combo.addItem(self.tr("Company"), CustomerKind.COMPANY)
        self.new_name_edit = QLineEdit(self.new_box)
        self.new_phone_edit = QLineEdit(self.new_box)
        self.new_region_edit = QLineEdit(self.new_box, placeholderText=self.tr("e.g. 广东省广州市天河区"))
        self.create_button = QPushButton(self.tr("Crea&te customer"), self.new_box, autoDefault=False)
        form = QFormLayout(self.new_box)
        form.addRow(self.tr("Type:"), self.new_kind_combo)
        form.addRow(self.tr("Name:"), self.new_name_edit)
        form.addRow(self.tr("Phone:"), self.new_phone_edit)
        form.addRow(self.tr("Region:"), self.new_region_edit)
        form.addRow("", self.create_button)
        self.new_box.hide()
        may_create = allowed(actor, Permission.CUSTOMER_EDIT)
        self.new_button.setVisible(may_create)

        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.new_box)
        layout.addWidget(self.chosen_label)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.doubleClicked.connect(self.on_results_double_clicked)
        self.results_model.modelReset.connect(self._on_results_model_reset)
        self.new_button.toggled.connect(self.on_new_button_toggled)
        self.create_button.clicked.connect(self.on_create_button_clicked)
        self._show_chosen()

    # --- our API -------------------------------------------------------------------------------------------

    def tab_chain(self) -> list[QWidget]:
        return [self.search_edit, self.results, self.new_button, self.new_kind_combo, self.new_name_edit,
                self.new_phone_edit, self.new_region_edit, self.create_button]

    def run_search(self) -> None:
        """Search now (typing searches after a short pause)."""
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        try:
            source = customers.customer_list(self._db, self._actor, search=text) if text else None
            self.results_model.set_source(source, sort=Sort("name"))
        except DomainError as exc:
            self.sig_problem.emit(exc.message)

    def choose_row(self, row: int) -> None:
        if 0 <= row < self.results_model.rowCount():
            self.choose(self.results_model.row_id(row))
        elif self.search_edit.text().strip():
            self.sig_problem.emit(self.tr("No customer matches “{text}”: check what was typed, or create a new "
                                          "customer.").format(text=self.search_edit.text().strip()))

    def choose(self, customer_id: int) -> None:
        """Open the customer in full (products included) and make it the complaint's customer."""
        try:
            record = customers.get_customer(self._db, self._actor, customer_id)
        except DomainError as exc:
            self.sig_problem.emit(exc.message)
            return
        self._set_customer(record)

    def searched_serial(self) -> str:
        """What was typed, read as a serial number (upper case, no spaces), to preselect that unit."""
        return re.sub(r"\s", "", self.search_edit.text()).upper()

    # --- Qt overrides --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves the form
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not control
        if watched is self.search_edit:
            if enter:
                if self._search_timer.isActive():
                    self.run_search()  # Enter right after typing: search first, then take the match
                current = self.results.currentIndex()
                self.choose_row(current.row() if current.isValid() else 0)
                return True
            if key == Qt.Key.Key_Down and self.results_model.rowCount():
                self.results.setFocus()
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.results_model.index(0, self._first_shown_column()))
                return True
        elif watched is self.results and enter:
            current = self.results.currentIndex()
            if current.isValid():
                self.choose_row(current.row())
            return True
        return super().eventFilter(watched, event)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_results_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.choose_row(index.row())

    def on_new_button_toggled(self, checked: bool) -> None:
        self.new_box.setVisible(checked)
        if not checked:
            return
        typed = self.search_edit.text().strip()
        target = self.new_phone_edit if _PHONE_LIKE.match(typed) else self.new_name_edit
        if typed and not target.text():
            target.setText(typed)  # what was searched for is most likely what the new customer is
        self.new_name_edit.setFocus()

    def on_create_button_clicked(self) -> None:
        data = CustomerInput(
            kind=self.new_kind_combo.currentData(),
            name=self.new_name_edit.text(),
            phone=self.new_phone_edit.text(),
            region=self.new_region_edit.text(),
        )
        try:
            record = customers.create_customer(self._db, self._actor, data=data)
        except DomainError as exc:
            self.sig_problem.emit(exc.message)
            {"name": self.new_name_edit, "phone": self.new_phone_edit}.get(exc.field, self.new_name_edit).setFocus()
            return
        for edit in (self.new_name_edit, self.new_phone_edit, self.new_region_edit):
            edit.clear()
        self.new_button.setChecked(False)
        self._set_customer(record)

    # --- helpers -------------------------------------------------------------------------------------------

    def _set_customer(self, record: CustomerRecord) -> None:
        self.customer = record
        self._show_chosen()
        self.sig_customer_chosen.emit(record)

    def _show_chosen(self) -> None:
        if self.customer is None:
            self.chosen_label.setText(self.tr("No customer chosen yet."))
            self.chosen_label.setStyleSheet(HINT_STYLE)
            return
        c = self.customer
        details = " · ".join(part for part in (mask_phone(c.phone) if c.phone else "", c.region) if part)
        self.chosen_label.setText(self.tr("Customer: <b>{name}</b> {details}").format(
            name=c.name.replace("<", "&lt;"), details=details.replace("<", "&lt;")))
        self.chosen_label.setStyleSheet("")

    def _first_shown_column(self) -> int:
        keys = [column.key for column in self.results_model.columns]
        return keys.index(SHOWN_COLUMNS[0]) if SHOWN_COLUMNS[0] in keys else 0

    def _on_results_model_reset(self) -> None:
        keys = [column.key for column in self.results_model.columns]
        header = self.results.horizontalHeader()
        width = self.fontMetrics().averageCharWidth()
        for section, key in enumerate(keys):
            self.results.setColumnHidden(section, key not in SHOWN_COLUMNS)
            header.resizeSection(section, {"name": 22, "kind": 7, "phone": 13}.get(key, 20) * width + 16)
        if self.results_model.rowCount():
            self.results.setCurrentIndex(self.results_model.index(0, self._first_shown_column()))

