"""The platform's default 评查标准 (version 1): the veto items of the 基本标准, and 卷面 20 + 内容 80 points,
modelled on the provinces' published 行政执法案卷评查标准 (e.g. 《福建省行政执法案卷评查标准》, 《广东省行政执法案卷
评查办法》: 主体、资格、移送、证据、事实、定性、适用法律、程序 as veto items). ``platform_check`` names the check of
``supervision.checks`` that pre-fills the item."""

from django.db import migrations

NAME = "行政处罚案卷评查标准（平台默认）"

# (code, group, points, platform check, text)
ITEMS = [
    ("subject", "basic", 0, "", "执法主体合法，在法定职权范围内实施行政处罚"),
    ("qualification", "basic", 0, "", "执法人员具有行政执法资格"),
    ("two_officers", "basic", 0, "two_officers", "调查取证由两名以上持证执法人员进行并出示执法证件"),
    ("transfer", "basic", 0, "", "依法应当移送司法机关或其他机关的已经移送"),
    ("evidence", "basic", 0, "", "主要证据确凿、充分"),
    ("facts", "basic", 0, "", "认定事实清楚"),
    ("qualifying", "basic", 0, "", "定性准确"),
    ("law", "basic", 0, "", "适用法律、法规、规章正确"),
    ("procedure", "basic", 0, "", "程序合法，无违反法定程序的情形"),
    ("cover", "form", 5, "", "案卷封面、卷内目录、备考表填写完整规范"),
    ("documents", "form", 5, "documents_final", "应有文书齐全，均已定稿，按办案顺序排列"),
    ("writing", "form", 5, "", "文书格式规范，内容填写完整，用语准确"),
    ("archiving", "form", 5, "", "装订规范，结案后及时归档"),
    ("filing", "content", 10, "", "受理、立案审批及时，立案依据充分"),
    ("investigation", "content", 10, "", "调查取证全面、客观、公正，证据之间相互印证"),
    ("rights", "content", 10, "", "依法告知陈述、申辩权和听证权，听取并复核当事人意见"),
    ("review", "content", 10, "legal_review", "重大执法决定经法制审核，审核意见采纳情况有记录"),
    ("decision", "content", 10, "", "处罚决定书内容完整，裁量适当，说理充分"),
    ("service", "content", 10, "service_proof", "决定书依法送达，送达凭证齐全"),
    ("deadlines", "content", 5, "deadlines_met", "遵守立案、办案、告知、送达等法定期限"),
    ("av", "content", 5, "av_records", "按音像记录事项清单进行全过程音像记录"),
    ("publicity", "content", 5, "publication", "行政处罚决定依法按期公开"),
    ("fixity", "content", 5, "fixity", "证据材料完整，电子证据完整性核验无异常"),
]


def seed(apps, schema_editor):
    Standard = apps.get_model("supervision", "Standard")
    StandardItem = apps.get_model("supervision", "StandardItem")
    if Standard.objects.filter(agency=None, name=NAME).exists():
        return
    standard = Standard.objects.create(
        name=NAME,
        version=1,
        excellent_min=90,
        pass_min=60,
        basis="参照各省行政执法案卷评查标准：基本标准为否决项，卷面 20 分、内容 80 分。",
    )
    for position, (code, group, points, check, text) in enumerate(ITEMS, start=1):
        StandardItem.objects.create(
            standard=standard,
            position=position,
            code=code,
            group=group,
            points=points,
            platform_check=check,
            text=text,
        )


def unseed(apps, schema_editor):
    Standard = apps.get_model("supervision", "Standard")
    StandardItem = apps.get_model("supervision", "StandardItem")
    StandardItem.objects.filter(standard__agency=None, standard__name=NAME).delete()
    Standard.objects.filter(agency=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
