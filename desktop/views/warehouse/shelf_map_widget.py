"""The shelf map drawing: every shelf of a zone as a grid of layers (rows, the top layer on top) by positions
(columns); each bin shows its part code and quantity on a colour that says empty, in use, idle for a month
(yellow) or for three months (red).

One widget paints all bins itself (no widget per bin): the cells are placed once per width and paintEvent
draws only those inside the exposed rectangle, so a zone of 400 bins paints in a few milliseconds. Shelves
flow left to right and wrap; the widget reports its height for a width, so a scroll area scrolls it.
The arrow keys move between bins (across shelves at the ends of a layer), Enter or a click opens one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.domain.warehouse import SlowMark
from desktop.services.stock_lists import BinCell, ShelfMap
from desktop.views.warehouse.widgets import quantity_text


class CellState(StrEnum):
    EMPTY = "empty"
    NORMAL = "normal"
    YELLOW = "yellow"
    RED = "red"


COLOURS = {
    CellState.EMPTY: QColor("#e6e6e6"),
    CellState.NORMAL: QColor("#e4f3e1"),
    CellState.YELLOW: QColor("#ffe66d"),
    CellState.RED: QColor("#f4978e"),
}
BORDER = QColor("#a0a0a0")
TEXT = QColor("#1f1f1f")  # dark on every cell colour, whatever the desktop theme
MUTED = QColor("#6b6b6b")
MARGIN = 8
GAP = 3  # between cells
SHELF_GAP = 18  # between shelves


def cell_state(cell: BinCell) -> CellState:
    if cell.empty:
        return CellState.EMPTY
    return {SlowMark.YELLOW: CellState.YELLOW, SlowMark.RED: CellState.RED}.get(cell.mark, CellState.NORMAL)


@dataclass
class _Shelf:
    shelf: ShelfMap
    title_rect: QRect
    position_labels: list[tuple[QRect, str]]
    layer_labels: list[tuple[QRect, str]]
    first: int  # index of its first cell in ShelfMapWidget._cells
    grid: dict[tuple[int, int], int]  # (layer, position) → cell index


@dataclass
class _Cell:
    cell: BinCell
    state: CellState
    shelf: int  # index into ShelfMapWidget._shelves
    rect: QRect


class ShelfMapWidget(QWidget):
    sig_current_changed = Signal(str)  # bin code ("" when there is none)
    sig_activated = Signal(str)  # bin code: clicked, double-clicked or Enter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._maps: list[ShelfMap] = []
        self._shelves: list[_Shelf] = []
        self._cells: list[_Cell] = []
        self._by_code: dict[str, int] = {}
        self._current = -1
        self._laid_out_width = -1
        self._height = 0
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7))
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._measure()

    # --- our API -------------------------------------------------------------------------------------------

    def set_shelves(self, shelves: list[ShelfMap], *, keep: str = "") -> None:
        """Show these shelves; the bin `keep` (or the current one) stays current if it is still there."""
        keep = keep or self.current_code()
        self._maps = list(shelves)
        self._cells, self._by_code = [], {}
        for shelf_index, shelf in enumerate(self._maps):
            for cell in shelf.cells:
                self._by_code[cell.code] = len(self._cells)
                self._cells.append(_Cell(cell, cell_state(cell), shelf_index, QRect()))
        self._laid_out_width = -1
        self._layout(max(self.width(), self.minimumSizeHint().width()))
        self.updateGeometry()
        self.update()
        index = self._by_code.get(keep, 0 if self._cells else -1)
        self._current = -2  # so that the signal below is emitted even for the same index
        self._set_current(index)

    def bin_codes(self) -> list[str]:
        return [c.cell.code for c in self._cells]

    def cell(self, code: str) -> BinCell | None:
        index = self._by_code.get(code)
        return self._cells[index].cell if index is not None else None

    def state_of(self, code: str) -> CellState | None:
        index = self._by_code.get(code)
        return self._cells[index].state if index is not None else None

    def cell_rect(self, code: str) -> QRect:
        index = self._by_code.get(code)
        return QRect(self._cells[index].rect) if index is not None else QRect()

    def grid_of_shelf(self, shelf: int) -> list[list[str]]:
        """The bin codes of a shelf as drawn: rows from the top layer down, positions left to right."""
        for placed in self._shelves:
            if placed.shelf.shelf == shelf:
                rows = []
                for layer in range(placed.shelf.layers, 0, -1):
                    rows.append([self._cells[placed.grid[(layer, p)]].cell.code if (layer, p) in placed.grid else ""
                                 for p in range(1, placed.shelf.positions + 1)])
                return rows
        return []

    def counts(self) -> dict[CellState, int]:
        result = {state: 0 for state in CellState}
        for cell in self._cells:
            result[cell.state] += 1
        return result

    def current_code(self) -> str:
        return self._cells[self._current].cell.code if 0 <= self._current < len(self._cells) else ""

    def set_current(self, code: str) -> bool:
        index = self._by_code.get(code.strip().upper())
        if index is None:
            return False
        self._set_current(index)
        return True

    def code_at(self, point: QPoint) -> str:
        for cell in self._cells:
            if cell.rect.contains(point):
                return cell.cell.code
        return ""

    # --- Qt overrides --------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        width = max(self.minimumSizeHint().width(), 900)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        widest = max((self._shelf_width(m) for m in self._maps), default=200)
        return QSize(widest + 2 * MARGIN, 80)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(width, place=False)

    def resizeEvent(self, event) -> None:
        self._layout(self.width())
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._laid_out_width != self.width():
            self._layout(self.width())
        exposed = event.rect()
        painter = QPainter(self)
        painter.fillRect(exposed, self.palette().base())
        if not self._cells:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("This zone has no bins."))
            return
        painter.setPen(self.palette().text().color())
        painter.setFont(self._bold)
        for shelf in self._shelves:
            if shelf.title_rect.intersects(exposed):
                painter.drawText(shelf.title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 self.tr("Shelf {shelf}").format(shelf=f"{shelf.shelf.zone}-{shelf.shelf.shelf:02d}"))
        painter.setFont(self._small)
        painter.setPen(self.palette().placeholderText().color())
        for shelf in self._shelves:
            for rect, text in shelf.position_labels + shelf.layer_labels:
                if rect.intersects(exposed):
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        border = QPen(BORDER)
        for cell in self._cells:
            rect = cell.rect
            if not rect.intersects(exposed):
                continue
            painter.fillRect(rect, COLOURS[cell.state])
            painter.setPen(border)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if cell.state != CellState.EMPTY:
                painter.setPen(TEXT)
                top = QRect(rect.left() + 3, rect.top() + 2, rect.width() - 6, self._line)
                bottom = QRect(rect.left() + 3, rect.bottom() - self._line - 1, rect.width() - 6, self._line)
                painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 self._small_metrics.elidedText(cell.cell.part_code, Qt.TextElideMode.ElideRight,
                                                                top.width()))
                painter.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 quantity_text(cell.cell.quantity))
        if 0 <= self._current < len(self._cells):
            rect = self._cells[self._current].rect
            pen = QPen(self.palette().highlight().color(), 3 if self.hasFocus() else 2)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        code = self.code_at(event.position().toPoint())
        if code and event.button() == Qt.MouseButton.LeftButton:
            self.set_current(code)
            self.sig_activated.emit(code)
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_code():
            self.sig_activated.emit(self.current_code())
            return
        target = self._neighbour(key, event.modifiers())
        if target is None:
            super().keyPressEvent(event)
            return
        self._set_current(target)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            code = self.code_at(event.pos())
            if code:
                QToolTip.showText(event.globalPos(), self._tooltip(self._cells[self._by_code[code]]), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def focusInEvent(self, event) -> None:
        self._update_current()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self._update_current()
        super().focusOutEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._small = QFont(self.font())
            self._small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7))
            self._bold = QFont(self.font())
            self._bold.setBold(True)
            self._measure()
            self._laid_out_width = -1
            self.updateGeometry()
        super().changeEvent(event)

    # --- helpers -------------------------------------------------------------------------------------------

    def _measure(self) -> None:
        self._small_metrics = QFontMetrics(self._small)
        self._line = self._small_metrics.height()
        self._cell_w = max(self._small_metrics.horizontalAdvance("MC-00000") + 10, 56)
        self._cell_h = self._line * 2 + 8
        self._gutter = self._small_metrics.horizontalAdvance("99") + 8
        self._title_h = QFontMetrics(self._bold).height() + 4

    def _shelf_width(self, shelf: ShelfMap) -> int:
        return self._gutter + shelf.positions * (self._cell_w + GAP)

    def _shelf_height(self, shelf: ShelfMap) -> int:
        return self._title_h + self._line + 2 + shelf.layers * (self._cell_h + GAP)

    def _layout(self, width: int, *, place: bool = True) -> int:
        """Flow the shelves into rows for this width; returns the height. `place` stores the rectangles."""
        if place and width == self._laid_out_width:
            return self._height
        x, y, row_height = MARGIN, MARGIN, 0
        shelves: list[_Shelf] = []
        for shelf_index, shelf in enumerate(self._maps):
            w, h = self._shelf_width(shelf), self._shelf_height(shelf)
            if x > MARGIN and x + w > width - MARGIN:
                x, y, row_height = MARGIN, y + row_height + SHELF_GAP, 0
            if place:
                shelves.append(self._place_shelf(shelf_index, shelf, x, y))
            x += w + SHELF_GAP
            row_height = max(row_height, h)
        height = y + row_height + MARGIN if self._maps else 80
        if place:
            self._shelves = shelves
            self._laid_out_width = width
            self._height = height
        return height

    def _place_shelf(self, shelf_index: int, shelf: ShelfMap, x: int, y: int) -> _Shelf:
        title = QRect(x, y, self._shelf_width(shelf), self._title_h)
        grid_top = y + self._title_h + self._line + 2
        left = x + self._gutter
        positions = [(QRect(left + (p - 1) * (self._cell_w + GAP), y + self._title_h, self._cell_w, self._line),
                      f"{p:02d}") for p in range(1, shelf.positions + 1)]
        layers = []
        for row, layer in enumerate(range(shelf.layers, 0, -1)):  # the top layer is drawn on top
            layers.append((QRect(x, grid_top + row * (self._cell_h + GAP), self._gutter - 4, self._cell_h), str(layer)))
        grid, first = {}, -1
        for cell_index, placed in enumerate(self._cells):
            if placed.shelf != shelf_index:
                continue
            if first < 0:
                first = cell_index
            cell = placed.cell
            row = shelf.layers - cell.layer
            placed.rect = QRect(left + (cell.position - 1) * (self._cell_w + GAP),
                                grid_top + row * (self._cell_h + GAP), self._cell_w, self._cell_h)
            grid[(cell.layer, cell.position)] = cell_index
        return _Shelf(shelf, title, positions, layers, first, grid)

    def _neighbour(self, key: int, modifiers) -> int | None:
        if not (0 <= self._current < len(self._cells)) or not self._shelves:
            return 0 if self._cells and key in _MOVES else None
        here = self._cells[self._current]
        shelf = self._shelves[here.shelf]
        layer, position = here.cell.layer, here.cell.position
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Home:
            return 0 if ctrl else shelf.first
        if key == Qt.Key.Key_End:
            if ctrl:
                return len(self._cells) - 1
            return max(shelf.grid.values())
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if key == Qt.Key.Key_Up else -1  # up is the layer above
            candidates = [lay for (lay, pos) in shelf.grid if pos == position and (lay - layer) * step > 0]
            if not candidates:
                return None
            return shelf.grid[(min(candidates, key=lambda lay: abs(lay - layer)), position)]
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if key == Qt.Key.Key_Right else -1
            candidates = [pos for (lay, pos) in shelf.grid if lay == layer and (pos - position) * step > 0]
            if candidates:
                return shelf.grid[(layer, min(candidates, key=lambda pos: abs(pos - position)))]
            # At the end of a layer: on to the same layer of the next (or previous) shelf.
            other = here.shelf + step
            if not 0 <= other < len(self._shelves):
                return None
            return self._closest(self._shelves[other], layer, 1 if step > 0 else 10_000)
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            other = here.shelf + (1 if key == Qt.Key.Key_PageDown else -1)
            if not 0 <= other < len(self._shelves):
                return None
            return self._closest(self._shelves[other], layer, position)
        return None

    def _closest(self, shelf: _Shelf, layer: int, position: int) -> int:
        lay, pos = min(shelf.grid, key=lambda lp: (abs(lp[0] - layer), abs(lp[1] - position)))
        return shelf.grid[(lay, pos)]

    def _set_current(self, index: int) -> None:
        if index == self._current:
            return
        old = self._current
        self._current = index
        for i in (old, index):
            if 0 <= i < len(self._cells):
                self.update(self._cells[i].rect)
        if 0 <= index < len(self._cells):
            self._ensure_visible(self._cells[index].rect)
        self.sig_current_changed.emit(self.current_code())

    def _update_current(self) -> None:
        if 0 <= self._current < len(self._cells):
            self.update(self._cells[self._current].rect)

    def _ensure_visible(self, rect: QRect) -> None:
        # Inside a scroll area the viewport is our parent; its scroll area scrolls the bin into view.
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if area is not None and hasattr(area, "ensureVisible"):
            area.ensureVisible(rect.center().x(), rect.center().y(), rect.width() // 2 + MARGIN,
                               rect.height() // 2 + MARGIN)

    def _tooltip(self, placed: _Cell) -> str:
        cell = placed.cell
        if placed.state == CellState.EMPTY:
            return self.tr("{bin}: empty").format(bin=cell.code)
        lines = [self.tr("{bin}: {part} × {quantity}").format(bin=cell.code, part=cell.part_code,
                                                            quantity=quantity_text(cell.quantity))]
        if placed.state == CellState.YELLOW:
            lines.append(self.tr("No issue for a month"))
        elif placed.state == CellState.RED:
            lines.append(self.tr("No issue for three months (slow-moving)"))
        return "\n".join(lines)


_MOVES = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End,
          Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
