"""Forms: the input rules every form field follows, and running an action from a form (its refusals become the
form's errors, in the user's language).

The input rules (:func:`install_input_rules`, installed once by ``CoreConfig.ready``) hold for every form of the
platform — ours, Django's login and admin forms, and any form added later — at the field, so that bad input is shown
as the field's error on the re-shown form and nothing reaches an action:

- text (``forms.CharField`` and its kinds: e-mail, slug, URL…) may not contain NUL or other control characters
  (tab, line feed and carriage return excepted) nor the bidirectional embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069) that make the text shown differ from the text stored; one value is at most
  :data:`MAX_TEXT` characters unless the field is a :class:`PayloadField` (a signature image as a data URL);
- whole numbers (``forms.IntegerField``) lie within the database's 64-bit range;
- decimals without their own ``max_digits`` are below :data:`MAX_DECIMAL`;
- an id chosen in a model-choice field that is beyond 64 bits is an invalid choice (the database cannot compare it).

The same text rules hold for the API (``zhifa.core.api``); file names are made safe separately
(``zhifa.core.filenames``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

MAX_TEXT = 50_000
MAX_INTEGER = 2**63 - 1
MAX_DECIMAL = Decimal(10) ** 15
# Characters that reorder the text around them. The invisible marks (U+200E, U+200F, U+061C) stay allowed: mixed-
# direction writing needs them and they cannot disguise what the text says.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable as text input, or None (the same messages as the API's)."""
    if "\x00" in value:
        return _("文本中不能含有空字符（NUL）。")
    for ch in value:
        if (ord(ch) < 32 and ch not in _ALLOWED_CONTROLS) or 0x7F <= ord(ch) <= 0x9F:
            return _("文本中不能含有控制字符（U+%(code)04X）。") % {"code": ord(ch)}
        if ch in BIDI_CONTROLS:
            return _(
                "文本中不能含有改变文字方向的控制字符（U+%(code)04X），它们会使显示的内容与实际内容不符。"
            ) % {"code": ord(ch)}
    return None


class PayloadField(forms.CharField):
    """A text field that carries data rather than writing (a ``data:image/png;base64,…`` signature): the control
    and direction rules hold, the length cap does not (its own checks bound it)."""

    long_text = True


def _checked_text(original):
    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and value:
            problem = text_problem(value)
            if problem is None and len(value) > MAX_TEXT and not getattr(self, "long_text", False):
                problem = _("文本过长：每项不能超过 %(max)s 个字符。") % {"max": MAX_TEXT}
            if problem:
                raise ValidationError(problem, code="text")
        return value

    to_python.zhifa_input_rules = True
    return to_python


def _checked_integer(original):
    def to_python(self, value):
        value = original(self, value)
        if value is not None and not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
            raise ValidationError(_("数值超出允许的范围。"), code="max_value")
        return value

    to_python.zhifa_input_rules = True
    return to_python


def _checked_decimal(original):
    def to_python(self, value):
        value = original(self, value)
        if (
            value is not None
            and getattr(self, "max_digits", None) is None
            and value.is_finite()
            and abs(value) >= MAX_DECIMAL
        ):
            raise ValidationError(_("数值超出允许的范围。"), code="max_value")
        return value

    to_python.zhifa_input_rules = True
    return to_python


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):  # not a whole number (or more than 4,300 digits): the lookup refuses it
        return False
    return not -MAX_INTEGER - 1 <= number <= MAX_INTEGER


def _checked_choice(original):
    """An id beyond 64 bits is no choice (the database cannot even compare it: OverflowError, DataError)."""

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return original(self, value)

    to_python.zhifa_input_rules = True
    return to_python


def _checked_choices(original):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return original(self, value)

    _check_values.zhifa_input_rules = True
    return _check_values


def install_input_rules() -> None:
    """Put the input rules into Django's text, number and model-choice form fields (once)."""
    for cls, name, wrap in (
        (forms.CharField, "to_python", _checked_text),
        (forms.IntegerField, "to_python", _checked_integer),
        (forms.DecimalField, "to_python", _checked_decimal),
        (forms.ModelChoiceField, "to_python", _checked_choice),
        (forms.ModelMultipleChoiceField, "_check_values", _checked_choices),
    ):
        if not getattr(cls.__dict__.get(name), "zhifa_input_rules", False):
            setattr(cls, name, wrap(cls.__dict__[name]))


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
