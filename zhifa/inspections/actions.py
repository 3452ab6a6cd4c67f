"""The write path of 双随机一公开: the target pool, the agency's 抽查细则, a plan with its committed seed, and the
draw. Each action checks who may act and the rules, writes in one transaction and records it in the agency's ledger."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person

from . import queries, rules
from .models import Drawn, DrawPolicy, Plan, PlanState, Result, Target

TARGET_FIELDS = ("name", "credit_code", "licence", "legal_representative", "address", "contact", "field")


def _record(actor, action: str, obj, agency, **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=f"inspections.{action}",
        obj=obj,
        payload={"state": snapshot(obj), **extra},
    )


def _require_editor(actor, agency) -> None:
    if not queries.may_edit_pool(actor, agency):
        raise ActionDenied(_("只有本机关的系统管理员可以维护检查对象名录库和抽查细则。"))


def _clean_target(agency, values: dict) -> dict:
    from zhifa.org.rules import credit_code_check_char

    errors: dict[str, list[str]] = {}
    out = {k: (values.get(k) or "").strip() if k != "field" else values.get(k) for k in TARGET_FIELDS}
    for name, label in (("name", _("名称")), ("address", _("地址"))):
        if not out[name]:
            errors[name] = [_("请填写%(label)s。") % {"label": label}]
    code = out["credit_code"].upper()
    out["credit_code"] = code
    if len(code) != 18 or not code.isalnum() or credit_code_check_char(code[:17]) != code[17]:
        errors["credit_code"] = [_("统一社会信用代码应为 18 位，校验位正确。")]
    if out["field"] is None:
        errors["field"] = [_("请选择执法领域。")]
    for name in ("name", "licence", "legal_representative", "address", "contact"):
        limit = Target._meta.get_field(name).max_length
        if len(out[name]) > limit:
            errors.setdefault(name, []).append(_("不能超过 %(n)d 个字。") % {"n": limit})
    if errors:
        raise RuleViolation(errors)
    return out


@transaction.atomic
def save_target(actor: Person, agency, *, target: Target | None = None, **values) -> Target:
    """Add a target to the agency's pool, or change one (its history stays in the ledger)."""
    _require_editor(actor, agency)
    clean = _clean_target(agency, values)
    same = Target.objects.filter(agency=agency, credit_code=clean["credit_code"])
    if target is not None:
        target = Target.objects.select_for_update().get(pk=target.pk, agency=agency)
        same = same.exclude(pk=target.pk)
    if same.exists():
        raise RuleViolation({"credit_code": [_("名录库中已有这个统一社会信用代码的检查对象。")]})
    target = target or Target(agency=agency)
    for name, value in clean.items():
        setattr(target, name, value)
    target.active = True
    target.updated_at = timezone.now()
    target.save()
    _record(actor, "save_target", target, agency)
    return target


@transaction.atomic
def retire_target(actor: Person, target: Target, *, reason: str) -> Target:
    """Take a target out of the pool (closed, moved away): it is no longer drawn; past draws still name it."""
    _require_editor(actor, target.agency)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": [_("请说明移出名录库的原因。")]})
    target = Target.objects.select_for_update().get(pk=target.pk)
    target.active = False
    target.updated_at = timezone.now()
    target.save()
    _record(actor, "retire_target", target, target.agency, reason=reason[:500])
    return target


IMPORT_COLUMNS = ("名称", "统一社会信用代码", "许可证号", "法定代表人", "地址", "联系电话", "执法领域代码")
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def import_targets(actor: Person, agency, *, filename: str, data: bytes) -> tuple[int, int]:
    """Import the pool from an XLSX (or CSV) sheet whose first row names the columns ``IMPORT_COLUMNS``: a new credit
    code is added, a known one updated (and put back in the pool). All or nothing: any row in error and nothing is
    written, every error listed by its spreadsheet row. Returns (added, updated)."""
    from zhifa.catalog import tabular, uploads
    from zhifa.org.models import EnforcementField

    _require_editor(actor, agency)
    upload = uploads.check_upload(
        filename, data, allowed=uploads.SPREADSHEET_TYPES, max_bytes=IMPORT_MAX_BYTES
    )
    headers, rows = tabular.read_table(upload.name, data)
    missing = [c for c in IMPORT_COLUMNS if c not in headers]
    if missing:
        raise RuleViolation(_("第1行缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    if not rows:
        raise RuleViolation(_("表中没有检查对象。"))
    if len(rows) > IMPORT_MAX_ROWS:
        raise RuleViolation(_("一次最多导入 %(n)d 行。") % {"n": IMPORT_MAX_ROWS})
    fields = {f.code: f for f in EnforcementField.objects.all()}
    known = {t.credit_code: t for t in Target.objects.select_for_update().filter(agency=agency)}
    names = dict(
        zip(
            IMPORT_COLUMNS,
            ("name", "credit_code", "licence", "legal_representative", "address", "contact"),
            strict=False,
        )
    )
    errors, seen, clean_rows = [], set(), []
    for n, row in rows:
        values = {key: row.get(column, "") for column, key in names.items()}
        values["field"] = fields.get(row.get("执法领域代码", ""))
        try:
            clean = _clean_target(agency, values)
        except RuleViolation as exc:
            errors.append(_("第%(row)d行：%(reason)s") % {"row": n, "reason": "；".join(exc.messages)})
            continue
        if clean["credit_code"] in seen:
            errors.append(
                _("第%(row)d行：%(reason)s") % {"row": n, "reason": _("统一社会信用代码与前面的行重复。")}
            )
            continue
        seen.add(clean["credit_code"])
        clean_rows.append(clean)
    if errors:
        raise RuleViolation(errors[:50])
    added = updated = 0
    now = timezone.now()
    for clean in clean_rows:
        target = known.get(clean["credit_code"])
        if target is not None:
            if target.active and all(getattr(target, k) == v for k, v in clean.items()):
                continue
            updated += 1
        else:
            target = Target(agency=agency)
            added += 1
        for name, value in clean.items():
            setattr(target, name, value)
        target.active, target.updated_at = True, now
        target.save()
        _record(actor, "import_target", target, agency, file_sha256=upload.sha256)
    return added, updated


@transaction.atomic
def set_draw_policy(actor: Person, agency, *, minimum_rate: int, inspectors: int) -> DrawPolicy:
    """The agency's 抽查细则: the lowest sampling rate a plan may set, and how many inspectors go to each target."""
    _require_editor(actor, agency)
    if not isinstance(minimum_rate, int) or not 1 <= minimum_rate <= 100:
        raise RuleViolation({"minimum_rate": [_("最低抽查比例应为 1 到 100 之间的整数。")]})
    if not isinstance(inspectors, int) or not rules.MINIMUM_INSPECTORS <= inspectors <= 10:
        raise RuleViolation({"inspectors": [_("每个检查对象至少 2 名检查人员，至多 10 名。")]})
    policy, _created = DrawPolicy.objects.select_for_update().get_or_create(
        agency=agency, defaults={"minimum_rate": minimum_rate, "inspectors": inspectors}
    )
    policy.minimum_rate, policy.inspectors = minimum_rate, inspectors
    policy.save()
    _record(actor, "set_draw_policy", policy, agency)
    return policy


@transaction.atomic
def create_plan(
    actor: Person,
    agency,
    *,
    title: str,
    field,
    items,
    period_start: dt.date,
    period_end: dt.date,
    rate: int | None = None,
    assigned_by: str = "",
    assigned_file: tuple[str, bytes] | None = None,
) -> Plan:
    """制定双随机抽查计划: the items, the field, the period and the rate (at least the agency's minimum). The platform
    picks the draw's seed now and records only its SHA-256 in the ledger and on the portal, so the draw cannot be
    chosen after the pools are known.

    A national or provincial plan (``assigned_file``: the sheet of targets the upper level drew, and ``assigned_by``
    naming that plan) is imported as a plan of its own: its targets are those of the sheet, each a target of the
    agency's pool in the field, all of them inspected (the rate is 100 %); the inspectors are still drawn here, by
    the same published rule, from the agency's pool."""
    if not queries.may_plan(actor, agency):
        raise ActionDenied(_("只有本机关负责人可以制定双随机抽查计划。"))
    title = (title or "").strip()
    if not title:
        raise RuleViolation({"title": [_("请填写计划名称。")]})
    if field is None:
        raise RuleViolation({"field": [_("请选择执法领域。")]})
    items = list(items or [])
    if not items:
        raise RuleViolation({"items": [_("请选择抽查事项（随机抽查事项清单）。")]})
    if any(i.agency_id != agency.pk or not i.active for i in items):
        raise RuleViolation({"items": [_("只能选择本机关在用的随机抽查事项。")]})
    if (
        not isinstance(period_start, dt.date)
        or not isinstance(period_end, dt.date)
        or period_start > period_end
    ):
        raise RuleViolation({"period_end": [_("检查期间的结束日期不能早于开始日期。")]})
    policy = queries.draw_policy(agency)
    assigned: list[str] = []
    sheet_sha256 = ""
    if assigned_file is not None:
        assigned, sheet_sha256 = _assigned_targets(agency, field, *assigned_file)
        if not (assigned_by or "").strip():
            raise RuleViolation({"assigned_by": [_("请填写上级下达的抽查计划（下达机关和计划名称）。")]})
        rate = 100
    elif (assigned_by or "").strip():
        raise RuleViolation({"assigned_file": [_("请上传上级下达的检查对象名单。")]})
    if not isinstance(rate, int) or not policy.minimum_rate <= rate <= 100:
        raise RuleViolation(
            {"rate": [_("抽查比例应在本机关最低比例 %(n)d%% 到 100%% 之间。") % {"n": policy.minimum_rate}]}
        )
    seed = rules.new_seed()
    plan = Plan(
        agency=agency,
        title=title[:200],
        field=field,
        period_start=period_start,
        period_end=period_end,
        rate=rate,
        inspectors=policy.inspectors,
        commitment=rules.commitment(seed),
        draw_seed=seed,
        assigned=assigned,
        assigned_by=(assigned_by or "").strip()[:200],
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    plan.items.set(items)
    extra = {"assigned_sheet_sha256": sheet_sha256} if assigned else {}
    _record(actor, "create_plan", plan, agency, commitment=plan.commitment, **extra)
    return plan


ASSIGNED_COLUMN = "统一社会信用代码"


def _assigned_targets(agency, field, filename: str, data: bytes) -> tuple[list[str], str]:
    """The credit codes of an upper level's sheet of drawn targets (column ``统一社会信用代码``; other columns such as
    名称 are read by people, not here), each an active target of ``agency``'s pool in ``field``. All or nothing: every
    row in error is listed by its spreadsheet row. Returns (codes in the sheet's order, the file's SHA-256)."""
    import hashlib

    from zhifa.catalog import tabular, uploads

    upload = uploads.check_upload(
        filename, data, allowed=uploads.SPREADSHEET_TYPES, max_bytes=IMPORT_MAX_BYTES
    )
    headers, rows = tabular.read_table(upload.name, data)
    if ASSIGNED_COLUMN not in headers:
        raise RuleViolation(
            {"assigned_file": [_("第1行缺少列：%(columns)s。") % {"columns": ASSIGNED_COLUMN}]}
        )
    if not rows:
        raise RuleViolation({"assigned_file": [_("表中没有检查对象。")]})
    if len(rows) > IMPORT_MAX_ROWS:
        raise RuleViolation({"assigned_file": [_("一次最多导入 %(n)d 行。") % {"n": IMPORT_MAX_ROWS}]})
    pool = set(
        Target.objects.filter(agency=agency, field=field, active=True).values_list("credit_code", flat=True)
    )
    errors, codes = [], []
    for n, row in rows:
        code = (row.get(ASSIGNED_COLUMN) or "").strip().upper()
        if code in codes:
            reason = _("统一社会信用代码与前面的行重复。")
        elif code not in pool:
            reason = _(
                "“%(code)s”不是本机关检查对象名录库中本执法领域在库的检查对象（请先登记或导入名录库）。"
            ) % {"code": code}
        else:
            codes.append(code)
            continue
        errors.append(_("第%(row)d行：%(reason)s") % {"row": n, "reason": reason})
    if errors:
        raise RuleViolation({"assigned_file": errors[:50]})
    return codes, hashlib.sha256(data).hexdigest()


def frame_of(plan: Plan, on: dt.date) -> dict:
    """The frozen pools of a plan's draw: the field's targets in the pool, the certificates valid for the field on
    ``on`` of the agency's active officers, and the connections they declared with those targets. A plan imported
    from an upper level's draw has those targets only (still in the pool), all drawn (its rate is 100 %)."""
    targets = list(
        Target.objects.filter(agency=plan.agency, field=plan.field, active=True)
        .order_by("credit_code")
        .values_list("credit_code", flat=True)
    )
    if plan.assigned:
        gone = sorted(set(plan.assigned) - set(targets))
        if gone:
            raise RuleViolation(
                _("上级下达的检查对象已移出名录库：%(codes)s。请与下达机关核实。")
                % {"codes": "、".join(gone)}
            )
        targets = sorted(plan.assigned)
    officers = queries.officer_pool(plan.agency, plan.field, on)
    recused: dict[str, list[str]] = {}
    for code, cert in queries.connections(plan.agency, targets, officers):
        recused.setdefault(code, []).append(cert)
    return {
        "targets": [{"credit_code": code, "stratum": plan.field.code} for code in targets],
        "officers": [{"certificate": number} for number in sorted(officers)],
        "recused": {code: sorted(certs) for code, certs in sorted(recused.items())},
        "rate": plan.rate,
        "inspectors": plan.inspectors,
    }


@transaction.atomic
def draw_plan(actor: Person, plan: Plan) -> Plan:
    """抽取: record the frozen pools in the ledger, then reveal the seed and record what it draws: the targets and
    the inspectors paired with each (回避 applied). Nothing drawn can be changed or deleted afterwards."""
    plan = Plan.objects.select_for_update().select_related("agency", "field").get(pk=plan.pk)
    if not queries.may_plan(actor, plan.agency):
        raise ActionDenied(_("只有本机关负责人可以抽取。"))
    if plan.state != PlanState.OPEN:
        raise RuleViolation(_("这个计划已经抽取，结果不能更改。"))
    frame = frame_of(plan, timezone.localdate())
    if not frame["targets"]:
        raise RuleViolation(_("检查对象名录库中没有这个执法领域的检查对象。"))
    try:
        result = rules.draw(frame, plan.draw_seed)
    except rules.DrawError:
        raise RuleViolation(
            _("执法检查人员名录库中持有本领域有效执法证的人员不足，无法为每个检查对象配 %(n)d 名检查人员。")
            % {"n": plan.inspectors}
        ) from None
    plan.pool_size, plan.officer_pool_size = len(frame["targets"]), len(frame["officers"])
    plan.frame = frame
    plan.save()
    _record(actor, "close_pools", plan, plan.agency, frame=frame)  # before the seed is known
    targets = {
        t.credit_code: t for t in Target.objects.filter(agency=plan.agency, field=plan.field, active=True)
    }
    holders = queries.certificate_holders([c for row in result for c in row["certificates"]])
    for position, row in enumerate(result, start=1):
        drawn = Drawn.objects.create(
            plan=plan,
            position=position,
            target=targets[row["credit_code"]],
            certificates=row["certificates"],
            recused=row["recused"],
        )
        drawn.inspectors.set([holders[c] for c in row["certificates"]])
    plan.revealed_seed, plan.state, plan.drawn_at = plan.draw_seed, PlanState.DRAWN, timezone.now()
    plan.save()
    _record(actor, "reveal_seed", plan, plan.agency, seed=plan.revealed_seed, drawn=result)
    return plan


def _party_for(actor, target):
    """The agency's party with the target's credit code, registered from the pool where it has none."""
    from zhifa.cases import actions as cases
    from zhifa.cases.choices import IdType, PartyKind
    from zhifa.cases.models import Party

    party = Party.objects.filter(
        agency=target.agency, id_type=IdType.CREDIT_CODE, id_number=target.credit_code
    ).first()
    if party is not None:
        return party
    kind = PartyKind.INDIVIDUAL_BUSINESS if target.credit_code.startswith("92") else PartyKind.LEGAL
    if kind == PartyKind.LEGAL and not target.legal_representative:
        raise RuleViolation(_("检查对象没有登记法定代表人（负责人），请先在检查对象名录库中补充，再立案。"))
    return cases.register_party(
        actor,
        target.agency,
        kind=kind,
        name=target.name,
        id_type=IdType.CREDIT_CODE,
        id_number=target.credit_code,
        address=target.address,
        legal_representative=target.legal_representative,
        phone=target.contact,
    )


@transaction.atomic
def record_result(
    actor: Person,
    drawn: Drawn,
    *,
    inspected_on: dt.date,
    place: str,
    officers,
    verdicts: dict,
    outcome: str,
    opinion: str = "",
    cause: str = "",
) -> Result:
    """记录检查结果: the inspectors drawn for the target record who inspected it (at least two of them, each with a
    certificate for the field in force that day), each point of the checklist, and the conclusion. 责令改正 needs the
    卫生监督意见 and opens the 复查 time limit (``RECHECK_KIND``, in working days, the recorder responsible); 立案查处
    opens a penalty case (受理) of the target, handled by the inspectors; 未发现问题 cannot stand with a point judged
    不符合. Recorded once; the portal publishes it."""

    from .models import Outcome, Verdict

    drawn = (
        Drawn.objects.select_for_update()
        .select_related("plan__agency", "plan__field", "target")
        .get(pk=drawn.pk)
    )
    plan = drawn.plan
    drawn_ids = set(drawn.inspectors.values_list("pk", flat=True))
    if getattr(actor, "pk", None) not in drawn_ids:
        raise ActionDenied(_("只有抽中的检查人员可以记录检查结果。"))
    if Result.objects.filter(drawn=drawn).exists():
        raise RuleViolation(_("这个检查对象的检查结果已经记录，不能更改。"))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not isinstance(inspected_on, dt.date) or not plan.period_start <= inspected_on <= min(
        plan.period_end, today
    ):
        errors["inspected_on"] = [_("检查日期应在计划的检查期间内，且不晚于今天。")]
    officers = list(officers or [])
    if len(officers) < 2 or any(p.pk not in drawn_ids for p in officers):
        errors["officers"] = [_("检查人员须为抽中的检查人员，至少两名。")]
    elif isinstance(inspected_on, dt.date):
        certified = queries.officer_pool(plan.agency, plan.field, inspected_on)
        holder_ids = {person.pk for person in queries.certificate_holders(certified).values()}
        lacking = [p for p in officers if p.pk not in holder_ids]
        if lacking:
            errors["officers"] = [
                _("%(names)s在检查当天没有适用于本领域的有效执法证。")
                % {"names": "、".join(p.full_name for p in lacking)}
            ]
    if not (place or "").strip():
        errors["place"] = [_("请填写检查地点。")]
    points = rules.checklist(plan.items.order_by("seq", "code"))
    checks = []
    for n, (item, point) in enumerate(points):
        verdict = (verdicts or {}).get(n)
        if verdict not in Verdict.values:
            errors.setdefault("checks", [_("请逐项填写检查内容的结论。")])
            continue
        checks.append({"item": item, "point": point, "verdict": verdict})
    failed = [c for c in checks if c["verdict"] == Verdict.FAIL]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("请选择检查结论。")]
    elif outcome == Outcome.PASSED and failed:
        errors["outcome"] = [_("有不符合的检查内容，结论不能为未发现问题。")]
    elif outcome in (Outcome.CORRECT, Outcome.CASE) and not failed:
        errors["outcome"] = [_("没有不符合的检查内容，不能责令改正或立案。")]
    opinion = (opinion or "").strip()
    if outcome == Outcome.CORRECT and not opinion:
        errors["opinion"] = [_("责令改正须写明卫生监督意见（整改要求）。")]
    if errors:
        raise RuleViolation(errors)
    result = Result(
        drawn=drawn,
        inspected_on=inspected_on,
        place=place.strip()[:300],
        checks=checks,
        outcome=outcome,
        opinion=opinion,
        recorded_by=actor,
    )
    if outcome == Outcome.CASE:
        result.case = _open_case(
            actor, drawn, officers, [c["point"] for c in failed], inspected_on, result.place, cause
        )
    result.save()
    result.officers.set(officers)
    if outcome == Outcome.CORRECT:
        from zhifa.workdays import actions as wd_actions

        deadline = wd_actions.open_deadline(
            actor,
            agency=plan.agency,
            kind=RECHECK_KIND,
            target=result,
            start=inspected_on,
            label=_("复查：%(target)s") % {"target": drawn.target.name},
            responsible=actor,
        )
        result.recheck_by = deadline.due
        result.save()
    _record(actor, "record_result", result, plan.agency)
    return result


RECHECK_KIND = "inspection_recheck"


def _open_case(actor, drawn: Drawn, officers, problems: list[str], on: dt.date, place: str, cause: str = ""):
    """立案查处: a penalty case (受理) of the target with what was found not in order, handled by ``officers``."""
    from django.conf import settings
    from django.utils import translation

    from zhifa.cases import actions as cases
    from zhifa.cases.choices import Source

    plan = drawn.plan
    party = _party_for(actor, drawn.target)
    found = "；".join(problems)
    with translation.override(
        settings.LANGUAGE_CODE
    ):  # the case's words are data, in the platform's language
        cause = (cause or "").strip() or _("双随机抽查发现：%(problems)s") % {"problems": found[:150]}
        summary = _("%(date)s双随机抽查，%(target)s：%(problems)s不符合要求。") % {
            "date": f"{on:%Y年%m月%d日}",
            "target": drawn.target.name,
            "problems": found,
        }
    return cases.accept_case(
        actor,
        party=party,
        cause=cause[:200],
        source=Source.INSPECTION,
        source_detail=f"{plan.title}（{drawn.position}）"[:200],
        field=plan.field,
        unit=actor.unit or plan.agency.units.order_by("pk").first(),
        officers=officers,
        summary=summary,
        violation_date=on,
        place=place,
        accepted_on=on,
    )


@transaction.atomic
def record_recheck(
    actor: Person, result: Result, *, rechecked_on: dt.date, corrected: bool, note: str
) -> Result:
    """复查: an inspector of the target records whether the ordered correction was made. It meets the 复查 time limit
    (late if after it); not corrected, a penalty case of the target is opened (受理), handled by the inspectors of the
    result. Recorded once."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.workdays import actions as wd_actions
    from zhifa.workdays.models import Deadline

    from .models import Outcome

    result = (
        Result.objects.select_for_update()
        .select_related("drawn__plan__agency", "drawn__target")
        .get(pk=result.pk)
    )
    drawn = result.drawn
    officers = list(result.officers.order_by("pk"))
    allowed = {p.pk for p in officers} | set(drawn.inspectors.values_list("pk", flat=True))
    if getattr(actor, "pk", None) not in allowed:
        raise ActionDenied(_("只有这个检查对象的检查人员可以记录复查结果。"))
    if result.outcome != Outcome.CORRECT:
        raise RuleViolation(_("只有责令改正的检查结果需要复查。"))
    if result.rechecked_on is not None:
        raise RuleViolation(_("复查结果已经记录，不能更改。"))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if (
        not isinstance(rechecked_on, dt.date)
        or not result.inspected_on < rechecked_on <= timezone.localdate()
    ):
        errors["rechecked_on"] = [_("复查日期应晚于检查日期，且不晚于今天。")]
    if not note:
        errors["note"] = [_("请写明复查情况。")]
    if not isinstance(corrected, bool):
        errors["corrected"] = [_("请选择是否已改正。")]
    if errors:
        raise RuleViolation(errors)
    result.rechecked_on, result.corrected, result.recheck_note = rechecked_on, corrected, note[:2000]
    if not corrected:
        failed = [c["point"] for c in result.checks if c["verdict"] == "fail"]
        result.case = _open_case(actor, drawn, officers, failed, rechecked_on, result.place)
    result.save()
    deadline = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Result), object_id=result.pk, kind__code=RECHECK_KIND
    ).first()
    if deadline is not None and deadline.met_on is None and deadline.ended_on is None:
        wd_actions.meet_deadline(actor, deadline, on=rechecked_on, by_owner=True)
    _record(actor, "record_recheck", result, drawn.plan.agency)
    return result


@transaction.atomic
def replace_inspector(actor: Person, drawn: Drawn, *, certificate: str, reason: str) -> Drawn:
    """变更检查人员: the head replaces an inspector of a drawn target, before its result, with the reason; the
    replacement is the next in the target's rank order (``rules.replacement``), never a person of the head's
    choosing. The draw itself is unchanged; the change is recorded beside it."""
    drawn = (
        Drawn.objects.select_for_update()
        .select_related("plan__agency", "plan__field", "target")
        .get(pk=drawn.pk)
    )
    plan = drawn.plan
    if not queries.may_plan(actor, plan.agency):
        raise ActionDenied(_("只有本机关负责人可以批准变更检查人员。"))
    if Result.objects.filter(drawn=drawn).exists():
        raise RuleViolation(_("已经记录检查结果，不能再变更检查人员。"))
    if certificate not in drawn.certificates:
        raise RuleViolation({"certificate": [_("请选择要更换的检查人员。")]})
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": [_("请写明变更的原因。")]})
    today = timezone.localdate()
    passed = set(drawn.certificates) | {c["out"] for c in drawn.changes} | set(drawn.recused)
    chosen = rules.replacement(
        plan.frame,
        plan.revealed_seed,
        drawn.target.credit_code,
        passed,
        queries.officer_pool(plan.agency, plan.field, today),
    )
    if chosen is None:
        raise RuleViolation(_("名录库中已没有可以接替的持证人员（按抽取顺序），不能变更。"))
    holders = queries.certificate_holders([certificate, chosen])
    drawn.certificates = [chosen if c == certificate else c for c in drawn.certificates]
    drawn.changes = [
        *drawn.changes,
        {
            "out": certificate,
            "in": chosen,
            "reason": reason[:500],
            "by": actor.full_name,
            "on": today.isoformat(),
        },
    ]
    drawn.save()
    drawn.inspectors.remove(holders[certificate])
    drawn.inspectors.add(holders[chosen])
    _record(
        actor,
        "replace_inspector",
        drawn,
        plan.agency,
        out=certificate,
        replacement=chosen,
        reason=reason[:500],
    )
    return drawn
