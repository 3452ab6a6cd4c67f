"""Reads of org data, always scoped to what the asking user may see.

One permission-checked fetch per object kind (``access_agency``, ``access_person``, ``access_certificate``)
decides for pages and the API alike. Objects outside the user's scope are "not found", so their
existence is not revealed.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet
from django.http import Http404

from .choices import Role
from .models import Agency, AuthEvent, Certificate, Person, RoleAssignment

# Who may read org master data (agencies, units, people, certificates) of an agency they hold a role in.
# The audit administrator reads audit records only (三员分立).
ORG_READER_ROLES = frozenset(Role) - {Role.AUDIT_ADMIN}


def roles_by_agency(user) -> dict[int, set[str]]:
    """{agency id: roles held}; remembered on the user object for the length of one request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_zhifa_roles", None)
    if cached is None:
        cached = defaultdict(set)
        for agency_id, role in RoleAssignment.objects.filter(person=user).values_list("agency_id", "role"):
            cached[agency_id].add(role)
        user._zhifa_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the remembered roles (after a grant or removal in the same request)."""
    if hasattr(user, "_zhifa_roles"):
        del user._zhifa_roles


def has_role(user, role: str, agency_id: int | None = None) -> bool:
    roles = roles_by_agency(user)
    if agency_id is None:
        return any(role in held for held in roles.values())
    return role in roles.get(agency_id, set())


def agency_ids_with(user, roles) -> set[int]:
    """The agencies in which the user holds any of ``roles``."""
    roles = set(roles)
    return {agency_id for agency_id, held in roles_by_agency(user).items() if held & roles}


def people_with_role(agency, role: str) -> set[int]:
    """The ids of the active people who hold ``role`` in ``agency``."""
    from .models import Person

    return set(
        Person.objects.filter(is_active=True, roles__agency=agency, roles__role=role).values_list(
            "pk", flat=True
        )
    )


def all_roles(user) -> set[str]:
    return set().union(*roles_by_agency(user).values()) if roles_by_agency(user) else set()


def visible_agencies(user) -> QuerySet[Agency]:
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(id__in=agency_ids_with(user, ORG_READER_ROLES))


def visible_people(user) -> QuerySet[Person]:
    qs = Person.objects.select_related("agency", "unit")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(agency_id__in=agency_ids_with(user, ORG_READER_ROLES))


def visible_certificates(user) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("person", "person__agency").prefetch_related("fields")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(person__agency_id__in=agency_ids_with(user, ORG_READER_ROLES))


def visible_auth_events(user) -> QuerySet[AuthEvent]:
    """Login records: the audit administrator's, for the agencies they audit; nobody else's."""
    return AuthEvent.objects.filter(agency_id__in=agency_ids_with(user, {Role.AUDIT_ADMIN})).select_related(
        "person"
    )


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_agency(user, agency_id) -> Agency:
    return _get(visible_agencies(user), agency_id)


def access_person(user, person_id) -> Person:
    return _get(visible_people(user), person_id)


def access_certificate(user, certificate_id) -> Certificate:
    return _get(visible_certificates(user), certificate_id)


def certificate_by_number(number: str) -> Certificate | None:
    """Public look-up of a certificate by its number (执法证查询); no login needed, no contact data."""
    return (
        Certificate.objects.select_related("person", "person__agency", "person__unit")
        .filter(number=number)
        .first()
    )


def acting_officer_certificate(person: Person, field_code: str | None, on) -> Certificate | None:
    """The person's certificate that lets them act in ``field_code`` on ``on``, if any (see rules)."""
    from . import rules

    for cert in person.certificates.prefetch_related("fields"):
        codes = [f.code for f in cert.fields.all()]
        if (
            rules.certificate_problem(
                status=cert.status,
                valid_from=cert.valid_from,
                valid_to=cert.valid_to,
                field_codes=codes,
                field=field_code,
                on=on,
            )
            is None
        ):
            return cert
    return None


def check_acting_officers(officers, field_code: str | None, on, *, minimum: int | None = None) -> None:
    """Refuse (RuleViolation, in Chinese) unless every officer may act in ``field_code`` on ``on``
    and there are at least ``minimum`` of them (default: 行政处罚法 art. 42, two)."""
    from django.utils.translation import gettext as _

    from zhifa.core.errors import RuleViolation

    from . import rules

    officers = list(dict.fromkeys(officers))
    minimum = rules.MIN_ACTING_OFFICERS if minimum is None else minimum
    if len(officers) < minimum:
        raise RuleViolation(_("执法人员不得少于%(n)d人（《行政处罚法》第四十二条）。") % {"n": minimum})
    missing = [p.full_name for p in officers if acting_officer_certificate(p, field_code, on) is None]
    if missing:
        raise RuleViolation(
            _("%(names)s没有在有效期内、适用于该执法领域的执法证，不能作为承办执法人员。")
            % {"names": "、".join(missing)}
        )
