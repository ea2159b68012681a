"""三包 (repair, exchange, return) entitlement, evaluated from a unit's dates and history (domain.md §6).

From 部分商品修理更换退货责任规定 (1995) and 消费者权益保护法 Art. 23–24. The application proposes; a person
decides, and both the proposal (with the rule and the dates that decided it) and the decision are recorded.
Every number is a setting per product category and can never be set below the statute. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Remedy(StrEnum):
    RETURN = "return"  # 退货, refund at invoice price
    EXCHANGE = "exchange"  # 换货, same model
    REPAIR = "repair"  # 修理, free of charge
    PAID_REPAIR = "paid_repair"  # 收费维修


class Coverage(StrEnum):
    SANBAO_RETURN = "sanbao_return"  # within 7 days: return, exchange or repair
    SANBAO_EXCHANGE = "sanbao_exchange"  # within 15 days: exchange or repair
    REPEATED_REPAIR = "repeated_repair"  # repaired twice and still faulty: exchange or refund
    PARTS_UNAVAILABLE = "parts_unavailable"  # no parts for over 90 days: exchange
    WARRANTY = "warranty"  # free repair in the whole-unit warranty
    MAIN_PART_WARRANTY = "main_part_warranty"  # free repair of a main part (e.g. compressor) in its longer warranty
    CONTRACT = "contract"  # business customers: the contract's warranty
    EXCLUDED = "excluded"  # misuse, unauthorised repair, no invoice … : paid repair
    CHARGEABLE = "chargeable"  # out of warranty

    @property
    def free(self) -> bool:
        """Parts and labour without charge."""
        return self not in (Coverage.EXCLUDED, Coverage.CHARGEABLE)


class Exclusion(StrEnum):
    MISUSE = "misuse"  # 使用、维护、保管不当
    UNAUTHORISED_REPAIR = "unauthorised_repair"  # 非承担三包修理者拆动
    NO_DOCUMENTS = "no_documents"  # 无三包凭证及有效发票
    MISMATCH = "mismatch"  # 三包凭证型号与修理产品型号不符或者涂改
    FORCE_MAJEURE = "force_majeure"  # 不可抗力


@dataclass(frozen=True)
class SanbaoRules:
    """The periods of one product category. Defaults are the statute's for household air conditioners."""

    return_days: int = 7
    exchange_days: int = 15
    whole_unit_months: int = 12
    main_part_months: int = 36
    main_parts: tuple[str, ...] = ("压缩机",)
    repairs_before_exchange: int = 2
    parts_wait_days: int = 90
    daily_depreciation: Decimal = Decimal("0.0005")  # of the price per day of use, when refunding after exchange rights
    sale_day_is_day_one: bool = False  # whether the invoice day counts as day 1 (else day 0)
    household: bool = True  # False: machinery sold business-to-business, covered by its contract instead

    def problems(self) -> list[str]:
        """What is below the statute; empty when the rules may be used."""
        found = []
        if self.household:
            for name, value, least in (("return_days", self.return_days, 7), ("exchange_days", self.exchange_days, 15),
                                       ("whole_unit_months", self.whole_unit_months, 12),
                                       ("parts_wait_days", -self.parts_wait_days, -90),
                                       ("repairs_before_exchange", -self.repairs_before_exchange, -2)):
                if value < least:
                    found.append(f"{name} cannot be {abs(value)}: the statute gives the customer {abs(least)}")
            if self.main_part_months < self.whole_unit_months:
                found.append("main_part_months cannot be shorter than whole_unit_months")
        return found


@dataclass(frozen=True)
class UnitFacts:
    invoice_date: date | None
    today: date
    performance_fault: bool = True  # 性能故障
    days_in_repair: int = 0  # repair and waiting for parts extend the 三包 period
    failed_repairs: int = 0  # repairs within the warranty after which the unit still does not work
    parts_waiting_days: int = 0  # how long the needed parts have been unavailable
    faulty_part: str = ""  # e.g. 压缩机
    exclusions: tuple[Exclusion, ...] = ()
    contract_warranty_end: date | None = None  # for business customers
    price: Decimal | None = None  # invoice price, for the refund figure


@dataclass(frozen=True)
class Entitlement:
    coverage: Coverage
    remedies: tuple[Remedy, ...]  # what the customer may choose, best first
    rule: str  # the rule that decided, in words people file (Chinese, as printed)
    day_of_use: int | None
    period_end: date | None  # end of the period that applies, extensions included
    refund_amount: Decimal | None = None
    reasons: tuple[str, ...] = field(default=())

    @property
    def free(self) -> bool:
        return self.coverage.free


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def evaluate(rules: SanbaoRules, unit: UnitFacts) -> Entitlement:
    """The entitlement and the rule behind it, first rule that applies wins (the customer's best right)."""
    if unit.exclusions:
        names = "、".join(EXCLUSION_TEXT[e] for e in unit.exclusions)
        return Entitlement(Coverage.EXCLUDED, (Remedy.PAID_REPAIR,), f"不实行三包：{names}，按收费维修处理", None, None)
    if not rules.household:
        end = unit.contract_warranty_end
        if end and unit.today <= end:
            return Entitlement(Coverage.CONTRACT, (Remedy.REPAIR,), f"合同保修期内（至{_cn(end)}），按合同免费维修", None, end)
        return Entitlement(Coverage.CHARGEABLE, (Remedy.PAID_REPAIR,),
                           f"合同保修期已过（至{_cn(end)}）" if end else "无合同保修信息，按收费维修处理", None, end)
    if unit.invoice_date is None:
        return Entitlement(Coverage.EXCLUDED, (Remedy.PAID_REPAIR,), "无有效发票，不能确定三包起始日期，按收费维修处理",
                           None, None)
    day = (unit.today - unit.invoice_date).days + (1 if rules.sale_day_is_day_one else 0)
    extension = timedelta(days=max(unit.days_in_repair, 0))
    whole_end = add_months(unit.invoice_date, rules.whole_unit_months) + extension
    main_end = add_months(unit.invoice_date, rules.main_part_months) + extension
    start = f"自发票日期{_cn(unit.invoice_date)}起第{day}天"
    if unit.performance_fault and day <= rules.return_days:
        return Entitlement(Coverage.SANBAO_RETURN, (Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR),
                           f"{start}，{rules.return_days}日内出现性能故障，可选择退货、换货或修理", day,
                           unit.invoice_date + timedelta(days=rules.return_days), unit.price)
    if unit.performance_fault and day <= rules.exchange_days:
        return Entitlement(Coverage.SANBAO_EXCHANGE, (Remedy.EXCHANGE, Remedy.REPAIR),
                           f"{start}，{rules.exchange_days}日内出现性能故障，可选择换货或修理", day,
                           unit.invoice_date + timedelta(days=rules.exchange_days))
    in_whole = unit.today <= whole_end
    in_main = unit.faulty_part in rules.main_parts and unit.today <= main_end
    if (in_whole or in_main) and unit.failed_repairs >= rules.repairs_before_exchange:
        refund = _refund(rules, unit, day)
        return Entitlement(Coverage.REPEATED_REPAIR, (Remedy.EXCHANGE, Remedy.RETURN),
                           f"{start}，保修期内修理{unit.failed_repairs}次仍不能正常使用，凭修理记录换货或退货"
                           f"（退货按使用天数折旧）", day, whole_end if in_whole else main_end, refund)
    if (in_whole or in_main) and unit.parts_waiting_days > rules.parts_wait_days:
        return Entitlement(Coverage.PARTS_UNAVAILABLE, (Remedy.EXCHANGE,),
                           f"{start}，因缺少配件{unit.parts_waiting_days}天未能修理（超过{rules.parts_wait_days}天），予以换货",
                           day, whole_end if in_whole else main_end)
    if in_whole:
        extra = f"（含维修及等待配件延长{unit.days_in_repair}天）" if unit.days_in_repair else ""
        return Entitlement(Coverage.WARRANTY, (Remedy.REPAIR,),
                           f"{start}，在整机保修期内（至{_cn(whole_end)}{extra}），免费修理", day, whole_end)
    if in_main:
        return Entitlement(Coverage.MAIN_PART_WARRANTY, (Remedy.REPAIR,),
                           f"{start}，整机保修期已过，但{unit.faulty_part}在主要部件保修期内（至{_cn(main_end)}），免费修理该部件",
                           day, main_end)
    return Entitlement(Coverage.CHARGEABLE, (Remedy.PAID_REPAIR,),
                       f"{start}，已超过整机保修期（至{_cn(whole_end)}），按收费维修处理", day, whole_end)


def _refund(rules: SanbaoRules, unit: UnitFacts, day: int) -> Decimal | None:
    """Refund after the exchange period: price less depreciation = price × daily rate × days of use."""
    if unit.price is None:
        return None
    depreciation = unit.price * rules.daily_depreciation * max(day, 0)
    return max(unit.price - depreciation, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _cn(day: date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


EXCLUSION_TEXT = {
    Exclusion.MISUSE: "使用、维护、保管不当造成损坏",
    Exclusion.UNAUTHORISED_REPAIR: "非承担三包修理者拆动造成损坏",
    Exclusion.NO_DOCUMENTS: "无三包凭证及有效发票",
    Exclusion.MISMATCH: "三包凭证型号与修理产品型号不符或者涂改",
    Exclusion.FORCE_MAJEURE: "因不可抗力造成损坏",
}
