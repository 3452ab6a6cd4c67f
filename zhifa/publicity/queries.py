"""Reads for the public portal (no user: only what is published) and for the staff who answer complaints."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.catalog.models import ListVersion
from zhifa.org import queries as org_queries
from zhifa.org import rules as org_rules
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Certificate, Person, PortalVersion

from . import rules
from .models import Complaint

# 投诉举报 are read and handled by the agency's business roles; supervisors read them. Never the three
# administrators (三员分立).
COMPLAINT_HANDLER_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
COMPLAINT_READER_ROLES = COMPLAINT_HANDLER_ROLES | {Role.SUPERVISOR}


def portal_agencies() -> QuerySet[Agency]:
    """Agencies that have published at least one list, for the portal's agency choice."""
    return Agency.objects.filter(pk__in=ListVersion.objects.values("agency_id")).order_by("code")


def portal_agency(code: str | None) -> Agency:
    """The agency a portal page is about: ``?agency=<code>``, else ``settings.PORTAL_DEFAULT_AGENCY``,
    else the first agency that has published anything, else the first agency. Read with its portal version
    (``portal_version``) in the same query, before anything the page shows."""
    agencies = Agency.objects.select_related("portal_version")
    if code:
        agency = agencies.filter(code=code).first()
        if agency is None:
            raise Http404
        return agency
    default = getattr(settings, "PORTAL_DEFAULT_AGENCY", "")
    agency = (default and agencies.filter(code=default).first()) or portal_agencies().select_related(
        "portal_version"
    ).first()
    agency = agency or agencies.order_by("code").first()
    if agency is None:
        raise Http404
    return agency


def portal_version(agency: Agency) -> uuid.UUID | None:
    """The token that changes with every write to what the portal shows of ``agency``'s people, units, roles and
    certificates (``zhifa.org.portal_version``); None if the agency has no row (then nothing may be assumed)."""
    try:
        return agency.portal_version.token
    except PortalVersion.DoesNotExist:
        return None


@dataclass(frozen=True)
class PublicOfficer:
    name: str
    unit: str
    title: str
    number: str
    fields: list[str]
    valid_from: dt.date
    valid_to: dt.date


def active_officers(agency: Agency, on: dt.date | None = None) -> list[PublicOfficer]:
    """执法人员清单: enabled officers of ``agency`` with a certificate in force on ``on``; one row per such
    certificate. Nothing else about them (no phone, no account data)."""
    on = on or timezone.localdate()
    officer_ids = set(
        Person.objects.filter(
            agency=agency, is_active=True, roles__role=Role.OFFICER, roles__agency=agency
        ).values_list("pk", flat=True)
    )
    certs = (
        Certificate.objects.filter(person_id__in=officer_ids)
        .select_related("person", "person__unit")
        .prefetch_related("fields")
        .order_by("person__unit_id", "person__id", "number")
    )
    out = []
    for c in certs:
        codes = [f.code for f in c.fields.all()]
        if org_rules.certificate_problem(
            status=c.status,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            field_codes=codes,
            field=None,
            on=on,
        ):
            continue
        out.append(
            PublicOfficer(
                name=c.person.full_name,
                unit=c.person.unit.name if c.person.unit else "",
                title=c.person.title,
                number=c.number,
                fields=[f.name for f in c.fields.all()],
                valid_from=c.valid_from,
                valid_to=c.valid_to,
            )
        )
    return out


@dataclass(frozen=True)
class CertificateCheck:
    """What the public sees of a certificate: ``state`` is valid / expired / not_yet_valid / suspended /
    revoked / holder_inactive."""

    number: str
    name: str
    agency: str
    fields: list[str]
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    state: str


def check_certificate(number: str, on: dt.date | None = None) -> CertificateCheck | None:
    """执法证查询 by number; None when there is no such certificate."""
    on = on or timezone.localdate()
    cert = org_queries.certificate_by_number(number.strip())
    if cert is None:
        return None
    codes = [f.code for f in cert.fields.all()]
    problem = org_rules.certificate_problem(
        status=cert.status,
        valid_from=cert.valid_from,
        valid_to=cert.valid_to,
        field_codes=codes,
        field=None,
        on=on,
    )
    if problem == "status":
        state = cert.status  # suspended / revoked
    elif problem:
        state = problem
    elif not cert.person.is_active:
        state = "holder_inactive"
    else:
        state = "valid"
    return CertificateCheck(
        number=cert.number,
        name=cert.person.full_name,
        agency=cert.person.agency.name if cert.person.agency else "",
        fields=[f.name for f in cert.fields.all()],
        issuer=cert.issuer,
        valid_from=cert.valid_from,
        valid_to=cert.valid_to,
        state=state,
    )


_DUMMY_HASH = None


def find_complaint(receipt_number: str, code: str) -> Complaint | None:
    """The complaint with this receipt number whose query code matches, else None. Takes the same time
    whether or not the number exists, so the answer does not reveal which numbers are in use."""
    global _DUMMY_HASH
    complaint = Complaint.objects.filter(receipt_number=(receipt_number or "").strip()).first()
    code = rules.normalise_code(code)
    if complaint is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = make_password("not-a-code")
        check_password(code, _DUMMY_HASH)
        return None
    return complaint if check_password(code, complaint.key_hash) else None


# Staff.


def complaint_agencies(user) -> set[int]:
    """The agencies whose complaints ``user`` may read: a complaint is the agency's business record and carries
    the complainant's name and phone, so the platform administrator (who sets up agencies) does not read them."""
    return org_queries.agency_ids_with(user, COMPLAINT_READER_ROLES)


def visible_complaints(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(agency_id__in=complaint_agencies(user)).select_related("agency")


def access_complaint(user, pk) -> Complaint:
    try:
        return visible_complaints(user).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_handle(user, complaint: Complaint) -> bool:
    return complaint.agency_id in org_queries.agency_ids_with(user, COMPLAINT_HANDLER_ROLES)


def access_by_complaint(related: str):
    """The ledger's fetch for a complaint's attachments or events: whoever may read the complaint."""
    from .models import ComplaintAttachment, ComplaintEvent

    model = {"attachments": ComplaintAttachment, "events": ComplaintEvent}[related]

    def access(user, object_id):
        try:
            return model.objects.get(pk=object_id, complaint__agency_id__in=complaint_agencies(user))
        except (model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    return access


def access_publication(user, pk):
    """The ledger's fetch for a publication: whoever may read its case."""
    from zhifa.cases.access import access_case

    from .models import Publication

    try:
        publication = Publication.objects.get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_case(user, publication.case_id)
    return publication


def publication_agencies(user) -> set[int]:
    """The agencies whose publications ``user`` may read: those whose cases they read (the publication is of a
    case's decision)."""
    from zhifa.cases.queries import readable_agency_ids

    if not getattr(user, "is_authenticated", False):
        return set()
    return readable_agency_ids(user)


def visible_publications(user):
    from .models import Publication

    return Publication.objects.filter(agency_id__in=publication_agencies(user)).select_related(
        "agency", "case", "case__party"
    )


def late(publications, today):
    """Not yet published (待编辑 or 待审核) and past the due date (``Publication.is_late`` in the database)."""
    from .models import Publication

    return publications.filter(state__in=Publication.OPEN_STATES, due_on__lt=today)


def access_visible_publication(user, pk):
    """A publication of an agency whose cases ``user`` reads (Http404 otherwise)."""
    from .models import Publication

    try:
        return visible_publications(user).get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_annual_report(user, pk):
    """A 年度统计 of an agency whose publications ``user`` reads (Http404 otherwise): its staff who read cases and
    its supervisors. The ledger's fetch too."""
    from .models import AnnualReport

    report = (
        AnnualReport.objects.filter(pk=pk).select_related("agency", "published_by").first()
        if str(pk).isdigit()
        else None
    )
    if report is None or report.agency_id not in publication_agencies(user):
        raise Http404
    return report
