"""Realistic Chinese demo records, generated deterministically (same seed, same data). Pure Python."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from desktop.domain.customers import CustomerKind, Importance
from desktop.domain.identity import credit_code_check_char, id_card_check_char
from desktop.domain.privacy import search_text

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文辉鹏飞宇浩然思雨欣怡轩梓涵晨阳佳琪俊峰海燕"
REGIONS = {
    ("广东省", "广州市", "440100"): ("天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区"),
    ("广东省", "佛山市", "440600"): ("禅城区", "南海区", "顺德区"),
    ("广东省", "东莞市", "441900"): ("南城街道", "东城街道", "长安镇", "虎门镇"),
    ("广东省", "深圳市", "440300"): ("福田区", "南山区", "宝安区", "龙岗区"),
    ("广西壮族自治区", "南宁市", "450100"): ("青秀区", "兴宁区", "西乡塘区"),
}
STREETS = ("中山大道", "天河北路", "工业大道", "环市东路", "广州大道", "人民路", "建设路", "科技园路", "长江路", "东风路")
ESTATES = ("锦绣花园", "碧桂园", "丽江花园", "翠湖山庄", "保利城", "万科城", "星河湾", "金沙洲小区")
FIRM_WORDS = ("鑫达", "华通", "恒信", "宏远", "金盛", "瑞丰", "永泰", "德胜", "广汇", "新力", "嘉和", "中恒")
FIRM_TRADES = ("机电设备", "制冷工程", "物业管理", "食品", "纺织", "精密机械", "酒店管理", "塑胶制品", "电子科技")

# (category, model, warranty months for the whole unit)
MODELS = (
    ("air_conditioner", "KFR-26GW/BP3DN8Y-PA400(B3)", 12),
    ("air_conditioner", "KFR-35GW/BP3DN8Y-PH400(B1)", 12),
    ("air_conditioner", "KFR-50LW/BP2DN8Y-YA400(B3)", 12),
    ("air_conditioner", "KFR-72LW/BP2DN1Y-LB(1)", 12),
    ("central_ac", "MDV-D140W/N1-610(E1)", 24),
    ("central_ac", "LSQWRF65M/A-H", 24),
    ("machinery", "LG-22/8 螺杆空压机", 12),
    ("machinery", "CK6150 数控车床", 12),
    ("machinery", "XH714 立式加工中心", 18),
    ("machinery", "DLS-200 冷水机组", 24),
)
GRADES = ("合格品", "一等品", "优等品")


class DemoGenerator:
    def __init__(self, seed: int = 2026, today: date | None = None):
        self.rng = random.Random(seed)
        self.today = today or date.today()

    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def mobile(self) -> str:
        return self.rng.choice(("138", "139", "135", "137", "150", "158", "186", "189", "177")) + (
            f"{self.rng.randrange(10**8):08d}"
        )

    def region(self) -> tuple[str, str]:
        (province, city, code), districts = self.rng.choice(list(REGIONS.items()))
        return province + city + self.rng.choice(districts), code

    def id_card(self, area_code: str) -> str:
        born = date(1955, 1, 1) + timedelta(days=self.rng.randrange(365 * 48))
        first17 = f"{area_code[:4]}{self.rng.randrange(1, 20):02d}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + id_card_check_char(first17)

    def credit_code(self, area_code: str) -> str:
        body = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        first17 = f"91{area_code}{body}"
        return first17 + credit_code_check_char(first17)

    def customer(self, customer_id: int, created: datetime) -> dict:
        region, area_code = self.region()
        address = f"{self.rng.choice(STREETS)}{self.rng.randrange(1, 999)}号"
        if self.rng.random() < 0.25:
            city = region[region.index("省") + 1 : region.index("市")] if "省" in region else region[:2]
            name = f"{city}{self.rng.choice(FIRM_WORDS)}{self.rng.choice(FIRM_TRADES)}有限公司"
            kind, contact = CustomerKind.COMPANY, self.person_name()
            id_number = self.credit_code(area_code)
            importance = self.rng.choices(list(Importance), weights=(3, 4, 3))[0]
            phone2 = f"0{self.rng.randrange(20, 770)}-{self.rng.randrange(10**7, 10**8)}"
        else:
            name = self.person_name()
            kind, contact, phone2 = CustomerKind.INDIVIDUAL, "", ""
            id_number = self.id_card(area_code) if self.rng.random() < 0.3 else ""
            importance = self.rng.choices(list(Importance), weights=(1, 3, 16))[0]
            address += f"{self.rng.choice(ESTATES)}{self.rng.randrange(1, 30)}栋{self.rng.randrange(101, 2999)}房"
        return {
            "id": customer_id,
            "kind": kind.value,
            "name": name,
            "contact_person": contact,
            "phone": self.mobile(),
            "phone2": phone2,
            "region": region,
            "address_detail": address,
            "id_number": id_number,
            "importance": importance.value,
            "notes": "",
            "created_at": created,
            "updated_at": created,
            "updated_by": "demo",
            "version": 1,
        }

    def customer_with_products(self, customer_id: int, created: datetime, first_product_id: int) -> tuple[dict, list[dict]]:
        customer = self.customer(customer_id, created)
        products = self.products(customer, first_product_id)
        customer["search_text"] = customer_search_text(customer, products)
        return customer, products

    def products(self, customer: dict, first_id: int) -> list[dict]:
        company = customer["kind"] == CustomerKind.COMPANY.value
        count = self.rng.choice((1, 2, 3, 4)) if company else self.rng.choice((1, 1, 1, 2))
        rows = []
        for offset in range(count):
            category, model, months = self.rng.choice(MODELS if company else MODELS[:4])
            bought = self.today - timedelta(days=self.rng.randrange(3, 5 * 365))
            installed = bought + timedelta(days=self.rng.randrange(0, 8))
            product_id = first_id + offset
            created = datetime.combine(bought, datetime.min.time(), UTC)
            rows.append(
                {
                    "id": product_id,
                    "customer_id": customer["id"],
                    "category": category,
                    "model": model,
                    "serial_number": f"{model[:3].replace('-', '')}{bought:%y%m}{product_id:08d}",
                    "grade": self.rng.choice(GRADES),
                    "purchase_date": bought,
                    "invoice_date": bought,
                    "invoice_number": f"{self.rng.randrange(10**7, 10**8)}",
                    "install_date": installed,
                    "contract_number": f"HT-{bought:%Y}-{product_id:06d}" if company else "",
                    "warranty_end": _add_months(bought, months),
                    "site_address": customer["region"] + customer["address_detail"],
                    "created_at": created,
                    "updated_at": created,
                    "updated_by": "demo",
                    "version": 1,
                }
            )
        return rows


def customer_search_text(customer: dict, products: list[dict]) -> str:
    """What the search box finds a customer by (see Customer.search_text)."""
    return search_text(
        customer["name"],
        customer["contact_person"],
        customer["phone"],
        customer["phone2"],
        *(p["serial_number"] for p in products),
        *(p["contract_number"] for p in products),
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
