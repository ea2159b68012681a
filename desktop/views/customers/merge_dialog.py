"""Merging a duplicate customer into the one kept: find the duplicate by search, see what moves, confirm.

The duplicate is archived, not deleted, and points at the customer kept; its complaints stay filed under it
and show on the kept customer's file (complaint_list's customer filter follows merges).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.db.uow import Actor, Database
from desktop.domain.errors import DomainError
from desktop.models.lazy_table_model import LazyTableModel
from desktop.services import customers
from desktop.services.customers import CustomerRecord
from desktop.services.paging import Sort
from desktop.views.customers.customer_dialog import FormDialog
from desktop.views.lazy_list_view import LazyListView

SEARCH_DELAY_MS = 250
# The kept customer's details that are filled in from the duplicate when they are blank (the service's rule).
_FILLED = ("contact_person", "phone", "phone2", "region", "address_detail", "id_number")


class MergeDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, keep: CustomerRecord, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.keep = keep
        self.duplicate: CustomerRecord | None = None
        self.saved: CustomerRecord | None = None
        self.setWindowTitle(self.tr("Merge a duplicate into {name}").format(name=keep.name))
        self.ok_button.setText(self.tr("&Merge"))

        intro = self.tr("Keep <b>{name}</b> (No. {id}). Find the record that is the same customer: its units "
                        "move here and it is archived.")
        self.intro_label = QLabel(intro.format(name=html.escape(keep.name), id=keep.id), self, wordWrap=True)
        self.search_edit = QLineEdit(self, clearButtonEnabled=True,
                                     placeholderText=self.tr("name, phone, serial or contract number"))
        self.search_edit.setText(keep.name)  # a duplicate mostly carries the same name
        self.model = LazyTableModel(self._source(keep.name), sort=Sort("name"), parent=self)
        self.model.set_highlight(keep.name)
        self.list_view = LazyListView(self.model, list_name="merge_candidates", user=actor.username,
                                      parent=self)
        self.summary_label = QLabel(self, wordWrap=True)
        self.summary_label.setMinimumHeight(5 * self.fontMetrics().lineSpacing())

        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("&Find the duplicate:"), self)
        search_label.setBuddy(self.search_edit)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        self.form.addRow(self.intro_label)
        self.form.addRow(search_row)
        self.form.addRow(self.list_view)
        self.form.addRow(self.summary_label)
        self.resize(860, 600)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self._summary_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._summary_timer.timeout.connect(self.show_candidate)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.list_view.sig_current_changed.connect(self.on_list_view_current_changed)
        self.update_state()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # --- our API -------------------------------------------------------------------------------------------

    def apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text()
        try:
            self.model.set_source(self._source(text))
        except DomainError as exc:
            self.show_problem(exc.message)
            return
        self.model.set_highlight(text)

    def show_candidate(self) -> None:
        """Read the chosen record and say what the merge will do with it."""
        self._summary_timer.stop()
        candidate = self.list_view.current_id()
        self.duplicate = None
        if candidate == -1:
            self.summary_label.setText(self.tr("Choose the duplicate in the list."))
        elif candidate == self.keep.id:
            self.summary_label.setText(self.tr("That is the customer you keep: choose the other record."))
        else:
            try:
                self.duplicate = customers.get_customer(self._db, self._actor, candidate)
            except DomainError as exc:
                self.summary_label.setText(exc.message)
            else:
                self.summary_label.setText(self._summary(self.duplicate))
        self.update_state()

    # --- FormDialog ----------------------------------------------------------------------------------------

    def is_complete(self) -> bool:
        return self.duplicate is not None and not self.duplicate.archived

    def save(self) -> None:
        self.saved = customers.merge_customers(self._db, self._actor, keep_id=self.keep.id,
                                               duplicate_id=self.duplicate.id)

    def reload(self) -> None:
        self.show_candidate()

    def error_fields(self) -> dict[str, QWidget]:
        return {"duplicate": self.list_view.table}

    # --- slots ---------------------------------------------------------------------------------------------

    def on_list_view_current_changed(self, _row_id: int) -> None:
        self.duplicate = None
        self.update_state()
        self._summary_timer.start()  # arrowing through the list reads only the row it stops at

    # --- helpers -------------------------------------------------------------------------------------------

    def _source(self, text: str):
        return customers.customer_list(self._db, self._actor, search=text)

    def _summary(self, duplicate: CustomerRecord) -> str:
        if duplicate.archived:
            archived = self.tr("No. {id} {name} is archived already.")
            return archived.format(id=duplicate.id, name=duplicate.name)
        separator = self.tr(", ")
        units = separator.join(f"{p.model} {p.serial_number}" for p in duplicate.products) or self.tr("none")
        titles = {"contact_person": self.tr("contact person"), "phone": self.tr("phone"),
                  "phone2": self.tr("phone 2"), "region": self.tr("region"),
                  "address_detail": self.tr("address"), "id_number": self.tr("ID number")}
        filled = [titles[key] for key in _FILLED if not getattr(self.keep, key) and getattr(duplicate, key)]
        lines = [
            self.tr("No. {id} {name}, phone {phone}, {region}").format(
                id=duplicate.id, name=duplicate.name, phone=duplicate.phone or "—",
                region=duplicate.region or "—"),
            self.tr("Units that move to {keep}: {units}").format(keep=self.keep.name, units=units),
            self.tr("Filled in where {keep} has nothing: {fields}").format(
                keep=self.keep.name, fields=separator.join(filled) if filled else self.tr("nothing")),
            self.tr("No. {id} will be archived and point to No. {keep_id}; its complaints will show "
                    "there.").format(id=duplicate.id, keep_id=self.keep.id),
        ]
        return "\n".join(lines)
