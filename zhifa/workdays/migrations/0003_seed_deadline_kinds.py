"""Seed the deadline kinds of shared/spec/law-facts.md (the cheat sheet), each with its article.

Working days where the statute says so (行政处罚法 art. 85: 二日、三日、五日、七日; 行政强制法 art. 69: ten days or
less). Calendar periods that protect a party (payment, reconsideration, litigation) roll forward past a
holiday as 民事诉讼法 art. 85 provides (行政复议法 art. 88, 行政诉讼法 art. 101 refer to it); periods the agency
must keep do not roll forward, the cautious reading while the analogy is [U].
"""

from django.db import migrations

# code, name, legal basis, start event, length, unit, direction, holiday rule, agency may change,
# extension length, max extensions (None = not limited), note
KINDS = [
    ("statement_defence", "陈述、申辩期限", "《行政处罚法》第四十四条、第四十五条（期限由执法主体确定）",
     "当事人收到行政处罚事先告知书", 3, "working_days", "after", "none", True, None, 0,
     "法律未规定具体期限，实践中多为三日；执法主体可自行设定。"),
    ("hearing_request", "要求听证期限", "《行政处罚法》第六十四条第（一）项、第八十五条",
     "当事人被告知听证权利", 5, "working_days", "after", "none", False, None, 0, ""),
    ("hearing_notice", "听证通知期限", "《行政处罚法》第六十四条第（二）项、第八十五条",
     "举行听证之日", 7, "working_days", "before", "none", False, None, 0,
     "应当在举行听证的七个工作日前通知当事人及有关人员听证的时间、地点。"),
    ("legal_review", "法制审核时限", "地方规定（期限由执法主体确定）",
     "法制审核机构收到齐全的送审材料", 5, "working_days", "after", "none", True, None, None,
     "国家层面未统一规定；各地多为五至十个工作日。"),
    ("decision", "作出行政处罚决定期限", "《行政处罚法》第六十条",
     "立案之日", 90, "days", "after", "none", False, None, None,
     "法律、法规、规章另有规定的，从其规定；延长须经负责人批准。"),
    ("service", "送达行政处罚决定书期限（当事人不在场）", "《行政处罚法》第六十一条、第八十五条",
     "作出行政处罚决定之日", 7, "working_days", "after", "none", False, None, 0, ""),
    ("payment", "缴纳罚款期限", "《行政处罚法》第六十七条",
     "当事人收到行政处罚决定书之日", 15, "days", "after", "next_workday", False, None, None,
     "当事人确有经济困难的，经申请和批准可以暂缓或者分期缴纳（第六十六条）。"),
    ("publication_penalty", "行政处罚、行政许可决定公示期限", "国办发〔2018〕118号",
     "作出行政处罚或者行政许可决定之日", 7, "working_days", "after", "none", False, None, 0, ""),
    ("publication_other", "其他行政执法决定公示期限", "国办发〔2018〕118号；《政府信息公开条例》第二十六条",
     "作出行政执法决定之日", 20, "working_days", "after", "none", False, None, 0, ""),
    ("publication_withdrawal", "撤回已公开的决定期限", "《行政处罚法》第四十八条、第八十五条",
     "已公开的决定被变更、撤销或者确认违法、无效之日", 3, "working_days", "after", "none", False, None, 0,
     "应当在三个工作日内撤回决定信息并公开说明理由。"),
    ("preserved_evidence", "先行登记保存物品处理期限", "《行政处罚法》第五十六条、第八十五条",
     "先行登记保存之日", 7, "working_days", "after", "none", False, None, 0, ""),
    ("seizure", "查封、扣押期限", "《行政强制法》第二十五条",
     "作出查封、扣押决定之日", 30, "days", "after", "none", False, 30, 1,
     "情况复杂的，经行政机关负责人批准可以延长，延长期限不得超过三十日。"),
    ("reconsideration", "申请行政复议期限", "《行政复议法》第二十条",
     "当事人知道或者应当知道行政行为之日", 60, "days", "after", "next_workday", False, None, 0, ""),
    ("litigation", "提起行政诉讼期限", "《行政诉讼法》第四十六条",
     "当事人知道或者应当知道作出行政行为之日", 6, "months", "after", "next_workday", False, None, 0, ""),
    ("limitation", "行政处罚追责时效", "《行政处罚法》第三十六条第一款",
     "违法行为发生之日（有连续或者继续状态的，从行为终了之日）", 2, "years", "after", "none", False, None, 0,
     "在此期限内未被发现的，不再给予行政处罚。"),
    ("limitation_health", "行政处罚追责时效（涉及公民生命健康安全且有危害后果）", "《行政处罚法》第三十六条第一款",
     "违法行为发生之日（有连续或者继续状态的，从行为终了之日）", 5, "years", "after", "none", False, None, 0, ""),
]


def seed(apps, schema_editor):
    DeadlineKind = apps.get_model("workdays", "DeadlineKind")
    for position, row in enumerate(KINDS, start=1):
        code, name, basis, start, length, unit, direction, rule, may_change, ext, max_ext, note = row
        DeadlineKind.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name, legal_basis=basis, start_event=start, length=length, unit=unit, direction=direction,
                holiday_rule=rule, agency_may_change=may_change, extension_length=ext, max_extensions=max_ext,
                note=note, position=position * 10,
            ),
        )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "DeadlineKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_seed_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
