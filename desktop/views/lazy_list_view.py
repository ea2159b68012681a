"""The widget every big list uses: a table over a `LazyTableModel`, a row count, and the column layout each
user left it in (architecture.md convention 3).

Nothing here measures rows: column widths come from `ListColumn.width` in average characters and every row
has the same height, so a list of a million rows opens as fast as a list of ten. The row count is asked for
only once the new rows are painted, so counting never delays them; a list whose source caps its count (a
search) reads "10,000+ rows" until all its rows are read.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.config import config_dir
from desktop.models.lazy_table_model import LazyTableModel, MatchRole
from desktop.services.paging import count_cap

SAVE_DELAY_MS = 500  # a drag resizes a column dozens of times; write the layout once it stops
COUNT_DELAY_MS = 100  # the count starts after the rows are painted, or after this if nothing paints them
COUNT_AFTER_PAINT_MS = 25  # …and not in the same pass of the event loop as the paint, which it would lengthen
FETCH_ALL_SLICE_S = 0.03  # Ctrl+End reads pages for this long, then lets the GUI breathe
FETCH_ALL_PAGES = 10  # pages per query while reading to the end: fewer queries and inserts, still short
HIGHLIGHT_BACKGROUND = QColor("#ffe066")


def layouts_settings() -> QSettings:
    """The file where column layouts live, beside settings.json (so tests keep it in their temp folder)."""
    return QSettings(str(config_dir() / "layouts.ini"), QSettings.Format.IniFormat)


class HighlightDelegate(QStyledItemDelegate):
    """Paints the parts of a cell the model marks with MatchRole in bold on yellow.

    Painted after every keystroke of a search in each visible marked cell, so it does the least it can: the
    background alone (not the whole item with an empty text), and one format made once."""

    _match_format: QTextCharFormat | None = None

    @classmethod
    def match_format(cls) -> QTextCharFormat:
        if cls._match_format is None:
            bold = QTextCharFormat()
            bold.setFontWeight(QFont.Weight.Bold)
            bold.setBackground(HIGHLIGHT_BACKGROUND)
            bold.setForeground(QColor(Qt.GlobalColor.black))  # readable on yellow, also in a selected row
            cls._match_format = bold
        return cls._match_format

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        spans = index.data(MatchRole)
        if not spans:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        text = opt.text
        visible = opt.fontMetrics.elidedText(text, opt.textElideMode, rect.width())
        if visible != text:
            if opt.textElideMode != Qt.TextElideMode.ElideRight:
                super().paint(painter, option, index)  # rare: plain text beats marks in the wrong place
                return
            keep = max(len(visible) - 1, 0)  # the part before the ellipsis
            spans = [(start, min(length, keep - start)) for start, length in spans if start < keep]
        state = opt.state
        if state & QStyle.StateFlag.State_HasFocus:
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # background, focus
        else:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)  # background

        bold = self.match_format()
        ranges = []
        for start, length in spans:
            part = QTextLayout.FormatRange()
            part.start, part.length, part.format = start, length, bold
            ranges.append(part)
        layout = QTextLayout(visible, opt.font)  # left-aligned, as a QTextOption is by default
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1e6)  # one line, never wrapped
        layout.endLayout()

        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        selected = bool(state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        width = line.naturalTextWidth()
        x = rect.right() - width if opt.displayAlignment & Qt.AlignmentFlag.AlignRight else rect.left()
        y = rect.top() + (rect.height() - line.height()) / 2
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(opt.palette.color(group, role))
        layout.draw(painter, QPointF(x, y))
        painter.restore()


class LazyListView(QWidget):
    sig_activated = Signal(int)  # a row's id: Enter or double-click
    sig_current_changed = Signal(int)  # the current row's id, -1 when there is none

    def __init__(self, model: LazyTableModel, *, list_name: str, user: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._list_name = list_name
        self._user = user
        self._restored = False  # nothing is saved before the saved layout was read, or it would be lost
        self._current_id = -1
        self._id_before_reset = -1
        self._resetting = False  # between the model's aboutToBeReset and the end of our reset handling

        self.table = QTableView(self)
        self.table.setModel(model)
        # The highlighting delegate paints in Python, so it is only used while there is something to mark.
        self._plain_delegate = self.table.itemDelegate()
        self._highlight_delegate = HighlightDelegate(self.table)
        self._on_model_highlight_changed(model.highlight())
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        # Uniform heights, so nothing measures rows; the style's default height, as any plain table has.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setSortIndicator(model.sort_section(), model.sort_order())
        self.table.setSortingEnabled(True)  # re-applies the indicator's sort, which the model already has
        self._columns_signature = ""
        self._apply_default_widths()

        self.count_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_layout)
        self._fetch_all_timer = QTimer(self, interval=0)
        self._fetch_all_timer.timeout.connect(self._on_fetch_all_timer_timeout)
        # The count waits for the paint of the rows it would compete with (see _schedule_count).
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._request_count_if_visible)
        self._count_after_paint = False

        header.sectionMoved.connect(self._schedule_save)
        header.sectionResized.connect(self._schedule_save)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        model.sig_count_changed.connect(self._on_model_count_changed)
        model.sig_highlight_changed.connect(self._on_model_highlight_changed)
        model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        model.modelReset.connect(self._on_model_reset)
        self.table.selectionModel().currentRowChanged.connect(self._on_selection_current_row_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:  # a change made in the last half second before quitting is not lost
            app.aboutToQuit.connect(self._on_app_about_to_quit)
        self._show_count(model.total_count())

    # --- our API -------------------------------------------------------------------------------------------

    @property
    def model(self) -> LazyTableModel:
        return self._model

    def current_id(self) -> int:
        return self._current_id

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self._model.row_id(row) for row in rows]

    def is_fetching_all(self) -> bool:
        return self._fetch_all_timer.isActive()

    def settings_key(self) -> str:
        # A user name becomes one path element: anything that would nest groups or break the ini file goes.
        return f"layouts/{re.sub(r'[^0-9A-Za-z_.-]', '_', self._user)}/{self._list_name}"

    def save_layout(self) -> None:
        self._save_timer.stop()
        settings = layouts_settings()
        settings.setValue(f"{self.settings_key()}/header", self.table.horizontalHeader().saveState())
        settings.setValue(f"{self.settings_key()}/columns", self._columns_signature)
        settings.sync()

    def restore_layout(self) -> bool:
        """Apply this user's saved layout; False if there is none, or it belongs to other columns."""
        self._restored = True
        settings = layouts_settings()
        state = settings.value(f"{self.settings_key()}/header")
        if not isinstance(state, QByteArray) or settings.value(f"{self.settings_key()}/columns") != (
            self._columns_signature
        ):
            return False
        header = self.table.horizontalHeader()
        if not header.restoreState(state):
            return False
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The saved state carries the sort indicator; the model sorts by it (nothing happens if it already does).
        self._on_header_sort_indicator_changed(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def fetch_all(self) -> None:
        """Read pages until the end without freezing the window (Ctrl+End); Esc stops."""
        if self._model.canFetchMore():
            self._fetch_all_timer.start()
            self._show_fetching()
        else:
            self._go_to_last_row()

    def stop_fetch_all(self) -> None:
        if self._fetch_all_timer.isActive():
            self._fetch_all_timer.stop()
            self._show_count(self._model.total_count())

    # --- Qt overrides --------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        if not self._restored:
            self.restore_layout()
        super().showEvent(event)
        self._schedule_count()  # after the first rows are painted: the count is not what the user looks at first

    def hideEvent(self, event) -> None:
        # Also sent when the window holding this list closes.
        if self._restored:
            self.save_layout()
        self.stop_fetch_all()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            return self._on_table_key_press(event)
        if self._count_after_paint and event.type() == QEvent.Type.Paint and watched is self.table.viewport():
            # The rows are being painted now; the count starts once they are on the screen.
            self._count_after_paint = False
            watched.removeEventFilter(self)
            self._count_timer.start(COUNT_AFTER_PAINT_MS)
        return super().eventFilter(watched, event)

    # --- slots ---------------------------------------------------------------------------------------------

    def _on_table_key_press(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current_id != -1:
            self.sig_activated.emit(self._current_id)
            return True
        if key == Qt.Key.Key_End and modifiers & Qt.KeyboardModifier.ControlModifier:
            self.fetch_all()
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self._model.rowCount():
            # Rows are what a list moves through (QTableView would go to the first/last column).
            self._go_to_row(0 if key == Qt.Key.Key_Home else self._model.rowCount() - 1)
            return True
        if key == Qt.Key.Key_Escape and self.is_fetching_all():
            self.stop_fetch_all()
            return True
        return False

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_activated.emit(self._model.row_id(index.row()))

    def _on_selection_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._set_current_id(self._model.row_id(current.row()) if current.isValid() else -1)

    def _on_model_about_to_be_reset(self) -> None:
        self._resetting = True
        self._id_before_reset = self._current_id
        self.stop_fetch_all()

    def _on_model_reset(self) -> None:
        try:
            # A reset clears the selection without a signal; keep the same record current if it is still listed.
            row = self._model.row_of_id(self._id_before_reset) if self._id_before_reset != -1 else -1
            if row >= 0:
                column = max(self.table.horizontalHeader().logicalIndex(0), 0)
                self.table.setCurrentIndex(self._model.index(row, column))
                self.table.scrollTo(self._model.index(row, column))
            else:
                self._set_current_id(-1)
            if self._columns_signature != self._signature():
                self._apply_default_widths()  # another list in the same widget
            self._show_count(self._model.total_count())
            self._schedule_count()
        finally:
            self._resetting = False

    def _on_header_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        if not self._model.is_sortable(section) and section != self._model.sort_section():
            # Clicked a column SQL cannot sort by: put the arrow back where the rows really are sorted.
            header = self.table.horizontalHeader()
            header.setSortIndicator(self._model.sort_section(), self._model.sort_order())
            return
        self._schedule_save()

    def _on_model_highlight_changed(self, text: str) -> None:
        # The highlighting delegate paints in Python: only columns that search can match get it.
        marked = [i for i, column in enumerate(self._model.columns) if column.searched]
        for i in range(len(self._model.columns)):
            self.table.setItemDelegateForColumn(i, None)
        if not marked:
            self.table.setItemDelegate(self._highlight_delegate if text else self._plain_delegate)
            return
        self.table.setItemDelegate(self._plain_delegate)
        for i in marked if text else ():
            self.table.setItemDelegateForColumn(i, self._highlight_delegate)

    def _on_model_count_changed(self, count: int) -> None:
        if not self.is_fetching_all():
            self._show_count(count if count >= 0 else None)

    def _all_rows_read(self) -> bool:
        # While the model resets it answers canFetchMore() with False, which says nothing about the end.
        return not self._resetting and not self._model.canFetchMore()

    def _schedule_count(self) -> None:
        """Ask for the count once the rows now in the model are painted (or soon, if nothing paints them):
        a count started beside the first page would compete with it for the CPU and the database."""
        if self._model.total_count() is not None:
            self._count_timer.stop()
            self._request_count_if_visible()  # known already: shown at once, nothing runs
            return
        self._count_timer.start(COUNT_DELAY_MS)  # restarts: a count asked for a list now replaced never starts
        if not self._count_after_paint:
            self._count_after_paint = True
            self.table.viewport().installEventFilter(self)

    def _request_count_if_visible(self) -> None:
        if self._count_after_paint:
            self._count_after_paint = False
            self.table.viewport().removeEventFilter(self)
        if self.isVisible():
            self._model.request_count()

    def _on_app_about_to_quit(self) -> None:
        if self._save_timer.isActive():
            self.save_layout()

    def _on_fetch_all_timer_timeout(self) -> None:
        deadline = time.perf_counter() + FETCH_ALL_SLICE_S
        while self._model.canFetchMore() and time.perf_counter() < deadline:
            self._model.fetch_pages(FETCH_ALL_PAGES)
        if self._model.canFetchMore():
            self._show_fetching()
            return
        self.stop_fetch_all()
        self._go_to_last_row()

    # --- helpers -------------------------------------------------------------------------------------------

    def _schedule_save(self, *_args) -> None:
        if self._restored:
            self._save_timer.start()

    def _signature(self) -> str:
        return ",".join(column.key for column in self._model.columns)

    def _apply_default_widths(self) -> None:
        self._columns_signature = self._signature()
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().averageCharWidth()
        padding = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 8
        for section, column in enumerate(self._model.columns):
            header.resizeSection(section, column.width * char + padding)

    def _set_current_id(self, row_id: int) -> None:
        if row_id != self._current_id:
            self._current_id = row_id
            self.sig_current_changed.emit(row_id)

    def _go_to_last_row(self) -> None:
        if self._model.rowCount():
            self._go_to_row(self._model.rowCount() - 1)

    def _go_to_row(self, row: int) -> None:
        index = self._model.index(row, max(self.table.currentIndex().column(), 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _show_count(self, count: int | None) -> None:
        cap = count_cap(self._model.source)
        if count is not None and cap is not None and count > cap:
            if self._model.rowCount() > cap and self._all_rows_read():
                count = self._model.rowCount()  # every row is in the model now (Ctrl+End): the exact count
            else:
                self.count_label.setText(self.tr("%Ln+ rows", "", cap))  # more than the cap: not counted further
                return
        self.count_label.setText(
            self.tr("Counting rows…") if count is None else self.tr("%Ln rows", "", count)
        )

    def _show_fetching(self) -> None:
        loaded = self._model.rowCount()
        self.count_label.setText(self.tr("Loading all rows: %Ln so far (Esc stops)", "", loaded))
