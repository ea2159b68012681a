"""Typed errors the services raise; views turn them into messages that say what to do."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value


class ValidationError(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class AuthenticationError(DomainError):
    pass


class AccountLocked(AuthenticationError):
    def __init__(self, message: str, *, until):
        super().__init__(message)
        self.until = until


class ConcurrentEdit(DomainError):
    """Somebody else saved the record since it was read: reload, never overwrite silently."""

    def __init__(self, message: str, *, changed_by: str | None, changed_at):
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
