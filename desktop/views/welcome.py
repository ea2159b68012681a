"""The start panel for a role that has no screen in the navigation: who is logged in, in which role, and
what that role is allowed to do (the same grants the services enforce, domain/roles.py)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.config import Settings
from desktop.db.uow import Actor
from desktop.domain.roles import GRANTS, Permission


def permission_text(permission: Permission) -> str:
    texts = {
        Permission.USER_ADMIN: QCoreApplication.translate(
            "Permission", "manage user accounts and their roles"
        ),
        Permission.AUDIT_READ: QCoreApplication.translate("Permission", "read the audit log"),
        Permission.BACKUP: QCoreApplication.translate("Permission", "back up and restore the database"),
        Permission.SETTINGS: QCoreApplication.translate("Permission", "change the branch settings"),
        Permission.CUSTOMER_READ: QCoreApplication.translate(
            "Permission", "look up customers and their installed products"
        ),
        Permission.CUSTOMER_EDIT: QCoreApplication.translate(
            "Permission", "add and change customers and products"
        ),
        Permission.PII_VIEW: QCoreApplication.translate(
            "Permission", "see phone numbers and addresses in full on the record being worked on"
        ),
        Permission.DATA_EXPORT: QCoreApplication.translate("Permission", "export lists to Excel"),
        Permission.COMPLAINT_READ: QCoreApplication.translate(
            "Permission", "read complaints and their history"
        ),
        Permission.COMPLAINT_REGISTER: QCoreApplication.translate("Permission", "register complaints"),
        Permission.COMPLAINT_HANDLE: QCoreApplication.translate(
            "Permission", "acknowledge, assess and answer complaints"
        ),
        Permission.COMPLAINT_INVESTIGATE: QCoreApplication.translate(
            "Permission", "investigate the cause of complaints and who is responsible"
        ),
        Permission.COMPLAINT_CLOSE: QCoreApplication.translate(
            "Permission", "close, reopen and escalate complaints"
        ),
        Permission.COMPLAINT_DECIDE: QCoreApplication.translate(
            "Permission", "decide whether and how complaints are accepted and handled"
        ),
        Permission.COST_ENTER: QCoreApplication.translate("Permission", "enter the costs of complaints"),
        Permission.COST_APPROVE: QCoreApplication.translate(
            "Permission", "approve costs above a user's limit"
        ),
        Permission.STOCK_READ: QCoreApplication.translate("Permission", "see spare parts, bins and stock"),
        Permission.STOCK_EDIT: QCoreApplication.translate("Permission", "keep the part master and the bins"),
        Permission.STOCK_MOVE: QCoreApplication.translate(
            "Permission", "receive, issue, transfer, return and scrap spare parts"
        ),
    }
    return texts.get(permission, permission.value)


class WelcomePanel(QWidget):
    def __init__(self, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        name = actor.display_name or actor.username
        self.title_label = QLabel(self.tr("Welcome, {name}").format(name=name), self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title_label.setFont(font)

        self.role_label = QLabel(
            self.tr("You are logged in as {user}, {role}, at {branch}.").format(
                user=actor.username,
                role=actor.role.label,
                branch=settings.branch_name or settings.branch_code,
            ),
            self,
        )
        self.role_label.setWordWrap(True)
        # Listed in the order of the Permission enum, which follows the work from desk to warehouse.
        granted = [p for p in Permission if p in GRANTS[actor.role]]
        items = "".join(f"<li>{escape(permission_text(p))}</li>" for p in granted)
        self.permissions_label = QLabel(
            "<p>" + escape(self.tr("Your role may:")) + f"</p><ul>{items}</ul>", self
        )
        self.permissions_label.setTextFormat(Qt.TextFormat.RichText)
        self.permissions_label.setWordWrap(True)
        self.keys_label = QLabel(
            self.tr(
                "Leaving the desk? Ctrl+L locks the screen; your password unlocks it with everything as it "
                "was. File → Log out hands the desk to a colleague. File → Settings changes the language."
            ),
            self,
        )
        self.keys_label.setWordWrap(True)

        for label in (self.role_label, self.permissions_label, self.keys_label):
            label.setMaximumWidth(760)  # lines a reader's eye can follow
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(self.title_label)
        layout.addWidget(self.role_label)
        layout.addSpacing(12)
        layout.addWidget(self.permissions_label)
        layout.addSpacing(12)
        layout.addWidget(self.keys_label)
        layout.addStretch(1)
