"""三包 entitlement: every rule, its boundaries, and the words and dates it gives."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop.domain.sanbao import Coverage, Exclusion, Remedy, SanbaoRules, UnitFacts, evaluate

SOLD = date(2026, 7, 1)
AC = SanbaoRules()


def on(day_offset: int, **facts) -> UnitFacts:
    return UnitFacts(invoice_date=SOLD, today=SOLD + timedelta(days=day_offset), **facts)


@pytest.mark.parametrize(
    ("days", "coverage", "remedies"),
    [
        (0, Coverage.SANBAO_RETURN, (Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR)),
        (7, Coverage.SANBAO_RETURN, (Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR)),
        (8, Coverage.SANBAO_EXCHANGE, (Remedy.EXCHANGE, Remedy.REPAIR)),
        (15, Coverage.SANBAO_EXCHANGE, (Remedy.EXCHANGE, Remedy.REPAIR)),
        (16, Coverage.WARRANTY, (Remedy.REPAIR,)),
        (365, Coverage.WARRANTY, (Remedy.REPAIR,)),  # 2027-07-01 is the last day of the year's warranty
        (366, Coverage.CHARGEABLE, (Remedy.PAID_REPAIR,)),
    ],
)
def test_periods_from_the_invoice_date(days, coverage, remedies):
    result = evaluate(AC, on(days))
    assert (result.coverage, result.remedies) == (coverage, remedies)


def test_the_words_say_which_rule_and_which_dates():
    result = evaluate(AC, on(5, price=Decimal(3999)))
    assert result.rule == "自发票日期2026年7月1日起第5天，7日内出现性能故障，可选择退货、换货或修理"
    assert result.period_end == date(2026, 7, 8) and result.refund_amount == Decimal(3999)
    assert "至2027年7月1日" in evaluate(AC, on(100)).rule


def test_whether_the_sale_day_counts_is_a_setting():
    assert evaluate(AC, on(7)).coverage is Coverage.SANBAO_RETURN
    assert evaluate(SanbaoRules(sale_day_is_day_one=True), on(7)).coverage is Coverage.SANBAO_EXCHANGE


def test_days_in_repair_extend_the_warranty():
    assert evaluate(AC, on(380)).coverage is Coverage.CHARGEABLE
    extended = evaluate(AC, on(380, days_in_repair=20))
    assert extended.coverage is Coverage.WARRANTY and extended.period_end == date(2027, 7, 21)
    assert "延长20天" in extended.rule


def test_main_parts_have_their_longer_warranty():
    result = evaluate(AC, on(500, faulty_part="压缩机"))
    assert result.coverage is Coverage.MAIN_PART_WARRANTY and result.period_end == date(2029, 7, 1)
    assert evaluate(AC, on(500, faulty_part="风扇电机")).coverage is Coverage.CHARGEABLE
    assert evaluate(AC, on(1200, faulty_part="压缩机")).coverage is Coverage.CHARGEABLE


def test_two_failed_repairs_give_exchange_or_a_depreciated_refund():
    result = evaluate(AC, on(200, failed_repairs=2, price=Decimal("4000")))
    assert result.coverage is Coverage.REPEATED_REPAIR and result.remedies == (Remedy.EXCHANGE, Remedy.RETURN)
    assert result.refund_amount == Decimal("3600.00")  # 4000 − 4000 × 0.0005 × 200
    assert evaluate(AC, on(200, failed_repairs=1)).coverage is Coverage.WARRANTY


def test_parts_unavailable_for_over_ninety_days_give_an_exchange():
    assert evaluate(AC, on(100, parts_waiting_days=91)).coverage is Coverage.PARTS_UNAVAILABLE
    assert evaluate(AC, on(100, parts_waiting_days=90)).coverage is Coverage.WARRANTY


def test_exclusions_mean_paid_repair_and_say_why():
    result = evaluate(AC, on(3, exclusions=(Exclusion.MISUSE, Exclusion.NO_DOCUMENTS)))
    assert result.coverage is Coverage.EXCLUDED and not result.free
    assert "使用、维护、保管不当造成损坏" in result.rule and "无三包凭证及有效发票" in result.rule
    assert evaluate(AC, UnitFacts(invoice_date=None, today=SOLD)).coverage is Coverage.EXCLUDED


def test_machinery_follows_its_contract():
    machine = SanbaoRules(household=False)
    covered = evaluate(machine, on(400, contract_warranty_end=date(2027, 12, 31)))
    assert covered.coverage is Coverage.CONTRACT and "2027年12月31日" in covered.rule
    assert evaluate(machine, on(600, contract_warranty_end=date(2027, 12, 31))).coverage is Coverage.CHARGEABLE


def test_settings_can_be_more_generous_but_never_below_the_statute():
    assert SanbaoRules(return_days=10, whole_unit_months=24, main_part_months=60).problems() == []
    problems = SanbaoRules(return_days=5, exchange_days=10, whole_unit_months=6, parts_wait_days=120).problems()
    assert len(problems) == 4 and any("return_days cannot be 5" in p for p in problems)
    assert SanbaoRules(household=False, whole_unit_months=6).problems() == []
