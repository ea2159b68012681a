"""The paper alternative to signing on screen: the customer signed the printed 客户签收单 by hand; its scan (a
photo or a PDF) is attached as the customer's signature, which signs the order like one drawn on the pad.
A photo shows here before it is stored, so the right sheet goes with the right order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.services import service_orders
from desktop.services.attachments import check_file
from desktop.services.service_orders import OrderRecord
from desktop.views.common import HINT_STYLE
from desktop.views.complaints.widgets import attachment_filter
from desktop.views.orders.step_dialog import OrderStepDialog

PREVIEW_HEIGHT = 260


class PaperSignoffDialog(OrderStepDialog):
    def __init__(self, db: Database, actor: Actor, record: OrderRecord, parent: QWidget | None = None):
        super().__init__(db, actor, record, title=self.tr("Attach the signed sign-off sheet"),
                         ok_text=self.tr("&Attach and sign"), parent=parent)
        self.name_edit = QLineEdit(record.contact_name, self)
        self.form.addRow(self.tr("Signed by:"), self.name_edit)
        self.path_edit = QLineEdit(self, placeholderText=self.tr("The scan or photo of the signed sheet"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self, autoDefault=False)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.form.addRow(self.tr("File:"), row)
        self.preview_label = QLabel(self)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumHeight(PREVIEW_HEIGHT)
        self.preview_label.setStyleSheet(HINT_STYLE)
        self.form.addRow(self.preview_label)
        self.fields.update({"signer_name": self.name_edit, "attachments": self.path_edit})

        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.path_edit.textChanged.connect(self.on_path_changed)
        self.name_edit.textChanged.connect(self.revalidate)
        self.on_path_changed("")
        self.resize(560, self.sizeHint().height())

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    # --- the step ------------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        found = []
        if not self.name_edit.text().strip():
            found.append(self.tr("Enter the name of the person who signed."))
        path = self.path()
        if path is None:
            found.append(self.tr("Choose the scan of the signed sheet."))
        else:
            try:
                check_file(path)
            except DomainError as exc:
                found.append(exc.message)
        return found

    def perform(self) -> OrderRecord:
        return service_orders.attach_paper_signoff(self._db, self._actor, order_id=self.record.id,
                                                   signer_name=self.name_edit.text(), path=self.path())

    # --- slots ---------------------------------------------------------------------------------------------

    def on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("The signed sign-off sheet"), "", attachment_filter())
        if name:
            self.path_edit.setText(name)

    def on_path_changed(self, _text: str) -> None:
        path = self.path()
        picture = QPixmap()
        if path is not None and path.is_file() and QImageReader(str(path)).canRead():
            picture = QPixmap(str(path))
        if picture.isNull():
            self.preview_label.setPixmap(QPixmap())
            self.preview_label.setText(self.tr("A photo of the sheet shows here.") if path is None
                                       else self.tr("No preview for this file."))
        else:
            self.preview_label.setPixmap(picture.scaledToHeight(PREVIEW_HEIGHT,
                                                                Qt.TransformationMode.SmoothTransformation))
        self.revalidate()
