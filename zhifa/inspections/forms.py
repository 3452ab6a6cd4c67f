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
    rate = forms.IntegerField(label=_("抽查比例（%）"), min_value=1, max_value=100, required=False)
    assigned_by = forms.CharField(
        label=_("上级下达的抽查计划（导入国家或省级计划时填写）"),
        max_length=200,
        required=False,
        help_text=_("如：国家卫生健康委2026年国家随机监督抽查计划"),
    )
    assigned_file = forms.FileField(
        label=_("上级下达的检查对象名单（Excel 或 CSV，须有“统一社会信用代码”列）"),
        required=False,
        help_text=_(
            "导入时，检查对象即名单中的对象（须在本机关名录库中），不再按比例抽取；检查人员仍按公开的规则随机匹配"
        ),
    )

    def __init__(self, *args, agency, minimum_rate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = RandomInspectionItem.objects.filter(
            agency=agency, active=True
        ).order_by("seq", "code")
        self.fields["rate"].initial = minimum_rate
        self.fields["rate"].help_text = _("不低于本机关抽查细则的最低比例 %(n)d%%") % {"n": minimum_rate}


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    place = forms.CharField(label=_("检查地点"), max_length=300)
    officers = forms.ModelMultipleChoiceField(
        label=_("检查人员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("抽中的检查人员，至少两名"),
    )
    outcome = forms.ChoiceField(label=_("检查结论"), widget=forms.RadioSelect)
    opinion = forms.CharField(
        label=_("卫生监督意见（责令改正时填写）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    cause = forms.CharField(label=_("案由（立案查处时，可不填）"), max_length=200, required=False)

    def __init__(self, *args, inspectors, points, **kwargs):
        from .models import Outcome, Verdict

        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = inspectors
        self.fields["officers"].label_from_instance = lambda p: p.full_name
        self.fields["outcome"].choices = Outcome.choices
        self.points = []
        for n, (item, point) in enumerate(points):
            name = f"v{n}"
            self.fields[name] = forms.ChoiceField(
                label=f"{item} {point}", choices=Verdict.choices, widget=forms.RadioSelect
            )
            self.points.append(self[name])

    def verdicts(self) -> dict[int, str]:
        return {n: self.cleaned_data.get(f"v{n}") for n in range(len(self.points))}


class RecheckForm(forms.Form):
    rechecked_on = forms.DateField(label=_("复查日期"), widget=DATE)
    corrected = forms.TypedChoiceField(
        label=_("复查结论"),
        choices=[("1", _("已改正")), ("0", _("未改正，立案查处"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReplaceForm(forms.Form):
    certificate = forms.ChoiceField(label=_("更换的检查人员"))
    reason = forms.CharField(label=_("变更原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].choices = [(cert, f"{name}（{cert}）") for name, cert in pairs]
