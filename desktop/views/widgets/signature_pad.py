"""A pad to sign on with the mouse, a pen (tablet events) or a finger (touch events).

What was drawn is kept as strokes — for each stroke the points [x, y, t] in the pad's logical pixels
(device-independent, so the same signature has the same numbers on a high-DPI screen) and t in milliseconds
since the signature's first point, which is what shows how a hand moved — and can be turned into a PNG:
white background, dark ink, cropped to the ink with a margin, drawn at the screen's pixel ratio (at least
twice the logical size) so it prints sharply on the slip.

The pad takes a pen or a finger before Qt would make mouse events of them (an accepted tablet or touch event
is not repeated as a mouse event), so one movement never draws twice.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QElapsedTimer, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QImage,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#14213d")  # dark blue-black, like a ballpoint pen
PAPER = QColor("white")
GUIDE = QColor("#b0b4ba")
PEN_WIDTH = 2.6  # logical pixels
MARGIN = 12  # logical pixels of white around the ink in the image
MIN_IMAGE_SCALE = 2.0  # image pixels per logical pixel, at least

_TOUCH_EVENTS = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel)


class SignaturePad(QWidget):
    sig_changed = Signal()  # a stroke was finished, or the pad was cleared

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(360, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))
        self.hint = self.tr("Sign here")
        self._strokes: list[list[list[float]]] = []
        self._current: list[list[float]] | None = None
        self._touch_id: int | None = None
        self._clock = QElapsedTimer()

    # --- our API -------------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(self._strokes)

    def strokes(self) -> list[list[list[float]]]:
        """The finished strokes, [[x, y, t_ms], …] each (a copy: the caller may keep it)."""
        return [[list(point) for point in stroke] for stroke in self._strokes]

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._touch_id = None
        self.update()
        self.sig_changed.emit()

    def ink_rect(self) -> QRectF:
        """Where the ink is, in logical pixels, widened by the pen; empty when nothing was drawn."""
        points = [point for stroke in self._strokes for point in stroke]
        if not points:
            return QRectF()
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        half = PEN_WIDTH / 2
        return QRectF(min(xs) - half, min(ys) - half, max(xs) - min(xs) + PEN_WIDTH, max(ys) - min(ys) + PEN_WIDTH)

    def to_image(self, scale: float | None = None) -> QImage:
        """The signature on white, cropped to the ink with MARGIN around it; `scale` image pixels per logical
        pixel (default: the screen's pixel ratio, at least MIN_IMAGE_SCALE)."""
        if self.is_empty():
            raise ValueError("the signature pad is empty")
        scale = scale or max(MIN_IMAGE_SCALE, self.devicePixelRatioF())
        ink = self.ink_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        image = QImage(QSize(round(ink.width() * scale), round(ink.height() * scale)), QImage.Format.Format_RGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        painter.translate(-ink.topLeft())
        self._paint_strokes(painter, self._strokes)
        painter.end()
        return image

    def to_png(self, scale: float | None = None) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.to_image(scale).save(buffer, "PNG"):
            raise RuntimeError("the signature could not be written as PNG")
        return bytes(buffer.data())

    # --- drawing -------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), PAPER)  # paper white, whatever the colour scheme
        painter.setPen(QPen(GUIDE, 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        baseline = self.height() - max(24, self.height() // 5)
        painter.drawLine(QPointF(16, baseline), QPointF(self.width() - 16, baseline))
        painter.drawText(QRectF(16, baseline - 22, 20, 20), Qt.AlignmentFlag.AlignCenter, "✕")
        if self.is_empty() and not self._current:
            painter.drawText(QRectF(self.rect()).adjusted(0, 0, 0, -(self.height() - baseline)),
                             Qt.AlignmentFlag.AlignCenter, self.hint)
        self._paint_strokes(painter, self._strokes + ([self._current] if self._current else []))
        painter.end()

    @staticmethod
    def _paint_strokes(painter: QPainter, strokes: list[list[list[float]]]) -> None:
        painter.setPen(QPen(INK, PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(stroke[0][0], stroke[0][1]))
            elif stroke:
                painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y, _ in stroke]))

    # --- input: mouse, pen, touch --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is None:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None and self._touch_id is None:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None and self._touch_id is None:
            self._extend(event.position())
            self._end()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress and self._current is None:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease and self._current is not None:
            self._extend(event.position())
            self._end()
        event.accept()  # no mouse event is made of it

    def event(self, event: QEvent) -> bool:
        if event.type() in _TOUCH_EVENTS and self._is_touchscreen(event):
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _is_touchscreen(self, event) -> bool:
        device = event.device()
        # A laptop's touchpad sends touch events too: those are a pointer, and arrive again as mouse events.
        return device is None or device.type() != QInputDevice.DeviceType.TouchPad

    def _touch(self, event) -> None:
        if event.type() == QEvent.Type.TouchCancel:
            self._end()
            return
        for point in event.points():
            state = point.state()
            if self._touch_id is None and self._current is None and state == QEventPoint.State.Pressed:
                self._touch_id = point.id()  # one finger signs; a second one (a palm) is ignored
                self._begin(point.position())
            elif point.id() == self._touch_id:
                self._extend(point.position())
                if state == QEventPoint.State.Released:
                    self._end()

    def _begin(self, position: QPointF) -> None:
        if self.is_empty() or not self._clock.isValid():
            self._clock.start()
        self._current = []
        self._extend(position)

    def _extend(self, position: QPointF) -> None:
        if self._current is None:
            return
        point = [round(position.x(), 1), round(position.y(), 1), int(self._clock.elapsed())]
        if self._current and self._current[-1][:2] == point[:2]:
            return  # the same place again (a release where the last move was)
        self._current.append(point)
        previous = self._current[-2] if len(self._current) > 1 else point
        reach = PEN_WIDTH + 2
        self.update(QRectF(QPointF(previous[0], previous[1]), QPointF(point[0], point[1])).normalized()
                    .adjusted(-reach, -reach, reach, reach).toAlignedRect())

    def _end(self) -> None:
        if self._current:
            self._strokes.append(self._current)
        self._current = None
        self._touch_id = None
        self.update()
        self.sig_changed.emit()
