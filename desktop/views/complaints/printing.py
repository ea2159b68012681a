"""The customer opinion handling form (客户意见处理表) on screen, on paper and as a file.

The form is always the service's PDF (print_complaint_form, audited), made off the GUI thread because the
first one of a session loads the CJK font. Then:

- Preview shows that PDF with QtPdf's QPdfView, or, where QtPdf is missing, in the system's PDF viewer.
- Print renders each PDF page with QPdfDocument.render at the printer's resolution (at most 300 dpi) and
  paints it full-page onto the QPrinter the print dialog set up. Going through the system viewer instead
  would depend on which viewer is installed and could not honour the printer chosen in our dialog; a
  raster at 300 dpi prints the form's text and lines sharply on every driver.
- Save as PDF writes the service's PDF where the user chose.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.services.complaint_printing import print_complaint_form
from desktop.views.common import show_error
from desktop.views.tasks import BackgroundTask, show_progress

try:  # QtPdf ships with the PySide6 wheels, but a trimmed installation may lack it
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - the test environment has QtPdf
    QPdfDocument = QPdfView = None

MAX_PRINT_DPI = 300
_temp_folder: Path | None = None


def temp_folder() -> Path:
    """One private folder per run for previews and opened attachments, removed when the program ends (a
    file a viewer still holds open on Windows stays behind in the system's temporary folder)."""
    global _temp_folder
    if _temp_folder is None or not _temp_folder.is_dir():
        _temp_folder = Path(tempfile.mkdtemp(prefix="branchdesk-"))
        atexit.register(shutil.rmtree, _temp_folder, ignore_errors=True)
    return _temp_folder


def open_file(path: Path) -> bool:
    """Hand a file to the program the system opens it with."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Paint every page of the PDF onto the printer, full page; returns the number of pages printed."""
    if QPdfDocument is None:
        raise RuntimeError("QtPdf is not available")
    document = QPdfDocument()
    document.load(str(path))
    if document.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"cannot read {path}: {document.error()}")
    printer.setFullPage(True)  # the PDF page has its own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, pixels)
            fitted = image.size().scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(paper.topLeft(), fitted), image)
    finally:
        painter.end()
    return document.pageCount()


def pdf_page_size(path: Path) -> QPageSize:
    """The size of the PDF's first page (A4 for our forms)."""
    if QPdfDocument is not None:
        document = QPdfDocument()
        document.load(str(path))
        if document.status() == QPdfDocument.Status.Ready and document.pageCount():
            return QPageSize(document.pagePointSize(0), QPageSize.Unit.Point)  # fuzzy: A4 is recognised
    return QPageSize(QPageSize.PageSizeId.A4)


class FormPrinter(QObject):
    """Preview, print and save the form of one complaint; each makes the PDF on a worker thread first.

    Other records' printouts reuse it (the service order's slip and sign-off sheet): `write(record_id,
    target)` is their service call, run on the worker thread, and `texts` their titles ("making", "print",
    "save")."""

    sig_written = Signal(str, str)  # path, what for: "preview", "print" or "save"

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget, *,
                 write: Callable[[int, Path], object] | None = None, texts: dict[str, str] | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self._parent = parent
        # A plain function, not a bound method: the worker must not hold on to this QObject.
        self._write = write or (lambda complaint_id, target: print_complaint_form(
            db, actor, complaint_id=complaint_id, target=target, branch_name=settings.branch_name,
            font=settings.pdf_font or None))
        self._texts = {"making": self.tr("Making the customer opinion handling form"),
                       "print": self.tr("Print the customer opinion handling form"),
                       "save": self.tr("Save the form as PDF")} | (texts or {})
        self.task: BackgroundTask | None = None
        self.preview: PdfPreviewDialog | None = None

    def make_pdf(self, complaint_id: int, target: Path, purpose: str) -> BackgroundTask:
        write = self._write
        task = BackgroundTask(lambda _progress: write(complaint_id, target), owner=self._parent)
        task.sig_finished.connect(lambda path, purpose=purpose: self._on_pdf_written(path, purpose, complaint_id))
        task.sig_failed.connect(lambda exc: show_error(self._parent, exc, title=self.tr("Print")))
        show_progress(task, self._parent, self._texts["making"], cancellable=False)
        self.task = task
        task.start()
        return task

    def start_preview(self, complaint_id: int, number: str) -> BackgroundTask:
        return self.make_pdf(complaint_id, temp_folder() / f"{number}.pdf", "preview")

    def start_print(self, complaint_id: int, number: str) -> BackgroundTask:
        return self.make_pdf(complaint_id, temp_folder() / f"{number}.pdf", "print")

    def ask_and_save(self, complaint_id: int, number: str) -> BackgroundTask | None:
        name, _ = QFileDialog.getSaveFileName(self._parent, self._texts["save"], f"{number}.pdf",
                                              self.tr("PDF document (*.pdf)"))
        if not name:
            return None
        target = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        return self.make_pdf(complaint_id, target, "save")

    def print_file(self, path: Path) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(path.stem)
        printer.setPageSize(pdf_page_size(path))  # the printer's default may be Letter; the form is A4
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle(self._texts["print"])
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return print_pdf(path, printer)

    def _on_pdf_written(self, path: Path, purpose: str, complaint_id: int) -> None:
        if purpose == "preview":
            if QPdfView is None or not self._show_preview(path, complaint_id):
                open_file(path)
        elif purpose == "print":
            try:
                self.print_file(path)
            except RuntimeError as exc:
                show_error(self._parent, exc)
        self.sig_written.emit(str(path), purpose)

    def _show_preview(self, path: Path, complaint_id: int) -> bool:
        if self.preview is not None:
            self.preview.close()
        preview = PdfPreviewDialog(path, self._parent)
        if not preview.loaded:
            preview.deleteLater()
            return False
        preview.print_button.clicked.connect(lambda: self.print_file(path))
        preview.save_button.clicked.connect(lambda: self.ask_and_save(complaint_id, path.stem))
        preview.show()
        self.preview = preview
        return True


class PdfPreviewDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preview — {name}").format(name=path.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.loaded = self.document.status() == QPdfDocument.Status.Ready
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.save_button = QPushButton(self.tr("&Save as PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(760, 700)
