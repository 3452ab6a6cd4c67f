"""Every change to the catalog: laws and articles, the five lists, their versions and imports.

The catalog is master data of an agency: only its system administrator (or the platform, ``actor=None``,
e.g. the demo loader) changes it. Each action checks the rules, writes inside one transaction and appends
its ledger entries inside that same transaction; a refusal leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Unit

from . import importer, rules, serialize, tabular, uploads
from .choices import LawStatus, ListKind, StepKind, TableKind
from .models import (
    Article,
    AvRecordingItem,
    BenchmarkTier,
    EnforcementItem,
    FlowArrow,
    Flowchart,
    FlowStep,
    GuideMaterial,
    Law,
    ListVersion,
    RandomInspectionItem,
    ServiceGuide,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
SAMPLE_MAX_BYTES = 10 * 1024 * 1024


def _require_admin(actor, agency: Agency) -> None:
    """The catalog is the agency's master data: its system administrator's (or the platform's)."""
    if actor is None or actor.is_superuser:
        return
    if org_queries.has_role(actor, Role.SYSTEM_ADMIN, agency.pk):
        return
    raise ActionDenied(
        _("您没有进行此操作的权限：执法事项目录和公示清单由%(agency)s的系统管理员维护。")
        % {"agency": agency.name}
    )


def state(obj) -> dict:
    """``core.snapshot.snapshot`` with stored files as their storage names (a FieldFile is not JSON)."""
    from django.db.models.fields.files import FieldFile

    return {k: (v.name if isinstance(v, FieldFile) else v) for k, v in snapshot(obj).items()}


def _record(agency: Agency, actor, action: str, obj, **extra) -> None:
    ledger.append(agency=agency, actor=actor, action=action, obj=obj, payload={"state": state(obj), **extra})


def _record_removed(agency: Agency, actor, action: str, obj, **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=action,
        obj=obj,
        payload={"state": None, "removed": state(obj), **extra},
    )


def _clean_save(obj, **kwargs) -> None:
    obj.full_clean(**kwargs)
    obj.save()


def _pick(data: dict, allowed: Iterable[str]) -> dict:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return data


# 法律法规库

LAW_FIELDS = ("name", "short_name", "issuer", "level", "promulgated_on", "effective_on")


@transaction.atomic
def create_law(actor, agency: Agency, **data) -> Law:
    _require_admin(actor, agency)
    _pick(data, LAW_FIELDS)
    data["name"] = data["name"].strip().strip("《》")
    if Law.objects.filter(agency=agency, name=data["name"]).exists():
        raise RuleViolation({"name": [_("法规库中已有《%(name)s》。") % {"name": data["name"]}]})
    law = Law(agency=agency, **data)
    _clean_save(law)
    _record(agency, actor, "catalog.create_law", law)
    return law


@transaction.atomic
def update_law(actor, law: Law, **changes) -> Law:
    _require_admin(actor, law.agency)
    _pick(changes, LAW_FIELDS)
    law = Law.objects.select_for_update().get(pk=law.pk)
    for name, value in changes.items():
        setattr(law, name, value)
    _clean_save(law)
    _record(law.agency, actor, "catalog.update_law", law, changed=sorted(changes))
    return law


def _flag(actor, agency: Agency, objs, reason: str) -> int:
    now = timezone.now()
    count = 0
    for obj in objs:
        obj.needs_review, obj.review_reason, obj.flagged_at = True, reason[:300], now
        obj.save(update_fields=["needs_review", "review_reason", "flagged_at"])
        _record(agency, actor, "catalog.flag_basis_changed", obj, reason=reason)
        count += 1
    return count


def _flag_citing(actor, agency: Agency, articles, reason: str) -> int:
    """Flag every item and random-inspection item of ``agency`` that cites one of ``articles``."""
    articles = list(articles)
    items = EnforcementItem.objects.select_for_update().filter(
        pk__in=EnforcementItem.objects.filter(
            Q(violated_articles__in=articles) | Q(penalty_articles__in=articles), agency=agency
        ).values("pk")
    )
    randoms = RandomInspectionItem.objects.select_for_update().filter(
        pk__in=RandomInspectionItem.objects.filter(articles__in=articles, agency=agency).values("pk")
    )
    return _flag(actor, agency, items, reason) + _flag(actor, agency, randoms, reason)


@transaction.atomic
def set_law_status(actor, law: Law, *, status: str, on: dt.date | None = None, note: str = "") -> int:
    """Mark a law in force, amended or repealed. Amended or repealed flags every item citing it
    (依据已变更，待调整) for the administrator; returns how many were flagged."""
    _require_admin(actor, law.agency)
    status = LawStatus(status)
    law = Law.objects.select_for_update().get(pk=law.pk)
    if law.status == status:
        raise RuleViolation(
            _("《%(name)s》的状态已是“%(status)s”。") % {"name": law.name, "status": status.label}
        )
    law.status, law.status_on, law.status_note = status, on, note[:300]
    _clean_save(law)
    _record(law.agency, actor, "catalog.set_law_status", law)
    if status == LawStatus.IN_FORCE:
        return 0
    with translation.override("zh-hans"):
        reason = rules.law_change_reason(law.name, str(status.label), on)
    return _flag_citing(actor, law.agency, law.articles.all(), reason)


@transaction.atomic
def add_article(actor, law: Law, *, number: int, text: str, effective_on: dt.date | None = None) -> Article:
    _require_admin(actor, law.agency)
    if law.articles.filter(number=number).exists():
        raise RuleViolation(
            {
                "number": [
                    _("%(law)s已有%(label)s，修改条文请使用“修改条文”。")
                    % {"law": law, "label": rules.article_label(number)}
                ]
            }
        )
    article = Article(
        law=law, number=number, text=text.strip(), effective_on=effective_on or law.effective_on
    )
    _clean_save(article)
    _record(law.agency, actor, "catalog.add_article", article)
    return article


@transaction.atomic
def amend_article(actor, article: Article, *, text: str, effective_on: dt.date | None = None) -> Article:
    """A new version of the article's text; the old version stays (items citing it keep it) and those
    items are flagged for review."""
    law = article.law
    _require_admin(actor, law.agency)
    current = Article.objects.select_for_update().get(law=law, number=article.number, is_current=True)
    text = text.strip()
    if text == current.text:
        raise RuleViolation({"text": [_("条文没有变化。")]})
    current.is_current = False
    current.save(update_fields=["is_current"])
    _record(law.agency, actor, "catalog.supersede_article", current)
    new = Article(
        law=law,
        number=current.number,
        version=current.version + 1,
        text=text,
        effective_on=effective_on or timezone.localdate(),
    )
    _clean_save(new)
    _record(law.agency, actor, "catalog.amend_article", new, previous=current.pk)
    reason = rules.article_change_reason(
        f"《{law.cite_name}》{rules.article_label(current.number)}", new.version
    )
    _flag_citing(actor, law.agency, [current], reason)
    return new


def _check_articles(agency: Agency, articles: Iterable[Article]) -> list[Article]:
    # Read them again: the caller's objects may predate a status change made in this request.
    wanted = [a.pk for a in articles]
    fresh = {a.pk: a for a in Article.objects.select_related("law").filter(pk__in=wanted)}
    articles = [fresh[pk] for pk in dict.fromkeys(wanted)]
    for a in articles:
        if a.law.agency_id != agency.pk:
            raise RuleViolation(_("只能引用本执法主体法规库中的条文。"))
        if not a.is_current:
            raise RuleViolation(_("%(citation)s已有新版本，请引用现行条文。") % {"citation": a.citation})
        if a.law.status == LawStatus.REPEALED:
            raise RuleViolation(_("《%(law)s》已废止，不能作为依据。") % {"law": a.law.name})
    return articles


def _check_unit(agency: Agency, unit: Unit | None) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise RuleViolation({"unit": [_("承办机构必须是本执法主体的内设机构。")]})


# 执法事项

ITEM_FIELDS = ("name", "kind", "field", "unit", "basis_note", "hearing_eligible", "hearing_note", "order")


def _item_write(
    actor, agency, item: EnforcementItem, data: dict, violated, penalty, action: str
) -> EnforcementItem:
    _check_unit(agency, data.get("unit", item.unit))
    for name, value in data.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    _clean_save(item, exclude=["violated_articles", "penalty_articles"])
    if violated is not None:
        item.violated_articles.set(_check_articles(agency, violated))
    if penalty is not None:
        item.penalty_articles.set(_check_articles(agency, penalty))
    _record(agency, actor, action, item)
    return item


@transaction.atomic
def create_item(actor, agency: Agency, *, code: str, violated=(), penalty=(), **data) -> EnforcementItem:
    _require_admin(actor, agency)
    _pick(data, ITEM_FIELDS)
    if EnforcementItem.objects.filter(agency=agency, code=code).exists():
        raise RuleViolation(
            {"code": [_("事项编码“%(code)s”已被使用。事项编码一经确定不再改变。") % {"code": code}]}
        )
    return _item_write(
        actor,
        agency,
        EnforcementItem(agency=agency, code=code),
        data,
        violated,
        penalty,
        "catalog.create_item",
    )


@transaction.atomic
def update_item(actor, item: EnforcementItem, *, violated=None, penalty=None, **changes) -> EnforcementItem:
    """Change an item; its code never changes (cases refer to it)."""
    _require_admin(actor, item.agency)
    _pick(changes, ITEM_FIELDS + ("active",))
    item = EnforcementItem.objects.select_for_update().get(pk=item.pk)
    return _item_write(actor, item.agency, item, changes, violated, penalty, "catalog.update_item")


@transaction.atomic
def set_benchmarks(actor, item: EnforcementItem, tiers: dict[str, dict]) -> list[BenchmarkTier]:
    """Replace the item's 裁量基准: ``{tier: {circumstances, penalty, fine_min, fine_max}}``."""
    _require_admin(actor, item.agency)
    item = EnforcementItem.objects.select_for_update().get(pk=item.pk)
    existing = {t.tier: t for t in item.tiers.all()}
    result = []
    for tier_value, spec in tiers.items():
        problem = rules.fine_range_problem(spec.get("fine_min"), spec.get("fine_max"))
        if problem:
            raise RuleViolation(_("裁量基准：%(problem)s。") % {"problem": problem})
        tier = existing.pop(tier_value, None) or BenchmarkTier(item=item, tier=tier_value)
        before = state(tier) if tier.pk else None
        for key in ("circumstances", "penalty", "fine_min", "fine_max"):
            setattr(tier, key, spec.get(key))
        _clean_save(tier)
        if before != state(tier):
            _record(item.agency, actor, "catalog.set_benchmark", tier)
        result.append(tier)
    for tier in existing.values():
        _record_removed(item.agency, actor, "catalog.remove_benchmark", tier)
        tier.delete()
    item.updated_at = timezone.now()
    item.save(update_fields=["updated_at"])
    _record(item.agency, actor, "catalog.set_benchmarks", item)
    return result


@transaction.atomic
def retire_item(actor, item: EnforcementItem, *, reason: str) -> EnforcementItem:
    """停用: the item leaves the list from the next version; cases already filed under it keep it."""
    _require_admin(actor, item.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    item = EnforcementItem.objects.select_for_update().get(pk=item.pk)
    item.active = False
    item.save(update_fields=["active"])
    _record(item.agency, actor, "catalog.retire_item", item, reason=reason)
    return item


def _confirm(actor, obj, model, m2m_names: tuple[str, ...], note: str, action: str):
    _require_admin(actor, obj.agency)
    obj = model.objects.select_for_update().get(pk=obj.pk)
    if not obj.needs_review:
        raise RuleViolation(_("该事项没有待调整的依据。"))
    # Citations of a superseded article move to its current text.
    for name in m2m_names:
        manager = getattr(obj, name)
        updated = []
        for a in manager.select_related("law"):
            if a.law.status == LawStatus.REPEALED:
                raise RuleViolation(_("依据《%(law)s》已废止，请先修改该事项的依据。") % {"law": a.law.name})
            current = (
                a
                if a.is_current
                else Article.objects.filter(law=a.law, number=a.number, is_current=True).first()
            )
            updated.append(current or a)
        manager.set(updated)
    obj.needs_review, obj.review_reason, obj.flagged_at = False, "", None
    obj.save(update_fields=["needs_review", "review_reason", "flagged_at"])
    _record(obj.agency, actor, action, obj, note=note)
    return obj


@transaction.atomic
def confirm_item_basis(actor, item: EnforcementItem, *, note: str = "") -> EnforcementItem:
    """The administrator has checked the item against the changed law: citations of amended articles move
    to the current text and the flag is cleared. A repealed law must be replaced first."""
    return _confirm(
        actor,
        item,
        EnforcementItem,
        ("violated_articles", "penalty_articles"),
        note,
        "catalog.confirm_item_basis",
    )


@transaction.atomic
def confirm_random_basis(actor, item: RandomInspectionItem, *, note: str = "") -> RandomInspectionItem:
    return _confirm(actor, item, RandomInspectionItem, ("articles",), note, "catalog.confirm_random_basis")


# 随机抽查事项

RANDOM_FIELDS = (
    "seq",
    "check_item",
    "sub_item",
    "subject",
    "basis",
    "method",
    "content",
    "targets",
    "frequency",
    "note",
    "field",
)


@transaction.atomic
def save_random_item(actor, agency: Agency, *, code: str, articles=None, **data) -> RandomInspectionItem:
    """Create the random-inspection item ``code`` or change it."""
    _require_admin(actor, agency)
    _pick(data, RANDOM_FIELDS + ("active",))
    obj = RandomInspectionItem.objects.select_for_update().filter(agency=agency, code=code).first()
    created = obj is None
    obj = obj or RandomInspectionItem(agency=agency, code=code)
    for name, value in data.items():
        setattr(obj, name, value)
    _clean_save(obj, exclude=["articles"])
    if articles is not None:
        obj.articles.set(_check_articles(agency, articles))
    _record(agency, actor, "catalog.create_random_item" if created else "catalog.update_random_item", obj)
    return obj


@transaction.atomic
def retire_random_item(actor, obj: RandomInspectionItem, *, reason: str) -> RandomInspectionItem:
    _require_admin(actor, obj.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    obj.active = False
    obj.save(update_fields=["active"])
    _record(obj.agency, actor, "catalog.retire_random_item", obj, reason=reason)
    return obj


# 音像记录事项

AV_FIELDS = ("seq", "act", "stage", "place", "mode", "device", "recorder", "content", "note", "active")


@transaction.atomic
def save_av_item(actor, agency: Agency, *, act_code: str, **data) -> AvRecordingItem:
    _require_admin(actor, agency)
    _pick(data, AV_FIELDS)
    obj = AvRecordingItem.objects.select_for_update().filter(agency=agency, act_code=act_code).first()
    created = obj is None
    obj = obj or AvRecordingItem(agency=agency, act_code=act_code)
    for name, value in data.items():
        setattr(obj, name, value)
    _clean_save(obj)
    _record(agency, actor, "catalog.create_av_item" if created else "catalog.update_av_item", obj)
    return obj


@transaction.atomic
def retire_av_item(actor, obj: AvRecordingItem, *, reason: str) -> AvRecordingItem:
    _require_admin(actor, obj.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    obj.active = False
    obj.save(update_fields=["active"])
    _record(obj.agency, actor, "catalog.retire_av_item", obj, reason=reason)
    return obj


# 执法流程图

FLOWCHART_FIELDS = ("title", "procedure", "description", "order", "active")


def check_flow(steps: list[dict], arrows: list[dict]) -> None:
    if not steps:
        raise RuleViolation(_("流程图至少需要一个步骤。"))
    keys = [s["key"] for s in steps]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise RuleViolation(_("步骤编码重复：%(keys)s。") % {"keys": "、".join(duplicates)})
    for a in arrows:
        for end in (a["source"], a["target"]):
            if end not in keys:
                raise RuleViolation(_("连线引用了不存在的步骤“%(key)s”。") % {"key": end})
    for s in steps:
        StepKind(s.get("kind") or StepKind.STEP)


@transaction.atomic
def save_flowchart(
    actor, agency: Agency, *, code: str, steps: list[dict], arrows: list[dict], **data
) -> Flowchart:
    """Create the flowchart ``code`` or replace its data; steps are {key, label, kind, note}, arrows are
    {source, target, label} by step key."""
    _require_admin(actor, agency)
    _pick(data, FLOWCHART_FIELDS)
    check_flow(steps, arrows)
    chart = Flowchart.objects.select_for_update().filter(agency=agency, code=code).first()
    created = chart is None
    chart = chart or Flowchart(agency=agency, code=code)
    for name, value in data.items():
        setattr(chart, name, value)
    _clean_save(chart)
    if not created:
        for arrow in chart.arrows.all():
            _record_removed(agency, actor, "catalog.remove_flow_arrow", arrow)
        chart.arrows.all().delete()
        for step in chart.steps.all():
            _record_removed(agency, actor, "catalog.remove_flow_step", step)
        chart.steps.all().delete()
    by_key = {}
    for i, s in enumerate(steps):
        step = FlowStep(
            chart=chart,
            key=s["key"],
            order=i,
            label=s["label"],
            kind=s.get("kind") or StepKind.STEP,
            note=s.get("note") or "",
        )
        _clean_save(step)
        _record(agency, actor, "catalog.add_flow_step", step)
        by_key[step.key] = step
    for a in arrows:
        arrow = FlowArrow(
            chart=chart, source=by_key[a["source"]], target=by_key[a["target"]], label=a.get("label") or ""
        )
        _clean_save(arrow)
        _record(agency, actor, "catalog.add_flow_arrow", arrow)
    _record(agency, actor, "catalog.create_flowchart" if created else "catalog.update_flowchart", chart)
    return chart


@transaction.atomic
def retire_flowchart(actor, chart: Flowchart, *, reason: str) -> Flowchart:
    _require_admin(actor, chart.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    chart.active = False
    chart.save(update_fields=["active"])
    _record(chart.agency, actor, "catalog.retire_flowchart", chart, reason=reason)
    return chart


# 执法服务指南

GUIDE_FIELDS = (
    "title",
    "item",
    "procedure",
    "body",
    "conditions",
    "time_limit",
    "fees",
    "process",
    "contacts",
    "complaint_channel",
    "basis",
    "remedies",
    "flowchart",
    "order",
    "active",
)


@transaction.atomic
def save_guide(
    actor, agency: Agency, *, code: str, materials: list[tuple[str, str]] | None = None, **data
) -> ServiceGuide:
    """Create the guide ``code`` or change it. ``materials`` (name, requirement) replaces the list by name:
    a material of the same name keeps its sample file."""
    _require_admin(actor, agency)
    _pick(data, GUIDE_FIELDS)
    for key in ("item", "flowchart"):
        if data.get(key) is not None and data[key].agency_id != agency.pk:
            raise RuleViolation(_("只能关联本执法主体的事项和流程图。"))
    guide = ServiceGuide.objects.select_for_update().filter(agency=agency, code=code).first()
    created = guide is None
    guide = guide or ServiceGuide(agency=agency, code=code)
    for name, value in data.items():
        setattr(guide, name, value)
    _clean_save(guide)
    _record(agency, actor, "catalog.create_guide" if created else "catalog.update_guide", guide)
    if materials is not None:
        current = {m.name: m for m in guide.materials.filter(active=True)}
        for i, (name, requirement) in enumerate(materials):
            m = current.pop(name, None) or GuideMaterial(guide=guide, name=name)
            if m.pk is None or (m.order, m.requirement) != (i, requirement):
                m.order, m.requirement = i, requirement
                _clean_save(m)
                _record(agency, actor, "catalog.save_guide_material", m)
        for m in current.values():
            m.active = False
            m.save(update_fields=["active"])
            _record(agency, actor, "catalog.retire_guide_material", m)
    return guide


@transaction.atomic
def add_material(
    actor, guide: ServiceGuide, *, name: str, requirement: str = "", sample: tuple[str, bytes] | None = None
) -> GuideMaterial:
    """Add a required material, optionally with a downloadable sample (type checked by content)."""
    _require_admin(actor, guide.agency)
    if not name.strip():
        raise RuleViolation({"name": [_("请填写材料名称。")]})
    order = (guide.materials.aggregate(m=Max("order"))["m"] or 0) + 1
    m = GuideMaterial(guide=guide, name=name.strip(), requirement=requirement.strip(), order=order)
    files = []
    if sample is not None:
        upload = uploads.check_upload(
            sample[0], sample[1], allowed=uploads.DOCUMENT_TYPES, max_bytes=SAMPLE_MAX_BYTES
        )
        m.sample.save(upload.name, ContentFile(sample[1]), save=False)
        m.sample_name, m.sample_type, m.sample_sha256, m.sample_size = (
            upload.name,
            upload.content_type,
            upload.sha256,
            upload.size,
        )
        files.append((m.sample.name, upload.sha256))  # the storage name, which verify opens
    _clean_save(m)
    ledger.append(
        agency=guide.agency,
        actor=actor,
        action="catalog.add_guide_material",
        obj=m,
        payload={"state": state(m)},
        files=files,
    )
    return m


@transaction.atomic
def retire_material(actor, material: GuideMaterial) -> GuideMaterial:
    """Remove a material from the guide; its sample stays downloadable from versions that listed it."""
    _require_admin(actor, material.guide.agency)
    material.active = False
    material.save(update_fields=["active"])
    _record(material.guide.agency, actor, "catalog.retire_guide_material", material)
    return material


@transaction.atomic
def retire_guide(actor, guide: ServiceGuide, *, reason: str) -> ServiceGuide:
    _require_admin(actor, guide.agency)
    if not reason.strip():
        raise RuleViolation(_("请填写原因。"))
    guide.active = False
    guide.save(update_fields=["active"])
    _record(guide.agency, actor, "catalog.retire_guide", guide, reason=reason)
    return guide


# 版本 (publication of a list)


def working_rows(agency: Agency, kind: str) -> list[dict]:
    """The working copy of one list as version rows (active entries only), labels in Chinese."""
    with translation.override("zh-hans"):
        if kind == ListKind.ITEMS:
            qs = EnforcementItem.objects.filter(agency=agency, active=True).select_related("field", "unit")
            return [serialize.item_row(i) for i in qs.prefetch_related("tiers")]
        if kind == ListKind.RANDOM:
            return [
                serialize.random_row(r)
                for r in RandomInspectionItem.objects.filter(agency=agency, active=True).select_related(
                    "field"
                )
            ]
        if kind == ListKind.AV:
            return [serialize.av_row(a) for a in AvRecordingItem.objects.filter(agency=agency, active=True)]
        if kind == ListKind.GUIDES:
            qs = ServiceGuide.objects.filter(agency=agency, active=True).select_related("item", "flowchart")
            return [serialize.guide_row(g) for g in qs]
        if kind == ListKind.FLOWCHARTS:
            qs = Flowchart.objects.filter(agency=agency, active=True).prefetch_related("steps", "arrows")
            return [serialize.flowchart_row(f) for f in qs]
    raise ValueError(kind)


@transaction.atomic
def publish_list(actor, agency: Agency, kind: str, *, effective_on: dt.date, note: str = "") -> ListVersion:
    """Freeze the working copy of one list as its next version, in force from ``effective_on``.
    The earlier versions stay, viewable as 历史版本."""
    _require_admin(actor, agency)
    kind = ListKind(kind)
    # One publisher at a time per agency: the agency row is the lock.
    Agency.objects.select_for_update().get(pk=agency.pk)
    previous = ListVersion.objects.filter(agency=agency, kind=kind).order_by("-number").first()
    problem = rules.publish_date_problem(
        effective_on,
        previous.effective_on if previous else None,
        timezone.localdate(),
        by_platform=actor is None,
    )
    if problem:
        raise RuleViolation({"effective_on": [problem]})
    rows = working_rows(agency, kind)
    changes = rules.diff_rows(previous.data if previous else [], rows)
    if previous is not None and not rules.has_changes(changes):
        raise RuleViolation(
            _("清单内容与当前版本（第%(n)d版）相同，无需发布新版本。") % {"n": previous.number}
        )
    version = ListVersion(
        agency=agency,
        kind=kind,
        number=(previous.number + 1) if previous else 1,
        effective_on=effective_on,
        note=note.strip()[:300],
        data=rows,
        changes=changes,
        row_count=len(rows),
        digest=rules.digest(rows),
        published_by=actor,
    )
    _clean_save(version)
    _record(agency, actor, "catalog.publish_list", version)
    return version


# 导入


class ImportRejected(RuleViolation):
    """The file has bad rows; nothing was changed. ``rows`` is [(row number, reason)]."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([_("第%(row)d行：%(reason)s") % {"row": r, "reason": m} for r, m in rows])


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    sha256: str = ""


def read_import(agency: Agency, kind: str, filename: str, data: bytes) -> tuple[list[dict], str]:
    """Check the file and its rows; raise ImportRejected (or RuleViolation for the file) when anything is wrong."""
    upload = uploads.check_upload(
        filename, data, allowed=uploads.SPREADSHEET_TYPES, max_bytes=IMPORT_MAX_BYTES
    )
    headers, rows = tabular.read_table(upload.name, data)
    specs, errors = importer.parse(kind, agency, headers, rows)
    if errors:
        raise ImportRejected(errors)
    return specs, upload.sha256


@transaction.atomic
def import_table(
    actor, agency: Agency, kind: str, *, filename: str, data: bytes, replace: bool = False
) -> ImportResult:
    """Import a CSV/XLSX file into the working copy of one list (or the laws library), all or nothing.

    Rows are matched by their code: new codes are created, known ones updated. With ``replace``, entries
    missing from the file are retired (停用). A file with any bad row changes nothing; the refusal lists
    every bad row with its number and reason.
    """
    _require_admin(actor, agency)
    kind = TableKind(kind)
    specs, sha = read_import(agency, kind, filename, data)
    result = ImportResult(sha256=sha)
    apply = {
        TableKind.LAWS: _import_laws,
        TableKind.ITEMS: _import_items,
        TableKind.RANDOM: _import_random,
        TableKind.AV: _import_av,
        TableKind.GUIDES: _import_guides,
        TableKind.FLOWCHARTS: _import_flowcharts,
    }[kind]
    apply(actor, agency, specs, result, replace)
    ledger.append(
        agency=agency,
        actor=actor,
        action="catalog.import_table",
        obj=None,
        payload={
            "state": None,
            "kind": kind.value,
            "file": filename,
            "created": result.created,
            "updated": result.updated,
            "retired": result.retired,
            "replace": replace,
        },
        files=[(filename, sha)],
    )
    return result


def _import_laws(actor, agency, specs, result, replace):
    for spec in specs:
        law = Law.objects.filter(agency=agency, name=spec["name"]).first()
        fields = {k: spec[k] for k in ("short_name", "issuer", "level", "promulgated_on", "effective_on")}
        if law is None:
            law = create_law(actor, agency, name=spec["name"], **fields)
            result.created.append(spec["name"])
        elif any(getattr(law, k) != v for k, v in fields.items()):
            law = update_law(actor, law, **fields)
            result.updated.append(spec["name"])
        if spec["status"] != law.status:
            set_law_status(actor, law, status=spec["status"], on=timezone.localdate(), note=_("导入"))
        for number, text in sorted(spec["articles"].items()):
            current = law.articles.filter(number=number, is_current=True).first()
            if current is None:
                add_article(actor, law, number=number, text=text)
            elif current.text != text.strip():
                amend_article(actor, current, text=text)


def _import_items(actor, agency, specs, result, replace):
    seen = set()
    for spec in specs:
        seen.add(spec["code"])
        tiers = spec.pop("tiers")
        violated, penalty = spec.pop("violated"), spec.pop("penalty")
        code = spec.pop("code")
        item = EnforcementItem.objects.filter(agency=agency, code=code).first()
        if item is None:
            item = create_item(actor, agency, code=code, violated=violated, penalty=penalty, **spec)
            result.created.append(code)
        else:
            item = update_item(actor, item, violated=violated, penalty=penalty, active=True, **spec)
            result.updated.append(code)
        set_benchmarks(actor, item, tiers)
    if replace:
        for item in EnforcementItem.objects.filter(agency=agency, active=True).exclude(code__in=seen):
            retire_item(actor, item, reason=_("导入的完整清单中没有该事项"))
            result.retired.append(item.code)


def _import_random(actor, agency, specs, result, replace):
    seen = set()
    for spec in specs:
        seen.add(spec["code"])
        exists = RandomInspectionItem.objects.filter(agency=agency, code=spec["code"]).exists()
        save_random_item(actor, agency, active=True, **spec)
        (result.updated if exists else result.created).append(spec["code"])
    if replace:
        for obj in RandomInspectionItem.objects.filter(agency=agency, active=True).exclude(code__in=seen):
            retire_random_item(actor, obj, reason=_("导入的完整清单中没有该事项"))
            result.retired.append(obj.code)


def _import_av(actor, agency, specs, result, replace):
    seen = set()
    for spec in specs:
        seen.add(spec["act_code"])
        exists = AvRecordingItem.objects.filter(agency=agency, act_code=spec["act_code"]).exists()
        save_av_item(actor, agency, active=True, **spec)
        (result.updated if exists else result.created).append(spec["act_code"])
    if replace:
        for obj in AvRecordingItem.objects.filter(agency=agency, active=True).exclude(act_code__in=seen):
            retire_av_item(actor, obj, reason=_("导入的完整清单中没有该事项"))
            result.retired.append(obj.act_code)


def _import_guides(actor, agency, specs, result, replace):
    seen = set()
    for spec in specs:
        seen.add(spec["code"])
        exists = ServiceGuide.objects.filter(agency=agency, code=spec["code"]).exists()
        save_guide(actor, agency, active=True, **spec)
        (result.updated if exists else result.created).append(spec["code"])
    if replace:
        for obj in ServiceGuide.objects.filter(agency=agency, active=True).exclude(code__in=seen):
            retire_guide(actor, obj, reason=_("导入的完整清单中没有该指南"))
            result.retired.append(obj.code)


def _import_flowcharts(actor, agency, specs, result, replace):
    seen = set()
    for spec in specs:
        seen.add(spec["code"])
        exists = Flowchart.objects.filter(agency=agency, code=spec["code"]).exists()
        save_flowchart(
            actor,
            agency,
            code=spec["code"],
            title=spec["title"],
            procedure=spec["procedure"],
            description=spec["description"],
            steps=spec["steps"],
            arrows=spec["arrows"],
            active=True,
        )
        (result.updated if exists else result.created).append(spec["code"])
    if replace:
        for obj in Flowchart.objects.filter(agency=agency, active=True).exclude(code__in=seen):
            retire_flowchart(actor, obj, reason=_("导入的完整清单中没有该流程图"))
            result.retired.append(obj.code)


def export_rows(agency: Agency, kind: str) -> list[dict]:
    """The working copy as rows, for the staff's export (laws: current articles)."""
    if kind == TableKind.LAWS:
        with translation.override("zh-hans"):
            return serialize.law_rows(Law.objects.filter(agency=agency).order_by("level", "name"))
    return working_rows(agency, kind)
