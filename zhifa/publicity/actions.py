"""Changes made through the portal and by the staff who answer it: 投诉举报 and 咨询.

A submission from the public has no actor (``actor=None`` in its ledger entry); the person's identity and
contact data stay with the agency's staff. Handling is done by the agency's business roles.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.catalog import uploads
from zhifa.catalog.actions import state
from zhifa.core.errors import ActionDenied, RuleViolation, ValidationError
from zhifa.core.filenames import safe_name
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.models import Agency

from . import rules
from .choices import ComplaintKind, ComplaintStatus
from .models import Complaint, ComplaintAttachment, ComplaintEvent
from .queries import COMPLAINT_HANDLER_ROLES


def _record(agency, actor, action, obj, files=(), **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=action,
        obj=obj,
        payload={"state": state(obj), **extra},
        files=files,
    )


def check_submission(
    *, kind: str, subject: str, content: str, phone: str = "", email: str = "", attachments=()
) -> list[uploads.Upload]:
    """Refuse (RuleViolation with field errors, in Chinese) a submission that is not acceptable."""
    errors: dict[str, list[str]] = {}
    if kind not in ComplaintKind.values:
        errors.setdefault("kind", []).append(_("请选择类别。"))
    if not subject.strip():
        errors.setdefault("subject", []).append(_("请填写标题。"))
    elif len(subject.strip()) > rules.SUBJECT_MAX:
        errors.setdefault("subject", []).append(_("标题不能超过%(n)d个字。") % {"n": rules.SUBJECT_MAX})
    length = len(content.strip())
    if length < rules.CONTENT_MIN or length > rules.CONTENT_MAX:
        errors.setdefault("content", []).append(
            _("内容应为%(min)d至%(max)d个字。") % {"min": rules.CONTENT_MIN, "max": rules.CONTENT_MAX}
        )
    if rules.phone_problem(phone):
        errors.setdefault("phone", []).append(_("联系电话格式不正确。"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("电子邮箱格式不正确。"))
    attachments = list(attachments)
    checked = []
    if len(attachments) > rules.ATTACHMENTS_MAX:
        errors.setdefault("attachments", []).append(_("附件最多%(n)d个。") % {"n": rules.ATTACHMENTS_MAX})
    else:
        for name, data in attachments:
            try:
                checked.append(
                    uploads.check_upload(
                        name, data, allowed=uploads.ATTACHMENT_TYPES, max_bytes=rules.ATTACHMENT_MAX_BYTES
                    )
                )
            except RuleViolation as exc:
                errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise RuleViolation(errors)
    return checked


@transaction.atomic
def submit_complaint(
    agency: Agency,
    *,
    kind: str,
    subject: str,
    content: str,
    item_code: str = "",
    target: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    attachments=(),
) -> tuple[Complaint, str]:
    """Store a complaint, report or question from the portal. Returns it with its query code, shown once:
    only a hash of the code is kept."""
    attachments = list(attachments)
    checked = check_submission(
        kind=kind, subject=subject, content=content, phone=phone, email=email, attachments=attachments
    )
    code = rules.new_query_code()
    complaint = Complaint(
        agency=agency,
        kind=kind,
        subject=subject.strip(),
        content=content.strip(),
        item_code=item_code.strip()[:40],
        target=target.strip()[:200],
        name=name.strip()[:50],
        phone=phone.strip(),
        email=email.strip(),
        key_hash=make_password(code),
    )
    for _attempt in range(5):
        complaint.receipt_number = rules.new_receipt_number(timezone.localdate())
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            continue
    else:
        raise RuleViolation(_("系统繁忙，请稍后再试。"))
    _record(agency, None, "publicity.submit_complaint", complaint, source="portal")
    for (_name, data), upload in zip(attachments, checked, strict=True):
        att = ComplaintAttachment(
            complaint=complaint,
            original_name=safe_name(upload.name),
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        att.file.save(upload.name, ContentFile(data), save=False)
        att.save()
        _record(agency, None, "publicity.attach_complaint_file", att, files=[(att.file.name, upload.sha256)])
    event = ComplaintEvent.objects.create(
        complaint=complaint, status=ComplaintStatus.RECEIVED, note=_("已收到，将依法办理。"), public=True
    )
    _record(agency, None, "publicity.complaint_event", event)
    return complaint, code


@transaction.atomic
def handle_complaint(
    actor, complaint: Complaint, *, status: str, note: str, public: bool = True
) -> Complaint:
    """Move a complaint on (办理中, 已办结, 不予受理) with a note; a final answer is shown to the submitter."""
    if actor is None or not org_queries.agency_ids_with(actor, COMPLAINT_HANDLER_ROLES) & {
        complaint.agency_id
    }:
        raise ActionDenied(
            _("您没有办理该投诉举报的权限：须为本执法主体的执法人员、承办机构负责人或负责人。")
        )
    status = ComplaintStatus(status)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not rules.transition_allowed(complaint.status, status):
        raise RuleViolation(
            _("当前状态为“%(current)s”，不能改为“%(new)s”。")
            % {"current": complaint.get_status_display(), "new": status.label}
        )
    note = note.strip()
    if not note:
        raise RuleViolation({"note": [_("请填写办理说明。")]})
    if status in rules.FINAL:
        public = True  # the answer is the submitter's to read
        complaint.reply = note
    complaint.status = status
    complaint.handled_by = actor
    complaint.updated_at = timezone.now()
    complaint.save(update_fields=["status", "reply", "handled_by", "updated_at"])
    _record(complaint.agency, actor, "publicity.handle_complaint", complaint)
    event = ComplaintEvent.objects.create(
        complaint=complaint, status=status, note=note, public=public, actor=actor
    )
    _record(complaint.agency, actor, "publicity.complaint_event", event)
    return complaint
