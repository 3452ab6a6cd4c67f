from django.db import models
from django.utils.translation import gettext_lazy as _


class LawLevel(models.TextChoices):
    """效力层级 (《立法法》)."""

    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    DEPARTMENT_RULE = "department_rule", _("部门规章")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    LOCAL_RULE = "local_rule", _("地方政府规章")
    NORMATIVE = "normative", _("规范性文件")


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")


class ItemKind(models.TextChoices):
    """执法事项的类别 (the enforcement acts of the plan's first paragraph)."""

    PENALTY = "penalty", _("行政处罚")
    COMPULSION = "compulsion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    EXPROPRIATION = "expropriation", _("行政征收征用")
    CONFIRMATION = "confirmation", _("行政确认")
    OTHER = "other", _("其他")


class DiscretionTier(models.TextChoices):
    """裁量基准的情节档次 (行政处罚法 art. 34: benchmarks are set and published)."""

    SLIGHT = "slight", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    SEVERE = "severe", _("严重")


class AvMode(models.TextChoices):
    """音像记录方式: 全程 (mandatory, uninterrupted) or 根据情况 (as the situation requires)."""

    FULL = "full", _("全程音像记录")
    AS_NEEDED = "as_needed", _("根据情况音像记录")


class Stage(models.TextChoices):
    """执法环节 (requirements §2: every stage of a case leaves a record)."""

    FILING = "filing", _("立案")
    INVESTIGATION = "investigation", _("调查")
    EVIDENCE = "evidence", _("取证")
    REVIEW = "review", _("审查")
    DECISION = "decision", _("决定")
    SERVICE = "service", _("送达")
    EXECUTION = "execution", _("执行")


class ProcedureKind(models.TextChoices):
    GENERAL_PENALTY = "general_penalty", _("行政处罚一般程序")
    SIMPLE_PENALTY = "simple_penalty", _("行政处罚简易程序")
    HEARING = "hearing", _("行政处罚听证程序")
    SEIZURE = "seizure", _("查封、扣押")
    RANDOM_INSPECTION = "random_inspection", _("双随机抽查")
    OTHER = "other", _("其他")


class StepKind(models.TextChoices):
    START = "start", _("开始")
    STEP = "step", _("步骤")
    DECISION = "decision", _("判断")
    END = "end", _("结束")


class ListKind(models.TextChoices):
    """The published lists, each versioned with an effective date."""

    ITEMS = "items", _("执法事项清单")
    RANDOM = "random", _("随机抽查事项清单")
    AV = "av", _("音像记录事项清单")
    GUIDES = "guides", _("执法服务指南")
    FLOWCHARTS = "flowcharts", _("执法流程图")


# Tabular files only; the laws library is importable too, but it is not a published list.
class TableKind(models.TextChoices):
    LAWS = "laws", _("法律法规库")
    ITEMS = "items", _("执法事项清单")
    RANDOM = "random", _("随机抽查事项清单")
    AV = "av", _("音像记录事项清单")
    GUIDES = "guides", _("执法服务指南")
    FLOWCHARTS = "flowcharts", _("执法流程图")
