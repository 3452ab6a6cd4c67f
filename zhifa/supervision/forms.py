from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import Agency, Person

from .choices import Verdict

DATE = forms.DateInput(attrs={"type": "date"})


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

    def __init__(self, *args, agencies, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["evaluators"].queryset = evaluators
        self.fields["evaluators"].label_from_instance = lambda p: f"{p.full_name}（{p.agency}）"


class AnswerForm(forms.Form):
    code = forms.SlugField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("评查结论"), choices=Verdict.choices, widget=forms.RadioSelect)
    points = forms.IntegerField(label=_("得分"), min_value=0, max_value=100, required=False)
    reason = forms.CharField(label=_("问题或理由"), max_length=2000, required=False)
