"""Five years of after-sales history for the large demo, so the monthly KPIs, the lists and the benchmarks
meet the volumes a busy branch piles up: about 300,000 service orders (every state, a few corrected by a
revision), 60,000 complaints (every state, with the steps' timestamps in order), the return visits with
their scores (a dissatisfied answer opens a complaint, as the visit service does), approved, pending and
rejected cost lines, and the parts issued against the orders with their receipts, lots and balances.

Written with Core inserts of many rows at a time (desktop/db/bulk.insert_many: executemany on SQLite, one
statement over arrays on PostgreSQL) inside the demo's single transaction, a month at a time, with progress
and cancel; the demo records one audit entry for the whole history instead of one per row.

What the history is consistent with:
- every record's times follow its workflow (a complaint is acknowledged after it is received, assessed after
  that …; an order is dispatched, reached, finished and signed in that order), and work still running today
  stops in the state it has reached now — so the recent weeks hold open and overdue items and the old
  months are closed, apart from a few that stalled (the ageing table's long rows);
- numbers are TS-/FW-/RK-/CK-<branch>-<yyyymm>-<seq> in time order per month, and the counters continue
  after them, so complaints and orders registered afterwards through the services number on;
- orders and complaints concern products bought before the order (a pool of every eighth product,
  chosen among those purchased before the day);
- parts: every month of history before the demo warehouse's own year gets one receipt lot per part used
  that month, at 07:00 on the 1st, and the month's issue slips (reference = the order number) take from
  it, so each history lot ends at 0, balances equal the ledger and first-in first-out holds (older lots
  are empty before a newer one is touched; the warehouse's year starts after the last history lot);
- signatures of history orders are on paper (no drawn image is stored: 500,000 images would weigh more than
  the rest of the database), bound to the slip's content by its SHA-256 like any signature.

Left out: periodic visits to important customers, reopened complaints, and attachments.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Table, func, select

from desktop.db.bulk import after_explicit_ids, insert_many
from desktop.domain.complaints import (
    Action,
    Bearer,
    Channel,
    Complaint,
    ComplaintClass,
    ComplaintCost,
    ComplaintEvent,
    CostKind,
    CostState,
    RecourseRoute,
    ResponseType,
    Status,
    TimeLimits,
    due_at,
)
from desktop.domain.customers import Customer, Product
from desktop.domain.records import Counter
from desktop.domain.roles import Role
from desktop.domain.service_orders import (
    VISIT_AFTER_DAYS,
    EngineerProfile,
    OrderCategory,
    OrderEvent,
    OrderPart,
    OrderStatus,
    ReturnVisit,
    ServiceOrder,
    Signature,
    Urgency,
    VisitChannel,
    VisitKind,
)
from desktop.domain.users import User
from desktop.domain.warehouse import Lot, MovementKind, Part, StockBalance, StockDocument, StockMovement
from desktop.i18n import translate
from desktop.services.demo_complaints import STORIES

Progress = Callable[[int, int, str], bool]

YEARS = 5
ORDERS_PER_YEAR = 60_000
COMPLAINTS_PER_YEAR = 10_500  # plus those the dissatisfied return visits open: about 12,000 a year in all
PRODUCT_POOL_EVERY = 8  # orders and complaints concern every eighth product (about 195,000 of 1.56 million)
DISSATISFIED = 2  # a visit scored this or lower opens a complaint (desktop.services.return_visits)

EXTRA_ENGINEERS = (("engineer3", "王磊"), ("engineer4", "陈杰"), ("engineer5", "杨洋"), ("engineer6", "黄涛"),
                   ("engineer7", "赵勇"), ("engineer8", "吴超"), ("engineer9", "周鹏"), ("engineer10", "徐浩"),
                   ("engineer11", "孙明"), ("engineer12", "马俊峰"))
AREAS = ("广东省广州市", "广东省佛山市", "广东省东莞市", "广东省深圳市", "广西壮族自治区南宁市")

# category, weight, hours from dispatch to appointment (range), hours the work may take (committed)
CATEGORIES = (
    (OrderCategory.TROUBLESHOOTING, 30, (3, 36), 4),
    (OrderCategory.EMERGENCY_REPAIR, 12, (0.5, 3), 3),
    (OrderCategory.PREVENTIVE, 18, (48, 240), 4),
    (OrderCategory.INSTALLATION, 15, (24, 168), 6),
    (OrderCategory.PARTS_REPLACEMENT, 15, (6, 72), 3),
    (OrderCategory.CONSULTATION, 10, (2, 24), 2),
)
REPAIRS = {OrderCategory.TROUBLESHOOTING, OrderCategory.EMERGENCY_REPAIR, OrderCategory.PARTS_REPLACEMENT}
REQUESTS = {
    ("ac", OrderCategory.TROUBLESHOOTING): ("空调开机后不制冷，室外机不启动", "室内机漏水，滴到地板上", "空调显示E1故障代码，无法开机"),
    ("mc", OrderCategory.TROUBLESHOOTING): ("空压机排气温度高，频繁报警停机", "冷水机组出水温度波动大", "加工中心换刀时有异响"),
    ("ac", OrderCategory.EMERGENCY_REPAIR): ("中央空调主机停机，机房温度持续升高", "商场空调全部停机，急需维修"),
    ("mc", OrderCategory.EMERGENCY_REPAIR): ("数控车床主轴报警，生产线停产", "空压机突然停机，车间无气源"),
    ("ac", OrderCategory.PREVENTIVE): ("空调换季清洗保养", "中央空调季度预防性维护"),
    ("mc", OrderCategory.PREVENTIVE): ("空压机运行2000小时保养", "冷水机组季度预防性保养", "数控设备半年度精度检查"),
    ("ac", OrderCategory.INSTALLATION): ("新购空调预约安装", "空调移机重新安装"),
    ("mc", OrderCategory.INSTALLATION): ("新购设备安装调试", "设备搬迁后重新安装调试"),
    ("ac", OrderCategory.PARTS_REPLACEMENT): ("遥控器损坏，更换遥控器", "更换室内机风扇电机", "更换主控板"),
    ("mc", OrderCategory.PARTS_REPLACEMENT): ("空压机油气分离器到期更换", "更换空气滤芯和机油滤芯", "更换主轴轴承"),
    ("ac", OrderCategory.CONSULTATION): ("咨询变频空调除湿模式的使用方法", "咨询空调节能设置"),
    ("mc", OrderCategory.CONSULTATION): ("咨询设备保养周期和润滑油型号", "咨询数控系统参数备份方法"),
}
WORK = {
    "ac": (("启动电容容量下降，压缩机无法启动", "更换启动电容，检测运行电流正常"),
           ("冷媒不足，焊点渗漏", "补焊并加注冷媒，试机制冷正常"),
           ("排水管堵塞", "疏通排水管，试机不再漏水"),
           ("温度传感器阻值漂移", "更换温度传感器，试机正常"),
           ("滤网脏堵，换热效果差", "清洗滤网和蒸发器，检查运行参数")),
    "mc": (("油气分离器堵塞，排气温度高", "更换油气分离器和机油滤芯，运行正常"),
           ("主轴轴承磨损", "更换深沟球轴承，调整预紧力"),
           ("交流接触器触点烧蚀", "更换交流接触器，检查线路"),
           ("V带松弛打滑", "更换V带并张紧"),
           ("润滑不良", "清洗油路，加注润滑油")),
}
REMAINING = ("需订购主控板，下次上门更换", "客户要求观察一周后复查", "电源电压不稳，建议客户加装稳压器")
ADVICE = ("定期清洗过滤网", "按保养周期更换滤芯", "注意设备通风散热", "")
VISIT_COMMENTS_GOOD = ("服务及时，态度好", "师傅很专业", "", "", "")
VISIT_COMMENTS_BAD = ("维修后噪音仍然较大", "上门时间比约定晚了很久", "收费解释不清楚", "问题没有彻底解决")
ASSESSMENTS = ("初步判断为产品故障，需工程师现场确认", "初步判断为安装不规范所致", "客户使用不当，需上门说明",
               "需技术部门分析原因")
CAUSES = (("冷媒管焊点渗漏导致缺氟", "制造部", "焊接班组"), ("安装时排水管坡度不足", "安装工程部", "安装队"),
          ("运输途中包装受损", "物流部", "承运商"), ("主控板元件批次质量问题", "质量管理部", "来料检验组"),
          ("工程师上门迟到，沟通不到位", "售后服务部", "调度组"))
DECISIONS = ("免费上门维修，并延长整机保修半年", "更换故障零部件", "按合同约定赔偿客户损失", "向客户书面道歉并加强培训",
             "提供技术支持与使用指导")
DEPARTMENTS = {Bearer.BRANCH: ("售后服务部", "安装工程部"), Bearer.COMPANY: ("销售部", "质量管理部"),
               Bearer.MANUFACTURING: ("制造部", "质量管理部"), Bearer.CUSTOMER: ("售后服务部",)}
COSTS = ((CostKind.TRAVEL, 60, 300), (CostKind.LODGING, 150, 450), (CostKind.ALLOWANCE, 50, 200),
         (CostKind.REPAIR, 100, 1800), (CostKind.PARTS, 50, 4800), (CostKind.TRANSPORT, 80, 800),
         (CostKind.PACKAGING, 20, 200), (CostKind.COMPENSATION, 300, 8000))
APPROVAL_LIMITS = {Role.ENGINEER: Decimal(500), Role.AFTER_SALES_ADMIN: Decimal(2000)}


@dataclass
class HistorySummary:
    orders: int = 0
    revisions: int = 0
    complaints: int = 0
    visits: int = 0
    costs: int = 0
    movements: int = 0
    engineers: list[tuple[str, str, Role]] = field(default_factory=list)

    def describe(self) -> str:
        return (f"{self.orders:,} service orders ({self.revisions} revisions), {self.complaints:,} complaints, "
                f"{self.visits:,} return visits, {self.costs:,} cost lines, {self.movements:,} stock movements")


def add_demo_history(session, *, branch_code: str, password_hash: str, progress: Progress, now: datetime | None = None,
                     seed: int = 19) -> HistorySummary | None:
    """Insert the history into the demo's transaction (users, customers, products and the warehouse are in
    it already). Returns None when `progress` asked to stop (the caller rolls back). The volumes are the
    module's constants (tests make them small)."""
    history = _History(session, branch_code, password_hash, progress, now or datetime.now(UTC), YEARS,
                       ORDERS_PER_YEAR, COMPLAINTS_PER_YEAR, PRODUCT_POOL_EVERY, random.Random(seed))
    return history.run()


class _Cancelled(Exception):
    pass


# -- time ----------------------------------------------------------------------------------------------------

_LOCAL = datetime.now().astimezone().tzinfo  # the machine's zone, as numbers and list filters use


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, _LOCAL).astimezone(UTC)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(_LOCAL).date()


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=int(rng.uniform(low, high) * 3600))


# -- the generator --------------------------------------------------------------------------------------------


class _History:
    def __init__(self, session, branch_code, password_hash, progress, now, years, orders_per_year,
                 complaints_per_year, pool_every, rng):
        self.session, self.conn = session, session.connection()
        self.branch, self.password_hash, self.report = branch_code, password_hash, progress
        self.now, self.rng = now, rng
        self.first_day = _month_start(_local_day(now) - timedelta(days=365 * years)) + timedelta(days=7)
        self.orders_per_day = orders_per_year / 365
        self.complaints_per_day = complaints_per_year / 365
        self.pool_every = pool_every
        self.summary = HistorySummary()
        self.counters: dict[str, int] = {}
        self.limits = TimeLimits()  # a new demo database has the default time limits
        self.what_orders = translate("Demo", "Service order history")

    # -- set-up ----------------------------------------------------------------------------------------------

    def run(self) -> HistorySummary | None:
        try:
            self._people()
            self._pool()
            self._stock_setup()
            self._months()
        except _Cancelled:
            return None
        self._finish()
        return self.summary

    def _people(self) -> None:
        for username, name in EXTRA_ENGINEERS:
            self.session.add(User(username=username, display_name=name, role=Role.ENGINEER.value,
                                  password_hash=self.password_hash))
            self.summary.engineers.append((username, name, Role.ENGINEER))
        self.session.flush()
        users = {u.username: u for u in self.session.scalars(select(User))}
        for index, (username, _) in enumerate(EXTRA_ENGINEERS):
            skills = [c.value for c, *_ in CATEGORIES if index % 3 or c != OrderCategory.INSTALLATION]
            self.session.add(EngineerProfile(user_id=users[username].id, area=AREAS[index % len(AREAS)], skills=skills))
        self.session.flush()
        self.user_id = {name: u.id for name, u in users.items()}
        self.display = {name: u.display_name for name, u in users.items()}
        self.engineers = ["engineer", "engineer2", *(name for name, _ in EXTRA_ENGINEERS)]
        self.desk = ("operator", "operator2")

    def _pool(self) -> None:
        """Every n-th product with what orders and complaints copy from it, by purchase date."""
        p, c = Product, Customer
        rows = self.session.execute(
            select(p.id, p.customer_id, p.category, p.model, p.serial_number, p.purchase_date, p.invoice_number,
                   p.warranty_end, p.contract_number, c.name, c.kind, c.contact_person, c.phone)
            .join(c, c.id == p.customer_id).where(p.id % self.pool_every == 0, p.purchase_date.is_not(None))).all()
        rows.sort(key=lambda r: r.purchase_date)
        self.pool = rows
        self.pool_days = [r.purchase_date for r in rows]

    def _product(self, moment: datetime):
        """A product bought before the day of `moment` (the first week of history may reuse the oldest)."""
        bought = bisect_right(self.pool_days, _local_day(moment) - timedelta(days=1))
        return self.pool[self.rng.randrange(max(bought, min(20, len(self.pool))))]

    def _stock_setup(self) -> None:
        """Parts with a home bin in the demo warehouse, by family; the history's stock months end where the
        warehouse's own year begins."""
        first_movement = self.session.scalar(select(func.min(StockMovement.at)))
        self.stock_end = _local_midnight(_month_start(_local_day(first_movement))) if first_movement else None
        homes = self.session.execute(select(Lot.part_id, func.min(Lot.bin_id)).group_by(Lot.part_id)).all()
        costs = dict(self.session.execute(select(Part.id, Part.unit_cost)).all())
        codes = dict(self.session.execute(select(Part.id, Part.code)).all())
        self.part_bin = dict(homes)
        self.part_cost = costs
        self.part_names = dict(self.session.execute(select(Part.id, Part.name)).all())
        self.family_parts = {"ac": [], "mc": [], "gn": []}
        for part_id, _ in homes:
            self.family_parts[{"AC": "ac", "MC": "mc"}.get(codes[part_id][:2], "gn")].append(part_id)
        self.lots: dict[tuple[date, int], Decimal] = {}  # (month, part) → quantity issued that month
        self.month_issues: dict[date, list] = {}  # month → [(issued at, order)]
        self.next_ids = {
            "document": (self.session.scalar(select(func.max(StockDocument.id))) or 0) + 1,
            "lot": (self.session.scalar(select(func.max(Lot.id))) or 0) + 1,
        }

    # -- months ----------------------------------------------------------------------------------------------

    def _months(self) -> None:
        today = _local_day(self.now)
        months = []
        month = _month_start(self.first_day)
        while month <= today:
            months.append(month)
            month = _next_month(month)
        self.order_id = (self.session.scalar(select(func.max(ServiceOrder.id))) or 0) + 1
        self.complaint_id = (self.session.scalar(select(func.max(Complaint.id))) or 0) + 1
        self.visits_waiting: list[dict] = []  # visits whose follow-up complaint is not written yet
        self.complaint_seeds: list[tuple] = []  # heap of (received_at, n, kind, data)
        self.seed_n = 0
        self.last_complaint = None
        for index, month in enumerate(months):
            end = min(_next_month(month), today + timedelta(days=1))
            start = max(month, self.first_day)
            growth = 0.6 + 0.8 * index / max(len(months) - 1, 1)  # the branch grew: 60 % → 140 % of the mean
            orders = self._orders(start, end, growth)
            self._seed_complaints(start, end, growth)
            complaints = self._complaints(_local_midnight(end))
            self._write(orders, complaints)
            self._stock(month)
            if not self.report(index + 1, len(months), self.what_orders):
                raise _Cancelled

    def _days(self, start: date, end: date, per_day: float, growth: float):
        day = start
        while day < end:
            weekend = day.weekday() >= 5
            mean = per_day * growth * (0.55 if weekend else 1.18)
            yield day, max(0, int(self.rng.gauss(mean, mean ** 0.5)))
            day += timedelta(days=1)

    def _business_time(self, day: date, early: int = 8, late: int = 20) -> datetime:
        seconds = self.rng.randrange(early * 3600, late * 3600)
        return datetime.combine(day, time.min, _LOCAL).astimezone(UTC) + timedelta(seconds=seconds)

    # -- service orders --------------------------------------------------------------------------------------

    def _orders(self, start: date, end: date, growth: float) -> list[dict]:
        created = []
        for day, count in self._days(start, end, self.orders_per_day, growth):
            created += [self._business_time(day) for _ in range(count)]
        created = [moment for moment in created if moment < self.now]
        created.sort()
        orders = []
        for moment in created:
            orders.append(self._order(moment))
        return orders

    def _order(self, created: datetime) -> dict:
        rng = self.rng
        category, _, lead, work_hours = rng.choices(CATEGORIES, weights=[c[1] for c in CATEGORIES])[0]
        product = self._product(created)
        family = "mc" if product.category == "machinery" else "ac"
        request = rng.choice(REQUESTS[(family, category)])
        series = f"order:{self.branch}:{created.astimezone(_LOCAL):%Y%m}"
        self.counters[series] = self.counters.get(series, 0) + 1
        number = f"FW-{self.branch}-{created.astimezone(_LOCAL):%Y%m}-{self.counters[series]:04d}"
        desk = rng.choice(self.desk)
        in_warranty = product.warranty_end is not None and _local_day(created) <= product.warranty_end
        coverage, rule = self._coverage(product, created, in_warranty)
        engineer = rng.choice(self.engineers)
        urgency = Urgency.EMERGENCY if category == OrderCategory.EMERGENCY_REPAIR else (
            Urgency.URGENT if rng.random() < 0.1 else Urgency.NORMAL)
        order = {
            "id": self.order_id, "number": number, "revision": 1, "previous_id": None, "branch_code": self.branch,
            "customer_id": product.customer_id, "product_id": product.id,
            "contact_name": product.contact_person or product.name, "contact_phone": product.phone,
            "project": product.contract_number or "", "request": request, "special_requests": "",
            "category": category.value, "urgency": urgency.value, "expected_by": None,
            "status": OrderStatus.REGISTERED.value, "coverage_proposed": coverage, "coverage_rule": rule,
            "coverage_decided": coverage, "coverage_decided_by": desk, "engineer_id": None, "appointment_at": None,
            "finish_by": None, "arrived_at": None, "finished_at": None, "confirmed_need": "", "diagnosis": "",
            "measures": "", "labour_fee": Decimal("0.00"), "other_fee": Decimal("0.00"), "fees_agreed": False,
            "remaining_issues": "", "advice": "", "self_check_done": False, "first_time_fix": None,
            "signed_hash": None, "created_by": desk, "created_at": created, "updated_at": created,
            "updated_by": desk, "version": 1,
        }
        self.order_id += 1
        events = [(created, desk, "register", "", {"proposed": coverage, "decided": coverage})]
        extra = {"events": events, "signatures": [], "visits": [], "parts": [], "product": product,
                 "family": family, "engineer": engineer}
        order["_"] = extra

        # The planned course of the work; whatever lies after now has not happened yet.
        dispatched = created + (_hours(rng, 0.1, 1) if category == OrderCategory.EMERGENCY_REPAIR else _hours(rng, 0.3, 6))
        cancelled = rng.random() < 0.02
        # A few wait weeks for a part or for the customer: open and overdue meanwhile (the ageing table).
        stall = timedelta(days=rng.randint(5, 60)) if rng.random() < 0.006 else timedelta(0)
        stall_arrival = stall and rng.random() < 0.5
        if cancelled:
            when = created + _hours(rng, 1, 48)
            if dispatched < when <= self.now:
                self._dispatch(order, dispatched, engineer, lead, work_hours)
            if when <= self.now:
                order["status"] = OrderStatus.CANCELLED.value
                self._step(order, when, desk, "cancel", "客户取消服务请求")
            return order
        if dispatched > self.now:
            return order
        self._dispatch(order, dispatched, engineer, lead, work_hours)
        appointment = order["appointment_at"]
        late = rng.random() < 0.11
        arrived = appointment + (timedelta(minutes=rng.randint(5, 150)) if late else -timedelta(minutes=rng.randint(0, 40)))
        arrived = max(arrived, dispatched + timedelta(minutes=20)) + (stall if stall_arrival else timedelta(0))
        if arrived > self.now:
            return order
        order["arrived_at"], order["status"] = arrived, OrderStatus.ON_SITE.value
        on_time = arrived <= appointment
        self._step(order, arrived, engineer, "arrive", "", {"on_time": on_time})
        needed = work_hours * rng.choice((0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.3))
        finished = arrived + _hours(rng, needed * 0.7, needed * 1.1) + (timedelta(0) if stall_arrival else stall)
        if finished > self.now:
            return order
        diagnosis, measures = rng.choice(WORK[family])
        remaining = rng.choice(REMAINING) if category in REPAIRS and rng.random() < 0.075 else ""
        chargeable = coverage in ("chargeable", "excluded")
        labour = Decimal(rng.choice((80, 120, 150, 200, 300))) if chargeable else Decimal(0)
        order.update(confirmed_need=request, diagnosis=diagnosis if category != OrderCategory.CONSULTATION else "",
                     measures=measures if category != OrderCategory.CONSULTATION else "已电话/现场解答客户问题",
                     labour_fee=labour.quantize(Decimal("0.01")), fees_agreed=chargeable, remaining_issues=remaining,
                     advice=rng.choice(ADVICE), self_check_done=True)
        self._step(order, finished - timedelta(minutes=3), engineer, "record_work", "")
        self._parts(order, chargeable)
        order["finished_at"], order["status"], order["first_time_fix"] = finished, OrderStatus.COMPLETED.value, not remaining
        on_time = on_time and finished <= order["finish_by"]
        self._step(order, finished, engineer, "complete", "", {"on_time": on_time, "first_time_fix": not remaining})
        self._sign(order, finished, refused=rng.random() < 0.006)
        if order["status"] == OrderStatus.SIGNED.value and rng.random() < 0.003:
            extra["revision"] = self._revision(order)
        return order

    def _coverage(self, product, created: datetime, in_warranty: bool) -> tuple[str, str]:
        end = product.warranty_end
        end_text = f"{end.year}年{end.month}月{end.day}日" if end else ""
        if product.category == "machinery":
            if in_warranty:
                return "contract", f"合同保修期内（至{end_text}），按合同免费维修"
            return "chargeable", f"合同保修期已过（至{end_text}）"
        bought = product.purchase_date
        start = f"自发票日期{bought.year}年{bought.month}月{bought.day}日起第{(_local_day(created) - bought).days}天"
        if in_warranty:
            return "warranty", f"{start}，在整机保修期内（至{end_text}），免费修理"
        return "chargeable", f"{start}，已超过整机保修期（至{end_text}），按收费维修处理"

    def _dispatch(self, order: dict, at: datetime, engineer: str, lead: tuple, work_hours: int) -> None:
        rng = self.rng
        if lead[1] <= 4:
            appointment = at + _hours(rng, *lead)
        else:  # a visit booked for a later day, in working hours
            day = _local_day(at + _hours(rng, *lead))
            appointment = self._business_time(day, 8, 17)
            if appointment <= at:
                appointment = at + _hours(rng, 2, 6)
        finish_by = appointment + timedelta(hours=work_hours)
        order.update(engineer_id=self.user_id[engineer], appointment_at=appointment, finish_by=finish_by,
                     status=OrderStatus.DISPATCHED.value)
        desk = order["created_by"]
        self._step(order, at, desk, "dispatch", "", {"engineer": engineer, "appointment_at": appointment.isoformat()})

    def _step(self, order: dict, at: datetime, username: str, action: str, note: str, details=None) -> None:
        order["_"]["events"].append((at, username, action, note, details))
        if action not in ("sign_engineer",):
            order["version"] += 1
        order["updated_at"], order["updated_by"] = at, username

    def _sign(self, order: dict, finished: datetime, *, refused: bool = False) -> None:
        """The engineer signs at once; the customer a few minutes later, which fixes the order and makes
        its return visit due (as services.service_orders does). A few customers never sign."""
        rng, extra = self.rng, order["_"]
        engineer = extra["engineer"]
        signed_by_engineer = finished + timedelta(minutes=1)
        if signed_by_engineer > self.now:
            return
        digest = self._slip_hash(order)
        extra["signatures"].append((order["id"], "engineer", self.display[engineer], signed_by_engineer, digest))
        extra["events"].append((signed_by_engineer, engineer, "sign_engineer", self.display[engineer], None))
        signed = finished + timedelta(minutes=rng.randint(2, 30))
        if refused or signed > self.now:
            return
        name = order["contact_name"]
        extra["signatures"].append((order["id"], "customer", name, signed, digest))
        order["status"], order["signed_hash"] = OrderStatus.SIGNED.value, digest
        self._step(order, signed, engineer, "sign_customer", name)
        self._visit(extra["visits"], order["customer_id"], signed, extra["product"], order_id=order["id"],
                    number=order["number"])

    def _slip_hash(self, order: dict) -> str:
        """SHA-256 of the slip's content as services.service_orders.slip_content writes it."""
        product = order["_"]["product"]
        parts = [[self.part_code(p), self.part_names[p], str(q), str(price), old] for p, q, price, old in order["_"]["parts"]]
        total = (order["labour_fee"] + order["other_fee"] + sum((q * price for _, q, price, _ in order["_"]["parts"]),
                                                                Decimal(0))).quantize(Decimal("0.01"))
        content = {"number": order["number"], "revision": order["revision"], "customer_name": product.name,
                   "product_model": product.model, "serial_number": product.serial_number, "request": order["request"],
                   "category": order["category"], "coverage_decided": order["coverage_decided"],
                   "diagnosis": order["diagnosis"], "measures": order["measures"], "labour_fee": str(order["labour_fee"]),
                   "other_fee": str(order["other_fee"]), "parts": parts, "total": str(total),
                   "remaining_issues": order["remaining_issues"], "advice": order["advice"]}
        return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def part_code(self, part_id: int) -> str:
        return self._codes[part_id] if hasattr(self, "_codes") else self._load_codes()[part_id]

    def _load_codes(self) -> dict:
        self._codes = dict(self.session.execute(select(Part.id, Part.code)).all())
        return self._codes

    def _revision(self, order: dict) -> dict | None:
        """A correction after signing: revision 2 with the same number, signed again (rare)."""
        rng = self.rng
        at = order["updated_at"] + _hours(rng, 20, 240)
        if at > self.now:
            return None
        revision = {k: v for k, v in order.items() if k != "_"}
        revision.update(id=self.order_id, revision=2, previous_id=order["id"], status=OrderStatus.COMPLETED.value,
                        signed_hash=None, created_at=at, updated_at=at, version=1,
                        advice=(order["advice"] + "；" if order["advice"] else "") + "补记：已告知客户保修延长")
        self.order_id += 1
        engineer = order["_"]["engineer"]
        revision["_"] = {"events": [(at, engineer, "revise", "补记处理建议", None)], "signatures": [], "visits": [],
                         "parts": list(order["_"]["parts"]), "product": order["_"]["product"],
                         "family": order["_"]["family"], "engineer": engineer}
        self._sign(revision, at + timedelta(minutes=5))
        self.summary.revisions += 1
        return revision

    def _parts(self, order: dict, chargeable: bool) -> None:
        """Parts issued against the order before the work (history months before the warehouse's year)."""
        rng, category = self.rng, OrderCategory(order["category"])
        wanted = 1.0 if category == OrderCategory.PARTS_REPLACEMENT else 0.45 if category in REPAIRS else 0.1
        if self.stock_end is None or rng.random() >= wanted:
            return
        issued_at = max(order["appointment_at"] - timedelta(hours=1), order["created_at"] + timedelta(minutes=10))
        month = _month_start(_local_day(issued_at))
        issued_at = max(issued_at, self._receipt_time(month) + timedelta(minutes=10))
        if issued_at >= self.stock_end or issued_at >= order["arrived_at"] + timedelta(hours=8):
            return
        candidates = self.family_parts[order["_"]["family"]] or self.family_parts["gn"]
        if not candidates:
            return
        lines = []
        for part_id in rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 1, 2)))):
            quantity = Decimal(rng.choice((1, 1, 1, 2, 3))).quantize(Decimal("0.01"))
            price = (self.part_cost[part_id] * Decimal("1.5")).quantize(Decimal("0.01")) if chargeable else Decimal("0.00")
            lines.append((part_id, quantity, price, rng.choice(("returned", "returned", "scrapped"))))
        order["_"]["parts"] = lines
        self.month_issues.setdefault(month, []).append((issued_at, order))
        for part_id, quantity, _, _ in lines:
            self.lots[(month, part_id)] = self.lots.get((month, part_id), Decimal(0)) + quantity

    def _receipt_time(self, month: date) -> datetime:
        return _local_midnight(month) + timedelta(hours=7)

    # -- return visits ---------------------------------------------------------------------------------------

    def _visit(self, visits: list, customer_id: int, at: datetime, product, *, order_id=None, complaint_id=None,
               number: str = "") -> None:
        """A visit due 7 days after `at`; most are made around then, scored mostly satisfied."""
        rng = self.rng
        due = _local_day(at) + timedelta(days=VISIT_AFTER_DAYS)
        visit = {"customer_id": customer_id, "order_id": order_id, "complaint_id": complaint_id,
                 "kind": (VisitKind.AFTER_ORDER if order_id else VisitKind.AFTER_COMPLAINT).value, "due_on": due,
                 "done_at": None, "done_by": None, "channel": None, "score": None, "comments": "",
                 "follow_up_complaint_id": None, "version": 1, "_number": number, "_product": product}
        visits.append(visit)
        if rng.random() < 0.08:
            return  # never reached: the response rate is about 92 %
        done = self._business_time(due + timedelta(days=rng.randint(-3, 2)), 9, 19)
        done = max(done, at + timedelta(hours=20))
        if done > self.now:
            return
        score = rng.choices((5, 4, 3, 2, 1), weights=(55, 28, 13, 3, 1))[0]
        comments = rng.choice(VISIT_COMMENTS_BAD) if score <= DISSATISFIED else rng.choice(VISIT_COMMENTS_GOOD)
        who = rng.choice(self.desk)
        visit.update(done_at=done, done_by=who, score=score, comments=comments, version=2,
                     channel=rng.choices((VisitChannel.PHONE, VisitChannel.ON_SITE, VisitChannel.EMAIL),
                                         weights=(85, 10, 5))[0].value)
        if score <= DISSATISFIED:
            visit["_waits"] = True
            self._push_seed(done, "visit", {"visit": visit, "who": who})

    # -- complaints ------------------------------------------------------------------------------------------

    def _push_seed(self, at: datetime, kind: str, data: dict) -> None:
        self.seed_n += 1
        heapq.heappush(self.complaint_seeds, (at, self.seed_n, kind, data))

    def _seed_complaints(self, start: date, end: date, growth: float) -> None:
        for day, count in self._days(start, end, self.complaints_per_day, growth):
            for _ in range(count):
                moment = self._business_time(day, 7, 22)
                if moment < self.now:
                    self._push_seed(moment, "regular", {})

    def _complaints(self, until: datetime) -> list[dict]:
        """Complaints received before `until`, in time order; a complaint's own dissatisfied visit can seed
        another one in the same month."""
        made = []
        while self.complaint_seeds and self.complaint_seeds[0][0] < until:
            received, _, kind, data = heapq.heappop(self.complaint_seeds)
            made.append(self._complaint(received, kind, data))
        return made

    def _complaint(self, received: datetime, kind: str, data: dict) -> dict:
        rng = self.rng
        complaint_id = self.complaint_id
        self.complaint_id += 1
        series = f"complaint:{self.branch}:{received.astimezone(_LOCAL):%Y%m}"
        self.counters[series] = self.counters.get(series, 0) + 1
        number = f"TS-{self.branch}-{received.astimezone(_LOCAL):%Y%m}-{self.counters[series]:04d}"
        duplicate_of = None
        if kind == "visit":
            visit, owner = data["visit"], data["who"]
            visit["follow_up_complaint_id"] = complaint_id
            product = visit["_product"]
            about = translate("Visits", "Return visit for order {number}: ").format(number=visit["_number"]) \
                if visit["_number"] else ""
            description, request, classification = about + visit["comments"], "", ComplaintClass.NON_QUALITY
            channel, severity, safety = Channel.HOTLINE, 2, False
            outcome = "resolved"
        else:
            owner = rng.choices(("operator", "operator2", "asadmin"), weights=(45, 45, 10))[0]
            description, request, classification = rng.choice(STORIES)
            channel = rng.choices(list(Channel), weights=(55, 15, 5, 10, 15))[0]
            severity, safety = rng.choices((1, 2, 3, 4), weights=(25, 45, 22, 8))[0], rng.random() < 0.05
            outcome = rng.choices(("resolved", "unresolved", "escalated", "not_accepted", "withdrawn", "duplicate"),
                                  weights=(79, 4, 2, 7, 5, 3))[0]
            if outcome == "duplicate" and self.last_complaint is not None:
                duplicate_of = self.last_complaint
                product = duplicate_of["_product"]
            else:
                outcome = "resolved" if outcome == "duplicate" else outcome
                product = self._product(received)
        complaint = {
            "id": complaint_id, "number": number, "branch_code": self.branch, "channel": channel.value,
            "received_at": received, "received_by_id": self.user_id[owner], "owner_id": self.user_id[owner],
            "customer_id": product.customer_id, "product_id": product.id, "product_model": product.model,
            "serial_number": product.serial_number.upper(), "purchase_date": product.purchase_date,
            "invoice_number": product.invoice_number, "description": description, "customer_request": request,
            "classification": classification.value, "severity": severity, "safety_hazard": safety,
            "status": Status.REGISTERED.value, "due_at": None, "first_reply_at": None, "assessed_at": None,
            "accepted_at": None, "closed_at": None, "assessment": "", "cause": "", "responsible_department": "",
            "responsible_person": "", "response_type": "", "decision": "", "decided_by_id": None,
            "customer_accepted": None, "recourse_told": None, "escalated": False,
            "duplicate_of_id": duplicate_of["id"] if duplicate_of else None, "contract_clause": "",
            "inspection_verdict": "", "created_at": received + timedelta(seconds=rng.randint(20, 600)),
            "updated_at": received, "updated_by": owner, "version": 1,
        }
        extra = {"events": [(received, owner, Action.REGISTER, None, Status.REGISTERED, "")], "costs": [],
                 "visits": [], "product": product}
        complaint["_"] = extra
        complaint["_product"] = product
        self._course(complaint, outcome, owner, duplicate_of)
        complaint["due_at"] = due_at(Status(complaint["status"]), received_at=received,
                                     accepted_at=complaint["accepted_at"], safety_hazard=safety, limits=self.limits)
        if duplicate_of is None:
            self.last_complaint = complaint
        return complaint

    def _course(self, c: dict, outcome: str, owner: str, duplicate_of: dict | None) -> None:
        """The complaint's steps in order, up to now; a few stall for weeks at some step."""
        rng = self.rng
        at = c["received_at"]
        stall_at = rng.randrange(1, 8) if rng.random() < 0.004 else None
        steps = 0

        def step(hours: tuple[float, float], who: str, action: Action, target: Status | None, note: str = "",
                 change: Callable[[datetime], None] | None = None) -> bool:
            nonlocal at, steps
            steps += 1
            at = at + _hours(rng, *hours)
            if stall_at == steps:
                at += timedelta(days=rng.randint(10, 60))
            if at > self.now:
                return False
            previous = Status(c["status"])
            if change:
                change(at)
            if target is not None:
                c["status"] = target.value
            c["_"]["events"].append((at, who, action, previous, Status(c["status"]), note))
            c["version"] += 1
            c["updated_at"], c["updated_by"] = at, who
            return True

        def close(when: datetime) -> None:
            c["closed_at"] = when

        if outcome == "duplicate":
            step((1, 30), "asadmin", Action.MARK_DUPLICATE, Status.DUPLICATE, duplicate_of["number"], close)
            return
        reply_hours = (0.1, 1.8) if c["safety_hazard"] else rng.choices(((0.3, 12), (12, 24), (24, 60)),
                                                                          weights=(80, 15, 5))[0]
        if not step(reply_hours, owner, Action.ACKNOWLEDGE, Status.ACKNOWLEDGED, "已电话联系客户，说明处理安排",
                    lambda when: c.update(first_reply_at=when)):
            return
        if outcome == "withdrawn":
            step((2, 72), owner, Action.WITHDRAW, Status.WITHDRAWN, "客户来电表示问题已自行解决，撤回投诉", close)
            return
        if not step((2, 40), owner, Action.ASSESS, Status.ASSESSED, rng.choice(ASSESSMENTS),
                    lambda when: c.update(assessed_at=when, assessment=rng.choice(ASSESSMENTS))):
            return
        if outcome == "not_accepted":
            step((1, 20), "manager", Action.REFUSE, Status.NOT_ACCEPTED, "已超出合同约定的保修范围，按有偿服务处理", close)
            return
        if not step((1, 20), "manager", Action.ACCEPT, Status.INVESTIGATING, "同意受理",
                    lambda when: c.update(accepted_at=when)):
            return
        rounds = 2 if outcome == "escalated" else 1
        for round_ in range(rounds):
            cause, department, person = rng.choice(CAUSES)
            investigator = rng.choice(self.engineers + ["asadmin"])
            if not step((4, 40), investigator, Action.RECORD_INVESTIGATION, None, cause,
                        lambda when: c.update(cause=cause, responsible_department=department,
                                              responsible_person=person)):
                return
            if round_ == 0:
                self._costs(c, at, investigator)
            decision = rng.choice(DECISIONS)
            if not step((2, 20), "manager", Action.DECIDE, Status.DECIDED, decision,
                        lambda when: c.update(response_type=rng.choice(list(ResponseType)).value, decision=decision,
                                              decided_by_id=self.user_id["manager"])):
                return
            if not step((1, 10), owner, Action.COMMUNICATE, Status.COMMUNICATED, "已电话告知客户处理方案"):
                return
            accepts = outcome == "resolved" or (outcome == "escalated" and round_ == 1)
            if accepts:
                if not step((2, 36), owner, Action.CUSTOMER_ACCEPTS, Status.EXECUTING, "",
                            lambda when: c.update(customer_accepted=True)):
                    return
                if step((4, 40), "asadmin", Action.CLOSE_RESOLVED, Status.CLOSED_RESOLVED, "处理完毕，客户确认", close):
                    self._visit(c["_"]["visits"], c["customer_id"], at, c["_"]["product"], complaint_id=c["id"])
                return
            if not step((2, 36), owner, Action.CUSTOMER_REJECTS, Status.REJECTED, "客户要求整机更换",
                        lambda when: c.update(customer_accepted=False)):
                return
            if outcome == "unresolved":
                routes = [RecourseRoute.NEGOTIATION.value, RecourseRoute.CONSUMER_ASSOCIATION.value]
                if step((24, 240), "asadmin", Action.CLOSE_UNRESOLVED, Status.CLOSED_UNRESOLVED, "已书面告知客户救济途径",
                        lambda when: (c.update(recourse_told=routes), close(when))):
                    self._visit(c["_"]["visits"], c["customer_id"], at, c["_"]["product"], complaint_id=c["id"])
                return
            if not step((12, 72), "asadmin", Action.ESCALATE, Status.INVESTIGATING, "升级至质量管理部复核",
                        lambda when: c.update(escalated=True)):
                return

    def _costs(self, c: dict, at: datetime, enterer: str) -> None:
        """One to three cost lines entered with the investigation; above the enterer's limit they wait for
        the branch manager, who approves most of them."""
        rng = self.rng
        role = Role.AFTER_SALES_ADMIN if enterer == "asadmin" else Role.ENGINEER
        kinds = [COSTS[0]] + rng.sample(COSTS[1:], k=rng.choice((0, 1, 1, 2)))
        for kind, low, high in kinds:
            entered = at + _hours(rng, 0, 24)
            if entered > self.now:
                continue
            amount = Decimal(rng.randint(low * 100, high * 100)) / 100
            bearer = rng.choices(list(Bearer), weights=(35, 20, 35, 10))[0]
            line = {"complaint_id": c["id"], "kind": kind.value, "amount": amount, "bearer": bearer.value,
                    "allocation_department": rng.choice(DEPARTMENTS[bearer]), "note": "",
                    "state": CostState.APPROVED.value, "entered_by_id": self.user_id[enterer], "entered_at": entered,
                    "approved_by_id": self.user_id[enterer], "approved_at": entered, "version": 1}
            if amount > APPROVAL_LIMITS[role]:
                decided = entered + _hours(rng, 2, 48)
                if decided > self.now:
                    line.update(state=CostState.PENDING.value, approved_by_id=None, approved_at=None)
                else:
                    rejected = rng.random() < 0.04
                    line.update(state=(CostState.REJECTED if rejected else CostState.APPROVED).value,
                                approved_by_id=self.user_id["manager"], approved_at=decided, version=2)
            c["_"]["costs"].append(line)

    # -- writing ---------------------------------------------------------------------------------------------

    def _write(self, orders: list[dict], complaints: list[dict]) -> None:
        conn = self.conn
        all_orders = []
        for order in orders:
            all_orders.append(order)
            if order["_"].get("revision"):
                all_orders.append(order["_"]["revision"])
        _put(conn, ServiceOrder.__table__, [{k: v for k, v in o.items() if k != "_"} for o in all_orders])
        _put(conn, OrderEvent.__table__, [
            {"order_id": o["id"], "at": at, "username": who, "action": action, "note": note, "details": details}
            for o in all_orders for at, who, action, note, details in o["_"]["events"]])
        _put(conn, Signature.__table__, [
            {"order_id": order_id, "signer_role": role, "signer_name": name, "signed_at": at, "strokes": None,
             "image_png": None, "content_hash": digest, "paper_attachment_id": None}
            for o in all_orders for order_id, role, name, at, digest in o["_"]["signatures"]])
        self.summary.orders += len(orders)
        rows = [{k: v for k, v in c.items() if k not in ("_", "_product")} for c in complaints]
        _put(conn, Complaint.__table__, rows)
        _put(conn, ComplaintEvent.__table__, [
            {"complaint_id": c["id"], "at": at, "user_id": self.user_id[who], "username": who, "action": action.value,
             "from_status": previous.value if previous else None, "to_status": target.value, "note": note,
             "details": None}
            for c in complaints for at, who, action, previous, target, note in c["_"]["events"]])
        costs = [line for c in complaints for line in c["_"]["costs"]]
        _put(conn, ComplaintCost.__table__, costs)
        self.summary.complaints += len(complaints)
        self.summary.costs += len(costs)
        # Visits whose dissatisfied answer opened a complaint wait until that complaint is written.
        self.visits_waiting += [v for o in all_orders for v in o["_"]["visits"]]
        self.visits_waiting += [v for c in complaints for v in c["_"]["visits"]]
        ready = [v for v in self.visits_waiting if not v.get("_waits") or v["follow_up_complaint_id"] is not None]
        self.visits_waiting = [v for v in self.visits_waiting if v.get("_waits") and v["follow_up_complaint_id"] is None]
        _put(conn, ReturnVisit.__table__, [{k: v for k, v in visit.items() if not k.startswith("_")} for visit in ready])
        self.summary.visits += len(ready)

    def _stock(self, processed: date) -> None:
        """Write the receipt lots and issue slips of every stock month complete by now: its orders were all
        made (an issue lies after its order's creation, so later orders cannot add to an earlier month)."""
        done = sorted({month for month, _ in self.lots if month <= processed})
        for month in done:
            keys = sorted(part for m, part in self.lots if m == month)
            received = self._receipt_time(month)
            documents, lots, movements, balances, order_parts = [], [], [], [], []
            lot_of = {}
            for part_id in keys:
                quantity = self.lots.pop((month, part_id))
                doc_id, number = self._document("RK", month)
                documents.append({"id": doc_id, "number": number, "kind": MovementKind.RECEIPT.value, "at": received,
                                  "username": "warehouse", "purpose": "supplier",
                                  "reference": f"GYS-{month:%Y%m}01-{part_id % 97 + 1:02d}", "receiver": "", "reason": ""})
                lot_id = self.next_ids["lot"]
                self.next_ids["lot"] += 1
                cost, bin_id = self.part_cost[part_id], self.part_bin[part_id]
                lots.append({"id": lot_id, "part_id": part_id, "bin_id": bin_id, "received_on": month,
                             "unit_cost": cost, "supplier_document": documents[-1]["reference"]})
                movements.append({"document_id": doc_id, "kind": MovementKind.RECEIPT.value, "at": received,
                                  "part_id": part_id, "bin_id": bin_id, "lot_id": lot_id, "quantity": quantity,
                                  "unit_cost": cost, "reverses_id": None})
                balances.append({"lot_id": lot_id, "part_id": part_id, "bin_id": bin_id, "quantity": Decimal("0.00")})
                lot_of[part_id] = lot_id
            # One issue slip per order, numbered in time order; each line takes from the month's lot.
            issues = sorted(self.month_issues.pop(month, []), key=lambda item: (item[0], item[1]["id"]))
            for issued_at, order in issues:
                doc_id, number = self._document("CK", month)
                documents.append({"id": doc_id, "number": number, "kind": MovementKind.ISSUE.value, "at": issued_at,
                                  "username": "warehouse", "purpose": "service_order", "reference": order["number"],
                                  "receiver": self.display[order["_"]["engineer"]], "reason": ""})
                for part_id, quantity, price, old in order["_"]["parts"]:
                    movements.append({"document_id": doc_id, "kind": MovementKind.ISSUE.value, "at": issued_at,
                                      "part_id": part_id, "bin_id": self.part_bin[part_id], "lot_id": lot_of[part_id],
                                      "quantity": -quantity, "unit_cost": self.part_cost[part_id], "reverses_id": None})
                    order_parts.append({"order_id": order["id"], "part_id": part_id, "quantity": quantity,
                                        "unit_price": price, "issue_number": number, "old_part": old})
                    revision = order["_"].get("revision")
                    if revision:
                        order_parts.append({"order_id": revision["id"], "part_id": part_id, "quantity": quantity,
                                            "unit_price": price, "issue_number": number, "old_part": old})
            _put(self.conn, StockDocument.__table__, documents)
            _put(self.conn, Lot.__table__, lots)
            _put(self.conn, StockMovement.__table__, movements)
            _put(self.conn, StockBalance.__table__, balances)
            _put(self.conn, OrderPart.__table__, order_parts)
            self.summary.movements += len(movements)

    def _document(self, prefix: str, month: date) -> tuple[int, str]:
        series = f"stock:{prefix}:{self.branch}:{month:%Y%m}"
        self.counters[series] = self.counters.get(series, 0) + 1
        doc_id = self.next_ids["document"]
        self.next_ids["document"] += 1
        return doc_id, f"{prefix}-{self.branch}-{month:%Y%m}-{self.counters[series]:04d}"

    def _finish(self) -> None:
        # Visits still waiting have a complaint seeded after now: none (seeds are never in the future).
        if self.visits_waiting:
            _put(self.conn, ReturnVisit.__table__, [{k: v for k, v in visit.items() if not k.startswith("_")}
                                                    for visit in self.visits_waiting])
            self.summary.visits += len(self.visits_waiting)
        counter = Counter.__table__
        existing = dict(self.session.execute(select(counter.c.name, counter.c.value)).all())
        clash = set(existing) & set(self.counters)
        if clash:
            raise AssertionError(f"history numbers overlap the warehouse's: {sorted(clash)[:3]}")
        _put(self.conn, counter, [{"name": name, "value": value} for name, value in self.counters.items()])
        after_explicit_ids(self.conn, [ServiceOrder.__table__, Complaint.__table__, StockDocument.__table__,
                                       Lot.__table__])


def _put(conn, table: Table, rows: list[dict], batch: int = 20_000) -> None:
    """Insert dict rows with every column given (raw driver inserts apply no Python-side defaults)."""
    if not rows:
        return
    names = [c.name for c in table.columns if c.name in rows[0] or not (c.primary_key and c.name not in rows[0])]
    defaults = {}
    for column in table.columns:
        if column.name in names and column.name not in rows[0]:
            default = column.default
            defaults[column.name] = default.arg if default is not None and default.is_scalar else None
    for first in range(0, len(rows), batch):
        chunk = rows[first:first + batch]
        insert_many(conn, table, names, [tuple(row.get(name, defaults.get(name)) for name in names) for row in chunk])
