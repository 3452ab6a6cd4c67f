"""Field and password validators, with the Chinese messages people see."""

from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules

_CREDIT_MESSAGES = {
    "length": gettext_lazy("统一社会信用代码应为18位。"),
    "alphabet": gettext_lazy("统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"),
    "check": gettext_lazy("统一社会信用代码校验位不正确，请核对后重新输入。"),
}


def validate_credit_code(value: str) -> None:
    problem = rules.credit_code_problem(value or "")
    if problem:
        raise ValidationError(_CREDIT_MESSAGES[problem], code=f"credit_code_{problem}")


class ComplexityValidator:
    """At least ``min_length`` characters using ``min_classes`` of upper/lower/digit/symbol."""

    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(password) < self.min_length or rules.password_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码至少%(n)d位，且须包含大写字母、小写字母、数字、符号中的至少%(k)d类。") % {
            "n": self.min_length,
            "k": self.min_classes,
        }


class NotContainingUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") if user is not None else ""
        if username and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return _("密码不得包含用户名。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords plus ours (``zhifa/org/data/common-passwords.txt``): weak passwords
    common in China that pass the complexity rule (``Abc@1234``, ``Admin@123``, ``Huawei@123``…). Both lists are
    compared lowercased, so ``Passw0rd`` and ``PASSW0RD`` are refused alike."""

    OUR_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

    def __init__(
        self, password_list_path=password_validation.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH
    ):
        super().__init__(password_list_path)
        with open(self.OUR_LIST, encoding="utf-8") as fh:
            self.passwords |= {
                line.strip().lower() for line in fh if line.strip() and not line.startswith("#")
            }

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _("这个密码过于常见，容易被猜中，请换一个。")

    def get_help_text(self):
        return _("密码不能是常见的弱密码。")
