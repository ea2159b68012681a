"""Demo complaints in every state of the workflow, some overdue, made through the real services so their
history, deadlines and audit trail are what users would have produced."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from desktop.db.uow import Database
from desktop.domain.base import utcnow
from desktop.domain.complaints import Bearer, Channel, ComplaintClass, CostKind, RecourseRoute, ResponseType, Status
from desktop.domain.customers import Product
from desktop.domain.users import User
from desktop.services import complaint_costs, complaints
from desktop.services.complaints import ComplaintInput
from desktop.services.users import actor_of

STORIES = (
    ("空调制冷效果差，开机一小时室内温度仍在28度以上", "尽快上门维修", ComplaintClass.QUALITY),
    ("室外机运行噪音很大，邻居投诉", "更换室外机或降噪处理", ComplaintClass.QUALITY),
    ("安装师傅打孔位置不对，墙面开裂", "修补墙面并赔偿", ComplaintClass.NON_QUALITY),
    ("数控车床主轴异响，加工精度下降", "派工程师检修，停机损失补偿", ComplaintClass.QUALITY),
    ("空压机频繁停机报高温故障", "更换散热器", ComplaintClass.QUALITY),
    ("售后人员上门迟到两个小时，态度不好", "道歉并说明原因", ComplaintClass.NON_QUALITY),
    ("咨询变频空调的保养周期和滤网清洗方法", "提供保养说明", ComplaintClass.CONSULTATION),
    ("新机运输途中外壳变形", "换新机", ComplaintClass.NON_QUALITY),
    ("冷水机组出水温度不稳定", "技术支持", ComplaintClass.QUALITY),
    ("室内机漏水滴到地板上", "上门处理并赔偿地板", ComplaintClass.QUALITY),
)
# How far along each demo complaint goes; several of each, so every state is on the list.
TARGETS = (
    Status.REGISTERED, Status.ACKNOWLEDGED, Status.ASSESSED, Status.INVESTIGATING, Status.DECIDED,
    Status.COMMUNICATED, Status.REJECTED, Status.EXECUTING, Status.CLOSED_RESOLVED, Status.CLOSED_UNRESOLVED,
    Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.DUPLICATE,
)


def add_demo_complaints(db: Database, *, branch_code: str, per_state: int = 3, seed: int = 7) -> int:
    rng = random.Random(seed)
    with db.session_factory() as session:
        people = {u.username: u for u in session.scalars(select(User))}
        products = session.execute(select(Product.id, Product.customer_id).limit(200)).all()
    actor = {name: actor_of(people[name]) for name in ("operator", "operator2", "manager", "asadmin", "engineer")}
    made = 0
    first_number = None
    for index, target in enumerate(TARGETS * per_state):
        product_id, customer_id = products[index % len(products)]
        description, request, classification = STORIES[index % len(STORIES)]
        # Received from 1 hour to 20 days ago: the early, unanswered ones are overdue.
        received = utcnow() - timedelta(hours=rng.choice((1, 3, 20, 30, 60, 120, 480)))
        record = complaints.register_complaint(db, actor[rng.choice(("operator", "operator2"))], branch_code=branch_code,
                                               data=ComplaintInput(
            customer_id=customer_id, product_id=product_id, channel=rng.choice(list(Channel)), description=description,
            customer_request=request, classification=classification, severity=rng.choice((1, 2, 2, 3, 4)),
            safety_hazard=rng.random() < 0.08, received_at=received))
        first_number = first_number or record.number
        _advance(db, actor, record, target, first_number, rng)
        made += 1
    return made


def _advance(db, actor, c, target: Status, first_number: str, rng) -> None:
    op, manager, admin, engineer = actor["operator"], actor["manager"], actor["asadmin"], actor["engineer"]
    ids = {"complaint_id": c.id}

    def go(step, who, **kwargs):
        nonlocal c
        c = step(db, who, **ids, version=c.version, **kwargs)

    if target == Status.REGISTERED:
        return
    if target == Status.WITHDRAWN:
        return go(complaints.withdraw, op, note="客户来电表示问题已自行解决，撤回投诉")
    if target == Status.DUPLICATE:
        return go(complaints.mark_duplicate, admin, duplicate_of=first_number, note="同一故障重复登记")
    go(complaints.acknowledge, op, reply="已电话联系客户，说明将在24小时内安排处理")
    if target == Status.ACKNOWLEDGED:
        return
    go(complaints.assess, op, assessment="初步判断为产品故障，需工程师现场确认", classification=c.classification,
       severity=c.severity, safety_hazard=c.safety_hazard)
    if target == Status.ASSESSED:
        return
    if target == Status.NOT_ACCEPTED:
        return go(complaints.refuse, manager, reason="已超出合同约定的保修范围，按有偿服务处理")
    go(complaints.accept, manager, note="同意受理")
    complaint_costs.add_cost(db, engineer, complaint_id=c.id, kind=CostKind.TRAVEL, amount=rng.choice(("80", "150.5", "260")),
                             bearer=Bearer.BRANCH, allocation_department="售后服务部")
    if target == Status.INVESTIGATING:
        return
    go(complaints.record_investigation, engineer, cause="冷媒管焊点渗漏导致缺氟", responsible_department="制造部",
       responsible_person="焊接班组")
    go(complaints.decide, manager, response_type=rng.choice((ResponseType.REPAIR, ResponseType.REPLACE_PART)),
       decision="免费上门补焊、加注冷媒，并延长整机保修半年")
    complaint_costs.add_cost(db, admin, complaint_id=c.id, kind=CostKind.PARTS, amount=rng.choice(("320", "2600")),
                             bearer=Bearer.MANUFACTURING, allocation_department="制造部")
    if target == Status.DECIDED:
        return
    go(complaints.communicate, op, note="已电话告知客户处理方案")
    if target == Status.COMMUNICATED:
        return
    accepted = target in {Status.EXECUTING, Status.CLOSED_RESOLVED}
    go(complaints.record_customer_answer, op, accepted=accepted, note="" if accepted else "客户要求整机更换")
    if target == Status.CLOSED_RESOLVED:
        go(complaints.close_resolved, admin, note="维修完成，客户确认正常")
    elif target == Status.CLOSED_UNRESOLVED:
        go(complaints.close_unresolved, admin, routes_told=[RecourseRoute.NEGOTIATION, RecourseRoute.CONSUMER_ASSOCIATION],
           note="已书面告知客户救济途径")
