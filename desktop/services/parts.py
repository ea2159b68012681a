"""The part master and the bins: create, edit, substitutes, bins one by one or as a range, and the
lists the warehouse keeper works from (parts with on-hand and slow-moving mark, reorder list)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import (
    UNITS,
    AbcClass,
    Bin,
    Lot,
    MovementKind,
    Part,
    PartSubstitute,
    SlowMark,
    StockBalance,
    StockMovement,
    bin_code,
    parse_bin_code,
    slow_mark,
)
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.paging import KeysetSource, ListColumn

MAX_BINS_AT_ONCE = 5_000


@dataclass(frozen=True)
class PartInput:
    code: str
    name: str
    unit: str
    model: str = ""
    specification: str = ""
    usage: str = ""
    reorder_point: Decimal = Decimal(0)
    safety_stock: Decimal = Decimal(0)
    unit_cost: Decimal = Decimal(0)
    abc_override: AbcClass | None = None


@dataclass(frozen=True)
class PartRecord(PartInput):
    id: int = 0
    abc_class: AbcClass = AbcClass.C
    on_hand: Decimal = Decimal(0)
    substitutes: tuple[tuple[int, str, str], ...] = ()  # (id, code, name), both directions
    version: int = 1


def validate_part(data: PartInput, *, row: str = "") -> PartInput:
    """The same checks for the form and for every row of an import. `row` prefixes the message."""
    code = data.code.strip().upper()
    if not code:
        raise ValidationError(row + translate("Errors", "Enter the part code."), field="code")
    if len(code) > 40 or any(c.isspace() for c in code):
        raise ValidationError(row + translate("Errors", "Part code {code}: at most 40 characters, no spaces.").format(
            code=code), field="code", value=code)
    if not data.name.strip():
        raise ValidationError(row + translate("Errors", "Enter the part name."), field="name")
    if data.unit.strip() not in UNITS:
        raise ValidationError(row + translate("Errors", "Unit {unit} is not one of {units}.").format(
            unit=data.unit, units=" ".join(UNITS)), field="unit", value=data.unit)
    for key in ("reorder_point", "safety_stock", "unit_cost"):
        value = getattr(data, key)
        if value < 0 or value != Decimal(value).quantize(Decimal("0.01")):
            raise ValidationError(row + translate("Errors", "{field}: a number of at least 0 with at most two decimals.").format(
                field=key), field=key, value=value)
    return PartInput(**{**{f.name: getattr(data, f.name) for f in fields(PartInput)}, "code": code,
                        "name": data.name.strip(), "unit": data.unit.strip(), "model": data.model.strip(),
                        "specification": data.specification.strip(), "usage": data.usage.strip(),
                        "abc_override": AbcClass(data.abc_override) if data.abc_override else None})


def create_part(db: Database, actor: Actor, *, data: PartInput) -> PartRecord:
    require(actor, Permission.STOCK_EDIT)
    data = validate_part(data)
    with db.uow(actor) as uow:
        if uow.session.scalar(select(Part.id).where(Part.code == data.code)):
            raise ValidationError(translate("Errors", "Part code {code} exists already.").format(code=data.code),
                                  field="code", value=data.code)
        part = Part(**_values(data))
        part.abc_class = (data.abc_override or AbcClass.C).value
        uow.session.add(part)
        uow.commit()
        return _record(uow.session, part)


def update_part(db: Database, actor: Actor, *, part_id: int, version: int, data: PartInput) -> PartRecord:
    require(actor, Permission.STOCK_EDIT)
    data = validate_part(data)
    with db.uow(actor) as uow:
        part = _part(uow.session, part_id)
        check_version(part, version)
        if data.code != part.code:
            raise ValidationError(translate("Errors", "A part's code cannot change; create a new part instead."),
                                  field="code")
        for key, value in _values(data).items():
            setattr(part, key, value)
        if data.abc_override:
            part.abc_class = data.abc_override.value
        uow.commit()
        return _record(uow.session, part)


def set_substitutes(db: Database, actor: Actor, *, part_id: int, substitute_codes: list[str]) -> PartRecord:
    """Replace the parts that may stand in for this one. The relation works both ways (an issue offers it
    from either side), so the list replaces the pairs recorded from either side: a code removed from the
    list is gone whichever part it was first entered on."""
    require(actor, Permission.STOCK_EDIT)
    with db.uow(actor) as uow:
        session = uow.session
        part = _part(session, part_id)
        wanted = []
        for code in substitute_codes:
            other = session.scalar(select(Part).where(Part.code == code.strip().upper()))
            if other is None or other.id == part.id:
                raise ValidationError(translate("Errors", "Substitute {code} is not another existing part.").format(
                    code=code), field="substitutes", value=code)
            wanted.append(other.id)
        for old in session.scalars(select(PartSubstitute).where(
                (PartSubstitute.part_id == part.id) | (PartSubstitute.substitute_id == part.id))):
            session.delete(old)
        session.flush()
        for other_id in dict.fromkeys(wanted):
            session.add(PartSubstitute(part_id=part.id, substitute_id=other_id))
        uow.commit()
        return _record(session, part)


def get_part(db: Database, actor: Actor, part_id: int) -> PartRecord:
    require(actor, Permission.STOCK_READ)
    with db.session_factory() as session:
        return _record(session, _part(session, part_id))


def create_bins(db: Database, actor: Actor, *, zone: str, shelves: range, layers: range, positions: range) -> int:
    """Bins for every shelf, layer and position of a zone (e.g. A, shelves 1–10, layers 1–5, positions 1–8);
    bins that exist already are kept. Returns how many were created."""
    require(actor, Permission.STOCK_EDIT)
    zone = zone.strip().upper()
    if not (1 <= len(zone) <= 2 and zone.isalpha() and zone.isascii()):
        raise ValidationError(translate("Errors", "Zone: one or two letters, e.g. A."), field="zone", value=zone)
    for name, values, top in (("shelves", shelves, 99), ("layers", layers, 9), ("positions", positions, 99)):
        if not values or values.start < 1 or values.stop - 1 > top:
            raise ValidationError(translate("Errors", "{field}: from 1 to {top}.").format(field=name, top=top),
                                  field=name)
    count = len(shelves) * len(layers) * len(positions)
    if count > MAX_BINS_AT_ONCE:
        raise ValidationError(translate("Errors", "{count} bins at once is too many (at most {limit}).").format(
            count=count, limit=MAX_BINS_AT_ONCE), field="shelves")
    with db.uow(actor) as uow:
        session = uow.session
        existing = set(session.scalars(select(Bin.code).where(Bin.zone == zone)))
        rows = [
            {"code": bin_code(zone, s, layer, p), "zone": zone, "shelf": s, "layer": layer, "position": p}
            for s in shelves for layer in layers for p in positions
            if bin_code(zone, s, layer, p) not in existing
        ]
        if rows:
            session.execute(insert(Bin), rows)
        uow.audit("create", "bins", None, summary=f"{len(rows)} bins in zone {zone}", zone=zone, created=len(rows))
        uow.commit()
        return len(rows)


def create_bin(db: Database, actor: Actor, *, code: str) -> str:
    parsed = parse_bin_code(code)
    if parsed is None:
        raise ValidationError(translate("Errors", "Bin code {code}: zone-shelf-layer-position, e.g. A-03-2-05.").format(
            code=code), field="code", value=code)
    zone, shelf, layer, position = parsed
    created = create_bins(db, actor, zone=zone, shelves=range(shelf, shelf + 1), layers=range(layer, layer + 1),
                          positions=range(position, position + 1))
    if not created:
        raise ValidationError(translate("Errors", "Bin {code} exists already.").format(code=code.upper()), field="code")
    return bin_code(zone, shelf, layer, position)


# -- lists ------------------------------------------------------------------------------------------------

PART_COLUMNS = (
    ListColumn("code", "Part code", width=14),
    ListColumn("name", "Name", width=20),
    ListColumn("model", "Model", width=14),
    ListColumn("specification", "Specification", sortable=False, width=14),
    ListColumn("unit", "Unit", sortable=False, width=5),
    ListColumn("on_hand", "On hand", sortable=False, width=8),
    ListColumn("reorder_point", "Reorder point", sortable=False, width=8),
    ListColumn("abc_class", "ABC", sortable=False, width=4),
    ListColumn("last_issue", "Last issue", sortable=False, width=11),
    ListColumn("slow", "Slow-moving", sortable=False, width=8),
)


def part_list(db: Database, actor: Actor, *, search: str = "", today: date | None = None) -> KeysetSource:
    require(actor, Permission.STOCK_READ)
    today = today or utcnow().astimezone().date()
    on_hand = (select(func.coalesce(func.sum(StockBalance.quantity), 0)).where(StockBalance.part_id == Part.id)
               .scalar_subquery())
    last_issue = (select(func.max(StockMovement.at))
                  .where(StockMovement.part_id == Part.id, StockMovement.kind == MovementKind.ISSUE.value)
                  .scalar_subquery())
    first_receipt = select(func.min(Lot.received_on)).where(Lot.part_id == Part.id).scalar_subquery()
    rows = select(Part.id, Part.code, Part.name, Part.model, Part.specification, Part.unit, on_hand,
                  Part.reorder_point, Part.abc_class, last_issue, first_receipt).where(Part.archived_at.is_(None))
    text = search.strip()
    if text:
        pattern = f"%{text}%"
        rows = rows.where(Part.code.ilike(pattern) | Part.name.ilike(pattern) | Part.model.ilike(pattern))

    def present(values: tuple) -> tuple:
        code, name, model, spec, unit, stock, reorder, abc, issued_at, received_on = values
        issued_on = issued_at.astimezone().date() if issued_at else None
        mark = slow_mark(issued_on, received_on, today) if stock else SlowMark.NONE
        return (code, name, model, spec, unit, stock, reorder, abc, issued_on, slow_label(mark))

    return KeysetSource(db, columns=PART_COLUMNS, id_column=Part.id, select_rows=rows,
                        sort_columns={"code": Part.code, "name": Part.name, "model": Part.model}, present=present)


def slow_label(mark: SlowMark) -> str:
    return {SlowMark.NONE: "", SlowMark.YELLOW: translate("Stock", "Yellow: 1 month idle"),
            SlowMark.RED: translate("Stock", "Red: 3 months idle")}[mark]


@dataclass(frozen=True)
class ReorderLine:
    part_id: int
    code: str
    name: str
    unit: str
    on_hand: Decimal
    reorder_point: Decimal
    safety_stock: Decimal
    monthly_use: Decimal  # average issued per month over the last three months
    suggested: Decimal


def reorder_list(db: Database, actor: Actor, *, today: date | None = None) -> list[ReorderLine]:
    """Parts at or below their reorder point. Suggested: enough to reach the reorder point plus one month's
    use (the last three months' average), and never below the safety stock; whole units rounded up."""
    require(actor, Permission.STOCK_READ)
    today = today or utcnow().astimezone().date()
    since = utcnow() - timedelta(days=91)
    stock = (select(StockBalance.part_id, func.sum(StockBalance.quantity).label("qty"))
             .group_by(StockBalance.part_id).subquery())
    used = (select(StockMovement.part_id, (-func.sum(StockMovement.quantity)).label("qty"))
            .where(StockMovement.kind == MovementKind.ISSUE.value, StockMovement.at >= since)
            .group_by(StockMovement.part_id).subquery())
    on_hand = func.coalesce(stock.c.qty, 0)
    query = (
        select(Part, on_hand, func.coalesce(used.c.qty, 0))
        .outerjoin(stock, stock.c.part_id == Part.id).outerjoin(used, used.c.part_id == Part.id)
        .where(Part.archived_at.is_(None), Part.reorder_point > 0, on_hand <= Part.reorder_point)
        .order_by(Part.code)
    )
    with db.session_factory() as session:
        lines = []
        for part, have, issued in session.execute(query):
            monthly = (issued / 3).quantize(Decimal("0.01"))
            target = max(part.reorder_point + monthly, part.safety_stock)
            suggested = Decimal(math.ceil(max(target - have, Decimal(0))))
            lines.append(ReorderLine(part.id, part.code, part.name, part.unit, have, part.reorder_point,
                                     part.safety_stock, monthly, suggested))
        return lines


def recompute_abc(db: Database, actor: Actor, *, since_days: int = 365) -> dict[AbcClass, int]:
    """ABC by consumption value over the last year: the parts making up the first 70% of the value are A,
    the next 20% B, the rest C. A person's override wins."""
    require(actor, Permission.STOCK_EDIT)
    since = utcnow() - timedelta(days=since_days)
    with db.uow(actor) as uow:
        session = uow.session
        used = session.execute(
            select(StockMovement.part_id, func.sum(StockMovement.quantity), StockMovement.unit_cost)
            .where(StockMovement.kind == MovementKind.ISSUE.value, StockMovement.at >= since)
            .group_by(StockMovement.part_id, StockMovement.unit_cost)
        ).all()
        per_part: dict[int, Decimal] = {}
        for part_id, quantity, cost in used:
            per_part[part_id] = per_part.get(part_id, Decimal(0)) + -quantity * cost
        total = sum(per_part.values(), Decimal(0))
        classes, running = {}, Decimal(0)
        for part_id, amount in sorted(per_part.items(), key=lambda item: item[1], reverse=True):
            running += amount
            share = running / total if total else Decimal(1)
            classes[part_id] = AbcClass.A if share <= Decimal("0.7") else AbcClass.B if share <= Decimal("0.9") else AbcClass.C
        counts = {c: 0 for c in AbcClass}
        for part in session.scalars(select(Part).where(Part.archived_at.is_(None))):
            new = AbcClass(part.abc_override) if part.abc_override else classes.get(part.id, AbcClass.C)
            if part.abc_class != new.value:
                part.abc_class = new.value
            counts[new] += 1
        uow.commit()
        return counts


# -- helpers ---------------------------------------------------------------------------------------------


def _values(data: PartInput) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(PartInput)}
    values["abc_override"] = data.abc_override.value if data.abc_override else None
    return values


def _part(session, part_id: int) -> Part:
    part = session.get(Part, part_id)
    if part is None:
        raise NotFound(translate("Errors", "No part with id {id}.").format(id=part_id))
    return part


def _record(session, part: Part) -> PartRecord:
    on_hand = session.scalar(select(func.coalesce(func.sum(StockBalance.quantity), 0))
                             .where(StockBalance.part_id == part.id))
    ids = select(PartSubstitute.substitute_id).where(PartSubstitute.part_id == part.id).union(
        select(PartSubstitute.part_id).where(PartSubstitute.substitute_id == part.id))
    substitutes = session.execute(select(Part.id, Part.code, Part.name).where(Part.id.in_(ids)).order_by(Part.code)).all()
    return PartRecord(
        **{f.name: getattr(part, f.name) for f in fields(PartInput) if f.name != "abc_override"},
        abc_override=AbcClass(part.abc_override) if part.abc_override else None,
        id=part.id, abc_class=AbcClass(part.abc_class), on_hand=on_hand,
        substitutes=tuple(tuple(row) for row in substitutes), version=part.version,
    )

