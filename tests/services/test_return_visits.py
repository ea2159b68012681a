"""Return visits: after each signed order, periodically by importance, and dissatisfaction opens a complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.domain.base import utcnow
from desktop.domain.customers import CustomerKind, Importance
from desktop.domain.errors import ValidationError
from desktop.domain.roles import Role
from desktop.domain.service_orders import VisitChannel, VisitKind
from desktop.services import complaints, customers, return_visits
from desktop.services.customers import CustomerInput


def test_periodic_visits_by_importance_and_a_dissatisfied_answer_opens_a_complaint(any_db, make_user):
    op = make_user(any_db, Role.OPERATOR, "lina").actor()
    for name, importance in (("重要客户甲", Importance.IMPORTANT), ("长期客户乙", Importance.LONG_TERM),
                             ("普通客户丙", Importance.ORDINARY)):
        customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.COMPANY, name=name,
                                                                 phone="13800000000", importance=importance))
    today = utcnow().astimezone().date()
    assert return_visits.plan_periodic_visits(any_db, op, today=today) == 2
    assert return_visits.plan_periodic_visits(any_db, op, today=today + timedelta(days=100)) == 0
    assert return_visits.plan_periodic_visits(any_db, op, today=today + timedelta(days=190)) == 1  # important again
    due = return_visits.due_visits(any_db, op, today=today)
    assert [(v.customer_name, v.kind) for v in due] == [("重要客户甲", VisitKind.PERIODIC), ("长期客户乙", VisitKind.PERIODIC)]
    assert due[0].phone == "138****0000"
    happy, unhappy = due
    assert return_visits.record_visit(any_db, op, visit_id=happy.id, version=happy.version,
                                      channel=VisitChannel.PHONE, score=5) is None
    with pytest.raises(ValidationError, match="dissatisfied"):
        return_visits.record_visit(any_db, op, visit_id=unhappy.id, version=unhappy.version,
                                   channel=VisitChannel.PHONE, score=1)
    number = return_visits.record_visit(any_db, op, visit_id=unhappy.id, version=unhappy.version,
                                        channel=VisitChannel.PHONE, score=1, comments="维修后仍有异响")
    record = complaints.find_complaint(any_db, op, number)
    assert "维修后仍有异响" in record.description and record.owner == "测试operator"
    assert return_visits.due_visits(any_db, op, today=today) == []


def test_an_answer_that_needs_following_up_opens_a_complaint_whatever_the_score(any_db, make_user):
    op = make_user(any_db, Role.OPERATOR, "lina").actor()
    customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.COMPANY, name="重要客户甲",
                                                             phone="13800000000", importance=Importance.IMPORTANT))
    return_visits.plan_periodic_visits(any_db, op)
    [visit] = return_visits.due_visits(any_db, op)
    with pytest.raises(ValidationError, match="following up"):
        return_visits.record_visit(any_db, op, visit_id=visit.id, version=visit.version, channel=VisitChannel.EMAIL,
                                   score=4, follow_up=True)
    number = return_visits.record_visit(any_db, op, visit_id=visit.id, version=visit.version,
                                        channel=VisitChannel.EMAIL, score=4, follow_up=True,
                                        comments="另一台空调也想预约清洗")
    assert number and "另一台空调也想预约清洗" in complaints.find_complaint(any_db, op, number).description
