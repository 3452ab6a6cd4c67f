"""Every change to org data: agencies, units, people, roles, certificates, accounts.

Each action checks who may do it and the rules, writes inside one transaction, and appends its
ledger entry inside that same transaction. ``actor=None`` means the platform itself (the CLI's
bootstrap and the demo loader), which is trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger

from . import queries, rules
from .choices import AuthEventKind, CertificateStatus, Role
from .models import Agency, ApiToken, AuthEvent, Certificate, EnforcementField, Person, RoleAssignment, Unit


def _require(actor, role: str, agency: Agency | None) -> None:
    """Refuse unless ``actor`` holds ``role`` in ``agency`` (the platform itself and superusers may)."""
    if actor is None or actor.is_superuser:
        return
    if agency is not None and queries.has_role(actor, role, agency.pk):
        return
    raise ActionDenied(
        _("您没有进行此操作的权限：需要“%(role)s”角色（%(agency)s）。")
        % {"role": Role(role).label, "agency": agency.name if agency else _("平台")}
    )


def _record(agency: Agency, actor, action: str, obj, **extra) -> None:
    ledger.append(
        agency=agency, actor=actor, action=action, obj=obj, payload={"state": snapshot(obj), **extra}
    )


def _record_person(person: Person, actor, action: str, obj=None, **extra) -> None:
    """Record a change to a person's account (or token): in the person's agency's log; a platform-level person's
    (no agency: the platform administrator) in every agency's log, as its creation was."""
    obj = obj if obj is not None else person
    if person.agency is not None:
        _record(person.agency, actor, action, obj, **extra)
        return
    for agency in Agency.objects.order_by("pk"):
        _record(agency, actor, action, obj, platform=True, **extra)


def _clean_and_save(obj, **clean_kwargs) -> None:
    obj.full_clean(**clean_kwargs)
    obj.save()


# 执法主体 and units: master data, the system administrator's.

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "credit_code",
    "region",
    "legal_basis",
    "duties",
    "powers",
    "reconsideration_body",
    "court",
    "address",
    "phone",
)


@transaction.atomic
def create_agency(actor, *, parent: Agency | None = None, **data) -> Agency:
    """Create an 执法主体. Only the platform, or the system administrator of the parent agency."""
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise ActionDenied(_("只有平台管理员可以创建顶级执法主体。"))
    else:
        _require(actor, Role.SYSTEM_ADMIN, parent)
    unknown = set(data) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(parent=parent, **data)
    _clean_and_save(agency)
    _record(agency, actor, "org.create_agency", agency)
    ledger.record_platform_data(agency, actor)
    return agency


@transaction.atomic
def update_agency(actor, agency: Agency, **changes) -> Agency:
    _require(actor, Role.SYSTEM_ADMIN, agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    unknown = set(changes) - set(AGENCY_FIELDS[1:])  # the code is the agency's identity: fixed
    if unknown:
        raise TypeError(f"fields that cannot be changed: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(agency, name, value)
    _clean_and_save(agency)
    _record(agency, actor, "org.update_agency", agency, changed=sorted(changes))
    return agency


@transaction.atomic
def add_unit(
    actor, agency: Agency, *, name: str, is_legal_review_unit: bool = False, duties: str = ""
) -> Unit:
    _require(actor, Role.SYSTEM_ADMIN, agency)
    if is_legal_review_unit and agency.units.filter(is_legal_review_unit=True).exists():
        raise RuleViolation(_("该执法主体已确定法制审核机构，每个执法主体只能有一个。"))
    unit = Unit(agency=agency, name=name, is_legal_review_unit=is_legal_review_unit, duties=duties)
    _clean_and_save(unit)
    _record(agency, actor, "org.add_unit", unit)
    return unit


@transaction.atomic
def add_field(actor, *, code: str, name: str, abbreviation: str = "") -> EnforcementField:
    """执法领域 are shared by all agencies: only the platform adds them."""
    if actor is not None and not actor.is_superuser:
        raise ActionDenied(_("只有平台管理员可以维护执法领域。"))
    field, created = EnforcementField.objects.get_or_create(
        code=code, defaults={"name": name, "abbreviation": abbreviation}
    )
    if created:
        # Platform data: one entry in each agency's log (a later agency's log begins with it: create_agency).
        for agency in Agency.objects.order_by("pk"):
            _record(agency, actor, "org.add_field", field, platform=True)
    return field


# People and accounts: the security administrator's.

PERSON_FIELDS = (
    "full_name",
    "unit",
    "title",
    "phone",
    "email",
    "legal_qualification",
    "legal_qualification_date",
    "legal_qualification_number",
)


@transaction.atomic
def add_platform_admin(username: str, password: str | None = None, **data) -> Person:
    """The platform administrator (平台管理员), made from the command line (``zhifa createsuperuser``).

    Platform data: recorded in every agency's log, and at the start of each later agency's log."""
    person = Person(
        username=username, is_staff=True, is_superuser=True, must_change_password=False, agency=None, **data
    )
    person.set_password(password)
    person.save()
    for agency in Agency.objects.order_by("pk"):
        _record(agency, None, "org.add_platform_admin", person, platform=True)
    return person


@transaction.atomic
def add_person(
    actor, agency: Agency, *, username: str, password: str, must_change_password: bool = True, **data
) -> Person:
    """Create an account for a person of ``agency``. The person changes the password at first login."""
    _require(actor, Role.SECURITY_ADMIN, agency)
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    unit = data.get("unit")
    if unit is not None and unit.agency_id != agency.pk:
        raise RuleViolation(_("所属机构必须是本执法主体的内设机构。"))
    person = Person(agency=agency, username=username, must_change_password=must_change_password, **data)
    person.full_clean(exclude=["password"])
    password_validation.validate_password(password, person)
    person.set_password(password)
    person.save()
    _record(agency, actor, "org.add_person", person)
    return person


@transaction.atomic
def update_person(actor, person: Person, **changes) -> Person:
    _require(actor, Role.SECURITY_ADMIN, person.agency)
    person = Person.objects.select_for_update().get(pk=person.pk)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"fields that cannot be changed: {sorted(unknown)}")
    unit = changes.get("unit")
    if unit is not None and unit.agency_id != person.agency_id:
        raise RuleViolation(_("所属机构必须是本执法主体的内设机构。"))
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password"])
    person.save()
    _record(person.agency, actor, "org.update_person", person, changed=sorted(changes))
    return person


@transaction.atomic
def set_person_active(actor, person: Person, *, active: bool, reason: str) -> Person:
    """Disable or re-enable an account (a disabled account cannot log in; its records stay)."""
    _require(actor, Role.SECURITY_ADMIN, person.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    if actor is not None and actor.pk == person.pk:
        raise ActionDenied(_("不能停用或启用自己的账户。"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.is_active = active
    person.save(update_fields=["is_active"])
    _record(person.agency, actor, "org.set_person_active", person, reason=reason)
    return person


@transaction.atomic
def reset_password(actor, person: Person, *, new_password: str) -> None:
    """The security administrator sets a temporary password; the person must change it at next login."""
    _require(actor, Role.SECURITY_ADMIN, person.agency)
    person = Person.objects.select_for_update().get(pk=person.pk)
    password_validation.validate_password(new_password, person)
    person.set_password(new_password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    _record_person(person, actor, "org.reset_password")


@transaction.atomic
def change_password(person: Person, *, old_password: str, new_password: str, ip: str | None = None) -> None:
    """The person changes their own password (required at first login)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.check_password(old_password):
        raise RuleViolation({"old_password": [_("原密码不正确。")]})
    if old_password == new_password:
        raise RuleViolation({"new_password": [_("新密码不能与原密码相同。")]})
    password_validation.validate_password(new_password, person)
    person.set_password(new_password)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password"])
    record_auth_event(AuthEventKind.PASSWORD_CHANGED, username=person.username, person=person, ip=ip)
    _record_person(person, person, "org.change_password")


@transaction.atomic
def rehash_password(person: Person, raw_password: str) -> None:
    """Django upgrades a password's hash when it is checked with a hasher that is no longer the preferred one
    (or whose parameters changed): the new hash is saved here, so its digest is recorded (``Person.check_password``)."""
    person.set_password(raw_password)
    person._password = None
    person.save(update_fields=["password"])
    _record_person(person, person, "org.rehash_password")


@transaction.atomic
def grant_role(actor, person: Person, role: str, agency: Agency | None = None) -> RoleAssignment:
    """Grant ``role`` in ``agency`` (default: the person's own). Enforces 三员分立."""
    agency = agency or person.agency
    _require(actor, Role.SECURITY_ADMIN, agency)
    if actor is not None and actor.pk == person.pk:
        raise ActionDenied(_("不能给自己授予角色。"))
    role = Role(role)
    if role != Role.SUPERVISOR and person.agency_id != agency.pk:
        raise RuleViolation(_("除监督人员外，角色只能授予本执法主体的人员。"))
    # Lock the person's row so two concurrent grants cannot both pass the separation check.
    Person.objects.select_for_update().get(pk=person.pk)
    held = RoleAssignment.objects.filter(person=person).values_list("role", flat=True)
    conflict = rules.role_conflict(held, role)
    if conflict:
        raise RuleViolation(
            _("三员分立：该人员已担任“%(held)s”，不能再担任“%(new)s”。")
            % {"held": Role(conflict).label, "new": role.label}
        )
    if RoleAssignment.objects.filter(person=person, role=role, agency=agency).exists():
        raise RuleViolation(_("该人员已具有此角色。"))
    assignment = RoleAssignment.objects.create(person=person, role=role, agency=agency, granted_by=actor)
    _record(agency, actor, "org.grant_role", assignment)
    queries.forget_roles(person)
    return assignment


@transaction.atomic
def remove_role(actor, person: Person, role: str, agency: Agency | None = None, *, reason: str = "") -> None:
    agency = agency or person.agency
    _require(actor, Role.SECURITY_ADMIN, agency)
    if actor is not None and actor.pk == person.pk:
        raise ActionDenied(_("不能移除自己的角色。"))
    assignment = RoleAssignment.objects.filter(person=person, role=role, agency=agency).first()
    if assignment is None:
        raise RuleViolation(_("该人员没有此角色。"))
    state = snapshot(assignment)
    pk = assignment.pk
    assignment.delete()
    assignment.pk = pk  # Django clears it on delete; the entry still names the row that was removed
    ledger.append(
        agency=agency,
        actor=actor,
        action="org.remove_role",
        obj=assignment,
        payload={"state": None, "removed": state, "reason": reason},
    )
    queries.forget_roles(person)


# 执法证 certificates: master data, the system administrator's.


@transaction.atomic
def issue_certificate(
    actor,
    person: Person,
    *,
    number: str,
    field_codes: Iterable[str],
    issuer: str,
    valid_from: dt.date,
    valid_to: dt.date,
) -> Certificate:
    _require(actor, Role.SYSTEM_ADMIN, person.agency)
    codes = sorted(set(field_codes))
    fields = list(EnforcementField.objects.filter(code__in=codes))
    if not codes or len(fields) != len(codes):
        raise RuleViolation({"fields": [_("请选择有效的执法领域。")]})
    cert = Certificate(
        person=person, number=number.strip(), issuer=issuer, valid_from=valid_from, valid_to=valid_to
    )
    _clean_and_save(cert)
    cert.fields.set(fields)
    _record(person.agency, actor, "org.issue_certificate", cert)
    return cert


def _set_certificate_status(actor, cert: Certificate, status: str, reason: str, action: str, allowed_from):
    _require(actor, Role.SYSTEM_ADMIN, cert.person.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    cert = (
        Certificate.objects.select_for_update(of=("self",)).select_related("person__agency").get(pk=cert.pk)
    )
    if cert.status not in allowed_from:
        raise RuleViolation(
            _("执法证当前状态为“%(status)s”，不能进行此操作。") % {"status": cert.get_status_display()}
        )
    cert.status = status
    cert.status_reason = reason
    cert.save(update_fields=["status", "status_reason"])
    _record(cert.person.agency, actor, action, cert, reason=reason)
    return cert


@transaction.atomic
def suspend_certificate(actor, cert: Certificate, *, reason: str) -> Certificate:
    return _set_certificate_status(
        actor,
        cert,
        CertificateStatus.SUSPENDED,
        reason,
        "org.suspend_certificate",
        {CertificateStatus.ACTIVE},
    )


@transaction.atomic
def reinstate_certificate(actor, cert: Certificate, *, reason: str) -> Certificate:
    return _set_certificate_status(
        actor,
        cert,
        CertificateStatus.ACTIVE,
        reason,
        "org.reinstate_certificate",
        {CertificateStatus.SUSPENDED},
    )


@transaction.atomic
def revoke_certificate(actor, cert: Certificate, *, reason: str) -> Certificate:
    """注销: final; a revoked certificate is never active again."""
    return _set_certificate_status(
        actor,
        cert,
        CertificateStatus.REVOKED,
        reason,
        "org.revoke_certificate",
        {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED},
    )


# Logins: the security audit record (AuthEvent), read by the audit administrator.


def login_blocked(username: str, ip: str | None, now: dt.datetime | None = None) -> bool:
    """Locked after LOCKOUT_FAILURES failures within LOCKOUT_MINUTES, per account and per address."""
    from django.conf import settings

    now = now or timezone.now()
    since = now - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    limit = settings.LOCKOUT_FAILURES

    def failures(**match) -> int:
        last_ok = (
            AuthEvent.objects.filter(kind=AuthEventKind.LOGIN, at__gte=since, **match)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        qs = AuthEvent.objects.filter(kind=AuthEventKind.FAILURE, at__gte=last_ok or since, **match)
        return qs.count()

    return failures(username=username) >= limit or (ip is not None and failures(ip=ip) >= limit)


AUTH_ACTION = "org.auth_event"


def auth_event_fields(event: AuthEvent) -> dict:
    """What an audit event's chain hash covers."""
    from zhifa.ledger.encoding import format_time

    return {
        "seq": event.seq,
        "kind": event.kind,
        "username": event.username,
        "person": event.person_id,
        "agency": event.agency_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "at": format_time(event.at),
    }


def auth_event_hash(prev: str, event: AuthEvent) -> str:
    """SHA-256 (hex) of the previous event's hash and this event's canonical JSON: the audit record's chain."""
    import rfc8785

    return hashlib.sha256(prev.encode() + b"\n" + rfc8785.dumps(auth_event_fields(event))).hexdigest()


def _lock_auth_chain() -> None:
    """Serialise appends to the chain: an advisory lock on PostgreSQL (SQLite transactions are IMMEDIATE)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x7A686966])  # "zhif"


@transaction.atomic
def record_auth_event(
    kind: str, *, username: str, person: Person | None, ip: str | None, user_agent: str = ""
):
    """Append an event to the security audit record: the next link of its hash chain and, for a person of an
    agency, an entry in that agency's ledger log (with the link's number and hash) in the same transaction."""
    _lock_auth_chain()
    last = (
        AuthEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "chain_hash").first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    event = AuthEvent(
        kind=kind,
        username=username[:150],
        person=person,
        agency=getattr(person, "agency", None),
        ip=AuthEvent._meta.get_field("ip").get_prep_value(ip),  # as stored, so the hash reads back the same
        user_agent=user_agent[:300],
        at=timezone.now(),
        seq=seq,
    )
    event.chain_hash = auth_event_hash(prev, event)
    event.save()
    if event.agency is not None:
        ledger.append(
            agency=event.agency,
            actor=None,
            action=AUTH_ACTION,
            obj=event,
            payload={
                "event": {
                    "seq": seq,
                    "kind": kind,
                    "username": event.username,
                    "chain_hash": event.chain_hash,
                }
            },
        )
    return event


# Personal API tokens.


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(person: Person, *, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """A new token for the person's own use. The raw value is returned once and never stored."""
    if not name.strip():
        raise RuleViolation({"name": [_("请填写令牌名称。")]})
    raw = "zf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        prefix=raw[:10],
        key_hash=token_hash(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    _record_person(person, person, "org.create_api_token", token)
    return token, raw


@transaction.atomic
def revoke_api_token(person: Person, token: ApiToken) -> None:
    if token.person_id != person.pk:
        raise ActionDenied(_("只能吊销自己的令牌。"))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record_person(person, person, "org.revoke_api_token", token)
