"""Monthly KPIs: a small branch built by hand with fixed times, where every figure of October 2026 is known.

The dataset (times are local; "as of" for October is 1 November 00:00):

orders (E1, E2 engineers; repair = emergency repair, troubleshooting, parts replacement)
  O1  E1 emergency  created 10-02 08:00 appt 10:00 arrived 09:30 finish_by 18:00 finished 12:00  ftf    C1
  O2  E1 trouble    created 10-05 08:00 appt 10:00 arrived 11:00 (late) by 10-06 18:00 fin 10-06 10:00 C2
  O3  E2 parts      created 10-10 09:00 appt 11:00 arrived 10:00 by 15:00 finished 16:00 (late) ftf  C3
  O4  E2 emergency  created 09-29 20:00 appt 09-30 09:00 arrived 08:00 by 10-01 12:00 fin 10-01 10:00 ftf C4
  O5  E1 preventive created 10-12 appt 10-20 09:00 arrived 09:00 by 17:00 finished 12:00          C1
  O6  E2 trouble    created 10-25 10:00 dispatched appt 10-26 10:00 by 10-27 18:00, not arrived     C5
  O7  E1 install    created 10-31 20:00 registered                                                  C6
  O8  E1 emergency  created 10-15 08:00 appt 09:00 arrived 08:30 by 12:00 fin 11:00 ftf, signed, and
                    revision 2 (created 10-16, same times, completed)                              C2
  O9  E1 trouble    created 08-01 on site since 08-02, by 08-03                                      C3
  O10 —  trouble    created 10-03, cancelled, by 10-04                                              C1
  O11 E2 trouble    created 10-28 09:00 appt 10-29 09:00 arrived 09:00 by 10-30 fin 11-02            C6
  O12 E2 trouble    created 09-05 appt 14:00 arrived 13:00 by 09-06 fin 09-05 18:00, not ftf        C4
complaints (owner: the operator unless said)
  K1  10-03 09:00 replied 11:00 (2 h) closed resolved 10-10, quality KFR-35                         C1
  K2  10-08 10:00 replied 10-09 10:00 (24 h) closed unresolved 10-20, non-quality KFR-35, owner E1 C2
  K3  10-15 14:00 replied 14:30 (0.5 h) accepted 10-16 09:00 investigating, quality KFR-50         C3
  K4  10-31 10:00 registered, consultation, no model                                               C7
  K5  10-30 20:00 replied 11-01 10:00 (after as of) acknowledged, quality KFR-50                   C2
  K6  10-05 duplicate (closed 10-06)                                                                C1
  K7  09-20 closed resolved 10-02                                                                   C4
  K8  09-25 accepted 09-27 10:00, closed resolved 11-03                                             C5
  K9  10-12 09:00 withdrawn 10-13, non-quality KFR-35                                               C3
  K10 10-31 21:00 safety hazard, registered, quality KFR-35                                         C6
  K11 08-10 closed unresolved 08-20                                                                 C8
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import event, text

from desktop.db.uow import SYSTEM
from desktop.domain.complaints import Complaint, ComplaintCost, Status, TimeLimits, due_at
from desktop.domain.customers import Customer
from desktop.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop.domain.kpi import (
    REPAIR_CATEGORIES,
    Drill,
    Period,
    format_value,
    month,
    months_ending,
    percentile,
)
from desktop.domain.roles import Role
from desktop.domain.service_orders import ReturnVisit, ServiceOrder
from desktop.domain.warehouse import Bin, Lot, Part, StockDocument, StockMovement
from desktop.services import kpi_queries
from desktop.services.complaint_list import complaint_counts
from desktop.services.kpi import REPORTED_STATUSES, kpi_report, kpi_trends
from desktop.services.kpi_drill import drill_rows
from desktop.services.kpi_settings import get_kpi_settings, set_kpi_settings

OCTOBER = month(2026, 10)
AFTER_OCTOBER = datetime(2026, 11, 5, 12, 0).astimezone()  # "now" for the October report: a closed month
D = Decimal


def at(m: int, d: int, h: int = 9, mi: int = 0, year: int = 2026) -> datetime:
    return datetime(year, m, d, h, mi).astimezone()


# -- the hand-built branch ----------------------------------------------------------------------------------


def build_branch(db, make_user) -> SimpleNamespace:
    users = SimpleNamespace(
        admin=make_user(db, Role.AFTER_SALES_ADMIN, "kpi_admin"),
        operator=make_user(db, Role.OPERATOR, "kpi_operator"),
        e1=make_user(db, Role.ENGINEER, "kpi_e1"),
        e2=make_user(db, Role.ENGINEER, "kpi_e2"),
        e3=make_user(db, Role.ENGINEER, "kpi_e3"),  # no work at all
    )
    ids = SimpleNamespace(users=users)
    with db.uow(SYSTEM) as uow:
        s = uow.session
        customers = [Customer(name=f"客户{n}") for n in range(1, 9)]
        s.add_all(customers)
        s.flush()
        c = {n: customers[n - 1].id for n in range(1, 9)}

        def order(key, engineer, category, created, customer, *, appointment=None, arrived=None, finish_by=None,
                  finished=None, status="signed", ftf=None, revision=1, previous=None, created_override=None):
            row = ServiceOrder(
                number=f"FW-GZ01-2026XX-{key}", revision=revision, previous_id=previous, branch_code="GZ01",
                customer_id=c[customer], request="报修", category=category, coverage_proposed="warranty",
                coverage_rule="rule", coverage_decided="warranty", coverage_decided_by="x", created_by="x",
                engineer_id=engineer.id if engineer else None, appointment_at=appointment, arrived_at=arrived,
                finish_by=finish_by, finished_at=finished, status=status, first_time_fix=ftf,
                created_at=created_override or created)
            s.add(row)
            s.flush()
            return row

        e1, e2 = users.e1, users.e2
        o = {}
        o[1] = order("O1", e1, "emergency_repair", at(10, 2, 8), 1, appointment=at(10, 2, 10), arrived=at(10, 2, 9, 30),
                     finish_by=at(10, 2, 18), finished=at(10, 2, 12), ftf=True)
        o[2] = order("O2", e1, "troubleshooting", at(10, 5, 8), 2, appointment=at(10, 5, 10), arrived=at(10, 5, 11),
                     finish_by=at(10, 6, 18), finished=at(10, 6, 10), ftf=False)
        o[3] = order("O3", e2, "parts_replacement", at(10, 10, 9), 3, appointment=at(10, 10, 11), arrived=at(10, 10, 10),
                     finish_by=at(10, 10, 15), finished=at(10, 10, 16), ftf=True)
        o[4] = order("O4", e2, "emergency_repair", at(9, 29, 20), 4, appointment=at(9, 30, 9), arrived=at(9, 30, 8),
                     finish_by=at(10, 1, 12), finished=at(10, 1, 10), ftf=True)
        o[5] = order("O5", e1, "preventive", at(10, 12), 1, appointment=at(10, 20, 9), arrived=at(10, 20, 9),
                     finish_by=at(10, 20, 17), finished=at(10, 20, 12), ftf=True)
        o[6] = order("O6", e2, "troubleshooting", at(10, 25, 10), 5, appointment=at(10, 26, 10),
                     finish_by=at(10, 27, 18), status="dispatched")
        o[7] = order("O7", e1, "installation", at(10, 31, 20), 6, status="registered")
        o[8] = order("O8", e1, "emergency_repair", at(10, 15, 8), 2, appointment=at(10, 15, 9), arrived=at(10, 15, 8, 30),
                     finish_by=at(10, 15, 12), finished=at(10, 15, 11), ftf=True)
        order("O8", e1, "emergency_repair", at(10, 15, 8), 2, appointment=at(10, 15, 9), arrived=at(10, 15, 8, 30),
              finish_by=at(10, 15, 12), finished=at(10, 15, 11), ftf=True, status="completed", revision=2,
              previous=o[8].id, created_override=at(10, 16, 9))
        o[9] = order("O9", e1, "troubleshooting", at(8, 1), 3, appointment=at(8, 2), arrived=at(8, 2),
                     finish_by=at(8, 3), status="on_site")
        o[10] = order("O10", None, "troubleshooting", at(10, 3), 1, finish_by=at(10, 4), status="cancelled")
        o[11] = order("O11", e2, "troubleshooting", at(10, 28, 9), 6, appointment=at(10, 29, 9), arrived=at(10, 29, 9),
                      finish_by=at(10, 30, 18), finished=at(11, 2, 10), status="completed", ftf=True)
        o[12] = order("O12", e2, "troubleshooting", at(9, 5), 4, appointment=at(9, 5, 14), arrived=at(9, 5, 13),
                      finish_by=at(9, 6, 18), finished=at(9, 5, 18), ftf=False)
        ids.orders = {k: v.id for k, v in o.items()}
        ids.order_numbers = {k: v.number for k, v in o.items()}

        def visit(customer, due, *, order_key=None, done=None, score=None, kind="after_order"):
            s.add(ReturnVisit(customer_id=c[customer], order_id=o[order_key].id if order_key else None, kind=kind,
                              due_on=due, done_at=done, score=score, done_by="x" if done else None,
                              channel="phone" if done else None))

        visit(1, date(2026, 10, 9), order_key=1, done=at(10, 9, 10), score=5)
        visit(2, date(2026, 10, 13), order_key=2, done=at(10, 14, 10), score=2)
        visit(3, date(2026, 10, 17), order_key=3, done=at(10, 16, 15), score=4)
        visit(4, date(2026, 10, 20), done=at(10, 21), score=3, kind="periodic")
        visit(2, date(2026, 10, 22), order_key=8)
        visit(4, date(2026, 10, 8), order_key=4, done=at(11, 2), score=5)
        visit(5, date(2026, 9, 28), done=at(10, 1, 8), score=4, kind="after_complaint")
        visit(6, date(2026, 11, 3))
        visit(1, date(2026, 9, 10), done=at(9, 10), score=5, kind="periodic")

        limits = TimeLimits()
        operator = users.operator

        def complaint(key, received, customer, status, *, owner=operator, replied=None, accepted=None, closed=None,
                      classification="quality", model="", safety=False):
            row = Complaint(
                number=f"TS-GZ01-2026XX-{key}", branch_code="GZ01", channel="hotline", received_at=received,
                received_by_id=operator.id, owner_id=owner.id, customer_id=c[customer], product_model=model,
                description="投诉", classification=classification, severity=2, safety_hazard=safety, status=status,
                first_reply_at=replied, accepted_at=accepted, closed_at=closed,
                due_at=due_at(Status(status), received_at=received, accepted_at=accepted, safety_hazard=safety,
                              limits=limits))
            s.add(row)
            s.flush()
            return row

        k = {}
        k[1] = complaint("K1", at(10, 3, 9), 1, "closed_resolved", replied=at(10, 3, 11), accepted=at(10, 4),
                         closed=at(10, 10), model="KFR-35")
        k[2] = complaint("K2", at(10, 8, 10), 2, "closed_unresolved", owner=e1, replied=at(10, 9, 10),
                         accepted=at(10, 9, 12), closed=at(10, 20), classification="non_quality", model="KFR-35")
        k[3] = complaint("K3", at(10, 15, 14), 3, "investigating", replied=at(10, 15, 14, 30),
                         accepted=at(10, 16, 9), model="KFR-50")
        k[4] = complaint("K4", at(10, 31, 10), 7, "registered", classification="consultation")
        k[5] = complaint("K5", at(10, 30, 20), 2, "acknowledged", replied=at(11, 1, 10), model="KFR-50")
        k[6] = complaint("K6", at(10, 5), 1, "duplicate", closed=at(10, 6), model="KFR-35")
        k[7] = complaint("K7", at(9, 20), 4, "closed_resolved", replied=at(9, 20, 12), accepted=at(9, 21),
                         closed=at(10, 2))
        k[8] = complaint("K8", at(9, 25), 5, "closed_resolved", replied=at(9, 25, 12), accepted=at(9, 27, 10),
                         closed=at(11, 3))
        k[9] = complaint("K9", at(10, 12, 9), 3, "withdrawn", closed=at(10, 13), classification="non_quality",
                         model="KFR-35")
        k[10] = complaint("K10", at(10, 31, 21), 6, "registered", model="KFR-35", safety=True)
        k[11] = complaint("K11", at(8, 10), 8, "closed_unresolved", replied=at(8, 10, 12), accepted=at(8, 11),
                          closed=at(8, 20))
        ids.complaints = {key: row.id for key, row in k.items()}
        ids.complaint_numbers = {key: row.number for key, row in k.items()}

        def cost(key, kind, amount, bearer, department, approved, state="approved"):
            s.add(ComplaintCost(complaint_id=k[key].id, kind=kind, amount=D(amount), bearer=bearer,
                                allocation_department=department, state=state, entered_at=approved or at(10, 16),
                                approved_at=approved))

        cost(1, "travel", "300.10", "branch", "售后部", at(10, 5))
        cost(1, "parts", "1200.25", "manufacturing", "生产部", at(10, 11))
        cost(2, "compensation", "500.00", "company", "售后部", at(10, 21))
        cost(3, "repair", "999.99", "branch", "", None, state="pending")
        cost(7, "transport", "0.30", "branch", "售后部", at(9, 30))
        cost(3, "lodging", "0.20", "branch", "", at(10, 16))
        cost(3, "allowance", "0.10", "branch", "", at(10, 17))

        # The warehouse: three parts, lots at different costs, and a chain of issues, returns and reversals.
        parts = [Part(code="P-001", name="压缩机", unit="台", unit_cost=D("850.50")),
                 Part(code="P-002", name="电容", unit="个", unit_cost=D("12.35")),
                 Part(code="P-003", name="铜管", unit="米", unit_cost=D("8.80"))]
        bins = [Bin(code=f"A-01-1-0{n}", zone="A", shelf=1, layer=1, position=n) for n in range(1, 5)]
        s.add_all(parts + bins)
        s.flush()
        p1, p2, p3 = parts
        lots = {
            "p1": Lot(part_id=p1.id, bin_id=bins[0].id, received_on=date(2026, 9, 1), unit_cost=D("850.50")),
            "p2a": Lot(part_id=p2.id, bin_id=bins[1].id, received_on=date(2026, 9, 1), unit_cost=D("12.35")),
            "p2b": Lot(part_id=p2.id, bin_id=bins[2].id, received_on=date(2026, 9, 2), unit_cost=D("12.40")),
            "p3": Lot(part_id=p3.id, bin_id=bins[3].id, received_on=date(2026, 9, 1), unit_cost=D("8.80")),
        }
        s.add_all(lots.values())
        s.flush()
        movements = {}

        def document(number, kind, moment, reference="", purpose="service_order", lines=()):
            doc = StockDocument(number=number, kind=kind, at=moment, username="keeper", purpose=purpose,
                                reference=reference)
            s.add(doc)
            s.flush()
            for lot_key, quantity, *reverses in lines:
                lot = lots[lot_key]
                movement = StockMovement(document_id=doc.id, kind=kind, at=moment, part_id=lot.part_id,
                                         bin_id=lot.bin_id, lot_id=lot.id, quantity=D(quantity),
                                         unit_cost=lot.unit_cost, reverses_id=reverses[0] if reverses else None)
                s.add(movement)
                s.flush()
                movements.setdefault(number, []).append(movement.id)

        document("RK-1", "receipt", at(10, 1), "SUP-1", "supplier", [("p1", "5")])
        document("CK-1", "issue", at(10, 2, 9), o[1].number, lines=[("p1", "-1"), ("p2a", "-3")])
        document("CK-2", "issue", at(10, 10, 9, 30), o[3].number, lines=[("p2a", "-2"), ("p2b", "-1"), ("p3", "-2.5")])
        document("TK-1", "return", at(10, 11), "CK-2", "internal", [("p3", "0.5")])
        document("CK-3", "issue", at(10, 12), k[1].number, "complaint", [("p2a", "-1")])
        document("CX-1", "reversal", at(10, 13), "CK-3", "complaint", [("p2a", "1", movements["CK-3"][0])])
        document("CK-4", "issue", at(9, 30), o[2].number, lines=[("p2a", "-1")])
        document("TK-2", "return", at(10, 3), "CK-4", "internal", [("p2a", "1")])
        document("CK-5", "issue", at(10, 20), o[1].number, lines=[("p2a", "-1")])
        document("TK-3", "return", at(10, 21), "CK-5", "internal", [("p2a", "1")])
        document("CX-2", "reversal", at(10, 22), "TK-3", "internal", [("p2a", "-1", movements["TK-3"][0])])
        document("BF-1", "scrap", at(10, 15), "", "internal", [("p1", "-1")])
        document("CK-6", "issue", at(11, 2), o[11].number, lines=[("p1", "-1")])
        ids.parts = {"P-001": p1.id, "P-002": p2.id, "P-003": p3.id}
        uow.commit()
    return ids


@pytest.fixture
def branch(sqlite_db, make_user):
    return sqlite_db, build_branch(sqlite_db, make_user)


@pytest.fixture
def any_branch(any_db, make_user):
    return any_db, build_branch(any_db, make_user)


def figures(report) -> dict:
    return {f.key: (f.value, f.numerator, f.denominator) for f in report.figures}


def rows(breakdown) -> list:
    return [(row.key, *row.values) for row in breakdown.rows]


# -- every figure of October, on both databases -------------------------------------------------------------

OCTOBER_FIGURES = {
    "satisfaction_rate": (D("60.00"), 3, 5),
    "average_score": (D("3.60"), 18, 5),
    "visit_response_rate": (D("66.67"), 4, 6),
    "complaints_received": (7, None, None),
    "complaint_rate": (D("140.00"), 7, 5),
    "consultation_response_median": (D("2.00"), None, None),
    "consultation_response_p90": (D("19.60"), None, None),
    "resolution_rate": (D("66.67"), 2, 3),
    "repair_timeliness_rate": (D("60.00"), 3, 5),
    "first_time_fix_rate": (D("80.00"), 4, 5),
    "average_response_time": (D("6.00"), D("30.00"), 5),
    "fix_rate": (D("75.00"), 6, 8),
    "parts_quantity": (D("9.00"), None, None),
    "parts_value": (D("942.25"), None, None),
    "complaint_costs": (D("2000.65"), None, None),
    "open_complaints": (5, None, None),
    "overdue_complaints": (4, None, None),
    "open_orders": (4, None, None),
    "overdue_orders": (3, None, None),
}


def test_every_figure_of_the_month_is_exact(any_branch):
    db, ids = any_branch
    report = kpi_report(db, ids.users.admin.actor(), period=OCTOBER, now=AFTER_OCTOBER)
    assert report.as_of == OCTOBER.end_at
    assert [f.key for f in report.figures] == list(OCTOBER_FIGURES)
    assert figures(report) == {key: (D(v), None if n is None else D(n), None if d is None else D(d))
                               for key, (v, n, d) in OCTOBER_FIGURES.items()}
    assert report.figure("consultation_response_median").sample == 3
    assert report.figure("satisfaction_rate").sample == 5
    response, fix = report.figure("average_response_time"), report.figure("fix_rate")
    assert (response.target.value, response.target.at_most, response.met) == (D(2), True, False)
    assert (fix.target.value, fix.target.at_most, fix.met) == (D(95), False, False)
    assert report.figure("satisfaction_rate").target is None and report.figure("satisfaction_rate").met is None

    assert rows(report.breakdown("order_categories")) == [
        ("troubleshooting", 4, D("44.44")), ("emergency_repair", 2, D("22.22")), ("installation", 1, D("11.11")),
        ("parts_replacement", 1, D("11.11")), ("preventive", 1, D("11.11"))]
    assert rows(report.breakdown("complaint_classes")) == [
        ("quality", 4, D("57.14")), ("non_quality", 2, D("28.57")), ("consultation", 1, D("14.29"))]
    assert rows(report.breakdown("complaint_models")) == [
        ("KFR-35", 4, D("57.14")), ("KFR-50", 2, D("28.57")), ("", 1, D("14.29"))]
    assert rows(report.breakdown("top_parts")) == [
        ("P-001", D("1.00"), D("850.50")), ("P-002", D("6.00"), D("74.15")), ("P-003", D("2.00"), D("17.60"))]
    assert rows(report.breakdown("costs_by_bearer")) == [
        ("manufacturing", D("1200.25"), D("59.99")), ("company", D("500.00"), D("24.99")),
        ("branch", D("300.40"), D("15.02"))]
    assert rows(report.breakdown("costs_by_department")) == [
        ("生产部", D("1200.25"), D("59.99")), ("售后部", D("800.10"), D("39.99")), ("", D("0.30"), D("0.01"))]
    assert rows(report.breakdown("complaint_ageing")) == [("0-2", 3, 2), ("3-7", 0, 0), ("8-30", 1, 1), (">30", 1, 1)]
    assert rows(report.breakdown("order_ageing")) == [("0-2", 1, 0), ("3-7", 2, 2), ("8-30", 0, 0), (">30", 1, 1)]


def test_trends_group_twelve_months_and_agree_with_each_months_report(any_branch):
    db, ids = any_branch
    actor = ids.users.admin.actor()
    trends = kpi_trends(db, actor, end_month=OCTOBER)
    assert [p.label() for p in trends.months] == [f"{y}-{m:02d}" for y, m in
                                                 [(2025, 11), (2025, 12)] + [(2026, n) for n in range(1, 11)]]
    expected = {  # August, September, October; every other month is empty
        "satisfaction_rate": [None, D("100.00"), D("60.00")],
        "complaints_received": [D(1), D(2), D(7)],
        "repair_timeliness_rate": [None, D("100.00"), D("60.00")],
        "first_time_fix_rate": [None, D("0.00"), D("80.00")],
        "resolution_rate": [D("0.00"), None, D("66.67")],
    }
    empty = {"complaints_received": D(0)}
    for key, values in expected.items():
        series = trends.get(key)
        assert list(series.values) == [empty.get(key)] * 9 + values, key
    assert trends.get("resolution_rate").denominators[-3:] == (D(1), D(0), D(3))
    assert trends.get("satisfaction_rate").numerators[-2:] == (D(1), D(3))
    for period in (month(2026, 9), OCTOBER):
        report = kpi_report(db, actor, period=period, now=AFTER_OCTOBER)
        index = trends.months.index(period)
        for series in trends.series:
            assert report.figure(series.key).value == series.values[index], (period, series.key)


def test_an_empty_month_has_no_ratio_and_no_error(branch):
    db, ids = branch
    report = kpi_report(db, ids.users.admin.actor(), period=month(2026, 3), now=AFTER_OCTOBER)
    for figure in report.figures:
        if figure.unit in ("count", "CNY"):
            assert figure.value == 0, figure.key
        else:
            assert figure.value is None, figure.key
            assert figure.display == "—"
        if figure.denominator is not None:
            assert figure.denominator == 0
    assert report.figure("fix_rate").met is None and report.figure("average_response_time").met is None
    assert all(not b.rows for b in report.breakdowns if b.key not in ("complaint_ageing", "order_ageing"))
    assert all(row.values == (0, 0) for row in report.breakdown("order_ageing").rows)


def test_an_engineer_sees_their_orders_visits_parts_and_complaints(any_branch):
    db, ids = any_branch
    actor = ids.users.admin.actor()
    e1 = kpi_report(db, actor, period=OCTOBER, engineer_id=ids.users.e1.id, now=AFTER_OCTOBER)
    assert e1.engineer_name == ids.users.e1.display_name
    got = figures(e1)
    assert got["satisfaction_rate"] == (D("50.00"), 1, 2)
    assert got["visit_response_rate"] == (D("66.67"), 2, 3)
    assert got["repair_timeliness_rate"] == (D("66.67"), 2, 3)  # O1, O2, O8
    assert got["first_time_fix_rate"] == (D("66.67"), 2, 3)
    assert got["average_response_time"] == (D("1.67"), D("5.00"), 3)
    assert got["fix_rate"] == (D("100.00"), 4, 4)  # O1, O2, O5, O8
    assert got["complaints_received"][0] == 1  # K2, which E1 owns
    assert got["complaint_rate"] == (D("33.33"), 1, 3)  # customers of E1's October orders: C1, C2, C6
    assert got["resolution_rate"] == (D("0.00"), 0, 1)
    assert got["consultation_response_median"][0] == D("24.00")
    assert got["parts_quantity"][0] == D("4.00") and got["parts_value"][0] == D("887.55")
    assert got["complaint_costs"][0] == D("500.00")
    assert (got["open_orders"][0], got["overdue_orders"][0]) == (2, 1)  # O7, O9 (overdue)
    assert got["open_complaints"][0] == 0

    e2 = figures(kpi_report(db, actor, period=OCTOBER, engineer_id=ids.users.e2.id, now=AFTER_OCTOBER))
    assert e2["repair_timeliness_rate"] == (D("50.00"), 1, 2)  # O3 (late), O4
    assert e2["average_response_time"] == (D("12.50"), D("25.00"), 2)  # O3 1 h, O11 24 h
    assert e2["parts_value"][0] == D("54.70")
    assert (e2["open_orders"][0], e2["overdue_orders"][0]) == (2, 2)  # O6, O11
    assert e2["satisfaction_rate"] == (D("100.00"), 1, 1)

    nobody = kpi_report(db, actor, period=OCTOBER, engineer_id=ids.users.e3.id, now=AFTER_OCTOBER)
    assert all(f.value is None for f in nobody.figures if f.unit not in ("count", "CNY"))
    trends = kpi_trends(db, actor, end_month=OCTOBER, engineer_id=ids.users.e1.id)
    assert trends.get("repair_timeliness_rate").values[-1] == D("66.67")
    with pytest.raises(NotFound):
        kpi_report(db, actor, period=OCTOBER, engineer_id=999_999, now=AFTER_OCTOBER)


def test_drills_say_which_list_and_filter_and_open_exactly_the_counted_records(any_branch):
    db, ids = any_branch
    actor = ids.users.admin.actor()
    report = kpi_report(db, actor, period=OCTOBER, now=AFTER_OCTOBER)
    nov1 = OCTOBER.end_at
    assert report.figure("satisfaction_rate").drill == Drill(
        "visits", {"done_from": date(2026, 10, 1), "done_to": date(2026, 10, 31), "scored": True})
    assert report.figure("satisfaction_rate").numerator_drill.filter["min_score"] == 4
    assert report.figure("complaints_received").drill == Drill(
        "complaints", {"received_from": date(2026, 10, 1), "received_to": date(2026, 10, 31),
                       "statuses": REPORTED_STATUSES})
    assert report.figure("resolution_rate").drill == Drill(
        "complaints", {"closed_from": date(2026, 10, 1), "closed_to": date(2026, 10, 31),
                       "statuses": ("closed_resolved", "closed_unresolved")})
    assert report.figure("repair_timeliness_rate").numerator_drill == Drill(
        "orders", {"finished_from": date(2026, 10, 1), "finished_to": date(2026, 10, 31),
                   "categories": REPAIR_CATEGORIES, "on_time": True})
    assert report.figure("fix_rate").drill == Drill("orders", {"due_from": date(2026, 10, 1), "due_before": nov1})
    assert report.figure("overdue_complaints").drill == Drill("complaints", {"overdue_at": nov1})
    assert report.figure("parts_value").drill == Drill(
        "movements", {"at_from": date(2026, 10, 1), "at_to": date(2026, 10, 31), "consumption": True})
    assert report.breakdown("complaint_ageing").rows[2].drill == Drill(
        "complaints", {"open_at": nov1, "age_days": (8, 30)})

    # What each drill must open: the denominator's records, the complaints of the complaint rate, the sample
    # of a percentile, the items of a count.
    opened = {f.key: drill_rows(db, actor, f.drill).total for f in report.figures}
    assert opened == {
        "satisfaction_rate": 5, "average_score": 5, "visit_response_rate": 6, "complaints_received": 7,
        "complaint_rate": 7, "consultation_response_median": 3, "consultation_response_p90": 3,
        "resolution_rate": 3, "repair_timeliness_rate": 5, "first_time_fix_rate": 5, "average_response_time": 5,
        "fix_rate": 8, "parts_quantity": 12, "parts_value": 12, "complaint_costs": 5, "open_complaints": 5,
        "overdue_complaints": 4, "open_orders": 4, "overdue_orders": 3,
    }
    for figure in report.figures:
        if figure.numerator_drill is not None:
            assert drill_rows(db, actor, figure.numerator_drill).total == figure.numerator, figure.key
    parts = drill_rows(db, actor, report.figure("parts_value").drill)
    assert sum(row[5] for row in parts.rows) == D("9.00")
    assert sum(row[7] for row in parts.rows) == D("942.25")
    costs = drill_rows(db, actor, report.figure("complaint_costs").drill)
    assert sum(row[4] for row in costs.rows) == D("2000.65")
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            table = drill_rows(db, actor, row.drill)
            if breakdown.key in ("top_parts",):
                assert sum(r[7] for r in table.rows) == row.values[1], row.key
            elif breakdown.key.startswith("costs_"):
                assert sum(r[4] for r in table.rows) == row.values[0], row.key
            else:
                assert table.total == row.values[0], (breakdown.key, row.key)
    received = drill_rows(db, actor, report.figure("complaints_received").drill)
    assert received.rows[0][0] == ids.complaint_numbers[1]  # oldest first
    assert len(drill_rows(db, actor, report.figure("complaints_received").drill, limit=2).rows) == 2


def test_drills_filter_by_the_engineer_and_refuse_unknown_keys(branch):
    db, ids = branch
    actor = ids.users.admin.actor()
    report = kpi_report(db, actor, period=OCTOBER, engineer_id=ids.users.e1.id, now=AFTER_OCTOBER)
    assert report.figure("first_time_fix_rate").drill.filter["engineer_id"] == ids.users.e1.id
    assert report.figure("resolution_rate").drill.filter["owner_id"] == ids.users.e1.id
    assert drill_rows(db, actor, report.figure("first_time_fix_rate").numerator_drill).total == 2
    moved = drill_rows(db, actor, report.figure("parts_value").drill)
    assert sum(row[7] for row in moved.rows) == D("887.55")
    with pytest.raises(ValueError, match="colour"):
        drill_rows(db, actor, Drill("orders", {"colour": "red"}))
    with pytest.raises(PermissionDenied):
        drill_rows(db, ids.users.e1.actor(), report.figure("parts_value").drill)


def test_a_running_month_counts_as_of_now_and_matches_the_navigation_counts(branch):
    db, ids = branch
    actor = ids.users.admin.actor()
    now = datetime(2026, 12, 15, 12, 0).astimezone()
    report = kpi_report(db, actor, period=month(2026, 12), now=now)
    assert report.as_of == now
    counts = complaint_counts(db, actor, now=now)
    assert (report.figure("open_complaints").value, report.figure("overdue_complaints").value) == (
        counts.open, counts.overdue)
    assert report.figure("open_complaints").value == 4  # K3, K4, K5, K10: K8 closed on 3 November
    assert (report.figure("open_orders").value, report.figure("overdue_orders").value) == (3, 2)  # O6, O7, O9
    # Mid-October, visits due from 18 October on have not had their day yet.
    mid = kpi_report(db, actor, period=OCTOBER, now=at(10, 18, 12))
    assert figures(mid)["visit_response_rate"] == (D("75.00"), 3, 4)  # due 8, 9, 13, 17 October (20th: not yet)


def test_the_complaint_rate_base_and_the_targets_are_branch_settings(branch, make_user):
    db, ids = branch
    admin = ids.users.admin.actor()
    assert get_kpi_settings(db, admin).complaint_rate_base == "customers_with_orders"
    manager = make_user(db, Role.MANAGER).actor()
    set_kpi_settings(db, manager, complaint_rate_base="active_customers", response_time_target_hours="8",
                     fix_rate_target_percent=70)
    report = kpi_report(db, admin, period=OCTOBER, now=AFTER_OCTOBER)
    assert figures(report)["complaint_rate"] == (D("87.50"), 7, 8)  # C1–C8 had an order or complaint in a year
    assert report.figure("average_response_time").met is True
    assert report.figure("fix_rate").met is True
    assert report.settings.response_time_target_hours == D(8)
    with pytest.raises(ValidationError):
        set_kpi_settings(db, manager, complaint_rate_base="everyone")
    with pytest.raises(ValidationError):
        set_kpi_settings(db, manager, fix_rate_target_percent=120)
    with pytest.raises(PermissionDenied):
        set_kpi_settings(db, admin, top_n=3)
    set_kpi_settings(db, manager, top_n=1, satisfied_min_score=5)
    report = kpi_report(db, admin, period=OCTOBER, now=AFTER_OCTOBER)
    assert [row.key for row in report.breakdown("top_parts").rows] == ["P-001"]
    assert report.breakdown("complaint_models").rows[0].values == (D(4), D("57.14"))  # share of all seven
    assert figures(report)["satisfaction_rate"] == (D("20.00"), 1, 5)


def test_reading_kpis_needs_the_permission(branch):
    db, ids = branch
    for user in (ids.users.operator, ids.users.e1):
        with pytest.raises(PermissionDenied):
            kpi_report(db, user.actor(), period=OCTOBER)
        with pytest.raises(PermissionDenied):
            kpi_trends(db, user.actor(), end_month=OCTOBER)


# -- the SQL stays on the month's rows ------------------------------------------------------------------------


def test_every_kpi_statement_reads_a_range_of_an_index_on_sqlite(branch):
    """EXPLAIN QUERY PLAN of what a report runs: no statement scans a whole table of history."""
    db, ids = branch
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.read_engine, "before_cursor_execute", remember)
    try:
        kpi_report(db, ids.users.admin.actor(), period=OCTOBER, now=AFTER_OCTOBER)
        kpi_report(db, ids.users.admin.actor(), period=OCTOBER, engineer_id=ids.users.e1.id, now=AFTER_OCTOBER)
        kpi_trends(db, ids.users.admin.actor(), end_month=OCTOBER, now=AFTER_OCTOBER)
    finally:
        event.remove(db.read_engine, "before_cursor_execute", remember)
    history = ("complaints", "service_orders", "return_visits", "stock_movements", "complaint_costs")
    # Besides ranges and key lookups, only the open items may use a status index: open ones are few.
    lookups = ("(rowid=?)", "(number=?)", "(number=? AND revision=?)", "(complaint_id=?)",
               "(status=?)", "(owner_id=? AND status=?)", "(engineer_id=? AND status=?)")
    by_status = 0
    with db.read_engine.connect() as conn:
        for statement, parameters in statements:
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            for step in plan:
                words = step.split()
                if words[0] not in ("SCAN", "SEARCH") or words[1] not in history:
                    continue
                assert words[0] == "SEARCH", (statement, plan)
                assert ">?" in step or "<?" in step or step.endswith(lookups), (statement, plan)
                by_status += step.endswith(lookups[4:])
    # Open complaints and orders: in the two reports, and in the 11 closed months of the trends (their
    # facts are computed and stored at this first read).
    assert by_status == 2 * (2 + 11)


# -- pure rules -------------------------------------------------------------------------------------------


def test_periods_percentiles_and_display():
    assert month(2026, 12) == Period(date(2026, 12, 1), date(2027, 1, 1))
    assert month(2026, 10).label() == "2026-10" and month(2026, 10).last_day == date(2026, 10, 31)
    assert Period(date(2026, 10, 1), date(2026, 10, 16)).label() == "2026-10-01 – 2026-10-15"
    assert [p.label() for p in months_ending(date(2026, 2, 14), 3)] == ["2025-12", "2026-01", "2026-02"]
    with pytest.raises(ValueError):
        Period(date(2026, 10, 1), date(2026, 10, 1))
    assert percentile([4, 1, 3, 2], "0.5") == D("2.5")
    assert percentile([1800, 7200, 86400], "0.9") == D("70560.0")
    assert percentile([5], "0.9") == D(5) and percentile([], "0.5") is None
    assert format_value(None, "%") == "—"
    assert format_value(D("95.5"), "%") == "95.50%"
    assert format_value(D("1234.5"), "CNY") == "¥1,234.50"
    assert format_value(D("1.5"), "h") == "1.50 h"
    assert format_value(D("12"), "count") == "12"


def test_the_report_reads_one_snapshot(any_db):
    """Figures of one report agree with each other: its statements share one read transaction."""
    with kpi_queries.snapshot(any_db) as session:
        first = session.execute(text("SELECT count(*) FROM users")).scalar_one()
        with any_db.uow(SYSTEM) as uow:
            uow.session.execute(text("INSERT INTO counters (name, value) VALUES ('x', 1)"))
            uow.commit()
        assert session.execute(text("SELECT count(*) FROM counters")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM users")).scalar_one() == first
