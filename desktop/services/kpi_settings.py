"""The KPI settings every PC of the branch shares: targets, the complaint rate's denominator, what counts
as satisfied, how many rows a top list shows, how many days after its end a month closes (its figures are
then stored: desktop/domain/kpi_months.py). Stored in branch_settings under "kpi"; defaults when unset. The
branch manager changes them (KPI_MANAGE)."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from desktop.db.uow import Actor, Database
from desktop.domain.errors import ValidationError
from desktop.domain.kpi import COMPLAINT_RATE_BASES, KpiSettings
from desktop.domain.records import BranchSetting
from desktop.domain.roles import Permission
from desktop.i18n import translate
from desktop.services.access import require

KPI_SETTINGS = "kpi"
_DECIMALS = ("response_time_target_hours", "fix_rate_target_percent")


def kpi_settings(session: Session) -> KpiSettings:
    stored = session.get(BranchSetting, KPI_SETTINGS)
    return KpiSettings() if stored is None else settings_from_json(stored.value)


def settings_to_json(settings: KpiSettings) -> dict:
    return {key: str(v) if isinstance(v, Decimal) else v for key, v in asdict(settings).items()}


def settings_from_json(value: dict) -> KpiSettings:
    """Settings as stored (in branch_settings, or with a closed month's facts); unknown keys are left out and
    missing ones take their defaults."""
    known = {f.name for f in fields(KpiSettings)}
    values = {key: item for key, item in value.items() if key in known}
    for key in _DECIMALS:
        if key in values:
            values[key] = Decimal(str(values[key]))
    return KpiSettings(**values)


def get_kpi_settings(db: Database, actor: Actor) -> KpiSettings:
    require(actor, Permission.KPI_READ)
    with db.read_session_factory() as session:
        return kpi_settings(session)


def set_kpi_settings(db: Database, actor: Actor, **changes) -> KpiSettings:
    """Change some settings (keyword = KpiSettings field); the others keep their values. The branch manager
    sets the targets the branch is assessed against (domain.md §1: the manager decides)."""
    require(actor, Permission.KPI_MANAGE)
    known = {f.name for f in fields(KpiSettings)}
    for key in changes:
        if key not in known:
            raise ValidationError(translate("Errors", "Unknown KPI setting {key}.").format(key=key), field=key)
    with db.uow(actor) as uow:
        current = kpi_settings(uow.session)
        wanted = replace(current, **_validated(changes))
        stored = uow.session.get(BranchSetting, KPI_SETTINGS)
        value = settings_to_json(wanted)
        if stored is None:
            uow.session.add(BranchSetting(key=KPI_SETTINGS, value=value, updated_by=actor.username))
        else:
            stored.value, stored.updated_by = value, actor.username
        uow.commit()
        return wanted


def _validated(changes: dict) -> dict:
    result = dict(changes)
    for key in _DECIMALS:
        if key in result:
            try:
                result[key] = Decimal(str(result[key]))
            except InvalidOperation:
                raise ValidationError(translate("Errors", "{key}: enter a number.").format(key=key), field=key) from None
    if "response_time_target_hours" in result and not 0 < result["response_time_target_hours"] <= 240:
        raise ValidationError(translate("Errors", "The response time target is between 0 and 240 hours."),
                              field="response_time_target_hours")
    if "fix_rate_target_percent" in result and not 0 < result["fix_rate_target_percent"] <= 100:
        raise ValidationError(translate("Errors", "The fix rate target is between 0 and 100 %."),
                              field="fix_rate_target_percent")
    if "complaint_rate_base" in result and result["complaint_rate_base"] not in COMPLAINT_RATE_BASES:
        raise ValidationError(translate("Errors", "Unknown complaint rate base {value}.").format(
            value=result["complaint_rate_base"]), field="complaint_rate_base")
    if "satisfied_min_score" in result and result["satisfied_min_score"] not in (1, 2, 3, 4, 5):
        raise ValidationError(translate("Errors", "Satisfied means a score from 1 to 5."), field="satisfied_min_score")
    if "close_after_days" in result and not (isinstance(result["close_after_days"], int)
                                             and 0 <= result["close_after_days"] <= 60):
        raise ValidationError(translate("Errors", "A month closes 0 to 60 days after its end."),
                              field="close_after_days")
    if "top_n" in result and not (isinstance(result["top_n"], int) and 1 <= result["top_n"] <= 100):
        raise ValidationError(translate("Errors", "Top lists show 1 to 100 rows."), field="top_n")
    return result
