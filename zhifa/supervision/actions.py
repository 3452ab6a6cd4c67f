"""Every change of the supervision app. Each action checks who may act, checks the rules, writes in one
transaction and appends its ledger entries there, in the log of the body that supervises (the evaluation's
``agency``, e.g. the district 司法局)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.choices import Role
from zhifa.org.models import Person

from . import queries, rules
from .choices import (
    EvaluationState,
    InspectionArea,
    InspectionState,
    ItemGroup,
    LineResult,
    Measure,
    RectificationState,
    Verdict,
)
from .models import (
    Accountability,
    Evaluation,
    EvaluationFile,
    Inspection,
    InspectionLine,
    Rectification,
    Standard,
    StandardItem,
)


def _record(actor, action: str, obj, agency, **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=f"supervision.{action}",
        obj=obj,
        payload={"state": snapshot(obj), **extra},
    )


def _require_supervisor(actor, agency_ids, message=None) -> None:
    supervised = queries.supervised_agency_ids(actor)
    if not agency_ids or not set(agency_ids) <= supervised:
        raise ActionDenied(message or _("只有负责监督这些执法主体的监督人员才能组织案卷评查。"))


@transaction.atomic
def create_evaluation(
    actor: Person,
    *,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    agencies,
    evaluators,
    rate: int,
    minimum: int = 1,
    standard: Standard | None = None,
) -> Evaluation:
    """组织案卷评查: the period, the agencies, the evaluators and the sampling rule. The platform picks the draw's
    seed now and records only its SHA-256, so the sample cannot be chosen after the frame is known."""
    agencies = list(agencies or [])
    evaluators = list(evaluators or [])
    _require_supervisor(actor, [a.pk for a in agencies])
    title = (title or "").strip()
    if not title:
        raise RuleViolation({"title": [_("请填写评查名称。")]})
    if not isinstance(period_start, dt.date) or not isinstance(period_end, dt.date):
        raise RuleViolation(_("请填写评查期间。"))
    if period_start > period_end:
        raise RuleViolation({"period_end": [_("评查期间的结束日期不能早于开始日期。")]})
    if period_start > timezone.localdate():
        raise RuleViolation({"period_start": [_("评查期间不能从将来开始。")]})
    if not isinstance(rate, int) or not 1 <= rate <= 100:
        raise RuleViolation({"rate": [_("抽样比例应为 1 到 100 之间的整数。")]})
    if not isinstance(minimum, int) or minimum < 1:
        raise RuleViolation({"minimum": [_("每个承办机构至少抽取 1 件。")]})
    if not evaluators:
        raise RuleViolation({"evaluators": [_("请选择评查人员。")]})
    allowed = set(queries.possible_evaluators([a.pk for a in agencies]).values_list("pk", flat=True))
    outside = [p for p in evaluators if p.pk not in allowed]
    if outside:
        raise RuleViolation(
            {
                "evaluators": [
                    _("%(names)s不是全部被评查执法主体的监督人员。")
                    % {"names": "、".join(p.get_full_name() or p.username for p in outside)}
                ]
            }
        )
    usable = queries.current_standards(actor)
    standard = (
        standard
        or next((s for s in usable if s.agency_id == actor.agency_id), None)
        or queries.default_standard()
    )
    if standard is None or not standard.items.exists():
        raise RuleViolation(_("还没有评查标准，请先由管理员建立。"))
    if standard.pk not in {s.pk for s in usable}:
        raise RuleViolation({"standard": [_("只能选用平台或本机关评查标准的现行版本。")]})
    seed = rules.new_seed()
    evaluation = Evaluation(
        agency=actor.agency,
        title=title[:200],
        period_start=period_start,
        period_end=period_end,
        standard=standard,
        rate=rate,
        minimum=minimum,
        commitment=rules.commitment(seed),
        draw_seed=seed,
        created_by=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    evaluation.agencies.set(agencies)
    evaluation.evaluators.set(evaluators)
    _record(
        actor,
        "create_evaluation",
        evaluation,
        evaluation.agency,
        commitment=evaluation.commitment,
        standard=_standard_record(standard),
    )
    return evaluation


def _standard_record(standard: Standard) -> dict:
    """The scorecard an evaluation is scored against, as the ledger keeps it with the evaluation."""
    return {
        "id": standard.pk,
        "name": standard.name,
        "version": standard.version,
        "excellent_min": standard.excellent_min,
        "pass_min": standard.pass_min,
        "items": [
            {"code": i.code, "group": i.group, "points": i.points, "text": i.text, "check": i.platform_check}
            for i in standard.items.all()
        ],
    }


STANDARD_FIELDS = ("code", "group", "text", "points", "platform_check")


def _standard_content(name, excellent_min, pass_min, basis, items) -> tuple:
    return (name, excellent_min, pass_min, basis, [tuple(i[f] for f in STANDARD_FIELDS) for i in items])


@transaction.atomic
def revise_standard(
    actor: Person,
    base: Standard,
    *,
    name: str,
    excellent_min: int,
    pass_min: int,
    basis: str,
    items: list[dict],
) -> Standard:
    """A new version of a 评查标准, made from ``base``. The platform administrator revises the platform's default
    (platform data: recorded in every agency's log); a supervisor revises their body's own standard, or makes one
    from any standard they can see (the new one is their body's: 制定机关). Earlier versions stay as they were, with
    the evaluations scored against them; new evaluations choose among the newest versions."""
    from . import checks

    platform = base.agency_id is None and getattr(actor, "is_superuser", False)
    if not platform and not queries.may_make_standard(actor, base):
        raise ActionDenied(
            _("只有平台管理员可以修订平台默认评查标准；监督人员可以制定、修订本机关的评查标准。")
        )
    agency = None if platform else actor.agency
    name = (name or "").strip()[:200]
    basis = (basis or "").strip()
    items = [
        {
            "code": (i.get("code") or "").strip(),
            "group": i.get("group"),
            "text": (i.get("text") or "").strip()[:300],
            "points": i.get("points"),
            "platform_check": i.get("platform_check") or "",
        }
        for i in items
    ]
    if not name:
        raise RuleViolation({"name": [_("请填写评查标准的名称。")]})
    problems = rules.standard_problems(items, excellent_min, pass_min, checks.CHECKS)
    if problems:
        raise RuleViolation(problems)
    if base.agency_id == (agency.pk if agency else None) and _standard_content(
        name, excellent_min, pass_min, basis, items
    ) == _standard_content(
        base.name,
        base.excellent_min,
        base.pass_min,
        base.basis,
        [{f: getattr(i, f) for f in STANDARD_FIELDS} for i in base.items.all()],
    ):
        raise RuleViolation(_("与现行版本相同，没有修订。"))
    latest = (
        Standard.objects.select_for_update()
        .filter(agency=agency, name=name)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    standard = Standard(
        agency=agency,
        name=name,
        version=(latest or 0) + 1,
        excellent_min=excellent_min,
        pass_min=pass_min,
        basis=basis,
        created_by=actor,
    )
    standard.full_clean()
    standard.save()
    made = [
        StandardItem.objects.create(standard=standard, position=position, **item)
        for position, item in enumerate(items, start=1)
    ]
    from zhifa.org.models import Agency

    logs = Agency.objects.order_by("pk") if platform else [agency]  # platform data: in every log, fixed order
    for log in logs:
        _record(actor, "revise_standard", standard, log, base=base.pk, standard=_standard_record(standard))
        if platform:
            for item in made:
                _record(actor, "revise_standard", item, log)
    return standard


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("standard", "agency").get(pk=evaluation.pk)


def frame_of(evaluation: Evaluation) -> list[dict]:
    """The sampling frame: every case of the agencies evaluated closed (结案) within the period, with its stratum
    (agency and 承办机构), in the order of the strata and references."""
    rows = (
        Case.objects.filter(
            agency__in=evaluation.agencies.all(),
            closed_on__gte=evaluation.period_start,
            closed_on__lte=evaluation.period_end,
        )
        .order_by("agency__code", "unit_id", "reference")
        .values_list("pk", "reference", "agency__code", "unit_id", "unit__name")
    )
    return [
        {"case": pk, "reference": ref, "stratum": f"{code}/{unit_id or 0}", "unit": unit_name or ""}
        for pk, ref, code, unit_id, unit_name in rows
    ]


@transaction.atomic
def draw_sample(actor: Person, evaluation: Evaluation) -> Evaluation:
    """抽取案卷: after the period has ended, record the frame, then reveal the seed and draw (``rules.draw``); give
    each file to an evaluator in turn, never one of its own 承办机构 or among its officers; pre-fill each scorecard
    from what the platform recorded (``checks.prefill``)."""
    from . import checks

    evaluation = _lock_evaluation(evaluation)
    if actor.pk != evaluation.created_by_id and not evaluation.evaluators.filter(pk=actor.pk).exists():
        raise ActionDenied(_("只有评查的组织人或评查人员才能抽取案卷。"))
    _require_supervisor(actor, list(evaluation.agencies.values_list("pk", flat=True)))
    if evaluation.state != EvaluationState.OPEN:
        raise RuleViolation(
            _("已于%(at)s抽样。") % {"at": timezone.localtime(evaluation.drawn_at).strftime("%Y-%m-%d %H:%M")}
        )
    if timezone.localdate() <= evaluation.period_end:
        raise RuleViolation(
            _("评查期间至%(date)s结束，期间结束后才能封存抽样框并抽样。") % {"date": evaluation.period_end}
        )
    frame = frame_of(evaluation)
    if not frame:
        raise RuleViolation(_("评查期间内被评查执法主体没有结案的案件，抽样框为空。"))
    evaluation.frame_size = len(frame)
    evaluation.save()
    rule = {"rate": evaluation.rate, "minimum": evaluation.minimum}
    _record(
        actor,
        "close_frame",
        evaluation,
        evaluation.agency,
        frame=frame,
        rule=rule,
        commitment=evaluation.commitment,
    )

    evaluation.revealed_seed = evaluation.draw_seed
    evaluation.state = EvaluationState.DRAWN
    evaluation.drawn_at = timezone.now()
    evaluation.save()
    references = rules.draw(frame, evaluation.revealed_seed, evaluation.rate, evaluation.minimum)
    _record(
        actor, "reveal_seed", evaluation, evaluation.agency, seed=evaluation.revealed_seed, sample=references
    )

    by_reference = {row["reference"]: row for row in frame}
    case_ids = [by_reference[ref]["case"] for ref in references]
    cases = Case.objects.select_related("agency", "unit").in_bulk(case_ids)
    officers: dict[int, set[int]] = {}
    for case_id, person_id in CaseOfficer.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "person_id"
    ):
        officers.setdefault(case_id, set()).add(person_id)
    evaluators = list(evaluation.evaluators.order_by("pk"))
    chosen = rules.assign(
        case_ids, evaluators, lambda cid: cases[cid].unit_id, lambda cid: officers.get(cid, set())
    )
    items = list(evaluation.standard.items.all())
    for position, (case_id, evaluator) in enumerate(zip(case_ids, chosen, strict=True), start=1):
        case = cases[case_id]
        if evaluator is None:
            raise RuleViolation(
                _(
                    "案卷 %(ref)s 没有可以评查的人员（评查人员都属于其承办机构或是其承办人员），请增加评查人员。"
                )
                % {"ref": case.reference}
            )
        with translation.override(settings.LANGUAGE_CODE):  # kept as found, in the record's language
            found = checks.prefill(case)
        answers = {}
        for item in items:
            finding = found.get(item.platform_check) if item.platform_check else None
            if finding is not None:
                answers[item.code] = {
                    "auto": finding.result,
                    "note": str(finding.note),
                    "evidence": [[str(label), url] for label, url in finding.evidence],
                    "verdict": "",
                }
        file = EvaluationFile.objects.create(
            evaluation=evaluation,
            case=case,
            position=position,
            stratum=by_reference[case.reference]["stratum"],
            evaluator=evaluator,
            answers=answers,
        )
        _record(actor, "assign_file", file, evaluation.agency, case=case.pk, reference=case.reference)
    return evaluation


def _lock_file(file: EvaluationFile, actor) -> EvaluationFile:
    file = (
        EvaluationFile.objects.select_for_update()
        .select_related("evaluation__standard", "evaluation__agency", "case")
        .get(pk=file.pk)
    )
    if file.evaluator_id != actor.pk:
        raise ActionDenied(_("这份案卷分配给了%(name)s，只有其本人可以评查。") % {"name": file.evaluator})
    if file.finished_at is not None:
        raise RuleViolation(_("这份案卷已评定，不能再修改。"))
    return file


def _points(item, verdict: str, points) -> int:
    if item.group == ItemGroup.BASIC:
        return 0
    if verdict in (Verdict.PASS, Verdict.NA):
        if points not in (None, "", item.points):
            raise RuleViolation(
                {"points": [_("符合或不适用的项目得满分（%(n)d 分）。") % {"n": item.points}]}
            )
        return item.points
    if points in (None, ""):
        return 0
    if not isinstance(points, int) or not 0 <= points < item.points:
        raise RuleViolation(
            {"points": [_("不符合的项目得分应在 0 到 %(n)d 分之间（不含满分）。") % {"n": item.points - 1}]}
        )
    return points


@transaction.atomic
def answer_item(
    actor: Person, file: EvaluationFile, *, code: str, verdict: str, points=None, reason: str = ""
) -> EvaluationFile:
    """评查一项: the evaluator's verdict (and the points kept, for a scored item). Overriding what the platform
    found needs a reason."""
    file = _lock_file(file, actor)
    item = file.evaluation.standard.items.filter(code=code).first()
    if item is None:
        raise RuleViolation(_("评查标准中没有这一项。"))
    if verdict not in Verdict.values:
        raise RuleViolation({"verdict": [_("请选择符合、不符合或不适用。")]})
    reason = (reason or "").strip()
    answer = dict(file.answers.get(code) or {})
    auto = answer.get("auto")
    if auto in (Verdict.PASS, Verdict.FAIL) and verdict != auto and not reason:
        raise RuleViolation({"reason": [_("与平台的判断不同，请写明理由。")]})
    if verdict == Verdict.FAIL and not reason:
        raise RuleViolation({"reason": [_("请写明不符合的具体问题。")]})
    answer.update(
        verdict=verdict,
        points=_points(item, verdict, points),
        reason=reason[:2000],
        by=actor.pk,
        at=timezone.now().isoformat(),
    )
    file.answers = {**file.answers, code: answer}
    file.save()
    _record(actor, "answer_item", file, file.evaluation.agency, item=code)
    return file


@transaction.atomic
def confirm_prefilled(actor: Person, file: EvaluationFile) -> EvaluationFile:
    """确认平台判断: take every item the platform judged and the evaluator has not answered as found (a failure
    found by the platform keeps its note as the problem)."""
    file = _lock_file(file, actor)
    confirmed = []
    now = timezone.now().isoformat()
    answers = dict(file.answers)
    for item in file.evaluation.standard.items.all():
        answer = dict(answers.get(item.code) or {})
        if answer.get("verdict") or answer.get("auto") not in (Verdict.PASS, Verdict.FAIL):
            continue
        verdict = answer["auto"]
        answer.update(
            verdict=verdict,
            points=_points(item, verdict, None),
            reason=answer.get("note", "") if verdict == Verdict.FAIL else "",
            by=actor.pk,
            at=now,
        )
        answers[item.code] = answer
        confirmed.append(item.code)
    if not confirmed:
        raise RuleViolation(_("没有待确认的平台判断。"))
    file.answers = answers
    file.save()
    _record(actor, "confirm_prefilled", file, file.evaluation.agency, items=confirmed)
    return file


@transaction.atomic
def finish_file(actor: Person, file: EvaluationFile) -> EvaluationFile:
    """评定: every item answered; the score and the grade (a failed veto item: 不合格). The evaluation is finished
    with its last file."""
    file = _lock_file(file, actor)
    evaluation = file.evaluation
    items = list(evaluation.standard.items.all())
    missing = rules.unanswered(items, file.answers)
    if missing:
        raise RuleViolation(
            _("还有 %(n)d 项没有评查：%(items)s。")
            % {"n": len(missing), "items": "；".join(item.text for item in missing[:5])}
        )
    file.score, file.grade = rules.score_and_grade(
        items, file.answers, evaluation.standard.excellent_min, evaluation.standard.pass_min
    )
    file.finished_at = timezone.now()
    file.save()
    _record(actor, "finish_file", file, evaluation.agency)
    if not evaluation.files.filter(finished_at__isnull=True).exists():
        evaluation = _lock_evaluation(evaluation)
        evaluation.state = EvaluationState.FINISHED
        evaluation.finished_at = file.finished_at
        evaluation.save()
        _record(actor, "finish_evaluation", evaluation, evaluation.agency)
    return file


# 整改 ---------------------------------------------------------------------------------------------------------------

RECTIFICATION_KIND = "rectification"  # the workdays deadline kind of a rectification's time limit


def _require_supervises(actor, agency_id: int) -> None:
    if agency_id not in queries.supervised_agency_ids(actor):
        raise ActionDenied(_("只有该执法主体的监督人员才能提出或核验整改。"))


def _open_time_limit(rectification: Rectification, start: dt.date):
    """The time limit to fix it: opened by the platform (the supervisor holds no role in the agency's deadlines)."""
    from zhifa.workdays import actions as wd_actions

    return wd_actions.open_deadline(
        None,
        agency=rectification.agency,
        kind=RECTIFICATION_KIND,
        target=rectification,
        start=start,
        label=_("整改：%(problem)s") % {"problem": rectification.problem[:60]},
        responsible=rectification.owner,
    )


@transaction.atomic
def open_rectification(
    actor: Person,
    file: EvaluationFile,
    *,
    item_code: str,
    problem: str,
    requirement: str,
    owner: Person,
    opened_on: dt.date | None = None,
) -> Rectification:
    """提出整改: a failed item of an evaluated file becomes a task of the agency, with its owner and time limit."""
    file = EvaluationFile.objects.select_related("case__agency", "evaluation").get(pk=file.pk)
    case = file.case
    _require_supervises(actor, case.agency_id)
    answer = file.answers.get(item_code) or {}
    if answer.get("verdict") != Verdict.FAIL:
        raise RuleViolation(_("只能对评查结论为“不符合”的项目提出整改。"))
    if Rectification.objects.filter(evaluation_file=file, item_code=item_code).exists():
        raise RuleViolation(_("这一项已经提出整改。"))
    rectification = _new_rectification(
        actor,
        agency=case.agency,
        problem=problem,
        requirement=requirement,
        owner=owner,
        opened_on=opened_on,
        evaluation_file=file,
        item_code=item_code,
        case=case,
    )
    _record(actor, "open_rectification", rectification, rectification.agency, file=file.pk, item=item_code)
    return rectification


def _new_rectification(actor, *, agency, problem, requirement, owner, opened_on, **source) -> Rectification:
    """A rectification of ``agency`` with its time limit, after the checks every one of them passes."""
    problem, requirement = (problem or "").strip(), (requirement or "").strip()
    if not problem:
        raise RuleViolation({"problem": [_("请写明发现的问题。")]})
    if not requirement:
        raise RuleViolation({"requirement": [_("请写明整改要求。")]})
    if owner is None or owner.agency_id != agency.pk or not owner.is_active:
        raise RuleViolation({"owner": [_("整改责任人须为%(agency)s在职人员。") % {"agency": agency.name}]})
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise RuleViolation({"opened_on": [_("整改通知日期不能晚于今天。")]})
    rectification = Rectification.objects.create(
        agency=agency,
        raised_by=actor,
        problem=problem,
        requirement=requirement,
        owner=owner,
        opened_on=opened_on,
        **source,
    )
    rectification.deadline = _open_time_limit(rectification, opened_on)
    rectification.save()
    return rectification


@transaction.atomic
def open_finding_rectification(
    actor: Person,
    line: InspectionLine,
    *,
    problem: str,
    requirement: str,
    owner: Person,
    opened_on: dt.date | None = None,
) -> Rectification:
    """提出整改 for a finding of a signed quarterly publicity inspection (one rectification per finding)."""
    line = (
        InspectionLine.objects.select_related("inspection__agency")
        .select_for_update(of=("self",))
        .get(pk=line.pk)
    )
    inspection = line.inspection
    _require_supervises(actor, inspection.agency_id)
    if inspection.state != InspectionState.SIGNED:
        raise RuleViolation(_("网上巡查签发后才能对发现的问题提出整改。"))
    if not line.is_finding:
        raise RuleViolation(_("只能对巡查发现的问题提出整改。"))
    if line.rectifications.exists():
        raise RuleViolation(_("这一问题已经提出整改。"))
    rectification = _new_rectification(
        actor,
        agency=inspection.agency,
        problem=problem,
        requirement=requirement,
        owner=owner,
        opened_on=opened_on,
        inspection_line=line,
        item_code=line.check_code,
        case_id=line.case_id,
    )
    _record(
        actor,
        "open_rectification",
        rectification,
        rectification.agency,
        inspection=inspection.pk,
        line=line.pk,
    )
    return rectification


def _lock_rectification(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(
            of=("self",)
        )  # (its deadline: an outer join PostgreSQL cannot lock)
        .select_related("agency", "deadline")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def submit_fix(
    actor: Person, rectification: Rectification, *, note: str, data: bytes | None = None
) -> Rectification:
    """报送整改情况: the owner (or a head of the agency) reports what was done, with its evidence (a PDF or image,
    checked by its bytes, stored under its SHA-256). The time limit is met on that day."""
    from zhifa.org.queries import has_role
    from zhifa.records import storage, uploads
    from zhifa.workdays import actions as wd_actions

    rectification = _lock_rectification(rectification)
    if actor.pk != rectification.owner_id and not has_role(actor, Role.AGENCY_HEAD, rectification.agency_id):
        raise ActionDenied(_("只有整改责任人或本机关负责人可以报送整改情况。"))
    if rectification.state != RectificationState.OPEN:
        raise RuleViolation(
            _("该整改当前不需要报送（%(state)s）。") % {"state": rectification.get_state_display()}
        )
    note = (note or "").strip()
    if not note:
        raise RuleViolation({"note": [_("请写明整改情况。")]})
    files = []
    if data:
        checked = uploads.check_scan(data)
        stored = storage.put(checked.data, ext=checked.ext, prefix="rectifications")
        rectification.fix_file_name, rectification.fix_sha256 = stored.name, stored.sha256
        rectification.fix_content_type = checked.content_type
        files = [(stored.name, stored.sha256)]
    today = timezone.localdate()
    rectification.fix_note, rectification.submitted_by, rectification.submitted_on = note, actor, today
    rectification.state = RectificationState.SUBMITTED
    rectification.save()
    if rectification.deadline is not None and rectification.deadline.met_on is None:
        wd_actions.meet_deadline(None, rectification.deadline, on=today, by_owner=True)
    ledger.append(
        agency=rectification.agency,
        actor=actor,
        action="supervision.submit_fix",
        obj=rectification,
        payload={"state": snapshot(rectification)},
        files=files,
    )
    return rectification


@transaction.atomic
def verify_fix(
    actor: Person, rectification: Rectification, *, accepted: bool, note: str = ""
) -> Rectification:
    """核验整改: the supervisor accepts the fix, or returns it with the reason (a new time limit runs from today)."""
    rectification = _lock_rectification(rectification)
    _require_supervises(actor, rectification.agency_id)
    if rectification.state != RectificationState.SUBMITTED:
        raise RuleViolation(_("该整改尚未报送整改情况，不能核验。"))
    note = (note or "").strip()
    today = timezone.localdate()
    if accepted:
        rectification.state = RectificationState.VERIFIED
    else:
        if not note:
            raise RuleViolation({"note": [_("退回重新整改须写明理由。")]})
        rectification.state = RectificationState.OPEN
        rectification.rounds += 1
    rectification.verified_by, rectification.verified_on, rectification.verify_note = actor, today, note
    rectification.save()
    if not accepted:
        rectification.deadline = _open_time_limit(rectification, today)
        rectification.save()
    _record(actor, "verify_fix", rectification, rectification.agency, accepted=accepted)
    return rectification


# 问责 ---------------------------------------------------------------------------------------------------------------


def responsibility_chain(case) -> list[dict]:
    """Who submitted, reviewed, coordinated, decided and signed the case, read from the ledger
    (``review.queries.responsibility``), as an accountability record keeps it."""
    if case is None:
        return []
    from zhifa.review.queries import responsibility

    return [
        {
            "what": str(r["what"]),
            "action": r["action"],
            "person": r["person_id"],
            "who": r["who"],
            "roles": [str(role) for role in r["roles"] or []],
            "at": r["at"].isoformat(),
            "seq": r["seq"],
        }
        for r in responsibility(case)
    ]


@transaction.atomic
def record_accountability(
    actor: Person,
    rectification: Rectification,
    *,
    people,
    measure: str,
    decided_by_body: str,
    decided_on: dt.date,
    reasons: str,
) -> Accountability:
    """登记问责: the decision the competent body took on the people responsible for the problem, citing the case's
    responsibility chain as the ledger holds it."""
    rectification = _lock_rectification(rectification)
    _require_supervises(actor, rectification.agency_id)
    people = list(dict.fromkeys(people or []))
    if not people:
        raise RuleViolation({"people": [_("请选择被问责人员。")]})
    outside = [p for p in people if p.agency_id != rectification.agency_id]
    if outside:
        raise RuleViolation(
            {
                "people": [
                    _("%(names)s不是%(agency)s的人员。")
                    % {"names": "、".join(p.full_name for p in outside), "agency": rectification.agency.name}
                ]
            }
        )
    if measure not in Measure.values:
        raise RuleViolation({"measure": [_("请选择问责方式。")]})
    decided_by_body, reasons = (decided_by_body or "").strip(), (reasons or "").strip()
    if not decided_by_body:
        raise RuleViolation({"decided_by_body": [_("请填写作出决定的机关。")]})
    if not reasons:
        raise RuleViolation({"reasons": [_("请写明事实与理由。")]})
    if not isinstance(decided_on, dt.date) or decided_on > timezone.localdate():
        raise RuleViolation({"decided_on": [_("决定日期须填写，且不能晚于今天。")]})
    record = Accountability.objects.create(
        agency=rectification.agency,
        rectification=rectification,
        measure=measure,
        decided_by_body=decided_by_body[:200],
        decided_on=decided_on,
        reasons=reasons,
        chain=responsibility_chain(rectification.case),
        recorded_by=actor,
    )
    record.people.set(people)
    _record(actor, "record_accountability", record, rectification.agency, rectification=rectification.pk)
    return record


# 每季度网上巡查 -------------------------------------------------------------------------------------------------------


def _lines_record(lines) -> dict:
    """What the ledger keeps of an inspection's lines: the count per area and result, every problem in full, and the
    SHA-256 of all the lines (the report's content)."""
    import hashlib
    import json

    rows = [[ln.area, ln.check, ln.subject, ln.result, ln.text, ln.link] for ln in lines]
    summary: dict[str, dict[str, int]] = {}
    for ln in lines:
        counts = summary.setdefault(ln.area, {"checked": 0, "problems": 0})
        counts["checked"] += 1
        counts["problems"] += ln.result == LineResult.PROBLEM
    return {
        "summary": summary,
        "problems": [row for row in rows if row[3] == LineResult.PROBLEM],
        "lines_sha256": hashlib.sha256(
            json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest(),
    }


@transaction.atomic
def prepare_inspection(actor: Person | None, agency, year: int, quarter: int) -> Inspection:
    """Prepare (or, before it is signed, prepare again) the quarterly publicity inspection of ``agency``: every line
    the platform checks (``supervision.inspection.lines``). Run by the platform's task after the quarter ends
    (``actor`` None) or by a supervisor of the agency. Prepared again, the platform's lines are replaced; the
    supervisor's findings stay, and a platform line they had judged not a problem keeps that judgement while it is
    still found (same check, same subject)."""
    from . import inspection as checks

    if actor is not None:
        _require_supervises_inspection(actor, agency.pk)
    if quarter not in (1, 2, 3, 4):
        raise RuleViolation(_("季度应为 1 到 4。"))
    start, end = checks.quarter_bounds(year, quarter)
    if end >= timezone.localdate():
        raise RuleViolation(_("该季度尚未结束，结束后才能巡查。"))
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .filter(agency=agency, year=year, quarter=quarter)
        .first()
    )
    if inspection is not None and inspection.state != InspectionState.PREPARED:
        raise RuleViolation(_("该季度的网上巡查已经签发，不能重新生成。"))
    with translation.override(settings.LANGUAGE_CODE):  # the report's content is written in Chinese
        lines = checks.lines(agency, start, end)
    record = _lines_record(lines)
    if inspection is None:
        inspection = Inspection.objects.create(
            agency=agency,
            year=year,
            quarter=quarter,
            period_start=start,
            period_end=end,
            summary=record["summary"],
        )
        dismissed: dict[tuple[str, str], str] = {}
        kept = []
    else:
        platform = inspection.lines.filter(added_by__isnull=True)
        dismissed = {(ln.check_code, ln.subject): ln.dismissed for ln in platform if ln.dismissed}
        if InspectionLine.objects.filter(
            inspection=inspection, added_by__isnull=True, rectifications__isnull=False
        ).exists():
            raise RuleViolation(_("已有巡查发现的问题提出了整改，不能重新生成。"))
        for ln in platform:
            ln.delete()
        kept = list(inspection.lines.order_by("position"))
        inspection.summary, inspection.prepared_at = record["summary"], timezone.now()
        inspection.save(update_fields=["summary", "prepared_at"])
    # Row by row, so that each line's state is in the ledger (the entries the tracker completes after this one).
    for n, ln in enumerate(lines, start=1):
        InspectionLine.objects.create(
            inspection=inspection,
            position=n,
            area=ln.area,
            check_code=ln.check,
            subject=ln.subject[:200],
            result=ln.result,
            text=ln.text,
            link=ln.link[:300],
            case_id=ln.case_id,
            dismissed=dismissed.get((ln.check, ln.subject[:200]), "")
            if ln.result == LineResult.PROBLEM
            else "",
        )
    for shift in (1_000_000, 0):  # the supervisor's findings after the platform's lines, in their order
        for n, ln in enumerate(kept, start=len(lines) + 1):
            ln.position = n + shift
            ln.save(update_fields=["position"])
    _record(actor, "prepare_inspection", inspection, agency, **record)
    return inspection


def _require_supervises_inspection(actor, agency_id: int) -> None:
    if agency_id not in queries.supervised_agency_ids(actor):
        raise ActionDenied(_("只有该执法主体的监督人员才能进行网上巡查。"))


def _lock_inspection(inspection: Inspection, actor) -> Inspection:
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("agency").get(pk=inspection.pk)
    )
    _require_supervises_inspection(actor, inspection.agency_id)
    if inspection.state != InspectionState.PREPARED:
        raise RuleViolation(_("网上巡查已经签发，不能再修改。"))
    return inspection


def _safe_link(link: str) -> str:
    """An evidence link a finding may carry: a page of the platform (a path), nothing else."""
    link = (link or "").strip()
    if not link:
        return ""
    if not link.startswith("/") or link.startswith("//") or any(c in link for c in "\\\r\n\t <>\"'"):
        raise RuleViolation({"link": [_("证据链接须是本平台页面的地址，以“/”开头。")]})
    return link[:300]


@transaction.atomic
def add_finding(
    actor: Person, inspection: Inspection, *, area: str, text: str, link: str = ""
) -> InspectionLine:
    """A finding the supervisor adds to the inspection before signing it."""
    inspection = _lock_inspection(inspection, actor)
    if area not in InspectionArea.values:
        raise RuleViolation({"area": [_("请选择巡查内容。")]})
    text = (text or "").strip()
    if not text:
        raise RuleViolation({"text": [_("请写明发现的问题。")]})
    if len(text) > 2000:
        raise RuleViolation({"text": [_("发现的问题不超过 2000 字。")]})
    link = _safe_link(link)
    last = inspection.lines.order_by("-position").values_list("position", flat=True).first() or 0
    line = InspectionLine.objects.create(
        inspection=inspection,
        position=last + 1,
        area=area,
        check_code="finding",
        subject="",
        result=LineResult.PROBLEM,
        text=text,
        link=link,
        added_by=actor,
    )
    _record(actor, "add_finding", line, inspection.agency, inspection=inspection.pk)
    return line


@transaction.atomic
def judge_line(actor: Person, line: InspectionLine, *, reason: str) -> InspectionLine:
    """Judge a problem line not to be a problem, with the reason (``reason`` empty: it is a problem again). The line
    stays in the inspection and its report, marked with the reason."""
    inspection = _lock_inspection(line.inspection, actor)
    line = InspectionLine.objects.select_for_update().get(pk=line.pk, inspection=inspection)
    if line.result != LineResult.PROBLEM:
        raise RuleViolation(_("只有发现问题的记录才需要判断。"))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise RuleViolation({"reason": [_("理由不超过 2000 字。")]})
    if reason == line.dismissed:
        raise RuleViolation({"reason": [_("请写明不作为问题的理由。")] if not reason else [_("没有变化。")]})
    line.dismissed = reason
    line.save(update_fields=["dismissed"])
    _record(actor, "judge_line", line, inspection.agency, inspection=inspection.pk)
    return line


def inspection_number(body, year: int, sequence: int) -> str:
    return _("%(body)s网上巡查〔%(year)d〕%(n)d号") % {
        "body": body.short_name or body.name,
        "year": year,
        "n": sequence,
    }


@transaction.atomic
def sign_inspection(actor: Person, inspection: Inspection, *, conclusion: str) -> Inspection:
    """签发: the supervisor's opinion, a number in their body's series for the year, and the report as a PDF sealed
    with the body's certificate (stored under its SHA-256, the hash in the ledger). Nothing changes afterwards."""
    from zhifa.org.models import Agency
    from zhifa.records import render, seal, storage

    inspection = _lock_inspection(inspection, actor)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise RuleViolation({"conclusion": [_("请填写巡查意见。")]})
    if len(conclusion) > 5000:
        raise RuleViolation({"conclusion": [_("巡查意见不超过 5000 字。")]})
    body = Agency.objects.select_for_update().get(
        pk=actor.agency_id
    )  # one number at a time in the body's series
    now = timezone.now()
    year = timezone.localdate().year
    last = (
        Inspection.objects.filter(body=body, number_year=year, sequence__isnull=False)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    inspection.body, inspection.number_year, inspection.sequence = body, year, (last or 0) + 1
    with translation.override(settings.LANGUAGE_CODE):
        inspection.number = inspection_number(body, year, inspection.sequence)
    inspection.conclusion, inspection.signed_by, inspection.signed_at = conclusion, actor, now
    inspection.state = InspectionState.SIGNED
    html = render.render_in_chinese("supervision/inspection_pdf.html", queries.inspection_context(inspection))
    pdf, box = render.pdf(html)
    sealed = seal.provider().seal(pdf, agency=body, box=box, reason=f"网上巡查报告 {inspection.number}")
    stored = storage.put(sealed.pdf, ext="pdf", prefix="supervision")
    inspection.pdf_name, inspection.pdf_sha256 = stored.name, stored.sha256
    inspection.save()
    ledger.append(
        agency=inspection.agency,
        actor=actor,
        action="supervision.sign_inspection",
        obj=inspection,
        payload={
            "state": snapshot(inspection),
            "findings": [
                [ln.pk, ln.check_code, ln.subject, ln.text] for ln in inspection.lines.all() if ln.is_finding
            ],
            "seal": sealed.info,
        },
        files=[(stored.name, stored.sha256)],
    )
    return inspection


def prepare_due_inspections(today: dt.date | None = None) -> int:
    """The last ended quarter's inspection of every agency that has a supervisor and none yet, each prepared in its
    own transaction. Returns how many were prepared."""
    from zhifa.org.models import Agency

    from . import inspection as checks

    year, quarter = checks.last_ended_quarter(today or timezone.localdate())
    have = Inspection.objects.filter(year=year, quarter=quarter).values("agency_id")
    supervised = Agency.objects.filter(roles__role=Role.SUPERVISOR, roles__person__is_active=True)
    prepared = 0
    for agency in supervised.exclude(pk__in=have).distinct().order_by("pk"):
        prepare_inspection(None, agency, year, quarter)
        prepared += 1
    return prepared


# 执法数据分析报告 -----------------------------------------------------------------------------------------------------


def may_request_report(actor, agency_id: int) -> bool:
    from zhifa.org.queries import has_role

    return agency_id in queries.supervised_agency_ids(actor) or has_role(actor, Role.AGENCY_HEAD, agency_id)


@transaction.atomic
def request_analysis_report(
    actor: Person | None, agency, *, kind: str, year: int, number: int, start_job: bool = True
):
    """The report of ``agency`` for a period that has ended (made if missing, made again if asked) and the job that
    fills it. Asked for by a supervisor of the agency or one of its heads, or by the platform's task (``actor``
    None). Returns (report, job)."""
    from zhifa.core import queue

    from . import analysis
    from .models import AnalysisReport

    if actor is not None and not may_request_report(actor, agency.pk):
        raise ActionDenied(_("只有该执法主体的监督人员和负责人可以生成执法数据分析报告。"))
    if not isinstance(year, int) or not 2000 <= year <= 2100 or not analysis.valid(kind, number):
        raise RuleViolation(_("请选择报告期。"))
    start, end = analysis.bounds(kind, year, number)
    if end >= timezone.localdate():
        raise RuleViolation(_("报告期尚未结束，结束后才能生成分析报告。"))
    report, created = AnalysisReport.objects.select_for_update().get_or_create(
        agency=agency,
        kind=kind,
        year=year,
        number=number,
        defaults={"period_start": start, "period_end": end, "requested_by": actor},
    )
    if not created:
        report.state, report.requested_by = AnalysisReport.State.GENERATING, actor
        report.save(update_fields=["state", "requested_by"])
    _record(actor, "request_analysis_report", report, agency)
    if not start_job:  # (the demo fills it at once)
        return report, None
    job = queue.start(
        "supervision.analysis_report",
        actor,
        agency=agency,
        target=("supervision.analysisreport", report.pk),
        step=str(_("等待后台进程处理")),
    )
    return report, job


@transaction.atomic
def fill_analysis_report(report, progress=None):
    """The task: count the period and the one before afresh, compose the report, render its PDF and DOCX (stored
    under their SHA-256, the hashes and the content's digest in the ledger)."""
    import hashlib
    import json

    from zhifa.records import render, storage

    from . import analysis, figures
    from .models import AnalysisReport

    def step(done, label):
        if progress is not None:
            progress(done=done, total=4, step=label)

    report = AnalysisReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
    p_year, p_number = analysis.previous(report.kind, report.year, report.number)
    p_start, _p_end = analysis.bounds(report.kind, p_year, p_number)
    step(0, _("统计"))
    figures.build(report.agency, p_start, report.period_end)
    step(1, _("分析"))
    with translation.override(settings.LANGUAGE_CODE):  # the report's content is written in Chinese
        report.data = analysis.compose(report.agency, report.kind, report.year, report.number)
    report.generated_at = timezone.now()
    step(2, _("生成 PDF 和 DOCX"))
    html = render.render_in_chinese(
        "supervision/analysis_pdf.html", queries.analysis_context(report, charts=True)
    )
    pdf, _box = render.pdf(html)
    docx = render.docx(html)
    stored_pdf = storage.put(pdf, ext="pdf", prefix="supervision")
    stored_docx = storage.put(docx, ext="docx", prefix="supervision")
    report.pdf_name, report.pdf_sha256 = stored_pdf.name, stored_pdf.sha256
    report.docx_name, report.docx_sha256 = stored_docx.name, stored_docx.sha256
    report.state = AnalysisReport.State.READY
    report.save()
    step(3, _("记入账本"))
    ledger.append(
        agency=report.agency,
        actor=None,
        action="supervision.fill_analysis_report",
        obj=report,
        payload={
            "state": snapshot(report),
            "data_sha256": hashlib.sha256(
                json.dumps(report.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
            ).hexdigest(),
        },
        files=[(stored_pdf.name, stored_pdf.sha256), (stored_docx.name, stored_docx.sha256)],
    )
    step(4, _("完成"))
    return report


@transaction.atomic
def read_analysis_report(actor: Person, report):
    """已阅: a head of the agency records that they read the report (once; the time is kept)."""
    from zhifa.org.queries import has_role

    from .models import AnalysisReport, ReportReading

    report = AnalysisReport.objects.select_for_update().get(pk=report.pk)
    if not has_role(actor, Role.AGENCY_HEAD, report.agency_id):
        raise ActionDenied(_("只有本机关的负责人需要阅读确认。"))
    if report.state != AnalysisReport.State.READY:
        raise RuleViolation(_("报告尚未生成。"))
    if ReportReading.objects.filter(report=report, person=actor).exists():
        raise RuleViolation(_("您已经阅读确认过这份报告。"))
    reading = ReportReading.objects.create(report=report, person=actor)
    _record(actor, "read_analysis_report", reading, report.agency, report=report.pk)
    return reading


def prepare_due_reports(today: dt.date | None = None) -> int:
    """The task: after a quarter ends, the quarter's report (and the half-year's and year's when they end with it)
    for every agency that has a head, each once. Returns how many were started."""
    from zhifa.org.models import Agency

    from . import analysis
    from .models import AnalysisReport

    started = 0
    for kind, year, number in analysis.last_ended(today or timezone.localdate()):
        have = AnalysisReport.objects.filter(kind=kind, year=year, number=number).values("agency_id")
        headed = Agency.objects.filter(roles__role=Role.AGENCY_HEAD, roles__person__is_active=True)
        for agency in headed.exclude(pk__in=have).distinct().order_by("pk"):
            request_analysis_report(None, agency, kind=kind, year=year, number=number)
            started += 1
    return started


@transaction.atomic
def set_weak_point_rule(actor: Person, rule, *, threshold, minimum: int, active: bool):
    """The platform administrator sets a weak-point rule's threshold, minimum count and whether it applies (platform
    data: every agency's next report uses it; the reports already made keep the rules they were made with)."""
    from decimal import Decimal, InvalidOperation

    from .models import WeakPointRule

    if not getattr(actor, "is_superuser", False):
        raise ActionDenied(_("只有平台管理员可以修改薄弱环节规则。"))
    rule = WeakPointRule.objects.select_for_update().get(pk=rule.pk)
    try:
        threshold = Decimal(str(threshold))
    except (InvalidOperation, ValueError):
        raise RuleViolation({"threshold": [_("阈值应为数字。")]}) from None
    if not threshold.is_finite() or threshold <= 0 or threshold > 1000:
        raise RuleViolation({"threshold": [_("阈值应大于 0，不超过 1000。")]})
    if not isinstance(minimum, int) or not 1 <= minimum <= 100000:
        raise RuleViolation({"minimum": [_("最少件数应为 1 到 100000 之间的整数。")]})
    rule.threshold, rule.minimum, rule.active = threshold.quantize(Decimal("0.01")), minimum, bool(active)
    rule.save()
    from zhifa.org.models import Agency

    for agency in Agency.objects.order_by("pk"):  # platform data: in every agency's log, in a fixed order
        _record(actor, "set_weak_point_rule", rule, agency)
    return rule


# 考核 ---------------------------------------------------------------------------------------------------------------


@transaction.atomic
def publish_ranking(actor: Person, *, kind: str, year: int, number: int, agencies):
    """内部公布: the ranking of the agencies the supervisor supervises (all of them in one ranking) and their units for
    an ended period, kept as computed now and recorded in the supervisor's body's log."""
    from . import analysis, ranking
    from .models import Ranking

    agencies = list(agencies or [])
    _require_supervisor(
        actor, [a.pk for a in agencies], _("只有负责监督这些执法主体的监督人员才能公布考核排名。")
    )
    if not isinstance(year, int) or not 2000 <= year <= 2100 or not analysis.valid(kind, number):
        raise RuleViolation(_("请选择考核期。"))
    _start, end = analysis.bounds(kind, year, number)
    if end >= timezone.localdate():
        raise RuleViolation(_("考核期尚未结束，结束后才能公布排名。"))
    with translation.override(settings.LANGUAGE_CODE):
        data = ranking.compute([a.pk for a in agencies], kind, year, number)
    record = Ranking.objects.create(
        body=actor.agency, kind=kind, year=year, number=number, data=data, published_by=actor
    )
    record.agencies.set(agencies)
    _record(actor, "publish_ranking", record, actor.agency)
    return record


@transaction.atomic
def set_indicator(actor: Person, indicator, *, weight: int, active: bool):
    """The platform administrator sets a 考核 indicator's weight and whether it counts (platform data: rankings
    published later use it; those already published keep theirs)."""
    from zhifa.org.models import Agency

    from .models import Indicator

    if not getattr(actor, "is_superuser", False):
        raise ActionDenied(_("只有平台管理员可以修改考核指标。"))
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if not isinstance(weight, int) or not 0 <= weight <= 100:
        raise RuleViolation({"weight": [_("权重应为 0 到 100 之间的整数。")]})
    indicator.weight, indicator.active = weight, bool(active)
    indicator.save()
    for agency in Agency.objects.order_by("pk"):  # platform data: in every agency's log, in a fixed order
        _record(actor, "set_indicator", indicator, agency)
    return indicator
