"""Complaints through the whole closed loop, with deadlines, refusals and concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from desktop.db.engine import make_engine
from desktop.db.uow import Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import Action, Channel, ComplaintClass, RecourseRoute, ResponseType, Status
from desktop.domain.customers import CustomerKind
from desktop.domain.errors import ConcurrentEdit, NotFound, PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.service_orders import VisitKind
from desktop.services import complaints as svc
from desktop.services import customers
from desktop.services.complaints import ComplaintInput
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.return_visits import due_visits


@pytest.fixture
def people(any_db, make_user):
    return {role: make_user(any_db, role, role.value).actor() for role in Role}


@pytest.fixture
def unit(any_db, people):
    op = people[Role.OPERATOR]
    customer = customers.create_customer(any_db, op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="张三丰",
                                                                        phone="13912345678"))
    product = customers.add_product(any_db, op, customer_id=customer.id, data=ProductInput(
        category="air_conditioner", model="KFR-35GW", serial_number="KFR2501000001", invoice_number="0451"))
    return customer, product


def register(db, actor, unit, **extra):
    customer, product = unit
    data = dict(customer_id=customer.id, product_id=product.id, channel=Channel.HOTLINE,
                description="空调制冷效果差，开机半小时仍不凉", customer_request="上门维修",
                classification=ComplaintClass.QUALITY, severity=2)
    return svc.register_complaint(db, actor, branch_code="GZ01", data=ComplaintInput(**{**data, **extra}))


def test_register_numbers_owns_and_copies_the_product(any_db, people, unit):
    first = register(any_db, people[Role.OPERATOR], unit)
    second = register(any_db, people[Role.OPERATOR], unit)
    month = utcnow().astimezone().strftime("%Y%m")
    assert first.number == f"TS-GZ01-{month}-0001" and second.number == f"TS-GZ01-{month}-0002"
    assert first.owner == "测试operator" and first.status is Status.REGISTERED
    assert first.serial_number == "KFR2501000001" and first.product_model == "KFR-35GW" and first.invoice_number == "0451"
    assert first.due_at == first.received_at + timedelta(hours=24)
    assert [e.action for e in first.events] == [Action.REGISTER]


def test_a_safety_hazard_is_due_at_once(any_db, people, unit):
    hazard = register(any_db, people[Role.OPERATOR], unit, safety_hazard=True, severity=4)
    assert hazard.due_at == hazard.received_at + timedelta(hours=2)


def test_the_whole_loop_to_resolved(any_db, people, unit):
    op, engineer, manager, admin = (people[r] for r in (Role.OPERATOR, Role.ENGINEER, Role.MANAGER, Role.AFTER_SALES_ADMIN))
    c = register(any_db, op, unit)
    c = svc.acknowledge(any_db, op, complaint_id=c.id, version=c.version, reply="已电话回复客户，明天上门")
    assert c.first_reply_at is not None and c.due_at == c.received_at + timedelta(hours=48)
    c = svc.assess(any_db, op, complaint_id=c.id, version=c.version, assessment="疑似缺氟",
                   classification=ComplaintClass.QUALITY, severity=3, safety_hazard=False)
    with pytest.raises(PermissionDenied):
        svc.accept(any_db, op, complaint_id=c.id, version=c.version)
    c = svc.accept(any_db, manager, complaint_id=c.id, version=c.version, note="受理")
    assert c.status is Status.INVESTIGATING and c.due_at == c.accepted_at + timedelta(hours=48)
    with pytest.raises(ValidationError, match="cause"):
        svc.decide(any_db, manager, complaint_id=c.id, version=c.version, response_type=ResponseType.REPAIR, decision="维修")
    c = svc.record_investigation(any_db, engineer, complaint_id=c.id, version=c.version, cause="焊点漏氟",
                                 responsible_department="制造部", responsible_person="王师傅")
    c = svc.decide(any_db, manager, complaint_id=c.id, version=c.version, response_type=ResponseType.REPAIR,
                   decision="免费补焊并加氟")
    c = svc.communicate(any_db, op, complaint_id=c.id, version=c.version, note="电话告知客户")
    c = svc.record_customer_answer(any_db, op, complaint_id=c.id, version=c.version, accepted=True)
    assert c.status is Status.EXECUTING
    c = svc.close_resolved(any_db, admin, complaint_id=c.id, version=c.version, note="已修复")
    assert c.status is Status.CLOSED_RESOLVED and c.closed_at and c.due_at is None and not c.is_open
    assert [e.to_status for e in c.events][-1] is Status.CLOSED_RESOLVED
    assert len(c.events) == 9 and {e.username for e in c.events} >= {"operator", "manager", "engineer"}
    visits = due_visits(any_db, op, within_days=7)  # domain.md §5: a closed complaint is visited within 7 days
    assert [(v.kind, v.customer_id) for v in visits] == [(VisitKind.AFTER_COMPLAINT, c.customer_id)]
    c = svc.reopen(any_db, admin, complaint_id=c.id, version=c.version, reason="回访不满意")
    assert c.status is Status.INVESTIGATING and c.closed_at is None


def test_rejected_decision_closes_unresolved_only_after_recourse_is_told(any_db, people, unit):
    op, manager, admin = people[Role.OPERATOR], people[Role.MANAGER], people[Role.AFTER_SALES_ADMIN]
    c = register(any_db, op, unit)
    c = svc.acknowledge(any_db, op, complaint_id=c.id, version=c.version, reply="已回复")
    c = svc.assess(any_db, op, complaint_id=c.id, version=c.version, assessment="人为损坏",
                   classification=ComplaintClass.NON_QUALITY, severity=2, safety_hazard=False)
    c = svc.accept(any_db, manager, complaint_id=c.id, version=c.version)
    c = svc.record_investigation(any_db, admin, complaint_id=c.id, version=c.version, cause="搬运摔坏",
                                 responsible_department="客户", responsible_person="")
    c = svc.decide(any_db, manager, complaint_id=c.id, version=c.version, response_type=ResponseType.EXPLANATION,
                   decision="有偿维修")
    c = svc.communicate(any_db, op, complaint_id=c.id, version=c.version, note="当面告知")
    c = svc.record_customer_answer(any_db, op, complaint_id=c.id, version=c.version, accepted=False, note="要求换机")
    assert c.status is Status.REJECTED
    assert Action.CLOSE_UNRESOLVED in svc.get_complaint(any_db, admin, c.id).actions
    with pytest.raises(ValidationError, match="recourse"):
        svc.close_unresolved(any_db, admin, complaint_id=c.id, version=c.version, routes_told=[])
    c = svc.close_unresolved(any_db, admin, complaint_id=c.id, version=c.version,
                             routes_told=[RecourseRoute.CONSUMER_ASSOCIATION, RecourseRoute.ARBITRATION])
    assert c.status is Status.CLOSED_UNRESOLVED
    assert c.recourse_told == (RecourseRoute.CONSUMER_ASSOCIATION, RecourseRoute.ARBITRATION)
    assert [v.kind for v in due_visits(any_db, op)] == [VisitKind.AFTER_COMPLAINT]


def test_steps_the_workflow_does_not_allow_are_refused_and_change_nothing(any_db, people, unit):
    op, manager = people[Role.OPERATOR], people[Role.MANAGER]
    c = register(any_db, op, unit)
    with pytest.raises(ValidationError, match="not possible now"):
        svc.close_resolved(any_db, manager, complaint_id=c.id, version=c.version)
    with pytest.raises(ValidationError, match="not possible now"):
        svc.decide(any_db, manager, complaint_id=c.id, version=c.version, response_type=ResponseType.REPAIR, decision="x")
    again = svc.get_complaint(any_db, op, c.id)
    assert again.status is Status.REGISTERED and again.version == c.version and len(again.events) == 1


def test_actions_offered_follow_state_and_role(any_db, people, unit):
    c = register(any_db, people[Role.OPERATOR], unit)
    assert svc.get_complaint(any_db, people[Role.OPERATOR], c.id).actions[:1] == (Action.ACKNOWLEDGE,)
    assert Action.ACKNOWLEDGE not in svc.get_complaint(any_db, people[Role.ENGINEER], c.id).actions
    with pytest.raises(PermissionDenied):
        svc.get_complaint(any_db, people[Role.WAREHOUSE], c.id)


def test_side_exits_refuse_withdraw_duplicate(any_db, people, unit):
    op, manager, admin = people[Role.OPERATOR], people[Role.MANAGER], people[Role.AFTER_SALES_ADMIN]
    original = register(any_db, op, unit)
    copy = register(any_db, op, unit)
    with pytest.raises(ValidationError):
        svc.mark_duplicate(any_db, admin, complaint_id=copy.id, version=copy.version, duplicate_of=copy.number)
    copy = svc.mark_duplicate(any_db, admin, complaint_id=copy.id, version=copy.version, duplicate_of=original.number)
    assert copy.status is Status.DUPLICATE and copy.duplicate_of == original.number
    with pytest.raises(ValidationError, match="withdrew"):
        svc.withdraw(any_db, op, complaint_id=original.id, version=original.version, note=" ")
    withdrawn = svc.withdraw(any_db, op, complaint_id=original.id, version=original.version, note="客户来电撤诉")
    assert withdrawn.status is Status.WITHDRAWN and withdrawn.closed_at is not None
    third = register(any_db, op, unit)
    third = svc.acknowledge(any_db, op, complaint_id=third.id, version=third.version, reply="已回复")
    third = svc.assess(any_db, op, complaint_id=third.id, version=third.version, assessment="咨询",
                       classification=ComplaintClass.CONSULTATION, severity=1, safety_hazard=False)
    third = svc.refuse(any_db, manager, complaint_id=third.id, version=third.version, reason="不属于投诉，转咨询")
    assert third.status is Status.NOT_ACCEPTED


def test_hand_over_changes_the_owner(any_db, people, unit, make_user):
    op = people[Role.OPERATOR]
    colleague = make_user(any_db, Role.OPERATOR, "zhoumin")
    c = register(any_db, op, unit)
    with pytest.raises(ValidationError):
        svc.hand_over(any_db, op, complaint_id=c.id, version=c.version, to_user_id=people[Role.WAREHOUSE].user_id)
    c = svc.hand_over(any_db, op, complaint_id=c.id, version=c.version, to_user_id=colleague.id, note="交接班")
    assert c.owner_id == colleague.id and c.events[-1].action is Action.HAND_OVER


def test_second_save_from_another_pc_is_refused_with_who(any_db, people, unit):
    op, admin = people[Role.OPERATOR], people[Role.AFTER_SALES_ADMIN]
    c = register(any_db, op, unit)
    svc.acknowledge(any_db, admin, complaint_id=c.id, version=c.version, reply="管理员已回复")
    with pytest.raises(ConcurrentEdit) as conflict:
        svc.acknowledge(any_db, op, complaint_id=c.id, version=c.version, reply="我也回复了")
    assert conflict.value.changed_by == "after_sales_admin"
    assert len(svc.get_complaint(any_db, op, c.id).events) == 2


def test_attachments_are_stored_with_checksum_and_limits(any_db, people, unit, tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    c = register(any_db, people[Role.OPERATOR], unit, attachments=(photo,))
    [info] = c.attachments
    assert info.filename == "现场照片.jpg" and info.size == 1003 and len(info.sha256) == 64
    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ")
    with pytest.raises(ValidationError, match="only photos"):
        register(any_db, people[Role.OPERATOR], unit, attachments=(bad,))


def test_two_pcs_registering_at_the_same_moment_get_different_numbers(postgres, make_user):
    url = postgres.new_database()
    dbs = [Database(make_engine(url)) for _ in range(2)]
    op = make_user(dbs[0], Role.OPERATOR, "op").actor()
    customer = customers.create_customer(dbs[0], op, data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="王五"))
    numbers, errors = [], []
    barrier = threading.Barrier(2)

    def run(db):
        try:
            barrier.wait()
            for _ in range(10):
                numbers.append(svc.register_complaint(db, op, branch_code="GZ01", data=ComplaintInput(
                    customer_id=customer.id, channel=Channel.VISIT, description="噪音大",
                    classification=ComplaintClass.QUALITY, severity=1)).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in dbs:
        db.dispose()
    assert errors == []
    assert len(numbers) == 20 == len(set(numbers))
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 21))


def test_costs_above_the_limit_wait_for_the_manager(any_db, people, unit):
    from decimal import Decimal

    from desktop.domain.complaints import Bearer, CostKind, CostState
    from desktop.services import complaint_costs as costs

    engineer, manager, admin = people[Role.ENGINEER], people[Role.MANAGER], people[Role.AFTER_SALES_ADMIN]
    c = register(any_db, people[Role.OPERATOR], unit)
    summary = costs.add_cost(any_db, engineer, complaint_id=c.id, kind=CostKind.TRAVEL, amount="120.50",
                             bearer=Bearer.BRANCH, allocation_department="售后服务部")
    summary = costs.add_cost(any_db, engineer, complaint_id=c.id, kind=CostKind.PARTS, amount="1,800",
                             bearer=Bearer.MANUFACTURING, allocation_department="制造部")
    assert [line.state for line in summary.lines] == [CostState.APPROVED, CostState.PENDING]
    assert summary.approved_total == Decimal("120.50") and summary.pending_total == Decimal("1800")
    with pytest.raises(PermissionDenied):
        costs.decide_cost(any_db, admin, cost_id=summary.lines[1].id, version=summary.lines[1].version, approve=True)
    summary = costs.decide_cost(any_db, manager, cost_id=summary.lines[1].id, version=summary.lines[1].version,
                                approve=True)
    assert summary.approved_total == Decimal("1920.50") and summary.lines[1].approved_by == "测试manager"
    assert summary.by_bearer == {Bearer.BRANCH: Decimal("120.50"), Bearer.MANUFACTURING: Decimal("1800")}
    for bad in ("abc", "-5", "0", "1.234"):
        with pytest.raises(ValidationError, match="Amount"):
            costs.add_cost(any_db, manager, complaint_id=c.id, kind=CostKind.REPAIR, amount=bad, bearer=Bearer.BRANCH)
    assert len(costs.complaint_costs(any_db, engineer, c.id).lines) == 2


def test_handlers_are_the_active_users_who_handle_complaints(any_db, people, make_user):
    from desktop.services import users

    leaver = make_user(any_db, Role.OPERATOR, "leaver")
    users.disable_user(any_db, people[Role.SYSADMIN], username="leaver")
    handlers = svc.list_handlers(any_db, people[Role.ENGINEER])
    # Operator, after-sales administrator and manager handle complaints; the engineer investigates only.
    assert sorted(name for _, name in handlers) == ["测试after_sales_admin", "测试manager", "测试operator"]
    assert leaver.id not in {user_id for user_id, _ in handlers}
    assert {user_id for user_id, _ in handlers} >= {people[Role.OPERATOR].user_id, people[Role.MANAGER].user_id}
    with pytest.raises(PermissionDenied):
        svc.list_handlers(any_db, people[Role.WAREHOUSE])


def test_an_attachment_opens_for_readers_and_the_view_is_audited(any_db, people, unit, tmp_path):
    from desktop.services import audit
    from desktop.services.audit import AuditFilter

    scan = tmp_path / "发票.pdf"
    scan.write_bytes(b"%PDF-1.4 invoice")
    c = register(any_db, people[Role.OPERATOR], unit, attachments=(scan,))
    other = register(any_db, people[Role.OPERATOR], unit)
    engineer = people[Role.ENGINEER]
    info, data = svc.complaint_attachment(any_db, engineer, complaint_id=c.id, attachment_id=c.attachments[0].id)
    assert (info.filename, data) == ("发票.pdf", b"%PDF-1.4 invoice")
    with pytest.raises(NotFound):  # another complaint's file is not reachable through this one
        svc.complaint_attachment(any_db, engineer, complaint_id=other.id, attachment_id=c.attachments[0].id)
    with pytest.raises(PermissionDenied):
        svc.complaint_attachment(any_db, people[Role.WAREHOUSE], complaint_id=c.id, attachment_id=c.attachments[0].id)
    [entry] = audit.read_audit_log(any_db, people[Role.MANAGER], where=AuditFilter(action="view_pii", username="engineer"))
    assert entry.entity == "complaints" and "发票.pdf" in entry.summary


def test_an_individuals_name_is_masked_for_roles_without_personal_data(any_db, people, unit):
    c = register(any_db, people[Role.OPERATOR], unit)
    assert svc.get_complaint(any_db, people[Role.OPERATOR], c.id).customer_name == "张三丰"
    masked = svc.get_complaint(any_db, people[Role.ENGINEER], c.id).customer_name
    assert masked != "张三丰" and masked.startswith("张")
