"""Customers and service files: search, masking, validation, merge, archive — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.customers import CustomerKind, Importance
from desktop.domain.errors import ConcurrentEdit, PermissionDenied, ValidationError
from desktop.domain.roles import Role
from desktop.domain.users import AuditEntry
from desktop.services import customers
from desktop.services.customers import CustomerInput, ProductInput
from desktop.services.paging import Sort, count_for_label


@pytest.fixture
def operator(any_db, make_user):
    return make_user(any_db, Role.OPERATOR, "lina").actor()


def add(db, actor, name, phone="13812345678", kind=CustomerKind.INDIVIDUAL, **extra):
    return customers.create_customer(db, actor, data=CustomerInput(kind=kind, name=name, phone=phone, **extra))


def names(source, sort="name"):
    return [row.values[1] for row in source.fetch(sort=Sort(sort), after=None, limit=100)]


def test_search_finds_by_any_part_of_name_phone_serial_or_contract(any_db, operator):
    zhang = add(any_db, operator, "张三丰", phone="13912345678")
    firm = add(any_db, operator, "广州鑫达机电设备有限公司", phone="020-87654321", kind=CustomerKind.COMPANY)
    customers.add_product(any_db, operator, customer_id=firm.id, data=ProductInput(
        category="machinery", model="LG-22/8", serial_number="lg2205abc123", contract_number="HT-2025-0042"))
    add(any_db, operator, "李四", phone="13700000000")
    find = lambda text: names(customers.customer_list(any_db, operator, search=text))  # noqa: E731
    assert find("三丰1") == [] and find("张三丰") == ["张三丰"]
    assert find("张") == ["张三丰"]  # one or two characters: the start of the name
    assert find("三丰") == [] and find("张三") == ["张三丰"]
    assert find("45678") == ["张三丰"]  # part of a phone number
    assert find("鑫达机电") == ["广州鑫达机电设备有限公司"]
    assert find("ABC123") == ["广州鑫达机电设备有限公司"]  # serial, any case, full-width too below
    assert find("ＡＢＣ１２３") == ["广州鑫达机电设备有限公司"]
    assert find("ht-2025") == ["广州鑫达机电设备有限公司"]
    assert find("100%") == [] and find("_") == []  # wildcards are text, not patterns
    assert sorted(find("")) == sorted(["张三丰", "广州鑫达机电设备有限公司", "李四"])
    assert zhang.id


def test_lists_mask_phones_and_individual_names_for_roles_without_the_permission(any_db, operator, make_user):
    add(any_db, operator, "张三丰", phone="13912345678", region="广东省广州市天河区", address_detail="天河路1号")
    engineer = make_user(any_db, Role.ENGINEER, "zhang").actor()
    [row] = customers.customer_list(any_db, engineer).fetch(sort=Sort("name"), after=None, limit=10)
    assert row.values[1] == "张**" and row.values[4] == "139****5678" and row.values[5] == "广东省广州市天河区"
    [row] = customers.customer_list(any_db, operator).fetch(sort=Sort("name"), after=None, limit=10)
    assert row.values[1] == "张三丰" and row.values[4] == "139****5678"


def test_opening_a_record_shows_everything_to_the_permitted_and_is_audited(any_db, operator, make_user):
    made = add(any_db, operator, "张三丰", phone="13912345678", address_detail="天河路1号", id_number="11010519491231002X")
    full = customers.get_customer(any_db, operator, made.id)
    assert (full.phone, full.address_detail, full.id_number) == ("13912345678", "天河路1号", "11010519491231002X")
    engineer = make_user(any_db, Role.ENGINEER, "zhang").actor()
    masked = customers.get_customer(any_db, engineer, made.id)
    assert masked.masked and masked.phone == "139****5678" and masked.address_detail == ""
    assert masked.id_number == "110105********002X"
    with any_db.session_factory() as session:
        views = session.scalars(select(AuditEntry.username).where(AuditEntry.action == "view_pii")).all()
    assert views == ["lina"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": "  "}, "name"), ({"phone": "abc"}, "phone"), ({"id_number": "110105194912310021"}, "id_number"),
     ({"kind": CustomerKind.COMPANY, "id_number": "91350100M000100Y44"}, "id_number")],
)
def test_bad_input_is_refused_with_the_field(sqlite_db, make_user, change, field):
    operator = make_user(sqlite_db, Role.OPERATOR).actor()
    data = {"kind": CustomerKind.INDIVIDUAL, "name": "王五", "phone": "13812345678", **change}
    with pytest.raises(ValidationError) as refused:
        customers.create_customer(sqlite_db, operator, data=CustomerInput(**data))
    assert refused.value.field == field
    assert names(customers.customer_list(sqlite_db, operator)) == []


def test_merge_moves_products_and_archives_the_duplicate(any_db, operator):
    keep = add(any_db, operator, "张三丰", phone="13912345678")
    duplicate = add(any_db, operator, "张三丰", phone="", address_detail="天河路1号")
    customers.add_product(any_db, operator, customer_id=duplicate.id,
                          data=ProductInput(category="air_conditioner", model="KFR-35GW", serial_number="SN001",
                                            purchase_date=date(2026, 5, 1), warranty_end=date(2027, 5, 1)))
    merged = customers.merge_customers(any_db, operator, keep_id=keep.id, duplicate_id=duplicate.id)
    assert [p.serial_number for p in merged.products] == ["SN001"] and merged.address_detail == "天河路1号"
    assert names(customers.customer_list(any_db, operator)) == ["张三丰"]
    assert names(customers.customer_list(any_db, operator, search="sn001")) == ["张三丰"]
    archived = customers.get_customer(any_db, operator, duplicate.id)
    assert archived.archived and archived.merged_into_id == keep.id


def test_archived_customers_leave_the_list_but_stay_reachable(any_db, operator):
    made = add(any_db, operator, "王五")
    customers.archive_customer(any_db, operator, customer_id=made.id, version=made.version)
    assert names(customers.customer_list(any_db, operator)) == []
    assert names(customers.customer_list(any_db, operator, include_archived=True)) == ["王五"]
    with pytest.raises(ValidationError, match="archived"):
        customers.update_customer(any_db, operator, customer_id=made.id, version=made.version + 1,
                                  data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="王六"))


def test_two_pcs_editing_one_customer(any_db, operator, make_user):
    other = make_user(any_db, Role.OPERATOR, "zhoumin").actor()
    made = add(any_db, operator, "王五")
    customers.update_customer(any_db, other, customer_id=made.id, version=made.version,
                              data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="王五", importance=Importance.IMPORTANT))
    with pytest.raises(ConcurrentEdit) as conflict:
        customers.update_customer(any_db, operator, customer_id=made.id, version=made.version,
                                  data=CustomerInput(kind=CustomerKind.INDIVIDUAL, name="王五五"))
    assert conflict.value.changed_by == "zhoumin"
    assert customers.get_customer(any_db, operator, made.id).importance is Importance.IMPORTANT


def test_serial_numbers_are_unique_and_found(any_db, operator):
    made = add(any_db, operator, "王五")
    product = ProductInput(category="air_conditioner", model="KFR-35GW", serial_number="sn-1")
    customers.add_product(any_db, operator, customer_id=made.id, data=product)
    with pytest.raises(ValidationError, match="SN-1"):
        customers.add_product(any_db, operator, customer_id=made.id, data=product)
    assert customers.find_by_serial(any_db, operator, "sn-1").customer_id == made.id


def test_roles_without_customer_permissions_are_refused(sqlite_db, make_user):
    keeper = make_user(sqlite_db, Role.WAREHOUSE).actor()
    engineer = make_user(sqlite_db, Role.ENGINEER).actor()
    with pytest.raises(PermissionDenied):
        customers.customer_list(sqlite_db, keeper)
    with pytest.raises(PermissionDenied):
        add(sqlite_db, engineer, "王五")


def test_sorting_and_keyset_pages_agree_with_a_plain_sort(any_db, operator):
    for n in range(30):
        add(any_db, operator, f"客户{n % 7}", phone=f"1380000{n:04d}")
    source = customers.customer_list(any_db, operator)
    for sort in (Sort("name"), Sort("phone", descending=True), Sort("id")):
        seen, after = [], None
        while page := source.fetch(sort=sort, after=after, limit=7):
            seen += page
            after = page[-1].cursor
        assert len(seen) == 30 == source.count()
        everything = source.fetch(sort=sort, after=None, limit=100)
        assert [r.id for r in seen] == [r.id for r in everything]
    by_name = [r.values[1] for r in source.fetch(sort=Sort("name"), after=None, limit=100)]
    assert by_name == sorted(by_name)


def test_export_writes_what_the_filter_shows_as_text_and_logs_it(any_db, make_user, tmp_path):
    import hashlib
    import zipfile

    import openpyxl

    admin = make_user(any_db, Role.AFTER_SALES_ADMIN, "chen").actor()
    add(any_db, admin, "=HYPERLINK(\"http://x\")", phone="13912345678")
    add(any_db, admin, "张三丰", phone="13812345678")
    add(any_db, admin, "李四", phone="13700000000")
    result = customers.export_customers(any_db, admin, search="138", include_archived=False, sort=Sort("name"),
                                        target=tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(result.path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("No.", "Customer") and len(rows) == 2
    assert rows[1][1] == "张三丰" and rows[1][4] == "13812345678"  # the permission shows phones in full
    everyone = customers.export_customers(any_db, admin, search="", include_archived=False, sort=Sort("name"),
                                          target=tmp_path / "all.xlsx")
    formula_cell = next(c for c in openpyxl.load_workbook(everyone.path).active["B"] if str(c.value).startswith("="))
    assert formula_cell.data_type == "s"
    with zipfile.ZipFile(everyone.path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    with any_db.session_factory() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)).all()
    assert [e.after["rows"] for e in logged] == [1, 3]
    assert logged[0].after["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert "138" in logged[0].after["filter"] and logged[0].username == "chen"


def test_export_needs_the_export_permission(sqlite_db, make_user, tmp_path):
    operator = make_user(sqlite_db, Role.OPERATOR).actor()
    with pytest.raises(PermissionDenied):
        customers.export_customers(sqlite_db, operator, search="", include_archived=False, sort=Sort("name"),
                                   target=tmp_path / "c.xlsx")
    assert not (tmp_path / "c.xlsx").exists()


def test_frequent_and_rare_search_texts_find_the_same_customers(any_db, operator, monkeypatch):
    from desktop.db import search_index

    for n in range(6):
        add(any_db, operator, f"王{n}号", phone=f"1390000{n:04d}")
    add(any_db, operator, "李四", phone="13700000000")
    expected = names(customers.customer_list(any_db, operator, search="1390000"))
    assert len(expected) == 6
    monkeypatch.setattr(search_index, "PAGE", 1)  # √(1 × 7 rows) = 2 < 6 matches: "1390000" is frequent
    assert names(customers.customer_list(any_db, operator, search="1390000")) == expected
    assert names(customers.customer_list(any_db, operator, search="13700")) == ["李四"]


def test_a_searchs_row_count_stops_past_the_cap_while_the_whole_list_and_exports_count_all(any_db, operator):
    for n in range(6):
        add(any_db, operator, f"佛山华通机械{n}厂", phone=f"1380000{n:04d}", kind=CustomerKind.COMPANY)
    add(any_db, operator, "李四", phone="13700000000")

    found = customers.customer_list(any_db, operator, search="通机械", count_cap=4)
    assert count_for_label(found) == 5  # more than 4: the list reads "4+ rows"
    assert found.count() == 6  # an export of the same search counts every row
    assert count_for_label(customers.customer_list(any_db, operator, search="通机械", count_cap=6)) == 6
    whole = customers.customer_list(any_db, operator, count_cap=4)
    assert whole.count_cap is None and count_for_label(whole) == 7  # no search: always exact
    assert customers.customer_list(any_db, operator, search="李四").count_cap == customers.SEARCH_COUNT_CAP


def test_typing_on_reuses_what_the_index_said_about_the_shorter_text(sqlite_db, make_user):
    from sqlalchemy import event

    operator = make_user(sqlite_db, Role.OPERATOR).actor()
    add(sqlite_db, operator, "东莞鑫达机电设备有限公司", phone="0769-22334455", kind=CustomerKind.COMPANY)
    add(sqlite_db, operator, "鑫达贸易", phone="0769-22330000", kind=CustomerKind.COMPANY)
    probes: list[str] = []
    event.listen(sqlite_db.read_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: probes.append(statement) if "LIMIT" in statement
                 and "customer_fts" in statement and "count(" in statement else None)

    assert names(customers.customer_list(sqlite_db, operator, search="鑫达机")) == ["东莞鑫达机电设备有限公司"]
    assert len(probes) == 1
    # A longer text contains the rare one: just as rare, the index is not asked how rare again.
    assert names(customers.customer_list(sqlite_db, operator, search="鑫达机电")) == ["东莞鑫达机电设备有限公司"]
    assert names(customers.customer_list(sqlite_db, operator, search="2233")) == sorted(
        ["东莞鑫达机电设备有限公司", "鑫达贸易"])
    assert len(probes) == 2  # "2233" is no longer text of anything asked before
