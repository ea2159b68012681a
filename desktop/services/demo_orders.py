"""Demo service orders in every state — some signed on screen — and return visits due, made through the
real services like the demo complaints."""

from __future__ import annotations

import io
import math
import random
from datetime import timedelta
from decimal import Decimal

from PIL import Image, ImageDraw
from sqlalchemy import select, update

from desktop.db.uow import SYSTEM, Database
from desktop.domain.base import utcnow
from desktop.domain.customers import Product
from desktop.domain.sanbao import Coverage
from desktop.domain.service_orders import (
    EngineerProfile,
    OrderCategory,
    OrderStatus,
    ReturnVisit,
    ServiceOrder,
    VisitChannel,
)
from desktop.domain.users import User
from desktop.services import return_visits, service_orders
from desktop.services.service_orders import OrderInput
from desktop.services.users import actor_of

REQUESTS = (
    ("空调开机后不制冷，室外机不启动", OrderCategory.TROUBLESHOOTING),
    ("数控车床主轴报警，无法加工", OrderCategory.EMERGENCY_REPAIR),
    ("冷水机组季度预防性保养", OrderCategory.PREVENTIVE),
    ("新购空调三台，预约安装", OrderCategory.INSTALLATION),
    ("空压机油气分离器到期更换", OrderCategory.PARTS_REPLACEMENT),
    ("咨询变频空调除湿模式的使用方法", OrderCategory.CONSULTATION),
)
TARGETS = (OrderStatus.REGISTERED, OrderStatus.DISPATCHED, OrderStatus.ON_SITE, OrderStatus.COMPLETED,
           OrderStatus.SIGNED, OrderStatus.SIGNED)


def signature_png(seed: int) -> tuple[list, bytes]:
    """A hand-like scribble as strokes and as the image the pad would store."""
    rng = random.Random(seed)
    stroke = [[int(20 + i * 6), int(50 + 18 * math.sin(i / 3 + rng.random())), i * 15] for i in range(40)]
    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line([(x, y) for x, y, _ in stroke], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return [stroke], buffer.getvalue()


def add_demo_orders(db: Database, *, branch_code: str, per_state: int = 3, seed: int = 5) -> int:
    rng = random.Random(seed)
    with db.session_factory() as session:
        people = {u.username: u for u in session.scalars(select(User))}
        products = session.execute(select(Product.id, Product.customer_id).limit(120).offset(40)).all()
    with db.uow(SYSTEM) as uow:
        uow.session.add(EngineerProfile(user_id=people["engineer"].id, area="广东省广州市",
                                        skills=[c.value for c in OrderCategory if c != OrderCategory.INSTALLATION]))
        uow.session.add(EngineerProfile(user_id=people["engineer2"].id, area="广东省佛山市",
                                        skills=[OrderCategory.INSTALLATION.value, OrderCategory.PREVENTIVE.value]))
        uow.commit()
    desk = actor_of(people["operator"])
    made = 0
    for index, target in enumerate(TARGETS * per_state):
        product_id, customer_id = products[index % len(products)]
        request, category = REQUESTS[index % len(REQUESTS)]
        proposal = service_orders.propose_coverage(db, desk, product_id=product_id)
        order = service_orders.register_order(db, desk, branch_code=branch_code, coverage=proposal.coverage,
                                              data=OrderInput(customer_id=customer_id, product_id=product_id,
                                                              request=request, category=category))
        made += 1
        if target == OrderStatus.REGISTERED:
            continue
        best = service_orders.rank_engineers(db, desk, order_id=order.id)[0]
        engineer = actor_of(next(u for u in people.values() if u.id == best.user_id))
        when = utcnow() + timedelta(hours=rng.choice((-30, -6, -2, 2, 20)))
        _registered_before(db, order.id, when - timedelta(hours=rng.choice((1, 2, 3))))
        order = service_orders.get_order(db, desk, order.id)
        order = service_orders.dispatch(db, desk, order_id=order.id, version=order.version, engineer_id=best.user_id,
                                        appointment_at=when, finish_by=when + timedelta(hours=4))
        if target == OrderStatus.DISPATCHED:
            continue
        arrived = min(when + timedelta(minutes=rng.choice((-10, 5, 40))), utcnow())
        order = service_orders.arrive(db, engineer, order_id=order.id, version=order.version, at=arrived)
        if target == OrderStatus.ON_SITE:
            continue
        chargeable = order.coverage_decided in (Coverage.CHARGEABLE, Coverage.EXCLUDED)
        order = service_orders.record_work(
            db, engineer, order_id=order.id, version=order.version, confirmed_need=request,
            diagnosis="启动电容容量下降，压缩机无法启动", measures="更换启动电容，检测运行电流正常",
            labour_fee=Decimal(rng.choice((80, 120, 200))) if chargeable else Decimal(0), other_fee=Decimal(0),
            fees_agreed=True, advice="定期清洗过滤网", self_check_done=True)
        order = service_orders.complete(db, engineer, order_id=order.id, version=order.version)
        if target == OrderStatus.COMPLETED:
            continue
        for role, name in (("engineer", engineer.display_name), ("customer", order.contact_name)):
            strokes, png = signature_png(index * 2 + (role == "customer"))
            order = service_orders.sign(db, engineer, order_id=order.id, signer_role=role, signer_name=name,
                                        strokes=strokes, image_png=png)
    return_visits.plan_periodic_visits(db, desk)
    due = return_visits.due_visits(db, desk, within_days=400)
    for visit in due[:3]:  # a few already made, one of them unhappy
        return_visits.record_visit(db, desk, visit_id=visit.id, version=visit.version, channel=VisitChannel.PHONE,
                                   score=5 if visit is not due[2] else 2, comments="" if visit is not due[2]
                                   else "维修后噪音仍然较大", branch_code=branch_code)
    _fall_behind(db, due[3:9])
    return made


def _registered_before(db: Database, order_id: int, moment) -> None:
    """The request came in before its appointment (the services stamp it now): the response times of the
    demo's orders are then what a branch sees, not negative."""
    with db.uow(SYSTEM) as uow:
        uow.session.execute(update(ServiceOrder).where(ServiceOrder.id == order_id, ServiceOrder.created_at > moment)
                            .values(created_at=moment))
        uow.commit()


def _fall_behind(db: Database, visits: list[return_visits.VisitRow]) -> None:
    """A desk that fell behind: a few visits were due days ago, so the due list has overdue rows in red."""
    with db.uow(SYSTEM) as uow:
        for visit, days in zip(visits, (1, 2, 3, 5, 8, 12), strict=False):
            uow.session.execute(update(ReturnVisit).where(ReturnVisit.id == visit.id)
                                .values(due_on=visit.due_on - timedelta(days=days)))
        uow.commit()
