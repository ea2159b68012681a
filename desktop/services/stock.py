"""Stock movements: receive, issue first-in first-out, transfer, return, scrap, reverse.

Every function here is one document (入库单, 出库单, …) in one transaction: movements appended to the ledger,
the per-lot balance changed by a guarded UPDATE (`quantity >= asked`), so two PCs issuing the last unit
at once cannot both succeed — the second UPDATE finds too little and the whole document is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from desktop.db.counters import next_number
from desktop.db.uow import Actor, Database
from desktop.domain.base import utcnow
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import Bin, Lot, MovementKind, Part, PartSubstitute, StockBalance, StockDocument, StockMovement
from desktop.i18n import translate
from desktop.services.access import require

PREFIX = {
    MovementKind.RECEIPT: "RK", MovementKind.ISSUE: "CK", MovementKind.TRANSFER_OUT: "YK", MovementKind.RETURN: "TK",
    MovementKind.SCRAP: "BF", MovementKind.REVERSAL: "CX", MovementKind.ADJUSTMENT: "TZ",
}


class InsufficientStock(ValidationError):
    pass


@dataclass(frozen=True)
class ReceiptLine:
    part_code: str
    bin_code: str
    quantity: Decimal
    unit_cost: Decimal | None = None  # default: the part's unit cost


@dataclass(frozen=True)
class Pick:
    """Take `quantity` of a lot from its bin — one line of an issue slip."""

    lot_id: int
    bin_code: str
    part_id: int
    part_code: str
    part_name: str
    part_model: str
    unit: str
    received_on: date
    quantity: Decimal
    walk_key: tuple  # (zone, shelf, layer, position): picking order


@dataclass(frozen=True)
class IssueProposal:
    part_id: int
    asked: Decimal
    picks: tuple[Pick, ...]
    short: Decimal  # what the shelves cannot give
    substitutes: tuple[tuple[int, str, str, Decimal], ...]  # (part id, code, name, on hand) of usable substitutes


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    number: str
    kind: MovementKind
    at: datetime
    username: str
    purpose: str
    reference: str
    receiver: str
    reason: str
    lines: tuple[Pick, ...]  # in picking order for issues; quantities are positive


def _quantity(value, field: str = "quantity") -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unreadable number gets the same message
        raise ValidationError(translate("Errors", "{value} is not a quantity.").format(value=value), field=field) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(translate("Errors", "Quantity {value}: more than 0, at most two decimals.").format(
            value=value), field=field, value=value)
    return amount


def _document(session: Session, actor: Actor, branch_code: str, kind: MovementKind, **fields) -> StockDocument:
    moment = utcnow()
    prefix = PREFIX[kind]
    sequence = next_number(session, f"stock:{prefix}:{branch_code}:{moment.astimezone():%Y%m}")
    document = StockDocument(number=f"{prefix}-{branch_code}-{moment.astimezone():%Y%m}-{sequence:04d}", kind=kind.value,
                             at=moment, username=actor.username, **fields)
    session.add(document)
    session.flush()
    return document


def _move(session: Session, document: StockDocument, kind: MovementKind, lot: Lot, quantity: Decimal,
          reverses_id: int | None = None, *, check_frozen: bool = True) -> StockMovement:
    """Append one movement and change the lot's balance in step; refuse what would go below zero, and what
    touches a bin a stocktake is counting (its book quantities are frozen)."""
    if check_frozen:
        from desktop.services.stocktake import frozen_by

        number = frozen_by(session, lot.bin_id)
        if number:
            bin_code = session.get(Bin, lot.bin_id).code
            raise ValidationError(
                translate("Errors", "Bin {bin} is being counted in stocktake {number}; move its stock after posting.").format(
                    bin=bin_code, number=number),
                field="bin_code",
            )
    if quantity < 0:
        changed = session.execute(
            update(StockBalance)
            .where(StockBalance.lot_id == lot.id, StockBalance.quantity >= -quantity)
            .values(quantity=StockBalance.quantity + quantity)
        ).rowcount
        if changed != 1:
            part = session.get(Part, lot.part_id)
            bin_ = session.get(Bin, lot.bin_id)
            on_hand = session.scalar(select(StockBalance.quantity).where(StockBalance.lot_id == lot.id)) or Decimal(0)
            raise InsufficientStock(
                translate("Errors", "Not enough {code} {name} in bin {bin}: {on_hand} on hand, {asked} asked.").format(
                    code=part.code, name=part.name, bin=bin_.code, on_hand=on_hand, asked=-quantity),
                field="quantity",
            )
    else:
        changed = session.execute(
            update(StockBalance).where(StockBalance.lot_id == lot.id).values(quantity=StockBalance.quantity + quantity)
        ).rowcount
        if changed == 0:
            session.execute(insert(StockBalance).values(lot_id=lot.id, part_id=lot.part_id, bin_id=lot.bin_id,
                                                        quantity=quantity))
    movement = StockMovement(document_id=document.id, kind=kind.value, at=document.at, part_id=lot.part_id,
                             bin_id=lot.bin_id, lot_id=lot.id, quantity=quantity, unit_cost=lot.unit_cost,
                             reverses_id=reverses_id)
    session.add(movement)
    return movement


def receive(db: Database, actor: Actor, *, branch_code: str, supplier_document: str, received_on: date,
            lines: list[ReceiptLine]) -> DocumentRecord:
    """入库: each line makes a FIFO lot. Part codes are checked against the master (a mislabelled receipt
    repeats itself for ever) and a bin holds one part at a time, so nobody has to search it."""
    require(actor, Permission.STOCK_MOVE)
    if not lines:
        raise ValidationError(translate("Errors", "A receipt needs at least one line."), field="lines")
    with db.uow(actor) as uow:
        session = uow.session
        document = _document(session, actor, branch_code, MovementKind.RECEIPT, purpose="supplier",
                             reference=supplier_document.strip())
        for number, line in enumerate(lines, start=1):
            part = _part_by_code(session, line.part_code, number)
            bin_ = _bin_by_code(session, line.bin_code, number)
            other = session.scalar(
                select(Part.code).join(StockBalance, StockBalance.part_id == Part.id)
                .where(StockBalance.bin_id == bin_.id, StockBalance.part_id != part.id, StockBalance.quantity > 0)
                .limit(1)
            )
            if other:
                raise ValidationError(
                    translate("Errors", "Line {n}: bin {bin} holds part {other}; put {code} in another bin.").format(
                        n=number, bin=bin_.code, other=other, code=part.code),
                    field="bin_code",
                )
            cost = part.unit_cost if line.unit_cost is None else Decimal(str(line.unit_cost))
            lot = Lot(part_id=part.id, bin_id=bin_.id, received_on=received_on, unit_cost=cost,
                      supplier_document=supplier_document.strip())
            session.add(lot)
            session.flush()
            _move(session, document, MovementKind.RECEIPT, lot, _quantity(line.quantity))
        uow.commit()
        return _record(session, document)


def propose_issue(db: Database, actor: Actor, *, part_id: int, quantity: Decimal | str) -> IssueProposal:
    """Which bins and lots to take from, oldest receipt first; and usable substitutes when short."""
    require(actor, Permission.STOCK_READ)
    asked = _quantity(quantity)
    with db.session_factory() as session:
        picks, short = _fifo(session, part_id, asked)
        substitutes = ()
        if short > 0:
            substitutes = tuple(
                (p.id, p.code, p.name, on_hand)
                for p, on_hand in _substitutes_with_stock(session, part_id)
                if on_hand > 0
            )
        return IssueProposal(part_id, asked, picks, short, substitutes)


def issue(db: Database, actor: Actor, *, branch_code: str, lines: list[tuple[int, Decimal | str]], purpose: str,
          reference: str, receiver: str) -> DocumentRecord:
    """出库: the FIFO picks are worked out again inside the transaction, so what is taken is what is there."""
    require(actor, Permission.STOCK_MOVE)
    if purpose not in ("service_order", "complaint", "internal"):
        raise ValidationError(translate("Errors", "Say what the parts are for."), field="purpose")
    if not receiver.strip():
        raise ValidationError(translate("Errors", "Name the person who receives the parts."), field="receiver")
    if not lines:
        raise ValidationError(translate("Errors", "An issue needs at least one line."), field="lines")
    with db.uow(actor) as uow:
        session = uow.session
        document = _document(session, actor, branch_code, MovementKind.ISSUE, purpose=purpose,
                             reference=reference.strip(), receiver=receiver.strip())
        for part_id, quantity in lines:
            asked = _quantity(quantity)
            picks, short = _fifo(session, part_id, asked)
            if short > 0:
                part = session.get(Part, part_id)
                raise InsufficientStock(
                    translate("Errors", "Not enough {code} {name}: {short} {unit} short.").format(
                        code=part.code, name=part.name, short=short, unit=part.unit),
                    field="quantity",
                )
            for pick in picks:
                _move(session, document, MovementKind.ISSUE, session.get(Lot, pick.lot_id), -pick.quantity)
        uow.commit()
        return _record(session, document)


def transfer(db: Database, actor: Actor, *, branch_code: str, lot_id: int, quantity: Decimal | str,
             to_bin_code: str) -> DocumentRecord:
    """移库: the parts keep their receipt date (FIFO) in the new bin."""
    require(actor, Permission.STOCK_MOVE)
    amount = _quantity(quantity)
    with db.uow(actor) as uow:
        session = uow.session
        source = _lot(session, lot_id)
        target_bin = _bin_by_code(session, to_bin_code, 1)
        if target_bin.id == source.bin_id:
            raise ValidationError(translate("Errors", "Choose a different bin to move to."), field="to_bin_code")
        document = _document(session, actor, branch_code, MovementKind.TRANSFER_OUT, purpose="internal",
                             reference=target_bin.code)
        _move(session, document, MovementKind.TRANSFER_OUT, source, -amount)
        target = Lot(part_id=source.part_id, bin_id=target_bin.id, received_on=source.received_on,
                     unit_cost=source.unit_cost, supplier_document=source.supplier_document)
        session.add(target)
        session.flush()
        _move(session, document, MovementKind.TRANSFER_IN, target, amount)
        uow.commit()
        return _record(session, document)


def scrap(db: Database, actor: Actor, *, branch_code: str, lot_id: int, quantity: Decimal | str, reason: str) -> DocumentRecord:
    require(actor, Permission.STOCK_MOVE)
    if not reason.strip():
        raise ValidationError(translate("Errors", "Give the reason for scrapping."), field="reason")
    amount = _quantity(quantity)
    with db.uow(actor) as uow:
        document = _document(uow.session, actor, branch_code, MovementKind.SCRAP, purpose="internal", reason=reason.strip())
        _move(uow.session, document, MovementKind.SCRAP, _lot(uow.session, lot_id), -amount)
        uow.commit()
        return _record(uow.session, document)


def return_to_stock(db: Database, actor: Actor, *, branch_code: str, issue_number: str, part_id: int,
                    quantity: Decimal | str, reason: str = "") -> DocumentRecord:
    """退库: unused parts of an issue go back to the lot they came from (their FIFO date stays)."""
    require(actor, Permission.STOCK_MOVE)
    amount = _quantity(quantity)
    with db.uow(actor) as uow:
        session = uow.session
        issued = session.scalar(select(StockDocument).where(StockDocument.number == issue_number.strip().upper(),
                                                            StockDocument.kind == MovementKind.ISSUE.value))
        if issued is None:
            raise NotFound(translate("Errors", "No issue slip numbered {number}.").format(number=issue_number),
                           field="issue_number")
        taken = session.execute(
            select(StockMovement.lot_id, func.sum(StockMovement.quantity))
            .where(StockMovement.document_id == issued.id, StockMovement.part_id == part_id)
            .group_by(StockMovement.lot_id).order_by(StockMovement.lot_id)
        ).all()
        returned = session.scalar(
            select(func.coalesce(func.sum(StockMovement.quantity), 0))
            .join(StockDocument, StockDocument.id == StockMovement.document_id)
            .where(StockDocument.kind == MovementKind.RETURN.value, StockDocument.reference == issued.number,
                   StockMovement.part_id == part_id)
        )
        if amount > -sum(q for _, q in taken) - returned:
            raise ValidationError(translate("Errors", "More is returned than slip {number} issued.").format(
                number=issued.number), field="quantity")
        document = _document(session, actor, branch_code, MovementKind.RETURN, purpose="internal",
                             reference=issued.number, reason=reason.strip())
        _move(session, document, MovementKind.RETURN, _lot(session, taken[-1][0]), amount)
        uow.commit()
        return _record(session, document)


def reverse(db: Database, actor: Actor, *, branch_code: str, document_number: str, reason: str) -> DocumentRecord:
    """冲销: a document entered by mistake is undone by opposite movements; the ledger keeps both."""
    require(actor, Permission.STOCK_MOVE)
    if not reason.strip():
        raise ValidationError(translate("Errors", "Give the reason for the reversal."), field="reason")
    with db.uow(actor) as uow:
        session = uow.session
        original = session.scalar(select(StockDocument).where(StockDocument.number == document_number.strip().upper()))
        if original is None:
            raise NotFound(translate("Errors", "No stock document numbered {number}.").format(number=document_number))
        movements = session.scalars(select(StockMovement).where(StockMovement.document_id == original.id)
                                    .order_by(StockMovement.id.desc())).all()
        if original.kind == MovementKind.REVERSAL.value or any(
            session.scalar(select(StockMovement.id).where(StockMovement.reverses_id == m.id)) for m in movements
        ):
            raise ValidationError(translate("Errors", "Document {number} is a reversal or was already reversed.").format(
                number=original.number))
        document = _document(session, actor, branch_code, MovementKind.REVERSAL, purpose=original.purpose,
                             reference=original.number, reason=reason.strip())
        for movement in movements:
            _move(session, document, MovementKind.REVERSAL, _lot(session, movement.lot_id), -movement.quantity,
                  reverses_id=movement.id)
        uow.commit()
        return _record(session, document)


def ledger_differences(db: Database) -> list[tuple[int, Decimal, Decimal]]:
    """(lot id, balance, ledger sum) for every lot where the balance table and the ledger disagree."""
    with db.session_factory() as session:
        ledger = dict(session.execute(select(StockMovement.lot_id, func.sum(StockMovement.quantity))
                                      .group_by(StockMovement.lot_id)).all())
        balances = dict(session.execute(select(StockBalance.lot_id, StockBalance.quantity)).all())
    return [
        (lot, balances.get(lot, Decimal(0)), ledger.get(lot, Decimal(0)))
        for lot in sorted(set(ledger) | set(balances))
        if balances.get(lot, Decimal(0)) != ledger.get(lot, Decimal(0))
    ]


def get_document(db: Database, actor: Actor, number: str) -> DocumentRecord:
    require(actor, Permission.STOCK_READ)
    with db.session_factory() as session:
        document = session.scalar(select(StockDocument).where(StockDocument.number == number.strip().upper()))
        if document is None:
            raise NotFound(translate("Errors", "No stock document numbered {number}.").format(number=number),
                           field="number")
        return _record(session, document)


# -- helpers ---------------------------------------------------------------------------------------------


def _fifo(session: Session, part_id: int, asked: Decimal) -> tuple[tuple[Pick, ...], Decimal]:
    rows = session.execute(
        select(StockBalance.quantity, Lot, Bin, Part)
        .join(Lot, Lot.id == StockBalance.lot_id).join(Bin, Bin.id == Lot.bin_id).join(Part, Part.id == Lot.part_id)
        .where(StockBalance.part_id == part_id, StockBalance.quantity > 0)
        .order_by(Lot.received_on, Lot.id)
    ).all()
    picks, needed = [], asked
    for available, lot, bin_, part in rows:
        if needed <= 0:
            break
        take = min(available, needed)
        picks.append(_pick(lot, bin_, part, take))
        needed -= take
    picks.sort(key=lambda p: p.walk_key)
    return tuple(picks), max(needed, Decimal(0))


def _pick(lot: Lot, bin_: Bin, part: Part, quantity: Decimal) -> Pick:
    return Pick(lot.id, bin_.code, part.id, part.code, part.name, part.model, part.unit, lot.received_on, quantity,
                (bin_.zone, bin_.shelf, bin_.layer, bin_.position))


def _substitutes_with_stock(session: Session, part_id: int) -> list[tuple[Part, Decimal]]:
    ids = set(session.scalars(select(PartSubstitute.substitute_id).where(PartSubstitute.part_id == part_id))) | set(
        session.scalars(select(PartSubstitute.part_id).where(PartSubstitute.substitute_id == part_id)))
    result = []
    for substitute_id in sorted(ids):
        on_hand = session.scalar(select(func.coalesce(func.sum(StockBalance.quantity), 0))
                                 .where(StockBalance.part_id == substitute_id))
        result.append((session.get(Part, substitute_id), Decimal(on_hand)))
    return result


def _record(session: Session, document: StockDocument) -> DocumentRecord:
    rows = session.execute(
        select(StockMovement, Lot, Bin, Part)
        .join(Lot, Lot.id == StockMovement.lot_id).join(Bin, Bin.id == StockMovement.bin_id)
        .join(Part, Part.id == StockMovement.part_id)
        .where(StockMovement.document_id == document.id)
    ).all()
    lines = sorted((_pick(lot, bin_, part, abs(m.quantity)) for m, lot, bin_, part in rows), key=lambda p: p.walk_key)
    return DocumentRecord(document.id, document.number, MovementKind(document.kind), document.at, document.username,
                          document.purpose, document.reference, document.receiver, document.reason, tuple(lines))


def _part_by_code(session: Session, code: str, line: int) -> Part:
    part = session.scalar(select(Part).where(Part.code == code.strip().upper(), Part.archived_at.is_(None)))
    if part is None:
        raise ValidationError(translate("Errors", "Line {n}: no part with code {code}.").format(n=line, code=code),
                              field="part_code", value=code)
    return part


def _bin_by_code(session: Session, code: str, line: int) -> Bin:
    bin_ = session.scalar(select(Bin).where(Bin.code == code.strip().upper(), Bin.archived_at.is_(None)))
    if bin_ is None:
        raise ValidationError(translate("Errors", "Line {n}: no bin {code}.").format(n=line, code=code),
                              field="bin_code", value=code)
    return bin_


def _lot(session: Session, lot_id: int) -> Lot:
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(translate("Errors", "No stock lot with id {id}.").format(id=lot_id))
    return lot
