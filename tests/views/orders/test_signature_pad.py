"""The signature pad: drawn with the mouse, a pen or a finger, kept as timed strokes, and turned into a PNG
that is white with dark ink, cropped to the signature and sharp on high-DPI screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QPointingDeviceUniqueId, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.views.widgets.signature_pad import SignaturePad


@pytest.fixture
def pad(qtbot):
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(500, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scribble(pad, qtbot, start=QPoint(40, 60), steps=20) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, steps):
        qtbot.wait(1)  # the points carry their time
        qtbot.mouseMove(pad, start + QPoint(step * 15, 30 if step % 2 else 0))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=start + QPoint(steps * 15, 10))


def dark_pixels(image: QImage) -> int:
    return sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).lightness() < 100)


def test_mouse_strokes_are_kept_with_their_times_and_cleared(pad, qtbot):
    assert pad.is_empty() and pad.strokes() == []
    with qtbot.waitSignal(pad.sig_changed):
        scribble(pad, qtbot)
    scribble(pad, qtbot, start=QPoint(60, 140), steps=6)
    strokes = pad.strokes()
    assert len(strokes) == 2 and not pad.is_empty()
    first = strokes[0]
    assert first[0][:2] == [40.0, 60.0] and len(first) == 21
    times = [t for stroke in strokes for _, _, t in stroke]
    assert times == sorted(times) and times[-1] > 0  # milliseconds since the signature began
    strokes[0].clear()
    assert len(pad.strokes()[0]) == 21  # strokes() hands out a copy
    with qtbot.waitSignal(pad.sig_changed):
        pad.clear()
    assert pad.is_empty() and pad.strokes() == []
    with pytest.raises(ValueError):
        pad.to_png()


def test_the_png_is_dark_ink_on_white_cropped_to_the_signature(pad, qtbot):
    scribble(pad, qtbot)
    image = QImage.fromData(pad.to_png(scale=1))
    assert not image.isNull()
    ink = pad.ink_rect()
    # Cropped to the ink with 12 px of margin each side, not the whole 500×200 pad.
    assert (image.width(), image.height()) == (round(ink.width() + 24), round(ink.height() + 24))
    assert image.width() < 500 and image.height() < 100
    assert image.pixelColor(0, 0).name() == "#ffffff" and image.pixelColor(image.width() - 1, image.height() - 1).name() == "#ffffff"
    assert dark_pixels(image) > 50
    sharp = QImage.fromData(pad.to_png())  # at least twice the logical size, more on a high-DPI screen
    factor = max(2.0, pad.devicePixelRatioF())
    assert abs(sharp.width() - image.width() * factor) <= 2 and dark_pixels(sharp) > dark_pixels(image)


def test_a_pen_draws_through_tablet_events(pad):
    pen = QPointingDevice("test pen", 4711, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 2, "",
                          QPointingDeviceUniqueId())

    def send(kind, x, y, buttons):
        position = QPointF(x, y)
        event = QTabletEvent(kind, pen, position, pad.mapToGlobal(position), 0.6, 0, 0, 0, 0, 0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons)
        QApplication.sendEvent(pad, event)
        assert event.isAccepted()

    send(QTabletEvent.Type.TabletPress, 30, 50, Qt.MouseButton.LeftButton)
    for step in range(1, 10):
        send(QTabletEvent.Type.TabletMove, 30 + step * 10, 50 + step * 3, Qt.MouseButton.LeftButton)
    send(QTabletEvent.Type.TabletRelease, 130, 80, Qt.MouseButton.NoButton)
    [stroke] = pad.strokes()
    assert stroke[0][:2] == [30.0, 50.0] and stroke[-1][:2] == [130.0, 80.0] and len(stroke) == 11


class MouseEvents(QObject):
    """Counts the mouse events a widget receives."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease):
            self.count += 1
        return False


def test_a_finger_draws_through_touch_events(pad, qtbot):
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    mouse = MouseEvents()
    pad.installEventFilter(mouse)
    QTest.touchEvent(pad, screen).press(0, QPoint(20, 40), pad).commit()
    for step in range(1, 8):
        QTest.touchEvent(pad, screen).move(0, QPoint(20 + step * 20, 40 + step * 5), pad).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(180, 80), pad).commit()
    qtbot.wait(10)
    [stroke] = pad.strokes()
    assert stroke[0][:2] == [20.0, 40.0] and stroke[-1][:2] == [180.0, 80.0]
    assert len(stroke) == 9
    assert mouse.count == 0  # taken as touch: Qt made no mouse events of it that could draw it again
