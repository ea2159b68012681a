"""Import and update parts from an Excel sheet. Every row is checked first; nothing is saved unless the
whole sheet is good, and the report names file, row, column and problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ValidationError
from desktop.domain.roles import Permission
from desktop.domain.warehouse import AbcClass, Part, PartSubstitute
from desktop.i18n import translate
from desktop.services.access import require
from desktop.services.parts import PartInput, validate_part
from desktop.services.sheet_reading import Problem, SheetError, SheetReader, clean, number

HEADERS = {
    "code": ("编码", "配件编码", "code", "part code"),
    "name": ("名称", "配件名称", "name"),
    "model": ("型号", "model"),
    "specification": ("规格", "specification", "spec"),
    "unit": ("单位", "unit"),
    "usage": ("用途", "usage"),
    "reorder_point": ("订货点", "reorder point"),
    "safety_stock": ("安全库存", "safety stock"),
    "unit_cost": ("单价", "单位成本", "unit cost"),
    "abc": ("ABC", "ABC分类"),
    "substitutes": ("可代用型号", "可代用", "substitutes"),
}
NUMBERS = ("reorder_point", "safety_stock", "unit_cost")


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.cancelled


def import_parts(db: Database, actor: Actor, *, path: Path,
                 progress: Callable[[int, int, str], bool] | None = None) -> ImportReport:
    require(actor, Permission.STOCK_EDIT)
    report = ImportReport()
    try:
        reader = SheetReader(path, HEADERS, required=("code", "name", "unit"))
    except SheetError as exc:
        report.problems.append(Problem(path.name, "", 0, "", str(exc)))
        return report
    try:
        parsed = _check_rows(reader, report, progress)
    finally:
        reader.close()
    if not report.ok:
        return report
    with db.uow(actor) as uow:
        session = uow.session
        existing = {p.code: p for p in session.scalars(select(Part).where(Part.code.in_([d.code for d, _, _ in parsed])))}
        by_code: dict[str, Part] = {}
        for data, substitutes, row in parsed:
            part = existing.get(data.code)
            values = {k: getattr(data, k) for k in PartInput.__dataclass_fields__}
            values["abc_override"] = data.abc_override.value if data.abc_override else None
            if part is None:
                part = Part(**values, abc_class=(data.abc_override or AbcClass.C).value)
                session.add(part)
                report.created += 1
            else:
                for key, value in values.items():
                    setattr(part, key, value)
                report.updated += 1
            by_code[data.code] = part
        session.flush()
        known = {p.code: p.id for p in session.scalars(select(Part))}
        for data, substitutes, row in parsed:
            for code in substitutes:
                if code not in known:
                    report.problems.append(reader.problem(row, "substitutes", translate(
                        "Import", "substitute {code} is neither in the sheet nor on file").format(code=code)))
                    continue
                pair = (by_code[data.code].id, known[code])
                if session.get(PartSubstitute, pair) is None:
                    session.add(PartSubstitute(part_id=pair[0], substitute_id=pair[1]))
        if report.problems:
            return report  # leaving the unit of work rolls everything back
        uow.audit("import", "parts", None, summary=str(path), rows=report.rows, created=report.created,
                  updated=report.updated)
        uow.commit()
    return report


def _check_rows(reader: SheetReader, report: ImportReport, progress) -> list[tuple[PartInput, list[str], int]]:
    parsed, seen = [], {}
    for row, values in reader.rows():
        report.rows += 1
        if progress and report.rows % 200 == 0 and not progress(report.rows, 0, translate("Import", "Checking rows")):
            report.cancelled = True
            return []
        numbers = {}
        for key in NUMBERS:
            value = number(values.get(key))
            if value is None:
                report.problems.append(reader.problem(row, key, translate("Import", "{value} is not a number").format(
                    value=clean(values.get(key)))))
            numbers[key] = value or Decimal(0)
        abc_text = clean(values.get("abc")).upper()
        if abc_text and abc_text not in {c.value for c in AbcClass}:
            report.problems.append(reader.problem(row, "abc", translate("Import", "ABC class must be A, B or C")))
            abc_text = ""
        try:
            data = validate_part(PartInput(
                code=clean(values.get("code")), name=clean(values.get("name")), unit=clean(values.get("unit")),
                model=clean(values.get("model")), specification=clean(values.get("specification")),
                usage=clean(values.get("usage")), abc_override=AbcClass(abc_text) if abc_text else None, **numbers))
        except ValidationError as exc:
            report.problems.append(reader.problem(row, exc.field or "code", exc.message))
            continue
        if data.code in seen:
            report.problems.append(reader.problem(row, "code", translate(
                "Import", "code {code} is also on row {other}").format(code=data.code, other=seen[data.code])))
            continue
        seen[data.code] = row
        substitutes = [clean(c).upper() for c in clean(values.get("substitutes")).replace("，", ",").split(",") if clean(c)]
        parsed.append((data, substitutes, row))
    return parsed
