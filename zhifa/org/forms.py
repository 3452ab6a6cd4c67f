from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import actions
from .choices import AuthEventKind, Role
from .models import Agency, EnforcementField, Person, Unit
from .signals import _ua, client_ip


class LoginForm(AuthenticationForm):
    """Django's login form, refusing while the account or the address is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。连续失败%(limit)s次将锁定%(minutes)s分钟。"),
        "locked": _("登录失败次数过多，账户已锁定，请%(minutes)s分钟后再试或联系安全管理员。"),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username")
        ip = client_ip(self.request)
        if username and actions.login_blocked(username, ip):
            actions.record_auth_event(
                AuthEventKind.LOCKED,
                username=username,
                person=Person.objects.filter(username=username).first(),
                ip=ip,
                user_agent=_ua(self.request),
            )
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": settings.LOCKOUT_MINUTES}
            )
        return super().clean()

    def get_invalid_login_error(self):
        from django.conf import settings

        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.LOCKOUT_FAILURES, "minutes": settings.LOCKOUT_MINUTES},
        )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "credit_code",
            "region",
            "legal_basis",
            "duties",
            "powers",
            "reconsideration_body",
            "court",
            "address",
            "phone",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("legal_basis", "duties", "powers")}


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "is_legal_review_unit", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2})}


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "username",
            "full_name",
            "unit",
            "title",
            "phone",
            "email",
            "legal_qualification",
            "legal_qualification_date",
            "legal_qualification_number",
        ]
        widgets = {"legal_qualification_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = agency.units.all()


class PersonCreateForm(PersonForm):
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("首次登录时须修改。")
    )

    class Meta(PersonForm.Meta):
        pass


class PersonEditForm(PersonForm):
    class Meta(PersonForm.Meta):
        fields = [f for f in PersonForm.Meta.fields if f != "username"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(label=_("临时密码"), widget=forms.PasswordInput)


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("证件编号"), max_length=40)
    fields = forms.ModelMultipleChoiceField(
        label=_("执法领域"), queryset=EnforcementField.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    issuer = forms.CharField(label=_("发证机关"), max_length=200)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=365, initial=90)
