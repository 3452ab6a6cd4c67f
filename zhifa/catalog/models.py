"""The catalog: laws and articles, and the five published lists (执法事项清单 with 裁量基准, 随机抽查事项清单,
音像记录事项清单, 执法服务指南, 执法流程图) with their versions.

The rows here are each agency's working copy, edited by the system administrator through the actions.
What the public sees is a published ``ListVersion``: a frozen copy of one list with its effective date.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import Agency, EnforcementField, Person, Unit

from .choices import (
    AvMode,
    DiscretionTier,
    ItemKind,
    LawLevel,
    LawStatus,
    ListKind,
    ProcedureKind,
    Stage,
    StepKind,
)

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("编码只能由字母、数字、点、连字符和下划线组成，并以字母或数字开头。")
)


class Law(models.Model):
    """A law, regulation, rule or normative document in the agency's library (法律法规库)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="laws"
    )
    name = models.CharField(_("名称"), max_length=200, help_text=_("全称，不含书名号"))
    short_name = models.CharField(
        _("简称"), max_length=100, blank=True, help_text=_("引用时使用，如“医师法”")
    )
    issuer = models.CharField(_("制定机关"), max_length=200)
    level = models.CharField(_("效力层级"), max_length=20, choices=LawLevel.choices)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=LawStatus.choices, default=LawStatus.IN_FORCE)
    status_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_note = models.CharField(_("状态说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["agency", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="law_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"《{self.name}》"

    @property
    def cite_name(self) -> str:
        return self.short_name or self.name


class Article(models.Model):
    """One article (条) of a law, in one version. Amending the text adds a version; old ones are kept."""

    law = models.ForeignKey(
        Law, verbose_name=_("法律法规"), on_delete=models.PROTECT, related_name="articles"
    )
    number = models.PositiveIntegerField(_("条"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    text = models.TextField(_("条文"))
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    is_current = models.BooleanField(_("现行版本"), default=True)

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["law", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number", "version"], name="article_version_unique"),
            models.UniqueConstraint(
                fields=["law", "number"], condition=Q(is_current=True), name="one_current_article_version"
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def label(self) -> str:
        from .rules import article_label

        return article_label(self.number)

    @property
    def citation(self) -> str:
        return f"《{self.law.cite_name}》{self.label}"


class ReviewFlagMixin(models.Model):
    """依据已变更，待调整: set when a cited law or article changes, cleared by the administrator."""

    needs_review = models.BooleanField(_("依据已变更，待调整"), default=False)
    review_reason = models.CharField(_("待调整原因"), max_length=300, blank=True)
    flagged_at = models.DateTimeField(_("标记时间"), null=True, blank=True)

    class Meta:
        abstract = True


class EnforcementItem(ReviewFlagMixin):
    """执法事项: the unit cases are filed under. Its ``code`` is stable and never changes."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="enforcement_items"
    )
    code = models.CharField(_("事项编码"), max_length=40, validators=[code_validator])
    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类别"), max_length=20, choices=ItemKind.choices)
    field = models.ForeignKey(
        EnforcementField,
        verbose_name=_("执法领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    violated_articles = models.ManyToManyField(
        Article, verbose_name=_("违法依据"), blank=True, related_name="violated_by"
    )
    penalty_articles = models.ManyToManyField(
        Article, verbose_name=_("处罚（实施）依据"), blank=True, related_name="penalty_for"
    )
    basis_note = models.TextField(_("依据说明"), blank=True)
    hearing_eligible = models.BooleanField(_("可申请听证"), default=False)
    hearing_note = models.CharField(_("听证说明"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        ordering = ["agency", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="item_code_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BenchmarkTier(models.Model):
    """裁量基准的一档: the circumstances and the penalty range for one tier of an item."""

    item = models.ForeignKey(
        EnforcementItem, verbose_name=_("执法事项"), on_delete=models.CASCADE, related_name="tiers"
    )
    tier = models.CharField(_("情节档次"), max_length=20, choices=DiscretionTier.choices)
    circumstances = models.TextField(_("适用情形"))
    penalty = models.TextField(_("处罚标准"))
    fine_min = models.DecimalField(
        _("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "tier"], name="one_tier_per_item"),
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True)
                | Q(fine_max__isnull=True)
                | Q(fine_min__lte=F("fine_max")),
                name="tier_fine_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_tier_display()}"


class RandomInspectionItem(ReviewFlagMixin):
    """随机抽查事项 with the columns 序号、检查项目、检查子项、检查主体、检查依据、检查方式、检查内容、备注."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="random_items"
    )
    code = models.CharField(_("事项编码"), max_length=40, validators=[code_validator])
    seq = models.PositiveIntegerField(_("序号"))
    check_item = models.CharField(_("检查项目"), max_length=200)
    sub_item = models.CharField(_("检查子项"), max_length=200, blank=True)
    subject = models.CharField(_("检查主体"), max_length=200)
    basis = models.TextField(_("检查依据"))
    articles = models.ManyToManyField(
        Article, verbose_name=_("依据条文"), blank=True, related_name="random_items"
    )
    method = models.CharField(_("检查方式"), max_length=200)
    content = models.TextField(_("检查内容"))
    targets = models.CharField(_("检查对象"), max_length=200, blank=True)
    frequency = models.CharField(_("抽查比例和频次"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    field = models.ForeignKey(
        EnforcementField,
        verbose_name=_("执法领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项")
        ordering = ["agency", "seq", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="random_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.check_item}"


class AvRecordingItem(models.Model):
    """音像记录事项: which act needs what kind of audio/video record. The records issue asks
    ``queries.av_requirement(agency, act_code)``."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="av_items"
    )
    act_code = models.CharField(_("行为编码"), max_length=40, validators=[code_validator])
    seq = models.PositiveIntegerField(_("序号"))
    act = models.CharField(_("执法行为"), max_length=200)
    stage = models.CharField(_("执法环节"), max_length=20, choices=Stage.choices)
    place = models.CharField(_("记录场所"), max_length=200)
    mode = models.CharField(_("记录方式"), max_length=20, choices=AvMode.choices)
    device = models.CharField(_("记录设备"), max_length=200)
    recorder = models.CharField(_("记录人"), max_length=200)
    content = models.TextField(_("记录内容"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("音像记录事项")
        verbose_name_plural = _("音像记录事项")
        ordering = ["agency", "seq", "act_code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "act_code"], name="av_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.act


class Flowchart(models.Model):
    """执法流程图, defined as data (steps and arrows) and drawn as SVG by the server."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="flowcharts"
    )
    code = models.CharField(_("流程图编码"), max_length=40, validators=[code_validator])
    title = models.CharField(_("名称"), max_length=200)
    procedure = models.CharField(_("程序类别"), max_length=30, choices=ProcedureKind.choices)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("执法流程图")
        verbose_name_plural = _("执法流程图")
        ordering = ["agency", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="flowchart_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.title


class FlowStep(models.Model):
    chart = models.ForeignKey(Flowchart, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(_("步骤编码"), max_length=40, validators=[code_validator])
    order = models.PositiveIntegerField(_("顺序"), default=0)
    label = models.CharField(_("步骤名称"), max_length=100)
    kind = models.CharField(_("步骤类型"), max_length=20, choices=StepKind.choices, default=StepKind.STEP)
    note = models.CharField(_("说明或时限"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流程步骤")
        verbose_name_plural = _("流程步骤")
        ordering = ["chart", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["chart", "key"], name="step_key_unique_in_chart")]

    def __str__(self) -> str:
        return self.label


class FlowArrow(models.Model):
    chart = models.ForeignKey(Flowchart, on_delete=models.CASCADE, related_name="arrows")
    source = models.ForeignKey(FlowStep, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(FlowStep, on_delete=models.CASCADE, related_name="incoming")
    label = models.CharField(_("条件"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("流程连线")
        verbose_name_plural = _("流程连线")
        ordering = ["chart", "id"]


class ServiceGuide(models.Model):
    """执法服务指南 for an item or a kind of procedure."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="guides"
    )
    code = models.CharField(_("指南编码"), max_length=40, validators=[code_validator])
    title = models.CharField(_("指南名称"), max_length=200)
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name=_("对应执法事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guides",
    )
    procedure = models.CharField(_("程序类别"), max_length=30, choices=ProcedureKind.choices, blank=True)
    body = models.CharField(_("实施主体"), max_length=200)
    conditions = models.TextField(_("适用条件"), blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=300, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, blank=True)
    process = models.TextField(_("办理流程"), blank=True)
    contacts = models.CharField(_("咨询方式"), max_length=300, blank=True)
    complaint_channel = models.CharField(_("投诉渠道"), max_length=300, blank=True)
    basis = models.TextField(_("法律依据"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    flowchart = models.ForeignKey(
        Flowchart,
        verbose_name=_("流程图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("执法服务指南")
        verbose_name_plural = _("执法服务指南")
        ordering = ["agency", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="guide_code_unique_in_agency")]

    def __str__(self) -> str:
        return self.title


class GuideMaterial(models.Model):
    """申请（提交）材料, with an optional downloadable sample. A sample file is never replaced: to change
    it, a new material is added and the old one retired, so old versions keep their own file."""

    guide = models.ForeignKey(ServiceGuide, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    requirement = models.CharField(_("份数及要求"), max_length=300, blank=True)
    sample = models.FileField(_("样本文件"), upload_to="catalog/samples/%Y/", blank=True)
    sample_name = models.CharField(_("样本文件名"), max_length=150, blank=True)
    sample_type = models.CharField(_("样本类型"), max_length=100, blank=True)
    sample_sha256 = models.CharField(_("样本摘要"), max_length=64, blank=True)
    sample_size = models.PositiveIntegerField(_("样本大小"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["guide", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ListVersion(models.Model):
    """A published version of one list: a frozen copy with its effective date (历史版本 stay viewable)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="list_versions"
    )
    kind = models.CharField(_("清单"), max_length=20, choices=ListKind.choices)
    number = models.PositiveIntegerField(_("版本号"))
    effective_on = models.DateField(_("施行日期"))
    note = models.CharField(_("变更说明"), max_length=300, blank=True)
    data = models.JSONField(_("清单内容"), default=list)
    changes = models.JSONField(_("变更"), default=dict)
    row_count = models.PositiveIntegerField(_("条目数"), default=0)
    digest = models.CharField(_("内容摘要"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        Person, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["agency", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "number"], name="list_version_unique"),
        ]

    def __str__(self) -> str:
        return str(_("%(list)s第%(n)d版") % {"list": self.get_kind_display(), "n": self.number})
