"""Engineers' profiles: the kinds of work (order categories) each service engineer is skilled in, and the
area they cover — what dispatch ranks engineers by (service_orders.rank_engineers).

The area is a prefix of the customer's address as the customer file keeps it (省市区, e.g. 广东省广州市 covers
every district of Guangzhou): dispatch compares it with `startswith`, so it is stored without spaces.
Saving is audited by the unit of work like every change. A profile has no version column; the view passes
the profile it showed, and a save over one that changed meanwhile is refused and names who changed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from desktop.db.uow import Actor, Database
from desktop.domain.customers import Customer
from desktop.domain.errors import ConcurrentEdit, NotFound, ValidationError
from desktop.domain.roles import Permission, Role
from desktop.domain.service_orders import EngineerProfile, OrderCategory
from desktop.domain.users import AuditEntry, User
from desktop.i18n import translate
from desktop.services.access import require

AREA_SEPARATOR = "、"

AREA_MAX = 60  # engineer_profiles.area
AREA_COUNT_CAP = 10_000  # counting customers in an area stops here: "10,000 or more" is all the form needs


@dataclass(frozen=True)
class EngineerRow:
    user_id: int
    username: str
    name: str
    is_active: bool
    skills: tuple[OrderCategory, ...]  # in the order of OrderCategory
    area: str

    def skilled_in(self, category: OrderCategory) -> bool:
        return category in self.skills


def list_engineers(db: Database, actor: Actor, *, include_inactive: bool = False) -> list[EngineerRow]:
    """Service engineers with their profiles (empty when none was saved yet), by name."""
    require(actor, Permission.ENGINEER_EDIT)
    query = (select(User, EngineerProfile).outerjoin(EngineerProfile, EngineerProfile.user_id == User.id)
             .where(User.role == Role.ENGINEER.value).order_by(User.display_name, User.id))
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    with db.read_session_factory() as session:
        return [_row(user, profile) for user, profile in session.execute(query)]


def normalize_area(area: str) -> str:
    """NFKC (full-width letters and digits become plain) without any spaces: the customer file writes
    省市区 without spaces, and a prefix with one would never match. An engineer may cover several areas,
    written apart by 、 , ; or /: they are kept apart by 、."""
    plain = "".join(unicodedata.normalize("NFKC", area).split())
    parts = [p for p in re.split(r"[、,;/]", plain) if p]
    return AREA_SEPARATOR.join(dict.fromkeys(parts))


def area_prefixes(area: str) -> tuple[str, ...]:
    """The starts of the customers' addresses an engineer covers."""
    return tuple(p for p in normalize_area(area).split(AREA_SEPARATOR) if p)


def covered_by(area: str, region: str) -> str | None:
    """The prefix of `area` that the customer's address `region` starts with, if any."""
    return next((prefix for prefix in area_prefixes(area) if region.startswith(prefix)), None)


def validated_skills(skills: Iterable[OrderCategory | str]) -> tuple[OrderCategory, ...]:
    chosen = set()
    for skill in skills:
        try:
            chosen.add(OrderCategory(skill))
        except ValueError:
            raise ValidationError(translate("Errors", "{value} is not a kind of service work.").format(value=skill),
                                  field="skills", value=skill) from None
    return tuple(c for c in OrderCategory if c in chosen)


def set_engineer_profile(db: Database, actor: Actor, *, user_id: int, skills: Iterable[OrderCategory | str],
                         area: str, expected: EngineerRow | None = None) -> EngineerRow:
    """Save an engineer's skills and area. `expected` is the profile the user saw: if it changed since, the
    save is refused rather than overwrite somebody else's change unseen."""
    require(actor, Permission.ENGINEER_EDIT)
    chosen = validated_skills(skills)
    area = normalize_area(area)
    if len(area) > AREA_MAX:
        raise ValidationError(translate("Errors", "The area may have at most {n} characters.").format(n=AREA_MAX),
                              field="area", value=area)
    with db.uow(actor) as uow:
        session = uow.session
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(translate("Errors", "No user with id {id}.").format(id=user_id))
        if user.role != Role.ENGINEER.value:
            raise ValidationError(translate("Errors", "Only service engineers have skills and an area."),
                                  field="user", value=user.username)
        profile = session.get(EngineerProfile, user_id)
        if expected is not None:
            now = _row(user, profile)
            if (now.skills, now.area) != (expected.skills, expected.area):
                raise _changed_meanwhile(session, user_id)
        values = [c.value for c in chosen]
        if profile is None:
            profile = EngineerProfile(user_id=user_id, skills=values, area=area)
            session.add(profile)
        else:
            # A new list, not the old one changed in place: the ORM sees (and audits) only an assignment.
            if list(profile.skills or []) != values:
                profile.skills = values
            if profile.area != area:
                profile.area = area
        uow.commit()
        return _row(user, profile)


def customers_in_area(db: Database, actor: Actor, area: str, *, cap: int = AREA_COUNT_CAP) -> int:
    """How many customers' addresses start with `area`, counted up to `cap` (an index range on the
    region, so it stays quick with a million customers). Tells the person typing an area whether it
    matches how addresses are really written."""
    require(actor, Permission.ENGINEER_EDIT)
    prefixes = area_prefixes(area)
    if not prefixes:
        return 0
    # Ranges on the indexed column work on both databases, where LIKE 'x%' may not use the index.
    matching = (select(Customer.id).where(or_(*(and_(Customer.region >= p, Customer.region < p + "\U0010ffff")
                                                for p in prefixes)),
                                          Customer.archived_at.is_(None)).limit(cap))
    with db.read_session_factory() as session:
        return session.scalar(select(func.count()).select_from(matching.subquery()))


def _row(user: User, profile: EngineerProfile | None) -> EngineerRow:
    skills = validated_skills(s for s in (profile.skills or []) if s in set(OrderCategory)) if profile else ()
    return EngineerRow(user_id=user.id, username=user.username, name=user.display_name, is_active=user.is_active,
                       skills=skills, area=profile.area if profile else "")


def _changed_meanwhile(session, user_id: int) -> ConcurrentEdit:
    last = session.scalars(select(AuditEntry).where(AuditEntry.entity == EngineerProfile.__tablename__,
                                                    AuditEntry.entity_id == str(user_id))
                           .order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return ConcurrentEdit(translate("Errors", "Somebody else changed this record after you opened it. Reload it."),
                              changed_by=None, changed_at=None)
    text = translate("Errors", "Changed by {user} at {time} after you opened it. Reload and try again.")
    return ConcurrentEdit(text.format(user=last.username, time=last.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
                          changed_by=last.username, changed_at=last.at)
