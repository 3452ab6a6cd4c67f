from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import rules
from .choices import ComplaintKind, ComplaintStatus


def _fill(text, values):
    """A lazy translation with its placeholders filled when shown (``lazy % values`` would fill it at import, in
    the default language)."""
    return lazy(lambda: str(text) % values, str)()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ComplaintKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("标题"), max_length=rules.SUBJECT_MAX)
    content = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": rules.CONTENT_MAX}),
        help_text=_fill(
            _("请写明时间、地点、对象和具体情况，%(min)d至%(max)d个字。"),
            {"min": rules.CONTENT_MIN, "max": rules.CONTENT_MAX},
        ),
    )
    target = forms.CharField(label=_("被投诉举报的单位或个人（可不填）"), max_length=200, required=False)
    item_code = forms.CharField(label=_("涉及的执法事项编码（可不填）"), max_length=40, required=False)
    name = forms.CharField(label=_("您的姓名（可不填）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话（可不填）"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱（可不填）"), required=False)
    attachments = MultipleFileField(
        label=_("附件（可不填）"),
        required=False,
        help_text=_fill(
            _("最多%(n)d个，PDF、JPG、PNG 或 DOCX，每个不超过 5 MB。"), {"n": rules.ATTACHMENTS_MAX}
        ),
    )


class StatusLookupForm(forms.Form):
    receipt_number = forms.CharField(label=_("受理编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=20)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("执法证号"), max_length=40)


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("办理结果"),
        choices=[(s.value, s.label) for s in ComplaintStatus if s != ComplaintStatus.RECEIVED],
    )
    note = forms.CharField(label=_("办理说明"), widget=forms.Textarea(attrs={"rows": 4}))
    public = forms.BooleanField(
        label=_("向提交人公开此说明"),
        required=False,
        initial=True,
        help_text=_("办结或不予受理的答复总是向提交人公开。"),
    )
