"""Running an action from a form: its refusals become the form's errors, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def run_action(form, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Call ``action``; on a ValidationError attach its messages to ``form`` and return (False, None).

    Permission refusals (PermissionDenied) are not caught: they become the 403 page.
    """
    try:
        return True, action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else NON_FIELD_ERRORS
                for message in errors:
                    form.add_error(None if target == NON_FIELD_ERRORS else target, message)
        else:
            for message in exc.messages:
                form.add_error(None, message)
        return False, None
