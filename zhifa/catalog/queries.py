"""Reads of the catalog, scoped to what the asking user may see, and the published lists.

Staff of an agency (business roles, supervisors, the system administrator) read its catalog; objects of
other agencies are "not found". The published versions are public and read without a user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency

from . import rules
from .choices import AvMode, ListKind
from .models import (
    Article,
    AvRecordingItem,
    EnforcementItem,
    Flowchart,
    GuideMaterial,
    Law,
    ListVersion,
    RandomInspectionItem,
    ServiceGuide,
)

# Who reads an agency's catalog pages. The security and audit administrators do not (三员分立).
CATALOG_READER_ROLES = frozenset(
    {Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.SYSTEM_ADMIN}
)


def catalog_agencies(user) -> QuerySet[Agency]:
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(id__in=org_queries.agency_ids_with(user, CATALOG_READER_ROLES))


def access_agency(user, agency_id) -> Agency:
    try:
        return catalog_agencies(user).get(pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit(user, agency: Agency) -> bool:
    return bool(
        getattr(user, "is_superuser", False) or org_queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk)
    )


def _get(qs: QuerySet, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_law(user, agency: Agency, pk) -> Law:
    return _get(Law.objects.filter(agency=agency), pk=pk)


def access_article(user, agency: Agency, pk) -> Article:
    return _get(Article.objects.filter(law__agency=agency).select_related("law"), pk=pk)


def access_item(user, agency: Agency, pk) -> EnforcementItem:
    return _get(EnforcementItem.objects.filter(agency=agency).select_related("field", "unit"), pk=pk)


def access_random(user, agency: Agency, pk) -> RandomInspectionItem:
    return _get(RandomInspectionItem.objects.filter(agency=agency), pk=pk)


def access_av(user, agency: Agency, pk) -> AvRecordingItem:
    return _get(AvRecordingItem.objects.filter(agency=agency), pk=pk)


def access_guide(user, agency: Agency, pk) -> ServiceGuide:
    return _get(ServiceGuide.objects.filter(agency=agency), pk=pk)


def access_material(user, agency: Agency, pk) -> GuideMaterial:
    return _get(GuideMaterial.objects.filter(guide__agency=agency).select_related("guide"), pk=pk)


def access_flowchart(user, agency: Agency, pk) -> Flowchart:
    return _get(Flowchart.objects.filter(agency=agency), pk=pk)


# Published lists (public).


def versions(agency: Agency, kind: str) -> QuerySet[ListVersion]:
    return ListVersion.objects.filter(agency=agency, kind=kind).order_by("-number")


def effective_version(agency: Agency, kind: str, on: dt.date | None = None) -> ListVersion | None:
    """The version of ``kind`` in force on ``on`` (default today), or None before the first takes effect."""
    on = on or timezone.localdate()
    refs = [rules.VersionRef(n, d) for n, d in versions(agency, kind).values_list("number", "effective_on")]
    ref = rules.effective_version(refs, on)
    return versions(agency, kind).get(number=ref.number) if ref else None


def version(agency: Agency, kind: str, number: int) -> ListVersion | None:
    return versions(agency, kind).filter(number=number).first()


def item_by_code(agency: Agency, code: str) -> EnforcementItem | None:
    """The enforcement item with a stable ``code`` (cases refer to items by it)."""
    return EnforcementItem.objects.filter(agency=agency, code=code).first()


def flagged_items(agency: Agency) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.filter(agency=agency, needs_review=True)


def flagged_random_items(agency: Agency) -> QuerySet[RandomInspectionItem]:
    return RandomInspectionItem.objects.filter(agency=agency, needs_review=True)


@dataclass(frozen=True)
class AvRequirement:
    """What the 音像记录事项清单 requires for one act: ``mandatory`` means 全程音像记录."""

    act_code: str
    act: str
    stage: str
    place: str
    mode: str
    mandatory: bool
    device: str
    recorder: str
    content: str
    version: int | None


def _requirement(row: dict, version_number: int | None) -> AvRequirement:
    return AvRequirement(
        act_code=row["code"],
        act=row["act"],
        stage=row["stage"],
        place=row["place"],
        mode=row["mode"],
        mandatory=row["mode"] == AvMode.FULL,
        device=row["device"],
        recorder=row["recorder"],
        content=row["content"],
        version=version_number,
    )


def av_requirements(agency: Agency, on: dt.date | None = None) -> list[AvRequirement]:
    """The 音像记录事项清单 in force on ``on``: from the published version, or, before any version has
    been published, from the working copy (so a stage is never judged against nothing)."""
    v = effective_version(agency, ListKind.AV, on)
    if v is not None:
        return [_requirement(row, v.number) for row in v.data]
    from .serialize import av_row

    return [_requirement(av_row(a), None) for a in AvRecordingItem.objects.filter(agency=agency, active=True)]


def av_requirement(agency: Agency, act_code: str, on: dt.date | None = None) -> AvRequirement | None:
    """Which audio/video record the act ``act_code`` (e.g. ``seizure``, ``hearing``) needs, or None."""
    for req in av_requirements(agency, on):
        if req.act_code == act_code:
            return req
    return None


_KIND_MODELS = {
    "catalog.law": (Law, "agency"),
    "catalog.article": (Article, "law__agency"),
    "catalog.enforcementitem": (EnforcementItem, "agency"),
    "catalog.benchmarktier": ("BenchmarkTier", "item__agency"),
    "catalog.randominspectionitem": (RandomInspectionItem, "agency"),
    "catalog.avrecordingitem": (AvRecordingItem, "agency"),
    "catalog.flowchart": (Flowchart, "agency"),
    "catalog.flowstep": ("FlowStep", "chart__agency"),
    "catalog.flowarrow": ("FlowArrow", "chart__agency"),
    "catalog.serviceguide": (ServiceGuide, "agency"),
    "catalog.guidematerial": (GuideMaterial, "guide__agency"),
    "catalog.listversion": (ListVersion, "agency"),
}


def access_by_kind(kind: str):
    """The ledger's permission-checked fetch for one catalog kind: staff of the object's agency only."""
    from django.apps import apps

    model, path = _KIND_MODELS[kind]
    if isinstance(model, str):
        model = apps.get_model("catalog", model)

    def access(user, object_id):
        qs = model.objects.filter(**{f"{path}__in": catalog_agencies(user)})
        return _get(qs, pk=object_id)

    return access
