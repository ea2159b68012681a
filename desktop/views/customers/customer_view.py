"""One case, one file (一事一档): a customer with their details, their installed units and every complaint
about them, in one window (domain.md §2). Opened from a serial number it starts at that unit.

The window shows the record as the service gives it: in full for roles that may see personal data (the
service logs the view), masked otherwise. It is not modal, so a desk can keep a caller's file open while it
looks something else up.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import LazyTableModel, display_text
from desktop.services import customers
from desktop.services.access import allowed
from desktop.services.complaint_list import ComplaintFilter, complaint_register
from desktop.services.customers import CustomerRecord, ProductRecord
from desktop.services.paging import Sort
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.customers.customer_dialog import CustomerDialog, kind_label
from desktop.views.customers.product_dialog import ProductDialog, category_label
from desktop.views.lazy_list_view import LazyListView

DETAILS_TAB, PRODUCTS_TAB, COMPLAINTS_TAB = range(3)


class CustomerView(QDialog):
    sig_changed = Signal(int)  # the customer's id, after anything of theirs was saved here
    sig_complaint_activated = Signal(int)  # a complaint's id: the user wants to work on it

    def __init__(self, db: Database, actor: Actor, record: CustomerRecord, *, product_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window with minimise and maximise, not a sheet
        self._db = db
        self._actor = actor
        self.record = record
        may_edit = allowed(actor, Permission.CUSTOMER_EDIT)

        self.title_label = QLabel(self, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel(self)
        self.state_label = QLabel(self, wordWrap=True)
        self.state_label.setStyleSheet(ERROR_STYLE)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_details(), self.tr("&Details"))
        self.tabs.addTab(self._build_products(may_edit), self.tr("&Products"))
        self.complaints_view: LazyListView | None = None
        self.tabs.addTab(self._build_complaints(), self.tr("Co&mplaints"))

        self.edit_button = QPushButton(self.tr("&Edit customer…"), self)
        self.edit_button.setVisible(may_edit)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.resize(1040, 620)  # fits a 1366×768 screen with the task bar

        self.edit_button.clicked.connect(self.on_edit_button_clicked)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        self.show_record(record)
        if product_id is not None:
            self.show_product(product_id)

    # --- our API -------------------------------------------------------------------------------------------

    def show_record(self, record: CustomerRecord) -> None:
        self.record = record
        self.setWindowTitle(self.tr("Customer {name}").format(name=record.name))
        self.title_label.setText(record.name)
        registered = display_text(record.created_at)
        self.subtitle_label.setText(self.tr("No. {id} · {kind} · {importance} · registered {date}").format(
            id=record.id, kind=kind_label(record.kind), importance=record.importance.label, date=registered))
        if record.merged_into_id:
            state = self.tr("Archived: merged into customer No. {id}, whose file holds its units now.")
            state = state.format(id=record.merged_into_id)
        elif record.archived:
            state = self.tr("Archived: kept on file, but no longer listed and no longer changed.")
        else:
            state = ""
        self.state_label.setText(state)
        self.state_label.setVisible(bool(state))
        may_edit = allowed(self._actor, Permission.CUSTOMER_EDIT) and not record.archived
        # A masked record cannot be edited: saving it would write the stars over the real values.
        self.edit_button.setEnabled(may_edit and not record.masked)
        self.add_product_button.setEnabled(may_edit)
        self._fill_details(record)
        self._fill_products(record.products)

    def reload(self) -> None:
        try:
            self.show_record(customers.get_customer(self._db, self._actor, self.record.id))
        except DomainError as exc:
            show_error(self, exc)
            return
        if self.complaints_view is not None:
            self.complaints_view.model.reload()

    def show_product(self, product_id: int) -> None:
        """Start at one unit: its row in the products, and the complaints narrowed to it."""
        row = next((r for r, p in enumerate(self.record.products) if p.id == product_id), -1)
        if row >= 0:
            self.products_table.selectRow(row)
        if self.complaints_view is not None:
            index = self.unit_combo.findData(product_id)
            self.unit_combo.setCurrentIndex(max(index, 0))
        self.tabs.setCurrentIndex(PRODUCTS_TAB)

    def current_product(self) -> ProductRecord | None:
        row = self.products_table.currentRow()
        return self.record.products[row] if 0 <= row < len(self.record.products) else None

    # --- slots ---------------------------------------------------------------------------------------------

    def on_edit_button_clicked(self) -> None:
        dialog = CustomerDialog(self._db, self._actor, self.record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.on_customer_dialog_accepted)
        dialog.rejected.connect(self.reload)  # the dialog may have reloaded a record somebody else changed
        dialog.open()

    def on_customer_dialog_accepted(self) -> None:
        record = self.sender().saved
        if record is not None:
            self.show_record(record)
            self.sig_changed.emit(record.id)

    def on_product_dialog_accepted(self) -> None:
        saved = self.sender().saved
        self.reload()  # the customer's version changed with its search text: read it again
        if saved is not None:
            self.show_product(saved.id)
        self.sig_changed.emit(self.record.id)

    def on_products_table_cell_double_clicked(self, _row: int, _column: int) -> None:
        if self.edit_product_button.isVisible():
            self.on_edit_product_button_clicked()
        else:
            self.on_unit_complaints_button_clicked()

    def on_add_product_button_clicked(self) -> None:
        self._open_product_dialog(None)

    def on_edit_product_button_clicked(self) -> None:
        product = self.current_product()
        if product is not None:
            self._open_product_dialog(product)

    def on_unit_complaints_button_clicked(self) -> None:
        product = self.current_product()
        if product is not None and self.complaints_view is not None:
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(product.id), 0))
            self.tabs.setCurrentIndex(COMPLAINTS_TAB)
            self.complaints_view.table.setFocus()

    def on_products_table_current_cell_changed(self, *_args) -> None:
        product = self.current_product()
        may_edit = allowed(self._actor, Permission.CUSTOMER_EDIT)
        self.edit_product_button.setEnabled(product is not None and may_edit)
        self.unit_complaints_button.setEnabled(product is not None and self.complaints_view is not None)

    def on_unit_combo_current_index_changed(self, _index: int) -> None:
        product_id = self.unit_combo.currentData()
        where = ComplaintFilter(customer_id=self.record.id, product_id=product_id)
        try:
            self.complaints_view.model.set_source(complaint_register(self._db, self._actor, where=where))
        except DomainError as exc:
            show_error(self, exc)

    def on_complaints_model_count_changed(self, count: int) -> None:
        title = self.tr("Co&mplaints") if count < 0 else self.tr("Co&mplaints ({n})").format(n=count)
        self.tabs.setTabText(COMPLAINTS_TAB, title)

    # --- helpers -------------------------------------------------------------------------------------------

    def _open_product_dialog(self, product: ProductRecord | None) -> None:
        dialog = ProductDialog(self._db, self._actor, customer_id=self.record.id, product=product,
                               parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.on_product_dialog_accepted)
        dialog.open()

    def _build_details(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self._detail_labels: dict[str, QLabel] = {}
        self._detail_titles: dict[str, QLabel] = {}
        rows = (
            ("kind", self.tr("Type:")), ("name", self.tr("Name:")),
            ("contact_person", self.tr("Contact person:")),
            ("phone", self.tr("Phone:")), ("phone2", self.tr("Phone 2:")), ("region", self.tr("Region:")),
            ("address_detail", self.tr("Address:")), ("id_number", self.tr("ID card No.:")),
            ("importance", self.tr("Importance:")), ("notes", self.tr("Notes:")),
        )
        for key, title in rows:
            value = QLabel(page, wordWrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"detail_{key}")
            title_label = QLabel(title, page)
            form.addRow(title_label, value)
            self._detail_labels[key] = value
            self._detail_titles[key] = title_label
        self.masked_label = QLabel(
            self.tr("Personal data is masked: your role may not see names, phones and addresses in full."),
            page, wordWrap=True)
        self.masked_label.setStyleSheet(HINT_STYLE)
        form.addRow(self.masked_label)
        return page

    def _fill_details(self, record: CustomerRecord) -> None:
        company = record.kind == CustomerKind.COMPANY
        self._detail_titles["name"].setText(self.tr("Unit name:") if company else self.tr("Name:"))
        id_title = self.tr("Credit code:") if company else self.tr("ID card No.:")
        self._detail_titles["id_number"].setText(id_title)
        values = {
            "kind": kind_label(record.kind), "name": record.name, "contact_person": record.contact_person,
            "phone": record.phone, "phone2": record.phone2, "region": record.region,
            "address_detail": record.address_detail if not record.masked else self.tr("(masked)"),
            "id_number": record.id_number, "importance": record.importance.label, "notes": record.notes,
        }
        for key, label in self._detail_labels.items():
            label.setText(values[key] or "—")
        self.masked_label.setVisible(record.masked)

    def _build_products(self, may_edit: bool) -> QWidget:
        page = QWidget(self)
        self.products_table = QTableWidget(0, 9, page)
        self.products_table.setHorizontalHeaderLabels([
            self.tr("Model"), self.tr("Serial No."), self.tr("Category"), self.tr("Grade"),
            self.tr("Purchased"), self.tr("Installed"), self.tr("Warranty"), self.tr("Contract No."),
            self.tr("Site address"),
        ])
        table = self.products_table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        for column, width in enumerate((200, 170, 110, 70, 90, 90, 170, 130)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.add_product_button = QPushButton(self.tr("&Add product…"), page)
        self.add_product_button.setVisible(may_edit)
        self.edit_product_button = QPushButton(self.tr("Edit p&roduct…"), page)
        self.edit_product_button.setVisible(may_edit)
        self.unit_complaints_button = QPushButton(self.tr("Complaints about this &unit"), page)
        buttons = QHBoxLayout()
        for button in (self.add_product_button, self.edit_product_button, self.unit_complaints_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addLayout(buttons)
        self.add_product_button.clicked.connect(self.on_add_product_button_clicked)
        self.edit_product_button.clicked.connect(self.on_edit_product_button_clicked)
        self.unit_complaints_button.clicked.connect(self.on_unit_complaints_button_clicked)
        table.currentCellChanged.connect(self.on_products_table_current_cell_changed)
        table.cellDoubleClicked.connect(self.on_products_table_cell_double_clicked)
        return page

    def _fill_products(self, products: tuple[ProductRecord, ...]) -> None:
        table = self.products_table
        shown = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
        current_id = shown.data(Qt.ItemDataRole.UserRole) if shown is not None else None
        table.setRowCount(len(products))
        today = date.today()
        for row, product in enumerate(products):
            warranty = ""
            if product.warranty_end:
                state = self.tr("in warranty") if product.warranty_end >= today else self.tr("expired")
                warranty = f"{display_text(product.warranty_end)} ({state})"
            cells = (product.model, product.serial_number, category_label(product.category), product.grade,
                     display_text(product.purchase_date), display_text(product.install_date), warranty,
                     product.contract_number, product.site_address if not self.record.masked else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, product.id)
                table.setItem(row, column, item)
        self.tabs.setTabText(PRODUCTS_TAB, self.tr("&Products ({n})").format(n=len(products)))
        keep = next((r for r, p in enumerate(products) if p.id == current_id), 0)
        if products:
            table.selectRow(keep)
        self.on_products_table_current_cell_changed()
        if self.complaints_view is not None:
            self._fill_unit_combo(products)

    def _build_complaints(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        if not allowed(self._actor, Permission.COMPLAINT_READ):
            layout.addWidget(QLabel(self.tr("Your role may not read complaints."), page))
            return page
        self.unit_combo = QComboBox(page)
        filter_row = QHBoxLayout()
        unit_label = QLabel(self.tr("&Unit:"), page)
        unit_label.setBuddy(self.unit_combo)
        filter_row.addWidget(unit_label)
        filter_row.addWidget(self.unit_combo)
        filter_row.addStretch(1)
        where = ComplaintFilter(customer_id=self.record.id)
        model = LazyTableModel(complaint_register(self._db, self._actor, where=where),
                               sort=Sort("received_at", descending=True), parent=self)
        self.complaints_view = LazyListView(model, list_name="customer_complaints", user=self._actor.username,
                                            parent=page)
        self.complaints_view.setToolTip(self.tr("Enter or double-click opens the complaint"))
        layout.addLayout(filter_row)
        layout.addWidget(self.complaints_view, 1)
        model.sig_count_changed.connect(self.on_complaints_model_count_changed)
        self.unit_combo.currentIndexChanged.connect(self.on_unit_combo_current_index_changed)
        self.complaints_view.sig_activated.connect(self.sig_complaint_activated)
        return page

    def _fill_unit_combo(self, products: tuple[ProductRecord, ...]) -> None:
        chosen = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(self.tr("All units"), None)
        for product in products:
            self.unit_combo.addItem(f"{product.serial_number} · {product.model}", product.id)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(chosen), 0) if chosen else 0)
        self.unit_combo.blockSignals(False)
        if self.unit_combo.currentData() != chosen:  # the unit shown went (moved by a merge)
            self.on_unit_combo_current_index_changed(self.unit_combo.currentIndex())

