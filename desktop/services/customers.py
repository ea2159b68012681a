"""Customers and their service files: find, open, create, edit, merge, archive (never delete).

Lists always mask phones and addresses; an individual's name is masked for roles without the personal-data
permission (domain.md §10). The open record shows everything to roles with that permission, and opening it
is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from desktop.db.search_index import customer_matches
from desktop.db.uow import Actor, Database, check_version
from desktop.domain.base import utcnow
from desktop.domain.customers import Customer, CustomerKind, Importance, Product
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.identity import credit_code_problem, id_card_problem
from desktop.domain.privacy import mask_id_number, mask_name, mask_phone, normalize_query, search_text
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import allowed, require
from desktop.services.exports import ExportResult, Progress, export_list
from desktop.services.paging import KeysetSource, ListColumn, Sort

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
# A search counts its matches up to here and then reads "10,000+": a text found in most of a million
# customers (a model's prefix) would otherwise count them all after every keystroke. The whole list, which
# people do ask the size of, is counted exactly.
SEARCH_COUNT_CAP = 10_000

CUSTOMER_COLUMNS = (
    ListColumn("id", "No.", width=8),
    ListColumn("name", "Customer", width=24, searched=True),
    ListColumn("kind", "Type", width=8),
    ListColumn("contact_person", "Contact", width=10, searched=True),
    ListColumn("phone", "Phone", width=14, searched=True),
    ListColumn("region", "Region", width=20),
    ListColumn("importance", "Importance", width=10),
    ListColumn("created_at", "Registered", width=16),
)


@dataclass(frozen=True)
class CustomerInput:
    kind: CustomerKind
    name: str
    contact_person: str = ""
    phone: str = ""
    phone2: str = ""
    region: str = ""
    address_detail: str = ""
    id_number: str = ""
    importance: Importance = Importance.ORDINARY
    notes: str = ""


@dataclass(frozen=True)
class ProductInput:
    category: str
    model: str
    serial_number: str
    grade: str = ""
    purchase_date: date | None = None
    invoice_date: date | None = None
    invoice_number: str = ""
    install_date: date | None = None
    contract_number: str = ""
    warranty_end: date | None = None
    site_address: str = ""


@dataclass(frozen=True)
class ProductRecord(ProductInput):
    id: int = 0
    customer_id: int = 0
    archived: bool = False
    version: int = 1


@dataclass(frozen=True)
class CustomerRecord(CustomerInput):
    id: int = 0
    masked: bool = True  # True: personal data is masked because the user may not see it
    archived: bool = False
    merged_into_id: int | None = None
    created_at: datetime | None = None
    version: int = 1
    products: tuple[ProductRecord, ...] = field(default_factory=tuple)


def customer_list(
    db: Database, actor: Actor, *, search: str = "", include_archived: bool = False, unmasked: bool = False,
    count_cap: int = SEARCH_COUNT_CAP,
) -> KeysetSource:
    """The customer list as a keyset source: filtered and sorted in SQL, masked for the screen.
    `unmasked` (exports by users with the personal-data permission) shows phones and names in full.
    A search's row-count label counts at most `count_cap` matches ("10,000+"); exports count them all."""
    require(actor, Permission.CUSTOMER_READ)
    if unmasked:
        require(actor, Permission.PII_VIEW)
    shown = (Customer.name, Customer.kind, Customer.contact_person, Customer.phone, Customer.region,
             Customer.importance, Customer.created_at)
    rows = select(Customer.id, Customer.id.label("number"), *shown)
    query = normalize_query(search)
    if query:
        rows = rows.where(*customer_matches(db, query))
    if not include_archived:
        rows = rows.where(Customer.archived_at.is_(None))
    sort = {"id": Customer.id, **{column.key: column for column in shown}}
    full_names = allowed(actor, Permission.PII_VIEW)

    kinds = {kind.value: _kind_label(kind) for kind in CustomerKind}  # labels once, not once per row
    levels = {level.value: level.label for level in Importance}

    def present(values: tuple) -> tuple:
        customer_id, name, kind, contact, phone, region, importance, created = values
        if kind == CustomerKind.INDIVIDUAL and not full_names:
            name = mask_name(name)
        return (customer_id, name, kinds[kind], mask_name(contact) if not full_names else contact,
                phone if unmasked else mask_phone(phone), region, levels[importance], created)

    return KeysetSource(
        db,
        columns=CUSTOMER_COLUMNS,
        id_column=Customer.id,
        select_rows=rows,
        sort_columns=sort,
        present=present,
        count_cap=count_cap if query else None,
    )


def export_customers(
    db: Database, actor: Actor, *, search: str, include_archived: bool, sort: Sort, target: Path,
    progress: Progress | None = None,
) -> ExportResult:
    """The customer list as the filter shows it, to Excel; in full only for users who may see personal data."""
    source = customer_list(db, actor, search=search, include_archived=include_archived,
                           unmasked=allowed(actor, Permission.PII_VIEW))
    description = f"search={search!r} include_archived={include_archived} sort={sort.key}{' desc' if sort.descending else ''}"
    return export_list(db, actor, source=source, sort=sort, entity="customers", filter_text=description,
                       sheet_title=translate("Customer", "Customers"), target=target, progress=progress)


def get_customer(db: Database, actor: Actor, customer_id: int) -> CustomerRecord:
    require(actor, Permission.CUSTOMER_READ)
    with db.uow(actor) as uow:
        customer = _get(uow.session, customer_id)
        full = allowed(actor, Permission.PII_VIEW)
        if full:
            uow.audit("view_pii", "customers", customer.id, summary=customer.name)
            uow.commit()
        return _record(uow.session, customer, masked=not full)


def create_customer(db: Database, actor: Actor, *, data: CustomerInput) -> CustomerRecord:
    require(actor, Permission.CUSTOMER_EDIT)
    data = _validated(data)
    with db.uow(actor) as uow:
        customer = Customer(**_values(data))
        customer.search_text = _search_text(customer, [])
        uow.session.add(customer)
        uow.commit()
        return _record(uow.session, customer, masked=False)


def update_customer(db: Database, actor: Actor, *, customer_id: int, version: int, data: CustomerInput) -> CustomerRecord:
    require(actor, Permission.CUSTOMER_EDIT)
    data = _validated(data)
    with db.uow(actor) as uow:
        customer = _get(uow.session, customer_id)
        check_version(customer, version)
        _refuse_archived(customer)
        for key, value in _values(data).items():
            setattr(customer, key, value)
        customer.search_text = _search_text(customer, _products(uow.session, customer.id))
        uow.commit()
        return _record(uow.session, customer, masked=False)


def archive_customer(db: Database, actor: Actor, *, customer_id: int, version: int) -> None:
    """Customers are archived, never deleted: their history stays reachable (one case, one file)."""
    require(actor, Permission.CUSTOMER_EDIT)
    with db.uow(actor) as uow:
        customer = _get(uow.session, customer_id)
        check_version(customer, version)
        _refuse_archived(customer)
        customer.archived_at = utcnow()
        uow.commit()


def merge_customers(db: Database, actor: Actor, *, keep_id: int, duplicate_id: int) -> CustomerRecord:
    """Move the duplicate's products to the customer kept; the duplicate is archived and points at it."""
    require(actor, Permission.CUSTOMER_EDIT)
    if keep_id == duplicate_id:
        raise ValidationError(translate("Errors", "A customer cannot be merged into itself."), field="duplicate")
    with db.uow(actor) as uow:
        keep, duplicate = _get(uow.session, keep_id), _get(uow.session, duplicate_id)
        _refuse_archived(keep)
        _refuse_archived(duplicate)
        for product in _products(uow.session, duplicate.id):
            product.customer_id = keep.id
        for blank in ("contact_person", "phone", "phone2", "region", "address_detail", "id_number"):
            if not getattr(keep, blank) and getattr(duplicate, blank):
                setattr(keep, blank, getattr(duplicate, blank))
        duplicate.archived_at = utcnow()
        duplicate.merged_into_id = keep.id
        uow.session.flush()
        keep.search_text = _search_text(keep, _products(uow.session, keep.id))
        duplicate.search_text = ""
        uow.audit("merge", "customers", keep.id, summary=f"{duplicate.id} → {keep.id}")
        uow.commit()
        return _record(uow.session, keep, masked=False)


def add_product(db: Database, actor: Actor, *, customer_id: int, data: ProductInput) -> ProductRecord:
    require(actor, Permission.CUSTOMER_EDIT)
    data = _validated_product(data)
    with db.uow(actor) as uow:
        customer = _get(uow.session, customer_id)
        _refuse_archived(customer)
        _refuse_taken_serial(uow.session, data.serial_number, None)
        product = Product(customer_id=customer.id, **_values(data))
        uow.session.add(product)
        uow.session.flush()
        customer.search_text = _search_text(customer, _products(uow.session, customer.id))
        uow.commit()
        return _product_record(product)


def update_product(db: Database, actor: Actor, *, product_id: int, version: int, data: ProductInput) -> ProductRecord:
    require(actor, Permission.CUSTOMER_EDIT)
    data = _validated_product(data)
    with db.uow(actor) as uow:
        product = uow.session.get(Product, product_id)
        if product is None:
            raise NotFound(translate("Errors", "No product with id {id}.").format(id=product_id))
        check_version(product, version)
        _refuse_taken_serial(uow.session, data.serial_number, product.id)
        for key, value in _values(data).items():
            setattr(product, key, value)
        customer = _get(uow.session, product.customer_id)
        uow.session.flush()
        customer.search_text = _search_text(customer, _products(uow.session, customer.id))
        uow.commit()
        return _product_record(product)


def find_by_serial(db: Database, actor: Actor, serial_number: str) -> ProductRecord:
    require(actor, Permission.CUSTOMER_READ)
    with db.session_factory() as session:
        product = session.scalar(select(Product).where(Product.serial_number == serial_number.strip().upper()))
        if product is None:
            raise NotFound(
                translate("Errors", "No product with serial number {serial}.").format(serial=serial_number),
                field="serial_number",
            )
        return _product_record(product)


# -- helpers ---------------------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return translate("Customer", "Company") if kind == CustomerKind.COMPANY else translate("Customer", "Individual")


def _validated(data: CustomerInput) -> CustomerInput:
    name = data.name.strip()
    if not name:
        raise ValidationError(translate("Errors", "Enter the customer's name."), field="name")
    for key in ("phone", "phone2"):
        value = getattr(data, key).strip()
        if value and not _PHONE.match(value):
            raise ValidationError(
                translate("Errors", "Phone number {value}: digits, spaces and '-' only, 7 to 20 long.").format(value=value),
                field=key,
                value=value,
            )
    id_number = data.id_number.strip().upper()
    if id_number:
        problem = (credit_code_problem if data.kind == CustomerKind.COMPANY else id_card_problem)(id_number)
        if problem:
            label = (
                translate("Errors", "Unified social credit code")
                if data.kind == CustomerKind.COMPANY
                else translate("Errors", "ID card number")
            )
            raise ValidationError(f"{label} {id_number}: {translate('Identity', problem)}", field="id_number",
                                  value=id_number)
    return CustomerInput(
        kind=CustomerKind(data.kind),
        name=name,
        contact_person=data.contact_person.strip(),
        phone=data.phone.strip(),
        phone2=data.phone2.strip(),
        region=data.region.strip(),
        address_detail=data.address_detail.strip(),
        id_number=id_number,
        importance=Importance(data.importance),
        notes=data.notes.strip(),
    )


def _validated_product(data: ProductInput) -> ProductInput:
    serial = data.serial_number.strip().upper()
    if not serial:
        raise ValidationError(translate("Errors", "Enter the serial number."), field="serial_number")
    if not data.model.strip():
        raise ValidationError(translate("Errors", "Enter the model."), field="model")
    if data.purchase_date and data.warranty_end and data.warranty_end < data.purchase_date:
        raise ValidationError(translate("Errors", "The warranty cannot end before the purchase."), field="warranty_end")
    if data.purchase_date and data.install_date and data.install_date < data.purchase_date:
        raise ValidationError(translate("Errors", "The installation cannot be before the purchase."), field="install_date")
    return ProductInput(**{**_values(data), "serial_number": serial, "model": data.model.strip()})


def _values(data) -> dict:
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _refuse_archived(customer: Customer) -> None:
    if customer.archived_at is not None:
        raise ValidationError(
            translate("Errors", "Customer {name} is archived and cannot be changed.").format(name=customer.name)
        )


def _refuse_taken_serial(session, serial: str, own_id: int | None) -> None:
    taken = session.scalar(select(Product.id).where(Product.serial_number == serial))
    if taken is not None and taken != own_id:
        raise ValidationError(
            translate("Errors", "Serial number {serial} is already on file.").format(serial=serial),
            field="serial_number",
            value=serial,
        )


def _get(session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(translate("Errors", "No customer with number {id}.").format(id=customer_id))
    return customer


def _products(session, customer_id: int) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.customer_id == customer_id).order_by(Product.id)))


def _search_text(customer: Customer, products: list[Product]) -> str:
    return search_text(
        customer.name, customer.contact_person, customer.phone, customer.phone2,
        *(p.serial_number for p in products), *(p.contract_number for p in products),
    )


def _product_record(product: Product) -> ProductRecord:
    return ProductRecord(
        **{f.name: getattr(product, f.name) for f in fields(ProductInput)},
        id=product.id,
        customer_id=product.customer_id,
        archived=product.archived_at is not None,
        version=product.version,
    )


def _record(session, customer: Customer, *, masked: bool) -> CustomerRecord:
    values = {f.name: getattr(customer, f.name) for f in fields(CustomerInput)}
    values["kind"] = CustomerKind(values["kind"])
    values["importance"] = Importance(values["importance"])
    if masked:
        if values["kind"] == CustomerKind.INDIVIDUAL:
            values["name"] = mask_name(values["name"])
        values.update(
            contact_person=mask_name(values["contact_person"]),
            phone=mask_phone(values["phone"]),
            phone2=mask_phone(values["phone2"]),
            address_detail="",
            id_number=mask_id_number(values["id_number"]),
        )
    return CustomerRecord(
        **values,
        id=customer.id,
        masked=masked,
        archived=customer.archived_at is not None,
        merged_into_id=customer.merged_into_id,
        created_at=customer.created_at,
        version=customer.version,
        products=tuple(_product_record(p) for p in _products(session, customer.id)),
    )
