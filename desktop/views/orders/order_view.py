"""One service order in full, as the right-hand pane of the orders page, and every step after intake.

Shown: number and revision, status, customer and unit, the request, the 三包 coverage proposed and decided
with the rule, engineer, appointment and finish-by (with every earlier appointment), arrival and finish with
their timeliness, the engineer's record, parts, fees with the total in figures and capital numerals,
remaining issues and advice, the signatures (drawn, or the scan of a signed paper), and the history.

The step buttons are enabled only for the order's state and the user's permissions; a disabled one says
why in its tooltip, and its key says so in the message line. Keys (while the orders page is shown):
F6 dispatch or reschedule, F7 arrived, F8 record work, F9 parts used, F11 complete, F12 customer signs,
Shift+F12 engineer signs, Ctrl+P preview the slip. F2 and F5 are the list's (new order, refresh).

Each step is one small form (the *_dialog modules) that calls its service; after it the pane shows the
order as the service left it and emits sig_changed(order id) — for a revision, the new revision's id.
A stale version is refused by the service with who changed it and when; the pane then reads it again.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.db.uow import Actor, Database
from desktop.domain.amounts import amount_in_words, format_yuan
from desktop.domain.errors import ConcurrentEdit, DomainError
from desktop.domain.privacy import mask_phone
from desktop.domain.roles import Permission
from desktop.domain.service_orders import (
    OrderStatus,
    category_label,
    coverage_label,
    old_part_label,
    order_event_label,
    order_status_label,
    urgency_label,
)
from desktop.services import service_orders
from desktop.services.access import allowed
from desktop.services.service_orders import OrderRecord, signer_label
from desktop.views.common import ERROR_STYLE, HINT_STYLE, show_error
from desktop.views.complaints.printing import open_file, temp_folder
from desktop.views.complaints.widgets import moment_text, yes_no
from desktop.views.orders.arrive_dialog import ArriveDialog
from desktop.views.orders.dispatch_dialog import DispatchDialog
from desktop.views.orders.paper_dialog import PaperSignoffDialog
from desktop.views.orders.parts_dialog import PartsDialog, quantity_text
from desktop.views.orders.revise_dialog import ReviseDialog
from desktop.views.orders.sign_dialog import SignDialog
from desktop.views.orders.slip_printing import slip_printer
from desktop.views.orders.step_dialog import OrderStepDialog
from desktop.views.orders.work_dialog import WorkDialog

translate = QCoreApplication.translate
EMPTY = "—"
LATE_STYLE = ERROR_STYLE + " font-weight: bold;"
SIGNATURE_HEIGHT = 56  # pixels of a drawn signature in the pane

# The step buttons, in the order shown (two rows of six), with their keys.
STEPS = ("dispatch", "reschedule", "arrive", "work", "parts", "complete",
         "sign_customer", "sign_engineer", "paper", "revise", "print")
KEYS = {"dispatch": "F6", "reschedule": "F6", "arrive": "F7", "work": "F8", "parts": "F9", "complete": "F11",
        "sign_customer": "F12", "sign_engineer": "Shift+F12", "print": "Ctrl+P"}


class OrderView(QWidget):
    sig_changed = Signal(int)  # the order's id after a step changed it (a revision: the new revision's id)

    def __init__(self, db: Database, actor: Actor, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._settings = settings
        self.record: OrderRecord | None = None
        self.values: dict[str, QLabel] = {}  # what the pane shows, by field: for people reading and for tests

        self.number_label = QLabel(self, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.number_label.setFont(font)
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet("padding: 1px 8px; border-radius: 8px; background: palette(midlight);"
                                        " font-weight: bold;")
        self.customer_label = QLabel(self)
        self.customer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel(self, wordWrap=True)
        self.message_label.setStyleSheet(HINT_STYLE)

        self.buttons: dict[str, QPushButton] = {}
        texts = {
            "dispatch": self.tr("Dispatch"), "reschedule": self.tr("Reschedule"), "arrive": self.tr("Arrived"),
            "work": self.tr("Record work"), "parts": self.tr("Parts used"), "complete": self.tr("Complete"),
            "sign_customer": self.tr("Customer signs"), "sign_engineer": self.tr("Engineer signs"),
            "paper": self.tr("Paper sign-off"), "revise": self.tr("Revise"), "print": self.tr("Print slip"),
        }
        grid = QGridLayout()
        grid.setSpacing(4)
        for index, key in enumerate(STEPS):
            button = QPushButton(texts[key], self, autoDefault=False)
            self.buttons[key] = button
            grid.addWidget(button, index // 6, index % 6)
            if key not in ("paper", "print"):
                button.clicked.connect(lambda _checked=False, k=key: self.run_step(k))
        # Paper sign-off: print the blank sheet before, attach its scan after; the slip: preview, print, save.
        self.slip_printer = slip_printer(db, actor, settings, self)
        self.signoff_printer = slip_printer(db, actor, settings, self, blank=True)
        paper_menu = QMenu(self)
        self.print_signoff_action = paper_menu.addAction(self.tr("Print the blank sign-off sheet…"),
                                                         self.on_print_signoff_triggered)
        self.attach_scan_action = paper_menu.addAction(self.tr("Attach the signed sheet…"),
                                                       lambda: self.run_step("paper"))
        self.buttons["paper"].setMenu(paper_menu)
        print_menu = QMenu(self)
        self.preview_action = print_menu.addAction(self.tr("Pre&view"), self.on_preview_triggered)
        self.print_action = print_menu.addAction(self.tr("&Print…"), self.on_print_triggered)
        self.save_pdf_action = print_menu.addAction(self.tr("&Save as PDF…"), self.on_save_pdf_triggered)
        self.buttons["print"].setMenu(print_menu)

        self.page = QWidget()
        self.page_layout = QVBoxLayout(self.page)
        self.page_layout.setContentsMargins(0, 0, 4, 0)
        self.page_layout.setSpacing(6)
        self._build_sections()
        self.scroll_area = QScrollArea(self, widgetResizable=True)
        self.scroll_area.setWidget(self.page)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)

        header = QHBoxLayout()
        header.addWidget(self.number_label)
        header.addWidget(self.status_label)
        header.addStretch(1)
        header.addWidget(self.customer_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(self.message_label)
        layout.addWidget(self.scroll_area, 1)

        # Window-wide while the pane is visible: the keys work with the focus in the list beside it.
        shortcuts = {"F6": ("dispatch", "reschedule"), "F7": ("arrive",), "F8": ("work",), "F9": ("parts",),
                     "F11": ("complete",), "F12": ("sign_customer",), "Shift+F12": ("sign_engineer",)}
        for keys, steps in shortcuts.items():
            QShortcut(QKeySequence(keys), self, lambda s=steps: self.on_key(s),
                      context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.on_preview_triggered,
                  context=Qt.ShortcutContext.WindowShortcut)
        self._show_nothing()

    # --- our API -------------------------------------------------------------------------------------------

    def show_order(self, order_id: int) -> None:
        try:
            record = service_orders.get_order(self._db, self._actor, order_id)
        except DomainError as exc:
            self._show_nothing()
            self._say(exc.message, error=True)
            return
        same = self.record is not None and self.record.id == record.id
        scrolled = self.scroll_area.verticalScrollBar().value() if same else 0
        self._say("")
        self._show(record)
        self.scroll_area.verticalScrollBar().setValue(scrolled)  # the same order read again stays where it was

    def reload(self) -> None:
        if self.record is not None:
            self.show_order(self.record.id)

    def availability(self) -> dict[str, str | None]:
        """Each step: None when this user may take it now, else why not (the disabled button's tooltip)."""
        return step_availability(self.record, self._actor)

    def run_step(self, step: str) -> QDialog | None:
        """Open the form of one step; afterwards the pane shows the order as the service left it."""
        if self.record is None or self.availability().get(step) is not None:
            return None
        forms: dict[str, Callable[[], OrderStepDialog]] = {
            "dispatch": lambda: DispatchDialog(self._db, self._actor, self.record, self),
            "reschedule": lambda: DispatchDialog(self._db, self._actor, self.record, self),
            "arrive": lambda: ArriveDialog(self._db, self._actor, self.record, self),
            "work": lambda: WorkDialog(self._db, self._actor, self.record, self),
            "parts": lambda: PartsDialog(self._db, self._actor, self.record, self),
            "sign_customer": lambda: SignDialog(self._db, self._actor, self.record, "customer", self),
            "sign_engineer": lambda: SignDialog(self._db, self._actor, self.record, "engineer", self),
            "paper": lambda: PaperSignoffDialog(self._db, self._actor, self.record, self),
            "revise": lambda: ReviseDialog(self._db, self._actor, self.record, self),
        }
        if step == "complete":
            return self._complete()
        dialog = forms[step]()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted and dialog.result is not None:
            self._done(step, dialog.result)
        elif dialog.conflict:
            self.reload()
            self.sig_changed.emit(self.record.id)
        return dialog

    # --- slots ---------------------------------------------------------------------------------------------

    def on_key(self, steps: tuple[str, ...]) -> None:
        if self.record is None:
            self._say_choose_first()
            return
        reasons = self.availability()
        for step in steps:
            if reasons.get(step) is None:
                self.run_step(step)
                return
        self._say(reasons[steps[0]], error=True)

    def on_preview_triggered(self) -> None:
        if self.record is None:
            self._say_choose_first()
            return
        self.slip_printer.start_preview(self.record.id, self._file_stem())

    def on_print_triggered(self) -> None:
        if self.record is not None:
            self.slip_printer.start_print(self.record.id, self._file_stem())

    def on_save_pdf_triggered(self) -> None:
        if self.record is not None:
            self.slip_printer.ask_and_save(self.record.id, self._file_stem())

    def on_print_signoff_triggered(self) -> None:
        if self.record is not None:
            self.signoff_printer.start_preview(self.record.id, self._file_stem() + "-签收单")

    def on_open_scan_clicked(self, attachment_id: int) -> None:
        try:
            info, data = service_orders.order_attachment(self._db, self._actor, order_id=self.record.id,
                                                         attachment_id=attachment_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        target = temp_folder() / f"{info.id}-{info.filename}"
        target.write_bytes(data)
        if not open_file(target):
            QMessageBox.information(self, self.tr("Open file"),
                                    self.tr("No program opens this kind of file here. It was saved to:\n{path}")
                                    .format(path=target))

    # --- steps without a form of their own -----------------------------------------------------------------

    def _complete(self) -> None:
        r = self.record
        answer = QMessageBox.question(
            self, self.tr("Complete"),
            self.tr("Complete {number}? The record, parts and fees ({total}) then wait for the customer's "
                    "signature and cannot be changed.").format(number=r.number, total=format_yuan(r.total)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            record = service_orders.complete(self._db, self._actor, order_id=r.id, version=r.version)
        except ConcurrentEdit as exc:
            QMessageBox.warning(self, self.tr("Changed meanwhile"), exc.message)
            self.reload()
            self.sig_changed.emit(r.id)
        except DomainError as exc:
            self._say(exc.message, error=True)
        else:
            self._done("complete", record)

    def _done(self, step: str, record: OrderRecord) -> None:
        self._show(record)
        self._say(self.tr("{step}: done. Now {status}.").format(step=self.buttons[step].text(),
                                                               status=record.status_label))
        self.sig_changed.emit(record.id)

    # --- showing -------------------------------------------------------------------------------------------

    def _build_sections(self) -> None:
        """The sections once; _show fills in their values."""
        self._section(self.tr("Customer and unit"), [
            ("customer", self.tr("Customer")), ("contact", self.tr("Contact")), ("phone", self.tr("Phone")),
            ("project", self.tr("Project")), ("unit", self.tr("Unit")), ("category", self.tr("Category")),
            ("urgency", self.tr("Urgency")), ("expected_by", self.tr("Wanted by")),
        ], [("address", self.tr("Site address")), ("request", self.tr("Request")),
            ("special_requests", self.tr("Special requests"))])
        self._section(self.tr("Coverage (三包)"), [("coverage_proposed", self.tr("Proposed")),
                                             ("coverage_decided", self.tr("Decided"))],
                      [("coverage_rule", self.tr("Rule")), ("decision_reason", self.tr("Reason for the decision"))])
        self._section(self.tr("Engineer and times"), [
            ("engineer", self.tr("Engineer")), ("appointment", self.tr("Appointment")), ("finish_by", self.tr("Finish by")),
            ("arrived", self.tr("Arrived")), ("finished", self.tr("Finished")), ("reschedules", self.tr("Reschedules")),
        ], [])
        self._section(self.tr("Work"), [("self_check", self.tr("Self-check")), ("fees_agreed", self.tr("Fees agreed"))], [
            ("confirmed_need", self.tr("Confirmed need")), ("diagnosis", self.tr("Diagnosis")), ("measures", self.tr("Measures")),
            ("remaining_issues", self.tr("Remaining issues")), ("advice", self.tr("Advice")),
        ])
        self._section(self.tr("Parts and fees"), [
            ("labour_fee", self.tr("Labour")), ("parts_total", self.tr("Parts")), ("other_fee", self.tr("Other")),
            ("total", self.tr("Total")),
        ], [("parts", self.tr("Parts used")), ("total_words", self.tr("In words"))])
        self._section(self.tr("Signatures"), [], [("signatures", self.tr("Signed")), ("signed_hash", self.tr("Content fixed"))])
        self.signature_row = QHBoxLayout()  # the drawn signatures, and the signed papers' scans
        self.signature_images: dict[str, QLabel] = {}
        self.page_layout.itemAt(self.page_layout.count() - 1).widget().layout().addLayout(
            self.signature_row, 2, 1, 1, 3)
        self._section(self.tr("History"), [], [("history", "")])
        self.page_layout.addStretch(1)

    def _section(self, title: str, pairs: list[tuple[str, str]], texts: list[tuple[str, str]]) -> None:
        box = QGroupBox(title, self.page)
        grid = QGridLayout(box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for n, (key, label) in enumerate(pairs):
            self._value(grid, key, label, n // 2, (n % 2) * 2, span=1)
        row = (len(pairs) + 1) // 2
        for key, label in texts:
            self._value(grid, key, label, row, 0, span=3)
            row += 1
        self.page_layout.addWidget(box)

    def _value(self, grid: QGridLayout, key: str, label: str, row: int, column: int, *, span: int) -> None:
        shown = QLabel(box := grid.parentWidget(), wordWrap=True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setTextFormat(Qt.TextFormat.RichText if key in ("parts", "history", "signatures")
                            else Qt.TextFormat.PlainText)
        self.values[key] = shown
        if label:
            caption = QLabel(label + self.tr(":"), box)
            caption.setStyleSheet(HINT_STYLE)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(caption, row, column)
            grid.addWidget(shown, row, column + 1, 1, span)
        else:
            grid.addWidget(shown, row, column, 1, span + 1)

    def _show_nothing(self) -> None:
        self.record = None
        self.number_label.setText(self.tr("No order chosen"))
        self.status_label.hide()
        self.customer_label.setText("")
        self.scroll_area.hide()
        self._show_buttons()

    def _show(self, r: OrderRecord) -> None:
        self.record = r
        self.number_label.setText(r.number if r.revision == 1 else
                                  self.tr("{number}, revision {n}").format(number=r.number, n=r.revision))
        self.status_label.setText(r.status_label)
        self.status_label.show()
        self.customer_label.setText(r.customer_name)
        self.scroll_area.show()
        try:  # in full for those who may or must see it (the engineer going there); that view is logged
            contact = service_orders.order_contact(self._db, self._actor, r.id)
        except DomainError:
            contact = service_orders.OrderContact(mask_phone(r.contact_phone), "", False)
        reschedules = max(0, len(r.appointments) - 1)
        self._set({
            "customer": r.customer_name, "contact": r.contact_name, "phone": contact.phone, "address": contact.address,
            "project": r.project,
            "unit": " · ".join(filter(None, (r.product_model, r.serial_number))), "category": category_label(r.category),
            "urgency": urgency_label(r.urgency), "expected_by": moment_text(r.expected_by), "request": r.request,
            "special_requests": r.special_requests,
            "coverage_proposed": coverage_label(r.coverage_proposed), "coverage_decided": coverage_label(r.coverage_decided),
            "coverage_rule": r.coverage_rule, "decision_reason": r.decision_reason or "—",
            "engineer": r.engineer, "appointment": moment_text(r.appointment_at), "finish_by": moment_text(r.finish_by),
            "arrived": self._timed(r.arrived_at, r.appointment_at), "finished": self._timed(r.finished_at, r.finish_by),
            "reschedules": self.tr("{n}, before: {times}").format(n=reschedules, times=", ".join(
                moment_text(at) for _, _, at, _ in r.appointments[:-1])) if reschedules else "0",
            "self_check": yes_no(r.self_check_done), "fees_agreed": yes_no(r.fees_agreed),
            "confirmed_need": r.confirmed_need, "diagnosis": r.diagnosis, "measures": r.measures,
            "remaining_issues": r.remaining_issues, "advice": r.advice,
            "labour_fee": format_yuan(r.labour_fee), "parts_total": format_yuan(r.parts_total),
            "other_fee": format_yuan(r.other_fee), "total": format_yuan(r.total), "total_words": amount_in_words(r.total),
            "signed_hash": f"SHA-256 {r.signed_hash[:16]}…" if r.signed_hash else "",
        })
        for key, late in (("arrived", self._late(r.arrived_at, r.appointment_at)),
                          ("finished", self._late(r.finished_at, r.finish_by))):
            self.values[key].setStyleSheet(LATE_STYLE if late else "")
        self.values["total"].setStyleSheet("font-weight: bold;")
        self.values["parts"].setText(self._parts_html(r) or EMPTY)
        self.values["signatures"].setText(self._signatures_html(r) or escape(self.tr("not signed yet")))
        self.values["history"].setText(self._history_html(r))
        self._show_signature_extras(r)
        self._show_buttons()

    def _set(self, values: dict[str, str]) -> None:
        for key, text in values.items():
            self.values[key].setText(text or EMPTY)

    def _timed(self, at, due) -> str:
        if at is None:
            return ""
        if due is None:
            return moment_text(at)
        return self.tr("{time} (late)").format(time=moment_text(at)) if at > due else \
            self.tr("{time} (on time)").format(time=moment_text(at))

    @staticmethod
    def _late(at, due) -> bool:
        return at is not None and due is not None and at > due

    def _parts_html(self, r: OrderRecord) -> str:
        cell = "<td style='padding-right:8px'{align}>{text}</td>"
        rows = "".join(
            "<tr>" + "".join(cell.format(align=" align='right'" if right else "", text=escape(text)) for text, right in (
                (code, False), (name, False), (f"× {quantity_text(q)}", True), (format_yuan(price), True),
                (format_yuan(q * price), True), (old_part_label(old), False))) + "</tr>"
            for code, name, q, price, old in r.parts)
        return f"<table cellspacing='0'>{rows}</table>" if rows else ""

    def _signatures_html(self, r: OrderRecord) -> str:
        paper = {role for role, _, _ in r.paper_scans}
        return "<br>".join(
            escape(self.tr("{signer}: {name}, {time}").format(signer=signer_label(role), name=name, time=moment_text(at))
                   + (self.tr(" (on paper)") if role in paper else "")) for role, name, at in r.signatures)

    def _history_html(self, r: OrderRecord) -> str:
        rows = "".join(
            f"<tr><td style='padding-right:6px'>{escape(moment_text(at))}</td><td style='padding-right:6px'>"
            f"{escape(user)}</td><td style='padding-right:6px'>{escape(order_event_label(action))}</td>"
            f"<td>{escape(note)}</td></tr>" for at, user, action, note in r.events)
        return f"<table cellspacing='0'>{rows}</table>"

    def _show_signature_extras(self, r: OrderRecord) -> None:
        """The drawn signatures as they will print, and a button to open each signed paper's scan."""
        while self.signature_row.count():
            item = self.signature_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.signature_images = {}
        if len(r.signatures) > len(r.paper_scans):
            try:
                images = service_orders.signature_images(self._db, self._actor, r.id)
            except DomainError as exc:
                images = {}
                self._say(exc.message, error=True)
            names = {role: name for role, name, _ in r.signatures}
            for role, png in images.items():
                picture = QPixmap()
                picture.loadFromData(png)
                shown = QLabel(self.page)
                shown.setPixmap(picture.scaledToHeight(SIGNATURE_HEIGHT, Qt.TransformationMode.SmoothTransformation))
                shown.setStyleSheet("background: white; border: 1px solid palette(mid);")
                shown.setToolTip(f"{signer_label(role)}: {names.get(role, '')}")
                self.signature_row.addWidget(shown)
                self.signature_images[role] = shown
        for role, attachment_id, filename in r.paper_scans:
            button = QPushButton(self.tr("Open the signed sheet ({signer}: {file})").format(
                signer=signer_label(role), file=filename), self.page, autoDefault=False)
            button.clicked.connect(lambda _checked=False, a=attachment_id: self.on_open_scan_clicked(a))
            self.signature_row.addWidget(button)
        self.signature_row.addStretch(1)

    def _show_buttons(self) -> None:
        reasons = self.availability()
        for key, button in self.buttons.items():
            reason = reasons.get(key)
            button.setEnabled(reason is None)
            key_text = f" ({KEYS[key]})" if key in KEYS else ""
            button.setToolTip((reason + key_text) if reason else KEYS.get(key, ""))
        paper = paper_availability(self.record, self._actor)
        self.print_signoff_action.setEnabled(paper["print"] is None)
        self.attach_scan_action.setEnabled(paper["attach"] is None)
        self.buttons["paper"].setEnabled(paper["print"] is None or paper["attach"] is None)
        self.buttons["paper"].setToolTip(paper["attach"] or paper["print"] or "")

    def _file_stem(self) -> str:
        r = self.record
        return r.number if r.revision == 1 else f"{r.number}-{r.revision}"

    def _say_choose_first(self) -> None:
        self._say(self.tr("Choose an order in the list first (↑ ↓ in the list, or search for it)."), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
        self.message_label.setVisible(bool(text))


# --- which steps this user may take in this state ---------------------------------------------------------


def step_availability(record: OrderRecord | None, actor: Actor) -> dict[str, str | None]:
    """For each of STEPS: None when `actor` may take it on `record` now, else the reason (the tooltip). The
    services check the same again; this only spares the user a refusal."""
    if record is None:
        return dict.fromkeys(STEPS, translate("OrderSteps", "Choose an order in the list."))
    status = record.status
    if status == OrderStatus.CANCELLED:
        cancelled = translate("OrderSteps", "The order is cancelled.")
        return {step: None if step == "print" else cancelled for step in STEPS}
    states = list(OrderStatus)
    signed_by = {role for role, _, _ in record.signatures}

    def needs(permission: Permission, wanted: set[OrderStatus], before: str) -> str | None:
        if not allowed(actor, permission):
            return (translate("OrderSteps", "Your role may not dispatch orders.") if permission == Permission.ORDER_DISPATCH
                    else translate("OrderSteps", "Your role may not record work on orders."))
        if status in wanted:
            return None
        if status == OrderStatus.SIGNED:
            return translate("OrderSteps", "The order is signed and cannot change; make a revision.")
        if states.index(status) < min(states.index(w) for w in wanted):
            return before
        if status == OrderStatus.COMPLETED:
            return translate("OrderSteps", "The work is completed and waits for the customer's signature; after it, "
                                           "a revision corrects it.")
        return translate("OrderSteps", "Done already: the order is {status}.").format(
            status=order_status_label(status))

    dispatch_first = translate("OrderSteps", "Dispatch the order first.")
    arrive_first = translate("OrderSteps", "Record the engineer's arrival first.")
    complete_first = translate("OrderSteps", "Complete the work first.")
    reasons = {
        "dispatch": needs(Permission.ORDER_DISPATCH, {OrderStatus.REGISTERED}, ""),
        "reschedule": needs(Permission.ORDER_DISPATCH, {OrderStatus.DISPATCHED}, dispatch_first),
        "arrive": needs(Permission.ORDER_WORK, {OrderStatus.DISPATCHED}, dispatch_first),
        "work": needs(Permission.ORDER_WORK, {OrderStatus.ON_SITE}, arrive_first),
        "parts": needs(Permission.ORDER_WORK, {OrderStatus.ON_SITE}, arrive_first),
        "complete": needs(Permission.ORDER_WORK, {OrderStatus.ON_SITE}, arrive_first),
        "sign_customer": needs(Permission.ORDER_WORK, {OrderStatus.COMPLETED}, complete_first),
        # The engineer may sign after the customer: it adds a signature and changes nothing signed.
        "sign_engineer": needs(Permission.ORDER_WORK, {OrderStatus.COMPLETED, OrderStatus.SIGNED}, complete_first),
        "paper": None,  # the menu's two entries decide: paper_availability
        "revise": needs(Permission.ORDER_WORK, {OrderStatus.SIGNED},
                        translate("OrderSteps", "Only a signed order is revised.")),
        "print": None,
    }
    if reasons["dispatch"] and status == OrderStatus.DISPATCHED and allowed(actor, Permission.ORDER_DISPATCH):
        reasons["dispatch"] = translate("OrderSteps", "Dispatched already: reschedule instead.")
    if reasons["reschedule"] and status == OrderStatus.ON_SITE and allowed(actor, Permission.ORDER_DISPATCH):
        reasons["reschedule"] = translate("OrderSteps", "The engineer is on site already.")
    if reasons["complete"] is None and not (record.measures and record.self_check_done):
        reasons["complete"] = translate("OrderSteps", "Record the work first: the measures taken and the self-check.")
    for role, key in (("customer", "sign_customer"), ("engineer", "sign_engineer")):
        if role in signed_by and allowed(actor, Permission.ORDER_WORK):
            reasons[key] = translate("OrderSteps", "Signed by the {signer} already.").format(signer=signer_label(role))
    if not service_orders.may_work_on(actor, record.engineer_id):
        other = translate("OrderSteps", "The order is dispatched to another engineer.")
        for key in ("arrive", "work", "parts", "complete", "sign_customer", "sign_engineer"):
            reasons[key] = reasons[key] or other
    if reasons["revise"] is None and record.revision != record.latest_revision:
        reasons["revise"] = translate("OrderSteps", "Revision {n} exists already.").format(n=record.latest_revision)
    return reasons


def paper_availability(record: OrderRecord | None, actor: Actor) -> dict[str, str | None]:
    """The paper sign-off's two entries: print the blank sheet (until the customer signed), attach its scan."""
    attach = step_availability(record, actor)["sign_customer"]
    if record is None:
        return {"print": attach, "attach": attach}
    signed = "customer" in {role for role, _, _ in record.signatures}
    return {"print": translate("OrderSteps", "Signed by the {signer} already.").format(signer=signer_label("customer"))
            if signed else None, "attach": attach}
