"""案卷评查 (case-file evaluation): the 评查标准 as data, an evaluation with its committed draw, and the files drawn
with their scorecards."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    EvaluationState,
    Grade,
    InspectionArea,
    InspectionState,
    ItemGroup,
    LineResult,
    Measure,
    PeriodKind,
    RectificationState,
)


class Standard(models.Model):
    """评查标准, one version of it. ``agency`` empty: the platform's default (全省通用); a revision is a new row with
    the next ``version``, so an evaluation keeps the version it was scored against."""

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    name = models.CharField(_("名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"), default=1)
    excellent_min = models.PositiveSmallIntegerField(_("优秀分数线"), default=90)
    pass_min = models.PositiveSmallIntegerField(_("合格分数线"), default=60)
    basis = models.TextField(_("依据"), blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评查标准")
        verbose_name_plural = _("评查标准")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name", "version"], name="standard_version_unique"),
            models.CheckConstraint(
                condition=Q(pass_min__lte=F("excellent_min")) & Q(excellent_min__lte=100),
                name="standard_grade_lines",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class StandardItem(models.Model):
    """One item of a 评查标准: a veto item of the 基本标准 (any failure makes the file 不合格) or a scored item of 卷面
    or 内容. ``platform_check``: the platform's own judgement that pre-fills it (``supervision.checks.CHECKS``), if any."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("顺序"))
    code = models.SlugField(_("代码"), max_length=40)
    group = models.CharField(_("类别"), max_length=10, choices=ItemGroup.choices)
    text = models.CharField(_("评查内容"), max_length=300)
    points = models.PositiveSmallIntegerField(_("分值"), default=0)
    platform_check = models.CharField(_("平台自动判断"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("评查项目")
        verbose_name_plural = _("评查项目")
        ordering = ["standard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="standard_item_code_unique"),
            models.UniqueConstraint(fields=["standard", "position"], name="standard_item_position_unique"),
            models.CheckConstraint(
                condition=(Q(group=ItemGroup.BASIC) & Q(points=0))
                | (~Q(group=ItemGroup.BASIC) & Q(points__gt=0)),
                name="standard_item_points",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Evaluation(models.Model):
    """一次案卷评查: a period's closed files of the agencies evaluated, sampled by a draw anyone can re-do.

    At creation the platform picks a random seed and records only its SHA-256 (``commitment``) in the ledger; the
    draw records the frame (every file closed in the period) and then reveals the seed, and the sample is
    ``rules.draw(frame, seed, rate, minimum)``. ``draw_seed`` is never recorded until revealed (``revealed_seed``)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("组织机关"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    period_start = models.DateField(_("评查期间自"))
    period_end = models.DateField(_("评查期间至"))
    agencies = models.ManyToManyField("org.Agency", verbose_name=_("被评查执法主体"), related_name="+")
    evaluators = models.ManyToManyField("org.Person", verbose_name=_("评查人员"), related_name="+")
    standard = models.ForeignKey(
        Standard, verbose_name=_("评查标准"), on_delete=models.PROTECT, related_name="+"
    )
    rate = models.PositiveSmallIntegerField(_("抽样比例（%）"))
    minimum = models.PositiveSmallIntegerField(_("每个承办机构至少抽取（件）"), default=1)
    commitment = models.CharField(_("随机种子承诺值（SHA-256）"), max_length=64)
    draw_seed = models.CharField(max_length=64)  # secret until the draw (core.snapshot.SECRET_FIELDS)
    revealed_seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.OPEN
    )
    frame_size = models.PositiveIntegerField(_("抽样框案卷数"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽样时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案卷评查")
        verbose_name_plural = _("案卷评查")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="evaluation_period"),
            models.CheckConstraint(condition=Q(rate__gte=1) & Q(rate__lte=100), name="evaluation_rate"),
            models.CheckConstraint(condition=Q(minimum__gte=1), name="evaluation_minimum"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:evaluation", args=[self.pk])


class EvaluationFile(models.Model):
    """A file drawn for evaluation: its place in the sample, its evaluator, and its scorecard.

    ``answers``: {item code: {"auto": "pass"|"fail"|None, "note": ..., "evidence": [[label, url], ...],
    "verdict": "pass"|"fail"|"na"|"", "points": int|None, "reason": ..., "by": person id, "at": iso time}} —
    pre-filled at the draw from what the platform recorded (``checks.prefill``), confirmed or overridden by the
    evaluator."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="files")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("序号"))
    stratum = models.CharField(_("抽样层"), max_length=100)
    evaluator = models.ForeignKey(
        "org.Person", verbose_name=_("评查人员"), on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("评查记录"), default=dict)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    finished_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评查案卷")
        verbose_name_plural = _("评查案卷")
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "case"], name="evaluation_file_once"),
            models.UniqueConstraint(fields=["evaluation", "position"], name="evaluation_file_position"),
        ]
        indexes = [models.Index(fields=["evaluator", "finished_at"], name="evaluation_file_todo")]

    def __str__(self) -> str:
        return str(self.case_id)

    def get_absolute_url(self) -> str:
        return reverse("supervision:file", args=[self.pk])


class Rectification(models.Model):
    """整改: a problem a supervisor found in an agency's file (a failed item of an evaluation), the agency's owner of
    the fix and its time limit (a ``workdays`` deadline of kind ``rectification``: reminders before it falls due, the
    agency's heads told when it is overdue), the fix and its evidence, and the supervisor's verification."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("整改执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        "org.Person", verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    evaluation_file = models.ForeignKey(
        EvaluationFile,
        verbose_name=_("评查案卷"),
        on_delete=models.PROTECT,
        related_name="rectifications",
        null=True,
        blank=True,
    )
    # Or a finding of a quarterly publicity inspection (then ``item_code`` is the line's check).
    inspection_line = models.ForeignKey(
        "InspectionLine",
        verbose_name=_("巡查发现的问题"),
        on_delete=models.PROTECT,
        related_name="rectifications",
        null=True,
        blank=True,
    )
    item_code = models.SlugField(_("评查项目"), max_length=40, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    problem = models.TextField(_("发现的问题"))
    requirement = models.TextField(_("整改要求"))
    owner = models.ForeignKey(
        "org.Person", verbose_name=_("整改责任人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("整改通知日期"))
    deadline = models.ForeignKey(
        "workdays.Deadline", verbose_name=_("整改期限"), on_delete=models.PROTECT, related_name="+", null=True
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    fix_note = models.TextField(_("整改情况"), blank=True)
    fix_file_name = models.CharField(_("整改材料"), max_length=300, blank=True)
    fix_sha256 = models.CharField(max_length=64, blank=True)
    fix_content_type = models.CharField(max_length=50, blank=True)
    submitted_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("核验人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    verified_on = models.DateField(_("核验日期"), null=True, blank=True)
    verify_note = models.TextField(_("核验意见"), blank=True)
    rounds = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["agency", "state"], name="rectification_agency_state")]

    def __str__(self) -> str:
        return self.problem[:40]

    def get_absolute_url(self) -> str:
        return reverse("supervision:rectification", args=[self.pk])


class Accountability(models.Model):
    """问责: the decision taken on the people responsible for a problem found, with the responsibility chain it cites,
    read from the ledger when it was recorded (who submitted, reviewed, coordinated, decided and signed, each with
    the number of their entry)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), on_delete=models.PROTECT, related_name="accountabilities"
    )
    people = models.ManyToManyField("org.Person", verbose_name=_("被问责人员"), related_name="+")
    measure = models.CharField(_("问责方式"), max_length=30, choices=Measure.choices)
    decided_by_body = models.CharField(_("作出决定的机关"), max_length=200)
    decided_on = models.DateField(_("决定日期"))
    reasons = models.TextField(_("事实与理由"))
    chain = models.JSONField(_("责任链"), default=list)
    recorded_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问责")
        verbose_name_plural = _("问责")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return self.get_measure_display()

    def chain_rows(self) -> list[dict]:
        return chain_rows(self.chain)


def chain_rows(chain: list[dict]) -> list[dict]:
    """A responsibility chain as kept (times as ISO text), with its times as datetimes to show in local time."""
    import datetime as dt

    return [{**row, "at": dt.datetime.fromisoformat(row["at"])} for row in chain]


class Inspection(models.Model):
    """每季度网上巡查 of one agency's publicity for one quarter: prepared by the platform after the quarter ends
    (``inspection.prepare``: every line it checked, each with its evidence), confirmed by a supervisor of the agency,
    who adds findings of their own, and signed: numbered in the signer's body (e.g. 明山司法巡〔2026〕3号), rendered to
    PDF and sealed with the body's certificate, the PDF's SHA-256 in the ledger. Recorded in the agency's log."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("被巡查执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    period_start = models.DateField(_("巡查期间自"))
    period_end = models.DateField(_("巡查期间至"))
    state = models.CharField(
        _("状态"), max_length=10, choices=InspectionState.choices, default=InspectionState.PREPARED
    )
    prepared_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    # {area: {"checked": n, "problems": n}} of the platform's lines when they were last prepared.
    summary = models.JSONField(_("汇总"), default=dict)
    body = models.ForeignKey(
        "org.Agency",
        verbose_name=_("巡查机关"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    number_year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("巡查报告编号"), max_length=100, blank=True)
    conclusion = models.TextField(_("巡查意见"), blank=True)
    signed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    pdf_name = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("巡查报告 SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("网上巡查")
        verbose_name_plural = _("网上巡查")
        ordering = ["-year", "-quarter", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="inspection_once_a_quarter"),
            models.UniqueConstraint(
                fields=["body", "number_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="inspection_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="inspection_quarter"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.agency} {self.year}Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection", args=[self.pk])


class InspectionLine(models.Model):
    """One line of an inspection: what was checked (``check_code``: the kind of check, a code), about what (``subject``:
    a list, an officer, a decision's 文号, a complaint's 受理编号), the result and its evidence (``link``, a page of
    the platform). ``added_by`` empty: the platform's line; else a finding the supervisor added. A supervisor may
    judge a platform's problem not to be one, with the reason (``dismissed``)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("序号"))
    area = models.CharField(_("巡查内容"), max_length=20, choices=InspectionArea.choices)
    check_code = models.SlugField(_("检查项"), max_length=40)
    subject = models.CharField(_("对象"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=LineResult.choices)
    text = models.TextField(_("说明"))
    link = models.CharField(_("证据"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("添加人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    dismissed = models.TextField(_("不作为问题的理由"), blank=True)

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="inspection_line_position"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_finding(self) -> bool:
        return self.result == LineResult.PROBLEM and not self.dismissed


class Tally(models.Model):
    """One figure of the summary table (``supervision.figures``): the value of a measure for one month of an agency,
    in total (dimension ``all``) or for one unit, enforcement item or officer (``member``: the unit's or person's id,
    the item's code). Derived from recorded rows and rebuilt by the task: not itself recorded in the ledger."""

    # (no index of its own: ``tally_rebuild`` begins with it)
    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=10)
    member = models.CharField(max_length=40, blank=True)
    month = models.DateField()
    key = models.CharField(max_length=30)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("统计数")
        verbose_name_plural = _("统计数")
        indexes = [
            # The pages' sums read this index alone (PostgreSQL: an index-only scan), whatever the number of agencies.
            models.Index(
                fields=["dimension", "month", "agency", "key"], include=["member", "value"], name="tally_read"
            ),
            models.Index(fields=["agency", "month"], name="tally_rebuild"),
            # A page of the table's rows in (agency, member) order, cut by keyset (``figures.member_page``).
            models.Index(
                fields=["dimension", "agency", "member", "month"],
                include=["key", "value"],
                name="tally_members",
            ),
            # The rows with the most of one measure (the chart of the most overdue).
            models.Index(
                fields=["dimension", "key", "month", "agency"], include=["member", "value"], name="tally_key"
            ),
        ]


class FigureBuild(models.Model):
    """When an agency's figures were last counted (shown beside them)."""

    agency = models.OneToOneField("org.Agency", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()


class WeakPointRule(models.Model):
    """A declared rule of the 执法数据分析报告 (``rules.weak_points``): its threshold, the minimum count below which it
    says nothing, and the improvement it proposes. Platform data (seeded by migration 0007)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    threshold = models.DecimalField(_("阈值"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("阈值单位"), max_length=20)
    minimum = models.PositiveIntegerField(_("最少件数"))
    proposal = models.TextField(_("改进建议"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("薄弱环节规则")
        verbose_name_plural = _("薄弱环节规则")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class AnalysisReport(models.Model):
    """执法数据分析报告 of one agency for a quarter, half-year or year: the figures with the previous period's and per
    unit and item, the weak points the declared rules found, as a page, a PDF and a DOCX (their SHA-256 in the
    ledger); delivered to the agency's heads, each reading recorded (``ReportReading``)."""

    class State(models.TextChoices):
        GENERATING = "generating", _("生成中")
        READY = "ready", _("已生成")

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("报告期"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(
        _("期次")
    )  # the quarter (1–4), the half (1–2), or 1 for the year
    period_start = models.DateField(_("期间自"))
    period_end = models.DateField(_("期间至"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.GENERATING)
    data = models.JSONField(_("报告内容"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    pdf_name = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx_name = models.CharField(max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("执法数据分析报告")
        verbose_name_plural = _("执法数据分析报告")
        ordering = ["-period_end", "agency_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "number"], name="analysis_report_once"),
        ]

    def __str__(self) -> str:
        return self.data.get("title") or f"{self.agency} {self.year} {self.kind}{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:analysis_report", args=[self.pk])


class ReportReading(models.Model):
    """A head of the agency read the report (第一责任人定期听取汇报): who and when, once each."""

    report = models.ForeignKey(AnalysisReport, on_delete=models.PROTECT, related_name="readings")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("阅读人"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("阅读时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报告阅读记录")
        verbose_name_plural = _("报告阅读记录")
        ordering = ["report", "read_at"]
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="report_read_once")]


class Indicator(models.Model):
    """A 考核 indicator (issue 16 item 7): a rate of the figures (``figures.RATES``) or the average 案卷评查 score, its
    weight, and whether a higher value is better. Platform data (seeded by migration 0008), edited by the platform
    administrator."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("取值"), max_length=40)
    higher_better = models.BooleanField(_("越高越好"), default=True)
    weight = models.PositiveSmallIntegerField(_("权重"))
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Ranking(models.Model):
    """A 考核 ranking a supervisor published for a period: the agencies they supervise and their units, each with its
    indicator values, score and rank (``data``), as computed when it was published. Seen by the supervisors and by
    the heads of the agencies ranked (内部公布)."""

    body = models.ForeignKey(
        "org.Agency", verbose_name=_("公布机关"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("考核期"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期次"))
    agencies = models.ManyToManyField("org.Agency", verbose_name=_("参加考核的执法主体"), related_name="+")
    data = models.JSONField(_("考核结果"), default=dict)
    published_by = models.ForeignKey(
        "org.Person", verbose_name=_("公布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核排名")
        verbose_name_plural = _("考核排名")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.data.get("title") or f"{self.year} {self.kind}{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:ranking", args=[self.pk])
