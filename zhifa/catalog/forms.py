from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import EnforcementField

from . import importer
from .choices import AvMode, DiscretionTier, ItemKind, LawStatus, ProcedureKind, Stage, StepKind
from .models import EnforcementItem, Flowchart, Law

DATE = forms.DateInput(attrs={"type": "date"})
TEXT3 = forms.Textarea(attrs={"rows": 3})


class LawForm(forms.ModelForm):
    class Meta:
        model = Law
        fields = ["name", "short_name", "issuer", "level", "promulgated_on", "effective_on"]
        widgets = {"promulgated_on": DATE, "effective_on": DATE}


class LawStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=LawStatus.choices)
    on = forms.DateField(label=_("变更日期"), widget=DATE)
    note = forms.CharField(
        label=_("说明"), max_length=300, required=False, help_text=_("如修改或废止的决定名称")
    )


class ArticleForm(forms.Form):
    number = forms.IntegerField(label=_("条号（数字）"), min_value=1, max_value=9999)
    text = forms.CharField(label=_("条文"), widget=forms.Textarea(attrs={"rows": 6}))
    effective_on = forms.DateField(label=_("施行日期"), required=False, widget=DATE)


class ArticleAmendForm(forms.Form):
    text = forms.CharField(label=_("修改后的条文"), widget=forms.Textarea(attrs={"rows": 6}))
    effective_on = forms.DateField(label=_("施行日期"), required=False, widget=DATE)


class CitationField(forms.CharField):
    """Citations written as 《名称》第X条、第Y条；《名称》第Z条, resolved against the agency's library."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault(
            "help_text", _("写作“《法规名称或简称》第X条”，多条用“、”或“；”分隔；须先录入法规库。")
        )
        super().__init__(*args, **kwargs)


class _AgencyForm(forms.Form):
    def __init__(self, *args, agency, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.creating = creating
        code_field = next((n for n in ("code", "act_code") if n in self.fields), None)
        if code_field and not creating:
            self.fields[code_field].disabled = True
            self.fields[code_field].help_text = _("编码一经确定不再改变。")

    def _citations(self, name: str):
        text = self.cleaned_data.get(name, "")
        try:
            return importer.ArticleIndex(self.agency).resolve(text, str(self.fields[name].label))
        except importer.RowError as exc:
            raise forms.ValidationError(str(exc)) from None


CODE_HELP = _("字母、数字、点、连字符和下划线，如 WJ-CF-001")


class ItemForm(_AgencyForm):
    code = forms.CharField(label=_("事项编码"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    kind = forms.ChoiceField(label=_("事项类别"), choices=ItemKind.choices)
    field = forms.ModelChoiceField(
        label=_("执法领域"), queryset=EnforcementField.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(label=_("承办机构"), queryset=None, required=False)
    violated = CitationField(label=_("违法依据"))
    penalty = CitationField(label=_("处罚（实施）依据"))
    basis_note = forms.CharField(label=_("依据说明"), required=False, widget=TEXT3)
    hearing_eligible = forms.BooleanField(label=_("可申请听证"), required=False)
    hearing_note = forms.CharField(label=_("听证说明"), max_length=200, required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.agency.units.all()

    def clean_violated(self):
        return self._citations("violated")

    def clean_penalty(self):
        return self._citations("penalty")


class BenchmarkForm(forms.Form):
    """The four tiers of an item's 裁量基准; a tier left empty is removed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for t in DiscretionTier:
            self.fields[f"{t.value}_circumstances"] = forms.CharField(
                label=_("%(tier)s：适用情形") % {"tier": t.label}, required=False, widget=TEXT3
            )
            self.fields[f"{t.value}_penalty"] = forms.CharField(
                label=_("%(tier)s：处罚标准") % {"tier": t.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{t.value}_fine_min"] = forms.DecimalField(
                label=_("%(tier)s：罚款下限（元）") % {"tier": t.label},
                required=False,
                min_value=0,
                decimal_places=2,
            )
            self.fields[f"{t.value}_fine_max"] = forms.DecimalField(
                label=_("%(tier)s：罚款上限（元）") % {"tier": t.label},
                required=False,
                min_value=0,
                decimal_places=2,
            )

    def clean(self):
        data = super().clean()
        for t in DiscretionTier:
            circ, pen = data.get(f"{t.value}_circumstances"), data.get(f"{t.value}_penalty")
            fines = (data.get(f"{t.value}_fine_min"), data.get(f"{t.value}_fine_max"))
            if (circ or pen or any(f is not None for f in fines)) and not (circ and pen):
                self.add_error(f"{t.value}_circumstances", _("请同时填写适用情形和处罚标准。"))
        return data

    def tiers(self) -> dict[str, dict]:
        d = self.cleaned_data
        return {
            t.value: {
                "circumstances": d[f"{t.value}_circumstances"],
                "penalty": d[f"{t.value}_penalty"],
                "fine_min": d[f"{t.value}_fine_min"],
                "fine_max": d[f"{t.value}_fine_max"],
            }
            for t in DiscretionTier
            if d.get(f"{t.value}_circumstances")
        }

    @classmethod
    def initial_for(cls, item) -> dict:
        initial = {}
        for tier in item.tiers.all():
            for key in ("circumstances", "penalty", "fine_min", "fine_max"):
                initial[f"{tier.tier}_{key}"] = getattr(tier, key)
        return initial


class RandomItemForm(_AgencyForm):
    code = forms.CharField(label=_("事项编码"), max_length=40, help_text=CODE_HELP)
    seq = forms.IntegerField(label=_("序号"), min_value=1)
    check_item = forms.CharField(label=_("检查项目"), max_length=200)
    sub_item = forms.CharField(label=_("检查子项"), max_length=200, required=False)
    subject = forms.CharField(label=_("检查主体"), max_length=200)
    basis = forms.CharField(label=_("检查依据"), widget=TEXT3)
    citations = CitationField(label=_("依据条文"))
    method = forms.CharField(label=_("检查方式"), max_length=200)
    content = forms.CharField(label=_("检查内容"), widget=TEXT3)
    targets = forms.CharField(label=_("检查对象"), max_length=200, required=False)
    frequency = forms.CharField(label=_("抽查比例和频次"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    field = forms.ModelChoiceField(
        label=_("执法领域"), queryset=EnforcementField.objects.all(), required=False
    )

    def clean_citations(self):
        return self._citations("citations")


class AvItemForm(_AgencyForm):
    act_code = forms.CharField(
        label=_("行为编码"), max_length=40, help_text=_("全过程记录模块按此编码查询，如 seizure、hearing")
    )
    seq = forms.IntegerField(label=_("序号"), min_value=1)
    act = forms.CharField(label=_("执法行为"), max_length=200)
    stage = forms.ChoiceField(label=_("执法环节"), choices=Stage.choices)
    place = forms.CharField(label=_("记录场所"), max_length=200)
    mode = forms.ChoiceField(label=_("记录方式"), choices=AvMode.choices)
    device = forms.CharField(label=_("记录设备"), max_length=200)
    recorder = forms.CharField(label=_("记录人"), max_length=200)
    content = forms.CharField(label=_("记录内容"), widget=TEXT3)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class GuideForm(_AgencyForm):
    code = forms.CharField(label=_("指南编码"), max_length=40, help_text=CODE_HELP)
    title = forms.CharField(label=_("指南名称"), max_length=200)
    item = forms.ModelChoiceField(label=_("对应执法事项"), queryset=None, required=False)
    procedure = forms.ChoiceField(
        label=_("程序类别"), choices=[("", "—")] + list(ProcedureKind.choices), required=False
    )
    body = forms.CharField(label=_("实施主体"), max_length=200)
    conditions = forms.CharField(label=_("适用条件"), required=False, widget=TEXT3)
    materials = forms.CharField(
        label=_("申请（提交）材料"),
        required=False,
        widget=TEXT3,
        help_text=_("每行一项，写作“材料名称（份数及要求）”；样本文件在指南页面上传。"),
    )
    time_limit = forms.CharField(label=_("办理时限"), max_length=300, required=False)
    fees = forms.CharField(label=_("收费标准"), max_length=200, required=False)
    process = forms.CharField(label=_("办理流程"), required=False, widget=TEXT3)
    contacts = forms.CharField(label=_("咨询方式"), max_length=300, required=False)
    complaint_channel = forms.CharField(label=_("投诉渠道"), max_length=300, required=False)
    basis = forms.CharField(label=_("法律依据"), required=False, widget=TEXT3)
    remedies = forms.CharField(label=_("救济途径"), required=False, widget=TEXT3)
    flowchart = forms.ModelChoiceField(label=_("流程图"), queryset=None, required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = EnforcementItem.objects.filter(agency=self.agency, active=True)
        self.fields["flowchart"].queryset = Flowchart.objects.filter(agency=self.agency, active=True)

    def clean_materials(self):
        try:
            return importer._materials(self.cleaned_data.get("materials", ""))
        except importer.RowError as exc:
            raise forms.ValidationError(str(exc)) from None


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("材料名称"), max_length=200)
    requirement = forms.CharField(label=_("份数及要求"), max_length=300, required=False)
    sample = forms.FileField(
        label=_("样本文件"),
        required=False,
        help_text=_("PDF、DOCX、XLSX、DOC、XLS、JPG 或 PNG，不超过 10 MB。"),
    )


STEP_LINE = re.compile(r"^\s*([^|]+?)\s*\|\s*([^|]+?)\s*(?:\|\s*([^|]*?)\s*)?(?:\|\s*(.*?)\s*)?$")


class FlowchartForm(_AgencyForm):
    code = forms.CharField(label=_("流程图编码"), max_length=40, help_text=CODE_HELP)
    title = forms.CharField(label=_("名称"), max_length=200)
    procedure = forms.ChoiceField(label=_("程序类别"), choices=ProcedureKind.choices)
    description = forms.CharField(label=_("说明"), required=False, widget=TEXT3)
    steps = forms.CharField(
        label=_("步骤"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一个步骤：编码|名称|类型（开始、步骤、判断、结束）|说明或时限"),
    )
    arrows = forms.CharField(
        label=_("连线"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("每行一条：起点编码>终点编码|条件（可省略）"),
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def clean_steps(self):
        steps = []
        kinds = {str(k.label): k.value for k in StepKind} | {k.value: k.value for k in StepKind}
        for n, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            m = STEP_LINE.match(line)
            if not m or not importer.CODE_RE.match(m.group(1)):
                raise forms.ValidationError(_("第%(n)d行格式不正确，应为“编码|名称|类型|说明”。") % {"n": n})
            kind = kinds.get((m.group(3) or "步骤").strip())
            if kind is None:
                raise forms.ValidationError(_("第%(n)d行的类型应为开始、步骤、判断或结束。") % {"n": n})
            steps.append(
                {"key": m.group(1), "label": m.group(2)[:100], "kind": kind, "note": (m.group(4) or "")[:200]}
            )
        return steps

    def clean_arrows(self):
        arrows = []
        for n, line in enumerate(self.cleaned_data.get("arrows", "").splitlines(), start=1):
            if not line.strip():
                continue
            ends, _sep, label = line.partition("|")
            source, sep, target = ends.partition(">")
            if not sep or not source.strip() or not target.strip():
                raise forms.ValidationError(
                    _("第%(n)d行格式不正确，应为“起点编码>终点编码|条件”。") % {"n": n}
                )
            arrows.append({"source": source.strip(), "target": target.strip(), "label": label.strip()[:50]})
        return arrows

    @staticmethod
    def initial_for(chart) -> dict:
        keys = {s.pk: s.key for s in chart.steps.all()}
        return {
            "code": chart.code,
            "title": chart.title,
            "procedure": chart.procedure,
            "description": chart.description,
            "order": chart.order,
            "steps": "\n".join(
                f"{s.key}|{s.label}|{StepKind(s.kind).label}" + (f"|{s.note}" if s.note else "")
                for s in chart.steps.all()
            ),
            "arrows": "\n".join(
                f"{keys[a.source_id]}>{keys[a.target_id]}" + (f"|{a.label}" if a.label else "")
                for a in chart.arrows.all()
            ),
        }


class PublishForm(forms.Form):
    effective_on = forms.DateField(label=_("施行日期"), widget=DATE)
    note = forms.CharField(
        label=_("变更说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("XLSX 或 CSV（UTF-8 或 GB18030 编码），不超过 5 MB；列名见导出文件或使用说明。"),
    )
    replace = forms.BooleanField(
        label=_("文件为完整清单：文件中没有的条目将停用"),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("核对说明"), max_length=300, required=False)
