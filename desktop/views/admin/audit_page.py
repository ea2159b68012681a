"""The audit log, read-only: who did what and when, with the values before and after a change.

Nothing here can change or delete an entry (domain.md §10); the service offers no way to either.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.domain.roles import Role
from desktop.models.audit_model import (
    ACTION,
    RECORD_ID,
    RECORD_TYPE,
    TIME,
    USER,
    AuditModel,
    action_label,
    record_type_label,
    record_types,
)
from desktop.models.users_model import local_time
from desktop.services.audit import ACTIONS, AuditFilter, AuditRow

DEFAULT_DAYS = 30
TYPING_DELAY_MS = 400  # typed filters apply after a pause, not on every key
_WIDTHS = {TIME: 150, USER: 110, ACTION: 140, RECORD_TYPE: 130, RECORD_ID: 80}


def value_text(field: str, value: object) -> str:
    """An audit value as a person reads it: local times, role names, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = (
            QCoreApplication.translate("AuditLogPage", "Yes"),
            QCoreApplication.translate("AuditLogPage", "No"),
        )
        return yes if value else no
    if isinstance(value, str):
        if field == "role" and value in {role.value for role in Role}:
            return Role(value).label
        if len(value) >= 19 and value[10:11] == "T":
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return local_time(moment) if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M:%S")
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


class AuditLogPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = AuditModel(db, actor, self)

        today = self._today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-DEFAULT_DAYS), self, calendarPopup=True)
        self.to_edit = QDateEdit(today, self, calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.user_edit = QLineEdit(self, clearButtonEnabled=True, placeholderText=self.tr("any user"))
        self.action_combo = QComboBox(self)
        self.action_combo.addItem(self.tr("All actions"), "")
        for action in ACTIONS:
            self.action_combo.addItem(action_label(action), action)
        self.type_combo = QComboBox(self)
        self.type_combo.addItem(self.tr("All record types"), "")
        for entity in record_types():
            self.type_combo.addItem(record_type_label(entity), entity)
        self.text_edit = QLineEdit(
            self, clearButtonEnabled=True, placeholderText=self.tr("record number or summary")
        )
        self.reset_button = QPushButton(self.tr("Reset &filters"), self)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)  # fixed widths: measuring every row would read the whole log
        header.setStretchLastSection(True)

        self.detail_label = QLabel(
            self, wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.detail_table = QTableWidget(0, 3, self)
        self.detail_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        self.detail_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail_table.setTabKeyNavigation(False)
        self.detail_table.verticalHeader().hide()
        self.detail_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        detail_header = self.detail_table.horizontalHeader()
        detail_header.resizeSection(0, 160)
        detail_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        detail_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel(self)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(self.detail_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self, childrenCollapsible=False)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        first = QHBoxLayout()
        self._add_labelled(first, self.tr("F&rom:"), self.from_edit)
        self._add_labelled(first, self.tr("&To:"), self.to_edit)
        self._add_labelled(first, self.tr("&User:"), self.user_edit)
        self._add_labelled(first, self.tr("&Action:"), self.action_combo)
        first.addStretch(1)
        second = QHBoxLayout()
        self._add_labelled(second, self.tr("Record t&ype:"), self.type_combo)
        self._add_labelled(second, self.tr("Te&xt:"), self.text_edit, stretch=1)
        second.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing_timer.timeout.connect(self.apply_filter)
        self.from_edit.dateChanged.connect(self.on_from_edit_date_changed)
        self.to_edit.dateChanged.connect(self.apply_filter)
        self.action_combo.currentIndexChanged.connect(self.apply_filter)
        self.type_combo.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.user_edit, self.text_edit):
            edit.textChanged.connect(self._typing_timer.start)
            edit.returnPressed.connect(self.apply_filter)
        self.reset_button.clicked.connect(self.on_reset_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.model.rowsInserted.connect(self._show_count)
        self.model.modelReset.connect(self._show_count)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Refresh),
            self,
            self.refresh,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.apply_filter()

    # --- our API -------------------------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        since = datetime.combine(self.from_edit.date().toPython(), time.min).astimezone()
        until = datetime.combine(self.to_edit.date().toPython() + timedelta(days=1), time.min).astimezone()
        return AuditFilter(
            since=since,
            until=until,
            username=self.user_edit.text().strip(),
            action=self.action_combo.currentData() or "",
            entity=self.type_combo.currentData() or "",
            text=self.text_edit.text().strip(),
        )

    def apply_filter(self) -> None:
        self._typing_timer.stop()
        self._load(lambda: self.model.set_filter(self.current_filter()))

    def refresh(self) -> None:
        """Read again with the filters as shown (F5)."""
        today = QDate.currentDate()
        if today != self._today:
            # The page stayed open past midnight: an end date of "today" still means today.
            if self.to_edit.date() == self._today:
                self.to_edit.blockSignals(True)
                self.to_edit.setDate(today)
                self.to_edit.blockSignals(False)
            self._today = today
        self.apply_filter()

    def current_entry(self) -> AuditRow | None:
        index = self.table.currentIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    # --- slots ---------------------------------------------------------------------------------------------

    def on_from_edit_date_changed(self, date: QDate) -> None:
        if self.to_edit.date() < date:
            self.to_edit.setDate(date)  # applies the filter through to_edit's signal
        else:
            self.apply_filter()

    def on_reset_button_clicked(self) -> None:
        widgets = (
            self.from_edit,
            self.to_edit,
            self.user_edit,
            self.text_edit,
            self.action_combo,
            self.type_combo,
        )
        for widget in widgets:
            widget.blockSignals(True)
        today = self._today = QDate.currentDate()
        self.from_edit.setDate(today.addDays(-DEFAULT_DAYS))
        self.to_edit.setDate(today)
        self.user_edit.clear()
        self.text_edit.clear()
        self.action_combo.setCurrentIndex(0)
        self.type_combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filter()

    def on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail(self.current_entry())

    # --- helpers -------------------------------------------------------------------------------------------

    def _add_labelled(self, layout: QHBoxLayout, text: str, widget: QWidget, stretch: int = 0) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        layout.addWidget(label)
        layout.addWidget(widget, stretch)

    def _load(self, read) -> None:
        selected = self.current_entry()
        try:
            read()
        except DomainError as exc:
            self.count_label.setText(exc.message)
            return
        row = next(
            (
                r
                for r in range(self.model.rowCount())
                if selected and self.model.entry_at(r).id == selected.id
            ),
            -1,
        )
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_detail(None)

    def _show_count(self, *_args) -> None:
        shown = self.model.rowCount()
        if not self.model.at_end():
            # Worded without plurals: one Chinese form, and English reads right for any number.
            text = self.tr("Entries shown: {n}, newest first; scroll down for older ones.")
            self.count_label.setText(text.format(n=shown))
        else:
            self.count_label.setText(self.tr("Entries: {n}").format(n=shown))

    def _show_detail(self, entry: AuditRow | None) -> None:
        self.detail_table.setRowCount(0)
        if entry is None:
            self.detail_label.setText(self.tr("Select an entry to see the values before and after."))
            return
        heading = self.tr("{action} · {type} {id} · by {user} at {time}").format(
            action=action_label(entry.action),
            type=record_type_label(entry.entity),
            id=entry.entity_id or "",
            user=entry.username,
            time=local_time(entry.at),
        )
        self.detail_label.setText(heading + (f"\n{entry.summary}" if entry.summary else ""))
        before, after = entry.before or {}, entry.after or {}
        fields = list(after) + [field for field in before if field not in after]
        self.detail_table.setRowCount(len(fields))
        for row, field in enumerate(fields):
            cells = (field, value_text(field, before.get(field)), value_text(field, after.get(field)))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.detail_table.setItem(row, column, item)
