"""Template helpers for documents: Chinese dates, narrative paragraphs, and the case page's document list."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from .. import rules

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026-06-01 → 2026年6月1日."""
    try:
        return rules.chinese_date(value)
    except (TypeError, ValueError):
        return str(value or "")


@register.filter
def cn_datetime(value) -> str:
    try:
        return rules.chinese_datetime(value)
    except (TypeError, ValueError):
        return str(value or "")


@register.filter
def paragraphs(value) -> list[str]:
    """Narrative text as paragraphs, one per non-empty line."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


@register.filter
def blank(value, width: int = 8) -> str:
    """The value, or a line to write on by hand when it is empty (every preset field is filled: art. 4)."""
    return str(value) if value not in (None, "") else "＿" * int(width)


@register.simple_tag
def case_documents(case):
    from ..queries import case_documents as documents

    return documents(case)


@register.simple_tag
def case_records(case) -> list:
    """The case's records, read once per page (``cases.queries.case_records``)."""
    from zhifa.cases.queries import case_records as records

    return records(case)


@register.simple_tag(takes_context=True)
def may_change_documents(context, case) -> bool:
    from ..queries import may_change

    request = context.get("request")
    return bool(request and may_change(request.user, case))


@register.simple_tag
def case_url(case) -> str:
    """The case page, or the case's document list while the case pages are not there."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("records:case_documents", args=[case.pk])


@register.filter
def sentence(value) -> str:
    """Text ending as a sentence does, without doubling the full stop."""
    text = str(value or "").strip()
    if not text:
        return ""
    return text if text[-1] in "。；！？：" else text + "。"


@register.filter
def checkbox(value, selected) -> str:
    return ("■" if str(value) == str(selected) else "□") + str(value)


@register.simple_tag
def generation_options(case):
    from ..queries import generation_options as options

    return [o for o in options(case) if o["available"]]


@register.simple_tag(takes_context=True)
def case_evidence_panel(context, case) -> dict:
    """The case page's evidence panel: the items (marked ones hidden from those who may not open them), the AV
    flags of the 音像记录事项清单, and failed fixity checks."""
    from .. import evidence, queries

    user = context["request"].user
    items = queries.case_evidence(user, case)
    return {
        "items": items,
        "av_flags": evidence.av_flags(case),
        "fixity": [e for e in items if e.fixity_ok is False],
        "can_change": queries.may_change(user, case) and case.state != "archived",
    }


@register.simple_tag(takes_context=True)
def party_records(context, party) -> dict:
    from .. import queries

    user = context["request"].user
    return {
        "documents": queries.party_documents(user, party),
        "evidence": queries.party_evidence(user, party),
    }


@register.filter
def seal_subject(subject: str) -> str:
    """A seal certificate's subject as the reader reads it: the platform names its certificates "<agency> 电子印章"
    (records/seal.py); the agency name is data, the words the platform added are shown in the reader's language."""
    from django.utils.translation import gettext as _

    subject = subject or ""
    return subject.replace(" 电子印章根证书", " " + _("电子印章根证书")).replace(
        " 电子印章", " " + _("电子印章")
    )
