"""The customer opinion handling form from a complaint's window: saved as PDF, previewed, printed."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.config import Settings
from desktop.services import audit
from desktop.services.audit import AuditFilter
from desktop.views.complaints import printing
from desktop.views.complaints.complaint_view import ComplaintDialog
from desktop.views.complaints.printing import PdfPreviewDialog, print_pdf

SETTINGS = Settings(branch_code="GZ01", branch_name="广州销售分公司")


@pytest.fixture
def view(sqlite_db, book, new_complaint, qtbot):
    record = new_complaint(description="空调制冷效果差，开机半小时仍不凉")
    dialog = ComplaintDialog(sqlite_db, book.operator, SETTINGS, record.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def text_of(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_save_as_pdf_writes_the_form_with_the_number(view, sqlite_db, book, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "form"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    with qtbot.waitSignal(view.printer.sig_written, timeout=60_000) as written:
        qtbot.mouseClick(view.save_pdf_button, Qt.MouseButton.LeftButton)
    assert written.args == [str(tmp_path / "form.pdf"), "save"]
    text = text_of(tmp_path / "form.pdf")
    assert view.record.number in text and "客户意见处理表" in text and "空调制冷效果差" in text
    [entry] = audit.read_audit_log(sqlite_db, book.manager, where=AuditFilter(action="print", username="operator"))
    assert view.record.number in entry.summary


def test_preview_shows_the_form(view, qtbot):
    with qtbot.waitSignal(view.printer.sig_written, timeout=60_000) as written:
        qtbot.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    path, purpose = written.args
    assert purpose == "preview" and path.startswith(str(printing.temp_folder()))
    preview = view.printer.preview
    assert isinstance(preview, PdfPreviewDialog) and preview.isVisible()
    assert preview.document.pageCount() == 1
    preview.close()


def test_print_paints_the_form_onto_the_chosen_printer(view, qtbot, tmp_path, monkeypatch):
    printed = tmp_path / "printer.pdf"

    class ChosenPrinter:
        """The print dialog, answered: the user picked a printer (here one that writes a PDF) and OK."""

        def __init__(self, printer: QPrinter, parent=None):
            self.printer = printer

        def setWindowTitle(self, title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(printed))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(printing, "QPrintDialog", ChosenPrinter)
    with qtbot.waitSignal(view.printer.sig_written, timeout=60_000):
        qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    reader = PdfReader(printed)
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4, the form's own page, painted full-page
    assert len(reader.pages[0].images) == 1  # the rendered form, not an empty sheet


def test_print_pdf_renders_every_page(view, qtbot, tmp_path):
    with qtbot.waitSignal(view.printer.sig_written, timeout=60_000) as written:
        view.printer.make_pdf(view.record.id, tmp_path / "source.pdf", "save")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    assert print_pdf(tmp_path / "source.pdf", printer) == 1
    assert len(PdfReader(tmp_path / "out.pdf").pages) == 1
    assert written.args[1] == "save"
