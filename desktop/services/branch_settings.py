"""Settings every PC of the branch shares, stored in the database (per-user ones are in config.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from desktop.db.uow import Actor, Database
from desktop.domain.complaints import TimeLimits
from desktop.domain.errors import ValidationError
from desktop.domain.records import BranchSetting
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import require

COMPLAINT_LIMITS = "complaint_time_limits"


def time_limits(session: Session) -> TimeLimits:
    stored = session.get(BranchSetting, COMPLAINT_LIMITS)
    if stored is None:
        return TimeLimits()
    return TimeLimits(**{key: timedelta(hours=hours) for key, hours in stored.value.items()})


def set_time_limits(db: Database, actor: Actor, *, hours: dict[str, float]) -> TimeLimits:
    require(actor, Permission.SETTINGS)
    known = set(TimeLimits.__dataclass_fields__)
    for key, value in hours.items():
        if key not in known:
            raise ValidationError(translate("Errors", "Unknown time limit {key}.").format(key=key), field=key)
        if not 0 < value <= 24 * 90:
            raise ValidationError(
                translate("Errors", "Time limit {key} must be between 0 and 2160 hours.").format(key=key), field=key
            )
    with db.uow(actor) as uow:
        stored = uow.session.get(BranchSetting, COMPLAINT_LIMITS)
        if stored is None:
            uow.session.add(BranchSetting(key=COMPLAINT_LIMITS, value=dict(hours)))
        else:
            stored.value = {**stored.value, **hours}
        uow.commit()
        return time_limits(uow.session)
