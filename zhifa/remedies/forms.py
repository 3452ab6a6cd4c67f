from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RemedyKind, RemedyOutcome

DATE = forms.DateInput(attrs={"type": "date"})


class ProceedingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RemedyKind.choices)
    applied_on = forms.DateField(label=_("申请或起诉日期"), widget=DATE)
    body = forms.CharField(
        label=_("复议机关或法院"),
        max_length=200,
        required=False,
        help_text=_("留空则为本机关登记的复议机关或法院"),
    )
    case_number = forms.CharField(label=_("案号"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label=_("受理日期"), widget=DATE)
    case_number = forms.CharField(label=_("案号"), max_length=100, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=[("", "---------")] + list(RemedyOutcome.choices))
    decided_on = forms.DateField(label=_("决定或裁判日期"), widget=DATE)
    note = forms.CharField(
        label=_("结果说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("变更、撤销、确认违法、确认无效的，须写明复议决定或裁判的内容"),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("文书名称"), max_length=200)
    file = forms.FileField(label=_("文件（PDF、PNG或JPEG）"))
