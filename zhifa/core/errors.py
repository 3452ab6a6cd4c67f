"""Errors a person sees: what is wrong and what to do, in their language."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ActionDenied", "RuleViolation", "PermissionDenied", "ValidationError"]


class ActionDenied(PermissionDenied):
    """The user may not do this (role, agency, or separation of duties)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class RuleViolation(ValidationError):
    """The law or the agency's rules forbid this change; nothing was written."""
