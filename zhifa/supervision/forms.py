from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import Agency, Person

from .choices import InspectionArea, ItemGroup, Measure, PeriodKind, Verdict
from .models import Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's date input reads ISO dates


class EvaluationForm(forms.Form):
    title = forms.CharField(label=_("评查名称"), max_length=200)
    period_start = forms.DateField(label=_("评查期间自"), widget=DATE)
    period_end = forms.DateField(label=_("评查期间至"), widget=DATE, help_text=_("期间结束后才能抽样"))
    agencies = forms.ModelMultipleChoiceField(
        label=_("被评查执法主体"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    evaluators = forms.ModelMultipleChoiceField(
        label=_("评查人员"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("须是全部被评查执法主体的监督人员；不会分到本人所在承办机构或本人承办的案卷"),
    )
    rate = forms.IntegerField(label=_("抽样比例（%）"), min_value=1, max_value=100, initial=10)
    minimum = forms.IntegerField(
        label=_("每个承办机构至少抽取（件）"), min_value=1, max_value=1000, initial=1
    )

    standard = forms.ModelChoiceField(
        label=_("评查标准"),
        queryset=Standard.objects.none(),
        empty_label=None,
        required=False,  # none sent: the body's own standard, else the platform's
        help_text=_("平台或本机关评查标准的现行版本；评查一经创建即固定使用该版本"),
    )

    def __init__(self, *args, agencies, evaluators, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.filter(pk__in=[s.pk for s in standards])
        mine = [s for s in standards if s.agency_id is not None]
        if standards:
            self.fields["standard"].initial = (mine or standards)[0].pk
        self.fields["agencies"].queryset = agencies
        self.fields["evaluators"].queryset = evaluators
        self.fields["evaluators"].label_from_instance = lambda p: f"{p.full_name}（{p.agency}）"


class AnswerForm(forms.Form):
    code = forms.SlugField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("评查结论"), choices=Verdict.choices, widget=forms.RadioSelect)
    points = forms.IntegerField(label=_("得分"), min_value=0, max_value=100, required=False)
    reason = forms.CharField(label=_("问题或理由"), max_length=2000, required=False)


class RectificationForm(forms.Form):
    problem = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(
        label=_("整改要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("对照评查标准逐项整改，报送整改情况及佐证材料。"),
    )
    owner = forms.ModelChoiceField(label=_("整改责任人"), queryset=Person.objects.none())
    opened_on = forms.DateField(
        label=_("整改通知日期"), widget=DATE, required=False, help_text=_("留空为今天")
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda p: f"{p.full_name}（{p.unit or p.agency}）"


class FixForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("佐证材料（PDF、PNG或JPEG，可不传）"), required=False)


class VerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("核验结论"),
        choices=[("1", _("整改到位，予以通过")), ("0", _("未整改到位，退回重新整改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("核验意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AccountabilityForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("被问责人员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    measure = forms.ChoiceField(label=_("问责方式"), choices=Measure.choices)
    decided_by_body = forms.CharField(label=_("作出决定的机关"), max_length=200)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    reasons = forms.CharField(label=_("事实与理由"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: p.full_name


class PrepareInspectionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("被巡查执法主体"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
        coerce=int,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class FindingForm(forms.Form):
    area = forms.ChoiceField(label=_("巡查内容"), choices=InspectionArea.choices)
    text = forms.CharField(label=_("发现的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    link = forms.CharField(
        label=_("证据链接（本平台页面地址，可不填）"),
        max_length=300,
        required=False,
        help_text=_("如 /portal/items/?agency=…"),
    )


class JudgeForm(forms.Form):
    reason = forms.CharField(
        label=_("不作为问题的理由（留空则恢复为问题）"),
        max_length=2000,
        required=False,
        widget=forms.TextInput,
    )


class SignForm(forms.Form):
    conclusion = forms.CharField(
        label=_("巡查意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input), the first day of it as a date."""

    widget = MONTH
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class FiguresForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("执法主体"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first = MonthField(label=_("自（月）"))
    last = MonthField(label=_("至（月）"))
    dimension = forms.ChoiceField(label=_("按"), choices=())

    def __init__(self, *args, agencies, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["dimension"].choices = dimensions

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if first > last:
                self.add_error("last", _("结束月份不能早于开始月份。"))
            elif (last.year - first.year) * 12 + last.month - first.month >= 120:
                self.add_error("first", _("一次最多查看 120 个月。"))
        return data


class PeriodForm(forms.Form):
    """A reporting period: its kind (quarter, half-year, year), year and number; and the agencies it is about."""

    agency_field = "agency"
    kind = forms.ChoiceField(label=_("报告期"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.TypedChoiceField(
        label=_("期次"),
        choices=[
            (1, _("第一季度／上半年／全年")),
            (2, _("第二季度／下半年")),
            (3, _("第三季度")),
            (4, _("第四季度")),
        ],
        coerce=int,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.agency_field].queryset = agencies
        self.order_fields([self.agency_field, "kind", "year", "number"])


class AnalysisReportForm(PeriodForm):
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=Agency.objects.none())


class WeakPointRuleForm(forms.Form):
    threshold = forms.DecimalField(label=_("阈值"), min_value=0.01, max_value=1000, decimal_places=2)
    minimum = forms.IntegerField(label=_("最少件数"), min_value=1, max_value=100000)
    active = forms.BooleanField(label=_("启用"), required=False)


class ExportForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=Agency.objects.none())
    start = forms.DateField(label=_("期间自"), widget=DATE)
    end = forms.DateField(label=_("期间至"), widget=DATE, help_text=_("期间内立案、作出决定或结案的案件"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class RankingForm(PeriodForm):
    agency_field = "agencies"
    agencies = forms.ModelMultipleChoiceField(
        label=_("参加考核的执法主体"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("考核期")


class IndicatorForm(forms.Form):
    weight = forms.IntegerField(label=_("权重"), min_value=0, max_value=100)
    active = forms.BooleanField(label=_("启用"), required=False)


class StandardForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    excellent_min = forms.IntegerField(label=_("优秀分数线"), min_value=0, max_value=100)
    pass_min = forms.IntegerField(label=_("合格分数线"), min_value=0, max_value=100)
    basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def _check_choices():
    from .checks import CHECKS

    return [("", _("（无，由评查人员判断）"))] + list(CHECKS.items())


class StandardItemForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=40)
    group = forms.ChoiceField(label=_("类别"), choices=[("", "—")] + list(ItemGroup.choices))
    text = forms.CharField(label=_("评查内容"), max_length=300)
    points = forms.IntegerField(label=_("分值"), min_value=0, max_value=100, help_text=_("否决项填 0"))
    platform_check = forms.ChoiceField(label=_("平台自动判断"), choices=_check_choices, required=False)


StandardItemFormSet = forms.formset_factory(
    StandardItemForm, extra=3, max_num=100, can_order=True, can_delete=True
)
