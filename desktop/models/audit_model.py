"""The audit log as a lazy table: newest first, 200 entries at a time (keyset paging on the id).

The log grows without end, so the model never counts it and never reads it whole: it reads the first page
when the filter changes and the next page when the view scrolls near the end (`canFetchMore`/`fetchMore`),
passing the last fetched entry's id as `before_id`.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.db.uow import Actor, Database
from desktop.domain import model as entities
from desktop.i18n import translate
from desktop.models.users_model import local_time
from desktop.services.audit import AuditFilter, AuditRow, read_audit_log

PAGE_SIZE = 200
TIME, USER, ACTION, RECORD_TYPE, RECORD_ID, SUMMARY = range(6)
AuditRowRole = Qt.ItemDataRole.UserRole  # the AuditRow of the row

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROOT = QModelIndex()  # the invisible root: a table's rows have no other parent
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_AUDIT_ROW = int(AuditRowRole)
_NOT_RECORD_TYPES = {"audit_log", "alembic_version"}


def action_label(action: str) -> str:
    labels = {
        "create": translate("AuditAction", "Created"),
        "update": translate("AuditAction", "Changed"),
        "delete": translate("AuditAction", "Deleted"),
        "login": translate("AuditAction", "Logged in"),
        "login_failed": translate("AuditAction", "Failed login"),
        "print": translate("AuditAction", "Printed"),
        "export": translate("AuditAction", "Exported"),
        "view_pii": translate("AuditAction", "Viewed personal data"),
        "backup": translate("AuditAction", "Backup"),
        "restore": translate("AuditAction", "Restore"),
        "merge": translate("AuditAction", "Merged"),
    }
    return labels.get(action, action)  # an action added later still shows, by its code


def record_type_label(entity: str) -> str:
    labels = {
        "users": translate("RecordType", "User"),
        "customers": translate("RecordType", "Customer"),
        "products": translate("RecordType", "Product"),
        "complaints": translate("RecordType", "Complaint"),
        "complaint_events": translate("RecordType", "Complaint step"),
        "complaint_costs": translate("RecordType", "Complaint cost"),
        "attachments": translate("RecordType", "Attachment"),
        "attachment_blobs": translate("RecordType", "Attachment file"),
        "counters": translate("RecordType", "Number counter"),
        "branch_settings": translate("RecordType", "Branch settings"),
        "database": translate("RecordType", "Database"),
    }
    return labels.get(entity, entity)


def record_types() -> list[str]:
    """Every record type an audit entry can name: the tables (new ones appear by themselves) and the
    database as a whole (backup, restore)."""
    names = set(entities.metadata.tables) - _NOT_RECORD_TYPES | {"database"}
    return sorted(names, key=record_type_label)


def summary_text(entry: AuditRow) -> str:
    if entry.summary:
        return entry.summary
    if entry.action == "update" and entry.after:
        return ", ".join(entry.after)  # which fields changed; the values are in the detail pane
    values = entry.after if entry.action == "create" else entry.before if entry.action == "delete" else None
    if values:
        # The first few words of the record (a user name, a customer's name) say which one it was.
        words = [v for k, v in values.items() if k != "id" and isinstance(v, str) and v and not _is_time(v)]
        return ", ".join(words[:3])
    return ""


def _is_time(text: str) -> bool:
    return len(text) >= 19 and text[4] == "-" and text[10] == "T"


class AuditModel(QAbstractTableModel):
    def __init__(self, db: Database, actor: Actor, parent: QObject | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._filter = AuditFilter()
        self._rows: list[AuditRow] = []
        self._at_end = True
        self._resetting = False
        self._titles = (
            self.tr("Time"),
            self.tr("User"),
            self.tr("Action"),
            self.tr("Record type"),
            self.tr("Record"),
            self.tr("Summary"),
        )

    # --- our API -------------------------------------------------------------------------------------------

    def filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, where: AuditFilter) -> None:
        """Show the newest entries that match `where`, starting again from the first page."""
        self._filter = where
        self.refresh()

    def refresh(self) -> None:
        page = self._read_page(before_id=None)
        # No fetching while the reset is announced: a slot that asks for more then would insert rows in
        # the middle of the reset.
        self._resetting = True
        try:
            self.beginResetModel()
            self._rows = page
            self.endResetModel()
        finally:
            self._resetting = False

    def entry_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def at_end(self) -> bool:
        return self._at_end

    # --- Qt overrides --------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if not index.isValid():
            return None
        role = int(role)
        entry = self._rows[index.row()]
        if role == _DISPLAY or (role == _TOOLTIP and index.column() == SUMMARY):
            return self._text(entry, index.column())
        if role == _AUDIT_ROW:
            return entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if (
            orientation == Qt.Orientation.Horizontal
            and int(role) == _DISPLAY
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Selectable, never editable: nobody changes the audit log from the application.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._at_end and not self._resetting

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._read_page(before_id=self._rows[-1].id if self._rows else None)
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # --- helpers -------------------------------------------------------------------------------------------

    def _read_page(self, *, before_id: int | None) -> list[AuditRow]:
        try:
            page = read_audit_log(
                self._db, self._actor, where=self._filter, before_id=before_id, limit=PAGE_SIZE
            )
        except Exception:
            self._at_end = (
                True  # an empty tail rather than a view that retries a failing query on every scroll
            )
            raise
        self._at_end = len(page) < PAGE_SIZE
        return page

    def _text(self, entry: AuditRow, column: int) -> str:
        if column == TIME:
            return local_time(entry.at)
        if column == USER:
            return entry.username
        if column == ACTION:
            return action_label(entry.action)
        if column == RECORD_TYPE:
            return record_type_label(entry.entity)
        if column == RECORD_ID:
            return entry.entity_id or ""
        return summary_text(entry)
