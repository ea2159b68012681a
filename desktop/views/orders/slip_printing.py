"""The order's printouts through the complaint form's printer (views/complaints/printing.py): the service
slip (售后服务单) with its signatures, and the blank customer sign-off sheet (客户签收单) to sign by hand —
previewed, printed to a chosen printer, or saved; the PDF is made by the service (audited) off the GUI
thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.services import service_orders
from desktop.views.complaints.printing import FormPrinter


def slip_printer(db: Database, actor: Actor, settings: Settings, parent: QWidget, *, blank: bool = False) -> FormPrinter:
    def write(order_id: int, target: Path) -> Path:
        return service_orders.print_slip(db, actor, order_id=order_id, target=target, blank=blank,
                                         branch_name=settings.branch_name, font=settings.pdf_font or None)

    translate = QCoreApplication.translate
    if blank:
        texts = {"making": translate("SlipPrinting", "Making the customer sign-off sheet"),
                 "print": translate("SlipPrinting", "Print the customer sign-off sheet"),
                 "save": translate("SlipPrinting", "Save the sign-off sheet as PDF")}
    else:
        texts = {"making": translate("SlipPrinting", "Making the service slip"),
                 "print": translate("SlipPrinting", "Print the service slip"),
                 "save": translate("SlipPrinting", "Save the service slip as PDF")}
    return FormPrinter(db, actor, settings, parent, write=write, texts=texts)
