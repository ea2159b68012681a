"""One engineer's profile: the kinds of work they are skilled in and the area they cover — what dispatch
ranks engineers by. Space ticks a kind (Alt+1 … Alt+6 from anywhere), Enter saves, Esc cancels.

While the area is typed, the form counts the customers whose address starts with it, so a prefix that
matches nobody (a city without its province, say) shows before it is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.service_orders import OrderCategory, category_label
from desktop.services import engineers
from desktop.services.engineers import AREA_COUNT_CAP, AREA_MAX, EngineerRow
from desktop.views.common import ERROR_STYLE, HINT_STYLE

TYPING_DELAY_MS = 300  # the customer count follows the typing after a short pause


class EngineerDialog(QDialog):
    """`saved` holds the profile after a save; `conflict` says somebody else changed it meanwhile."""

    def __init__(self, db: Database, actor: Actor, engineer: EngineerRow, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.engineer = engineer
        self.saved: EngineerRow | None = None
        self.conflict = False
        self.setWindowTitle(self.tr("Engineer — {name}").format(name=engineer.name))

        self.skill_checks: dict[OrderCategory, QCheckBox] = {}
        skills_box = QGroupBox(self.tr("Skilled in"), self)
        grid = QGridLayout(skills_box)
        for number, category in enumerate(OrderCategory, start=1):
            check = QCheckBox(f"&{number}  {category_label(category)}", skills_box)
            check.setChecked(engineer.skilled_in(category))
            self.skill_checks[category] = check
            grid.addWidget(check, (number - 1) // 2, (number - 1) % 2)

        self.area_edit = QLineEdit(engineer.area, self, clearButtonEnabled=True)
        self.area_edit.setMaxLength(AREA_MAX)
        self.area_edit.setPlaceholderText(self.tr("e.g. 广东省广州市; several: 广东省佛山市、广东省东莞市"))
        self.area_edit.setToolTip(self.tr(
            "The start of the customer's address as the customer file writes it, province first: 广东省 covers the "
            "whole province, 广东省广州市 the city, 广东省广州市天河区 one district. Dispatch prefers an engineer "
            "whose area the customer's address starts with. Empty: no area."))
        self.area_hint = QLabel(self, wordWrap=True)
        self.area_hint.setStyleSheet(HINT_STYLE)
        form = QFormLayout()
        area_caption = QLabel(self.tr("&Area:"), self)
        area_caption.setBuddy(self.area_edit)
        form.addRow(area_caption, self.area_edit)
        form.addRow("", self.area_hint)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter saves from any field
        self.save_button.setToolTip(self.tr("Enter"))

        context = QLabel(f"{engineer.name} ({engineer.username})", self)
        context.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(context)
        layout.addWidget(skills_box)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._count_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._count_timer.timeout.connect(self.update_area_hint)
        self.area_edit.textChanged.connect(self._count_timer.start)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.update_area_hint()
        self.skill_checks[OrderCategory.EMERGENCY_REPAIR].setFocus()
        self.resize(560, self.sizeHint().height())

    # --- our API -------------------------------------------------------------------------------------------

    def skills(self) -> list[OrderCategory]:
        return [category for category, check in self.skill_checks.items() if check.isChecked()]

    def update_area_hint(self) -> None:
        self._count_timer.stop()
        area = engineers.normalize_area(self.area_edit.text())
        if not area:
            self.area_hint.setText(self.tr("No area: dispatch ranks this engineer by skill and load only."))
            self.area_hint.setStyleSheet(HINT_STYLE)
            return
        try:
            count = engineers.customers_in_area(self._db, self._actor, area)
        except DomainError as exc:
            self.area_hint.setText(exc.message)
            return
        if count == 0:
            self.area_hint.setText(self.tr("No customer's address starts with {area}. Addresses start with the "
                                           "province, e.g. 广东省广州市.").format(area=area))
            self.area_hint.setStyleSheet(ERROR_STYLE)
            return
        self.area_hint.setStyleSheet(HINT_STYLE)
        figure = f"{AREA_COUNT_CAP:,}+" if count >= AREA_COUNT_CAP else f"{count:,}"
        self.area_hint.setText(self.tr("Customers whose address starts with {area}: {n}").format(area=area, n=figure))

    # --- slots ---------------------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        if self.conflict:
            return
        try:
            self.saved = engineers.set_engineer_profile(self._db, self._actor, user_id=self.engineer.user_id,
                                                        skills=self.skills(), area=self.area_edit.text(),
                                                        expected=self.engineer)
        except ConcurrentEdit as exc:
            self.conflict = True
            self.save_button.setEnabled(False)
            self._show_error(exc.message)
            return
        except DomainError as exc:
            self._show_error(exc.message)
            return
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
