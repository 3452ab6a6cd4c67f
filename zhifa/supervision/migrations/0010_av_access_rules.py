"""Two more weak-point rules of the 执法数据分析报告 (issue 16 item 5): acts the 音像记录事项清单 names recorded less
completely than the threshold, and people whose openings of case files look unusual (``records.access.flags``)."""

from django.db import migrations

RULES = [
    dict(
        code="av_incomplete",
        name="音像记录不完整",
        threshold="95",
        unit="%",
        minimum=5,
        proposal="对照音像记录事项清单检查执法记录仪的配备和使用：须全程记录的环节先上传录音录像再保存笔录，"
        "根据情况记录而未记录的在笔录中写明理由。",
        basis="《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
        "（国办发〔2018〕118号）；本机关的音像记录事项清单",
        position=55,
    ),
    dict(
        code="access_anomalies",
        name="案卷调阅异常",
        threshold="1",
        unit="人",
        minimum=1,
        proposal="逐一核实异常调阅的事由和审批，提醒执法人员只调阅本人承办或经批准的案卷，必要时调整调阅权限。",
        basis="执法全过程记录制度：执法记录的调阅、使用实行登记",
        position=70,
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("supervision", "WeakPointRule")
    for row in RULES:
        Rule.objects.update_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("supervision", "WeakPointRule").objects.filter(code__in=[r["code"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0009_tally_covering_index")]
    operations = [migrations.RunPython(seed, unseed)]
