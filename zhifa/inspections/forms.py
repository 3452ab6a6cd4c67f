from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.catalog.models import RandomInspectionItem
from zhifa.org.models import EnforcementField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    licence = forms.CharField(label=_("许可证号"), max_length=100, required=False)
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=100, required=False)
    address = forms.CharField(label=_("地址"), max_length=300)
    contact = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    field = forms.ModelChoiceField(label=_("执法领域"), queryset=EnforcementField.objects.order_by("code"))


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("移出原因"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class PolicyForm(forms.Form):
    minimum_rate = forms.IntegerField(label=_("最低抽查比例（%）"), min_value=1, max_value=100)
    inspectors = forms.IntegerField(label=_("每个检查对象的检查人员数"), min_value=2, max_value=10)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    field = forms.ModelChoiceField(label=_("执法领域"), queryset=EnforcementField.objects.order_by("code"))
    items = forms.ModelMultipleChoiceField(
        label=_("抽查事项"), queryset=RandomInspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    period_start = forms.DateField(label=_("检查期间自"), widget=DATE)
    period_end = forms.DateField(label=_("检查期间至"), widget=DATE)
    rate = forms.IntegerField(label=_("抽查比例（%）"), min_value=1, max_value=100)

    def __init__(self, *args, agency, minimum_rate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = RandomInspectionItem.objects.filter(
            agency=agency, active=True
        ).order_by("seq", "code")
        self.fields["rate"].initial = minimum_rate
        self.fields["rate"].help_text = _("不低于本机关抽查细则的最低比例 %(n)d%%") % {"n": minimum_rate}
