"""Permission checks that every service function makes before it touches anything."""

from __future__ import annotations

from desktop.db.uow import Actor
from desktop.domain.errors import PermissionDenied
from desktop.domain.roles import Permission, may
from desktop.i18n import translate


def allowed(actor: Actor, permission: Permission) -> bool:
    return actor.is_system or may(actor.role, permission)


def require(actor: Actor, permission: Permission) -> None:
    if not allowed(actor, permission):
        raise PermissionDenied(
            translate("Errors", "{role} {user} may not do this ({permission}).").format(
                role=actor.role.label, user=actor.username, permission=permission.value
            )
        )
