from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.choices import Role
from zhifa.org.models import Person

from . import rules
from .choices import AppliesTo, CoordinationOutcome, CriterionKind, Outcome, PointResult, ReviewMode, Vote


class SubmitForm(forms.Form):
    mode = forms.ChoiceField(label=_("审核方式"), choices=ReviewMode.choices)
    explanation = forms.CharField(
        label=_("送审说明（事实、证据、法律依据）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    discretion_reason = forms.CharField(label=_("裁量基准适用说明"), widget=forms.Textarea(attrs={"rows": 3}))
    qualifications = forms.CharField(label=_("执法人员资格说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, problem_points=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {code: _(label) for code, label in rules.POINTS}
        for code in problem_points:
            self.fields[f"response_{code}"] = forms.CharField(
                label=_("对“%(point)s”审核意见的答复") % {"point": labels[code]},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def responses(self) -> dict:
        return {
            k.removeprefix("response_"): v for k, v in self.cleaned_data.items() if k.startswith("response_")
        }


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("审核人员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = Person.objects.filter(
            agency=agency, roles__role=Role.LEGAL_REVIEWER, roles__agency=agency, is_active=True
        ).distinct()


class OpinionForm(forms.Form):
    """The nine points, each pass or problem with a comment, then the outcome and the written opinion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in rules.POINTS:
            # Nothing is pre-set: the reviewer answers each point (符合 / 存在问题) and the conclusion herself.
            self.fields[f"{code}_result"] = forms.ChoiceField(
                label=_(label),
                choices=PointResult.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("请逐项回答该审核要点。")},
            )
            self.fields[f"{code}_comment"] = forms.CharField(label=_("意见"), required=False)
        self.fields["outcome"] = forms.ChoiceField(
            label=_("审核结论"),
            choices=[("", _("请选择")), *Outcome.choices],
            error_messages={"required": _("请选择审核结论。")},
        )
        self.fields["summary"] = forms.CharField(
            label=_("法制审核意见"), widget=forms.Textarea(attrs={"rows": 4})
        )

    def point_rows(self):
        return [(_(label), self[f"{code}_result"], self[f"{code}_comment"]) for code, label in rules.POINTS]

    def points(self) -> dict:
        d = self.cleaned_data
        return {
            code: {"result": d[f"{code}_result"], "comment": d[f"{code}_comment"]}
            for code in rules.POINT_CODES
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CoordinateForm(forms.Form):
    outcome = forms.ChoiceField(label=_("协调结果"), choices=CoordinationOutcome.choices)
    decision = forms.CharField(label=_("协调意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DiscussionForm(forms.Form):
    held_on = forms.DateField(label=_("讨论日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Person.objects.filter(
            agency=agency,
            is_active=True,
            roles__agency=agency,
            roles__role__in=[Role.AGENCY_HEAD, Role.LEGAL_REVIEWER, Role.UNIT_HEAD],
        ).distinct()


class ParticipantOpinionForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("参加人员"), queryset=Person.objects.none())
    opinion = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    vote = forms.ChoiceField(
        label=_("表决（负责人）"),
        choices=[("", _("列席，不表决")), *Vote.choices],
        required=False,
    )
    recused = forms.BooleanField(label=_("回避"), required=False)
    reason = forms.CharField(label=_("回避理由"), required=False)

    def __init__(self, *args, discussion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = discussion.participants.all()


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("讨论结论"), widget=forms.Textarea(attrs={"rows": 3}))


class CriterionForm(forms.Form):
    applies_to = forms.ChoiceField(label=_("适用"), choices=AppliesTo.choices)
    kind = forms.ChoiceField(label=_("标准类型"), choices=CriterionKind.choices)
    value = forms.CharField(label=_("处罚种类、处理结果或事项编码"), required=False)
    threshold_person = forms.DecimalField(label=_("金额标准：自然人（元）"), required=False, min_value=0)
    threshold_organisation = forms.DecimalField(
        label=_("金额标准：法人或其他组织（元）"), required=False, min_value=0
    )
    label = forms.CharField(label=_("事项"), max_length=200)
    basis = forms.CharField(label=_("依据"), required=False, max_length=300)
