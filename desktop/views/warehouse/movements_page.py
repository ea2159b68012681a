"""Stock movements: the documents that change stock (receive, issue, transfer, return, scrap, reverse), and
the lists to check them against — the ledger, stock by bin, the reorder list — as tabs of one page.

The buttons that move stock are enabled only for roles with stock.move; each opens one dialog that posts
one document in one transaction. The current row of a list fills the dialog in (a lot for transfer and
scrap, a document number for return, reverse and reprint)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.roles import Permission
from desktop.services.access import allowed
from desktop.views.warehouse.issue_dialog import IssueDialog
from desktop.views.warehouse.receive_dialog import ReceiveDialog
from desktop.views.warehouse.slip_print_dialog import SlipPrintDialog
from desktop.views.warehouse.stock_action_dialogs import (
    ReturnDialog,
    ReverseDialog,
    ScrapDialog,
    TransferDialog,
)
from desktop.views.warehouse.stock_tabs import MovementsTab, ReorderTab, StockByBinTab

MOVEMENTS, STOCK, REORDER = range(3)


class MovementsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._document = ""
        self._lot = (-1, "")
        self._shown_before = False
        self.may_move = allowed(actor, Permission.STOCK_MOVE)

        self.receive_button = QPushButton(self.tr("&Receive…"), self)
        self.issue_button = QPushButton(self.tr("I&ssue…"), self)
        self.transfer_button = QPushButton(self.tr("&Transfer…"), self)
        self.return_button = QPushButton(self.tr("Ret&urn to stock…"), self)
        self.scrap_button = QPushButton(self.tr("Scra&p…"), self)
        self.reverse_button = QPushButton(self.tr("Re&verse…"), self)
        self.print_button = QPushButton(self.tr("Print issue sl&ip…"), self)
        self.move_buttons = (self.receive_button, self.issue_button, self.transfer_button, self.return_button,
                             self.scrap_button, self.reverse_button)
        for button in self.move_buttons:
            button.setEnabled(self.may_move)
            if not self.may_move:
                button.setToolTip(self.tr("Only the warehouse keeper moves stock."))

        self.movements_tab = MovementsTab(db, actor, self)
        self.stock_tab = StockByBinTab(db, actor, self)
        self.reorder_tab = ReorderTab(db, actor, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.movements_tab, self.tr("&Movements"))
        self.tabs.addTab(self.stock_tab, self.tr("Stock &by bin"))
        self.tabs.addTab(self.reorder_tab, self.tr("Reorder &list"))
        self.status_label = QLabel(self, wordWrap=True)

        buttons = QHBoxLayout()
        for button in self.move_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

        self.receive_button.clicked.connect(self.on_receive_button_clicked)
        self.issue_button.clicked.connect(self.on_issue_button_clicked)
        self.transfer_button.clicked.connect(self.on_transfer_button_clicked)
        self.return_button.clicked.connect(self.on_return_button_clicked)
        self.scrap_button.clicked.connect(self.on_scrap_button_clicked)
        self.reverse_button.clicked.connect(self.on_reverse_button_clicked)
        self.print_button.clicked.connect(self.on_print_button_clicked)
        self.movements_tab.sig_document_changed.connect(self.on_movements_tab_document_changed)
        self.stock_tab.sig_lot_changed.connect(self.on_stock_tab_lot_changed)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.on_movements_tab_document_changed(self.movements_tab.current_document())

    # --- our API -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every list again (F5), keeping the filters."""
        self.movements_tab.apply_filter()
        self.stock_tab.refresh()
        self.reorder_tab.refresh()

    def show_bin(self, code: str) -> None:
        self.tabs.setCurrentIndex(MOVEMENTS)
        self.movements_tab.show_filter(bin_code=code)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Run a stock dialog; after a posted document say so and read the lists again."""
        if dialog.exec() != QDialog.DialogCode.Accepted or getattr(dialog, "document", None) is None:
            return False
        self.status_label.setText(self.tr("{number} saved.").format(number=dialog.document.number))
        self.refresh()
        return True

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Shown again after another page may have moved stock: the ledger's newest rows are what is looked for.
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True

    # --- slots ---------------------------------------------------------------------------------------------

    def on_receive_button_clicked(self) -> None:
        self.run_dialog(ReceiveDialog(self._db, self._actor, self._settings.branch_code, self))

    def on_issue_button_clicked(self) -> None:
        dialog = IssueDialog(self._db, self._actor, self._settings.branch_code, self)
        if self.run_dialog(dialog):
            SlipPrintDialog(self._db, self._actor, self._settings, dialog.document.number, self,
                            just_issued=True).exec()

    def on_transfer_button_clicked(self) -> None:
        lot, code = self._lot if self.tabs.currentIndex() == STOCK else (-1, "")
        self.run_dialog(TransferDialog(self._db, self._actor, self._settings.branch_code, self, part_code=code,
                                       lot_id=lot if lot >= 0 else None))

    def on_scrap_button_clicked(self) -> None:
        lot, code = self._lot if self.tabs.currentIndex() == STOCK else (-1, "")
        self.run_dialog(ScrapDialog(self._db, self._actor, self._settings.branch_code, self, part_code=code,
                                    lot_id=lot if lot >= 0 else None))

    def on_return_button_clicked(self) -> None:
        number = self._document if self._document.startswith("CK-") else ""
        self.run_dialog(ReturnDialog(self._db, self._actor, self._settings.branch_code, self, number=number))

    def on_reverse_button_clicked(self) -> None:
        self.run_dialog(ReverseDialog(self._db, self._actor, self._settings.branch_code, self, number=self._document))

    def on_print_button_clicked(self) -> None:
        if self._document.startswith("CK-"):
            SlipPrintDialog(self._db, self._actor, self._settings, self._document, self).exec()

    def on_movements_tab_document_changed(self, number: str) -> None:
        self._document = number
        # Issue slips carry the prefix CK- (配件出库单); only they print from here.
        self.print_button.setEnabled(number.startswith("CK-"))

    def on_stock_tab_lot_changed(self, lot_id: int, part_code: str) -> None:
        self._lot = (lot_id, part_code)
