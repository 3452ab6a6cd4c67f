"""Forms of the calendar and deadline pages. They only collect input; the actions decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhifa.org.choices import Role
from zhifa.org.models import Person

from .models import DeadlineKind
from .textformat import MAX_LINES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("已按正式通知确认"),
        required=False,
        initial=True,
        help_text=_("不勾选时，本年仍按“估算”标记"),
    )
    notice = forms.CharField(label=_("通知文号或名称"), max_length=200, required=False)


class FestivalForm(forms.Form):
    """One line of the State Council notice: a festival's days off and its make-up workdays."""

    name = forms.CharField(label=_("节日"), max_length=50, required=False)
    first = forms.DateField(label=_("放假起"), required=False, widget=DATE_WIDGET)
    last = forms.DateField(label=_("放假止"), required=False, widget=DATE_WIDGET)
    workdays = forms.CharField(
        label=_("调休上班日"),
        max_length=200,
        required=False,
        help_text=_("多个日期以逗号或空格分隔，如 2027-02-07, 2027-02-20"),
    )

    def clean_workdays(self) -> list[dt.date]:
        out = []
        for part in self.cleaned_data["workdays"].replace("，", ",").replace(",", " ").split():
            try:
                out.append(dt.date.fromisoformat(part))
            except ValueError:
                raise ValidationError(_("日期“%(text)s”无效，应写作 YYYY-MM-DD。") % {"text": part}) from None
        return out

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and not last:
            data["last"] = last = first
        if last and not first:
            self.add_error("first", _("请填写放假起始日期。"))
        if first and last and last < first:
            self.add_error("last", _("结束日期不能早于开始日期。"))
        if first and last and (last - first).days > 31:
            self.add_error("last", _("一个节日的假期不超过31天。"))
        if (first or data.get("workdays")) and not data.get("name"):
            self.add_error("name", _("请填写节日名称。"))
        return data


FestivalFormSet = forms.formset_factory(FestivalForm, extra=3, max_num=20)


class ImportForm(YearForm):
    text = forms.CharField(
        label=_("节假日安排文本"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 60}),
        help_text=_("每行一个日期或日期范围：2027-01-01 holiday 元旦；2027-02-07 workday 春节"),
    )
    file = forms.FileField(label=_("或上传文本文件（UTF-8）"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 64 * 1024:
                raise ValidationError(_("文件过大：最多64KB。"))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("文件不是 UTF-8 编码的文本。")) from None
        if not (data.get("text") or "").strip():
            raise ValidationError(_("请粘贴节假日安排文本或上传文件。"))
        if len(data["text"].splitlines()) > MAX_LINES:
            raise ValidationError(_("文件过长：最多%(n)d行。") % {"n": MAX_LINES})
        return data


class DeadlineKindForm(forms.ModelForm):
    class Meta:
        model = DeadlineKind
        fields = [
            "name",
            "legal_basis",
            "start_event",
            "length",
            "unit",
            "direction",
            "holiday_rule",
            "agency_may_change",
            "binds_party",
            "extension_length",
            "max_extensions",
            "note",
        ]


class AgencySettingForm(forms.Form):
    length = forms.IntegerField(label=_("本机关期限长度"), min_value=1, max_value=3650)
    reason = forms.CharField(label=_("依据或理由"), max_length=200, required=False)


class ApproverField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


def approvers(agency):
    return Person.objects.filter(
        roles__agency=agency, roles__role=Role.AGENCY_HEAD, is_active=True
    ).distinct()


class SuspendForm(forms.Form):
    on = forms.DateField(label=_("中止日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("中止理由"), max_length=500)
    approver = ApproverField(label=_("批准人（负责人）"), queryset=Person.objects.none())

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers(agency)


class ResumeForm(forms.Form):
    on = forms.DateField(label=_("恢复计算日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)


class ExtendForm(forms.Form):
    length = forms.IntegerField(label=_("延长"), min_value=1, max_value=3650, required=False)
    reason = forms.CharField(label=_("延期理由"), max_length=500)
    approver = ApproverField(label=_("批准人（负责人）"), queryset=Person.objects.none())

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers(agency)


class MeetForm(forms.Form):
    on = forms.DateField(label=_("完成日期"), widget=DATE_WIDGET)
