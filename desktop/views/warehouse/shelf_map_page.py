"""The shelf map (货架图): choose a zone, see every shelf as layers × positions with each bin's part, quantity
and slow-moving colour, and open a bin (click or Enter) to see its stock and its movements beside the map.

The map is read again whenever the page is shown (one query, tens of milliseconds for 400 bins), so stock
moved on another page or PC shows up without a manual refresh."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Permission
from desktop.models.lazy_table_model import display_text
from desktop.services.access import allowed
from desktop.services.paging import Sort
from desktop.services.stock_lists import MovementFilter, movements, shelf_map, stock_by_bin, zones
from desktop.views.common import ERROR_STYLE
from desktop.views.lazy_list_view import LazyListView
from desktop.views.warehouse.shelf_map_widget import BORDER, COLOURS, CellState, ShelfMapWidget
from desktop.views.warehouse.stock_action_dialogs import ScrapDialog, TransferDialog
from desktop.views.warehouse.widgets import StockListModel, fit_columns, quantity_text

FOLLOW_DELAY_MS = 150  # the panel follows the arrow keys once they pause
MAX_BIN_LOTS = 500
_LOT = Qt.ItemDataRole.UserRole


class ShelfMapPage(QWidget):
    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._shown_bin = ""
        self._shown_before = False
        may_move = allowed(actor, Permission.STOCK_MOVE)

        self.zone_combo = QComboBox(self)
        self.zone_combo.setMinimumContentsLength(3)
        self.find_edit = QLineEdit(self, clearButtonEnabled=True, placeholderText=self.tr("bin code, e.g. A-03-2-05"))
        self.find_edit.setMaximumWidth(220)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.legend_labels: dict[CellState, QLabel] = {}
        legend = QHBoxLayout()
        legend.setSpacing(14)
        for state in CellState:
            swatch = QLabel(self)
            swatch.setPixmap(_swatch(COLOURS[state], self.fontMetrics().height()))
            text = QLabel(self)
            self.legend_labels[state] = text
            pair = QHBoxLayout()
            pair.setSpacing(4)
            pair.addWidget(swatch)
            pair.addWidget(text)
            legend.addLayout(pair)
        legend.addStretch(1)

        self.map = ShelfMapWidget(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.map)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusProxy(self.map)

        self.bin_label = QLabel(self, wordWrap=True)
        font = self.bin_label.font()
        font.setBold(True)
        self.bin_label.setFont(font)
        self.stock_table = QTableWidget(0, 5, self)
        self.stock_table.setHorizontalHeaderLabels([self.tr("Part code"), self.tr("Name"), self.tr("Received"),
                                                    self.tr("On hand"), self.tr("Unit")])
        self.stock_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stock_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stock_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stock_table.setWordWrap(False)
        self.stock_table.verticalHeader().hide()
        self.stock_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.stock_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.stock_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        self.stock_table.setMaximumHeight((self.fontMetrics().lineSpacing() + 8) * 6)
        self.transfer_button = QPushButton(self.tr("&Transfer…"), self)
        self.scrap_button = QPushButton(self.tr("Scra&p…"), self)
        for button in (self.transfer_button, self.scrap_button):
            button.setVisible(may_move)
        self.movements_model = StockListModel(None, sort=Sort("at", descending=True), parent=self)
        self.movements_view = LazyListView(self.movements_model, list_name="warehouse_bin_movements",
                                           user=actor.username, parent=self)
        self.status_label = QLabel(self, wordWrap=True)

        panel = QWidget(self)
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(6, 0, 0, 0)
        panel_layout.addWidget(self.bin_label)
        panel_layout.addWidget(QLabel(self.tr("Stock in this bin:"), panel))
        panel_layout.addWidget(self.stock_table)
        actions = QHBoxLayout()
        actions.addWidget(self.transfer_button)
        actions.addWidget(self.scrap_button)
        actions.addStretch(1)
        panel_layout.addLayout(actions)
        panel_layout.addWidget(QLabel(self.tr("Movements of this bin, newest first:"), panel))
        panel_layout.addWidget(self.movements_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self, childrenCollapsible=False)
        splitter.addWidget(self.scroll)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 420])

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("&Zone:"), self, buddy=self.zone_combo))
        top.addWidget(self.zone_combo)
        top.addWidget(QLabel(self.tr("&Go to bin:"), self, buddy=self.find_edit))
        top.addWidget(self.find_edit)
        top.addWidget(self.refresh_button)
        top.addSpacing(16)
        top.addLayout(legend, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self._follow_timer = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self._follow_timer.timeout.connect(self.on_follow_timer_timeout)
        self.zone_combo.currentIndexChanged.connect(self.on_zone_combo_current_index_changed)
        self.find_edit.returnPressed.connect(self.on_find_edit_return_pressed)
        self.refresh_button.clicked.connect(self.refresh)
        self.map.sig_activated.connect(self.show_bin)
        self.map.sig_current_changed.connect(self.on_map_current_changed)
        self.stock_table.currentCellChanged.connect(self._update_buttons)
        self.transfer_button.clicked.connect(self.on_transfer_button_clicked)
        self.scrap_button.clicked.connect(self.on_scrap_button_clicked)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_G), self, self.find_edit.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    # --- our API -------------------------------------------------------------------------------------------

    def zone(self) -> str:
        return self.zone_combo.currentText()

    def refresh(self) -> None:
        """Read the zones and the map again, keeping the zone and the bin."""
        current = self.zone()
        try:
            available = zones(self._db, self._actor)
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.zone_combo.blockSignals(True)
        self.zone_combo.clear()
        self.zone_combo.addItems(available)
        self.zone_combo.setCurrentIndex(max(self.zone_combo.findText(current), 0))
        self.zone_combo.blockSignals(False)
        self.load_zone(self.zone(), keep=self.map.current_code())

    def load_zone(self, zone: str, *, keep: str = "") -> None:
        if not zone:
            self.map.set_shelves([])
            self._show_legend()
            self.status_label.setText(self.tr("No bins yet: create them on the Parts page (New bins…)."))
            return
        try:
            shelves = shelf_map(self._db, self._actor, zone=zone)
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.map.set_shelves(shelves, keep=keep)
        self._show_legend()
        self.status_label.clear()
        self.show_bin(self.map.current_code())

    def show_bin(self, code: str) -> None:
        """Fill the side panel with this bin's stock and movements."""
        self._follow_timer.stop()
        self._shown_bin = code
        cell = self.map.cell(code) if code else None
        self.stock_table.setRowCount(0)
        if cell is None:
            self.bin_label.setText(self.tr("Click a bin to see its stock and movements."))
            self.movements_model.set_source(None)
            self._update_buttons()
            return
        state = self.map.state_of(code)
        self.bin_label.setText(self.tr("Bin {bin} · {state}").format(bin=code, state=_state_text(state)))
        try:
            rows = []
            if not cell.empty:
                source = stock_by_bin(self._db, self._actor, zone=self.zone(), part_code=cell.part_code)
                rows = [r for r in source.fetch(sort=Sort("bin"), after=None, limit=MAX_BIN_LOTS)
                        if r.values[0] == code]
            first = self.movements_model.source is None
            self.movements_model.set_source(movements(self._db, self._actor, where=MovementFilter(bin_code=code)))
            if first:
                fit_columns(self.movements_view)
                # Every row is this bin: its column only takes room from the part and the document.
                keys = [column.key for column in self.movements_model.columns]
                self.movements_view.table.horizontalHeader().hideSection(keys.index("bin"))
        except DomainError as exc:
            self.status_label.setText(exc.message)
            return
        self.stock_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            _, part_code, name, received, quantity, unit = row.values
            for column, text in enumerate((part_code, name, display_text(received), quantity_text(quantity), unit)):
                item = QTableWidgetItem(text)
                item.setData(_LOT, row.id)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.stock_table.setItem(index, column, item)
        if rows:
            self.stock_table.selectRow(0)
        self._update_buttons()

    def shown_bin(self) -> str:
        return self._shown_bin

    def bin_stock(self) -> list[tuple[str, ...]]:
        """The side panel's stock rows as shown."""
        return [tuple(self.stock_table.item(r, c).text() for c in range(self.stock_table.columnCount()))
                for r in range(self.stock_table.rowCount())]

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Shown again after another page (or PC) may have moved stock: read the map again.
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True

    def sizeHint(self) -> QSize:
        return QSize(1100, 640)

    # --- slots ---------------------------------------------------------------------------------------------

    def on_zone_combo_current_index_changed(self, _index: int) -> None:
        self.load_zone(self.zone())

    def on_map_current_changed(self, code: str) -> None:
        if code != self._shown_bin:
            self._follow_timer.start()

    def on_follow_timer_timeout(self) -> None:
        self.show_bin(self.map.current_code())

    def on_find_edit_return_pressed(self) -> None:
        code = self.find_edit.text().strip().upper()
        zone = code.split("-", 1)[0]
        if zone and zone != self.zone() and self.zone_combo.findText(zone) >= 0:
            self.zone_combo.setCurrentIndex(self.zone_combo.findText(zone))
        if self.map.set_current(code):
            self.find_edit.setStyleSheet("")
            self.show_bin(code)
            self.map.setFocus()
        else:
            self.find_edit.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(self.tr("There is no bin {code} in zone {zone}.").format(code=code,
                                                                                                 zone=self.zone()))

    def on_transfer_button_clicked(self) -> None:
        self._lot_action(TransferDialog)

    def on_scrap_button_clicked(self) -> None:
        self._lot_action(ScrapDialog)

    # --- helpers -------------------------------------------------------------------------------------------

    def _lot_action(self, dialog_class) -> None:
        row = self.stock_table.currentRow()
        if row < 0:
            return
        dialog = dialog_class(self._db, self._actor, self._settings.branch_code, self,
                              part_code=self.stock_table.item(row, 0).text(),
                              lot_id=self.stock_table.item(row, 0).data(_LOT))
        if dialog.exec() == dialog_class.DialogCode.Accepted and dialog.document:
            self.status_label.setText(self.tr("{number} saved.").format(number=dialog.document.number))
            self.load_zone(self.zone(), keep=self._shown_bin)

    def _show_legend(self) -> None:
        counts = self.map.counts()
        for state, label in self.legend_labels.items():
            label.setText(self.tr("{state}: {count}").format(state=_state_text(state), count=counts[state]))

    def _update_buttons(self, *_args) -> None:
        chosen = self.stock_table.currentRow() >= 0
        self.transfer_button.setEnabled(chosen)
        self.scrap_button.setEnabled(chosen)


def _state_text(state: CellState | None) -> str:
    return {
        CellState.EMPTY: QCoreApplication.translate("ShelfMapPage", "empty"),
        CellState.NORMAL: QCoreApplication.translate("ShelfMapPage", "in stock"),
        CellState.YELLOW: QCoreApplication.translate("ShelfMapPage", "yellow: no issue for 1 month"),
        CellState.RED: QCoreApplication.translate("ShelfMapPage", "red: no issue for 3 months"),
    }.get(state, "")


def _swatch(colour: QColor, size: int) -> QPixmap:
    pixmap = QPixmap(size * 2, size)
    pixmap.fill(colour)
    painter = QPainter(pixmap)
    painter.setPen(BORDER)
    painter.drawRect(0, 0, size * 2 - 1, size - 1)
    painter.end()
    return pixmap
