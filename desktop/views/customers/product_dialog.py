"""The service file of one installed unit (售后服务档案): model, serial number, grade, purchase, invoice,
installation, contract or project number, warranty end and where it stands."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPushButton, QWidget

from desktop.db.uow import Actor, Database
from desktop.services import customers
from desktop.services.customers import ProductInput, ProductRecord
from desktop.views.customers.customer_dialog import FormDialog

# Product categories the 三包 rules are kept for; a value not listed (from an import) is shown as it is.
CATEGORIES = {
    "air_conditioner": QT_TRANSLATE_NOOP("ProductCategory", "Air conditioner"),
    "central_ac": QT_TRANSLATE_NOOP("ProductCategory", "Central air conditioning"),
    "machinery": QT_TRANSLATE_NOOP("ProductCategory", "Machinery and equipment"),
}


def category_label(category: str) -> str:
    title = CATEGORIES.get(category)
    return QCoreApplication.translate("ProductCategory", title) if title else category


class OptionalDateEdit(QWidget):
    """A date that may be left empty (not every unit has an installation date or a contract): a date field
    whose lowest value reads "not set", and a button that empties it."""

    _EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QDateEdit(self, calendarPopup=True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(self._EMPTY)
        self.edit.setSpecialValueText(self.tr("not set"))
        self.edit.setDate(self._EMPTY)
        self.edit.calendarWidget().setSelectedDate(QDate.currentDate())  # the popup opens at today
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab skips it
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        chosen = self.edit.date()
        return None if chosen == self._EMPTY else chosen.toPython()

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(QDate(value) if value else self._EMPTY)


class ProductDialog(FormDialog):
    """A unit added to a customer's file (`product` None) or a change to its service file."""

    def __init__(self, db: Database, actor: Actor, *, customer_id: int, product: ProductRecord | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._customer_id = customer_id
        self._product = product
        self.saved: ProductRecord | None = None

        self.category_combo = QComboBox(self)
        for value, title in CATEGORIES.items():
            self.category_combo.addItem(QCoreApplication.translate("ProductCategory", title), value)
        self.model_edit = QLineEdit(self, maxLength=60)
        self.serial_edit = QLineEdit(self, maxLength=60)
        self.grade_edit = QLineEdit(self, maxLength=20, placeholderText=self.tr("e.g. first class"))
        self.purchase_edit = OptionalDateEdit(self)
        self.invoice_date_edit = OptionalDateEdit(self)
        self.invoice_edit = QLineEdit(self, maxLength=40)
        self.install_edit = OptionalDateEdit(self)
        self.contract_edit = QLineEdit(self, maxLength=60)
        self.warranty_edit = OptionalDateEdit(self)
        self.site_edit = QLineEdit(self, maxLength=200, placeholderText=self.tr("where the unit stands"))

        self.form.addRow(self.tr("Ca&tegory:"), self.category_combo)
        self.form.addRow(self.tr("&Model:"), self.model_edit)
        self.form.addRow(self.tr("&Serial No.:"), self.serial_edit)
        self.form.addRow(self.tr("&Grade:"), self.grade_edit)
        self.form.addRow(self.tr("&Purchased on:"), self.purchase_edit)
        self.form.addRow(self.tr("In&voice date:"), self.invoice_date_edit)
        self.form.addRow(self.tr("Invoice &No.:"), self.invoice_edit)
        self.form.addRow(self.tr("&Installed on:"), self.install_edit)
        self.form.addRow(self.tr("&Contract or project No.:"), self.contract_edit)
        self.form.addRow(self.tr("&Warranty ends:"), self.warranty_edit)
        self.form.addRow(self.tr("Site &address:"), self.site_edit)
        order = (self.category_combo, self.model_edit, self.serial_edit, self.grade_edit,
                 self.purchase_edit.edit, self.invoice_date_edit.edit, self.invoice_edit,
                 self.install_edit.edit, self.contract_edit, self.warranty_edit.edit, self.site_edit,
                 self.buttons)
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        self.setMinimumWidth(520)

        if product is None:
            self.setWindowTitle(self.tr("New product"))
            self.ok_button.setText(self.tr("Add product"))
        else:
            self.setWindowTitle(self.tr("Product {serial}").format(serial=product.serial_number))
            self.ok_button.setText(self.tr("Save"))
            self.load(product)
        self.model_edit.textChanged.connect(self.update_state)
        self.serial_edit.textChanged.connect(self.update_state)
        self.update_state()
        self.model_edit.setFocus()

    def load(self, product: ProductRecord) -> None:
        self._product = product
        index = self.category_combo.findData(product.category)
        if index < 0:  # a category this dialog does not know: keep it rather than change it silently
            self.category_combo.addItem(product.category, product.category)
            index = self.category_combo.count() - 1
        self.category_combo.setCurrentIndex(index)
        self.model_edit.setText(product.model)
        self.serial_edit.setText(product.serial_number)
        self.grade_edit.setText(product.grade)
        self.purchase_edit.set_value(product.purchase_date)
        self.invoice_date_edit.set_value(product.invoice_date)
        self.invoice_edit.setText(product.invoice_number)
        self.install_edit.set_value(product.install_date)
        self.contract_edit.setText(product.contract_number)
        self.warranty_edit.set_value(product.warranty_end)
        self.site_edit.setText(product.site_address)

    def data(self) -> ProductInput:
        return ProductInput(
            category=self.category_combo.currentData(),
            model=self.model_edit.text(),
            serial_number=self.serial_edit.text(),
            grade=self.grade_edit.text().strip(),
            purchase_date=self.purchase_edit.value(),
            invoice_date=self.invoice_date_edit.value(),
            invoice_number=self.invoice_edit.text().strip(),
            install_date=self.install_edit.value(),
            contract_number=self.contract_edit.text().strip(),
            warranty_end=self.warranty_edit.value(),
            site_address=self.site_edit.text().strip(),
        )

    # --- FormDialog ----------------------------------------------------------------------------------------

    def is_complete(self) -> bool:
        return bool(self.model_edit.text().strip() and self.serial_edit.text().strip())

    def save(self) -> None:
        if self._product is None:
            self.saved = customers.add_product(self._db, self._actor, customer_id=self._customer_id,
                                               data=self.data())
        else:
            self.saved = customers.update_product(
                self._db, self._actor, product_id=self._product.id, version=self._product.version,
                data=self.data())

    def reload(self) -> None:
        if self._product is None:
            return
        record = customers.get_customer(self._db, self._actor, self._product.customer_id)
        fresh = next((p for p in record.products if p.id == self._product.id), None)
        if fresh is not None:
            self.load(fresh)

    def error_fields(self) -> dict[str, QWidget]:
        return {"serial_number": self.serial_edit, "model": self.model_edit,
                "warranty_end": self.warranty_edit, "install_date": self.install_edit,
                "purchase_date": self.purchase_edit}
