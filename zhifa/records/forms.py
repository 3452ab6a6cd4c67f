"""Forms of the document pages. They only shape input; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import PayloadField

from . import kinds


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书种类"))
    record = forms.TypedChoiceField(
        label=_("依据的调查记录"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("笔录、先行登记保存和查封扣押等文书依据案件中的记录制作；不选则使用最近一条同类记录。"),
    )

    def __init__(self, *args, case=None, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(o["kind"], o["label"]) for o in options if o["available"]]
        records = case.records.order_by("-started_at") if case is not None else []
        self.fields["record"].choices = [("", "—")] + [
            (r.pk, f"{r.get_kind_display()} {r.started_at:%Y-%m-%d %H:%M}") for r in records
        ]


class NarrativeForm(forms.Form):
    """The narrative fields of a kind, declared in kinds.KINDS, plus the document's date."""

    dated = forms.DateField(
        label=_("文书日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, spec: kinds.KindSpec, **kwargs):
        super().__init__(*args, **kwargs)
        for item in spec.narrative:
            if item.choices:
                field = forms.ChoiceField(label=item.title, choices=item.choice_options, required=False)
            elif item.multiline:
                field = forms.CharField(
                    label=item.title, required=False, widget=forms.Textarea(attrs={"rows": 5})
                )
            else:
                field = forms.CharField(label=item.title, required=False, max_length=500)
            if item.required:
                field.label = f"{item.title} *"
            self.fields[item.name] = field


class PartySignatureForm(forms.Form):
    signer_name = forms.CharField(label=_("签名人姓名"), max_length=100)
    # A data: URL: the text rules hold, the text length cap does not (the signature's own size check bounds it).
    image_data = PayloadField(required=False, widget=forms.HiddenInput)
    image = forms.FileField(label=_("或上传签名图像（PNG）"), required=False)


class ScanForm(forms.Form):
    signer_name = forms.CharField(label=_("签名人姓名"), max_length=100)
    file = forms.FileField(label=_("签字文书扫描件（PNG、JPEG或PDF，不超过10MB）"))
    note = forms.CharField(label=_("备注"), required=False, max_length=300)


class RefusalForm(forms.Form):
    signer_name = forms.CharField(label=_("拒绝签名的当事人"), max_length=100)
    witness = forms.CharField(label=_("见证人（姓名、身份）"), max_length=100)
    note = forms.CharField(label=_("情况说明"), required=False, max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("待验证的PDF文件"))
