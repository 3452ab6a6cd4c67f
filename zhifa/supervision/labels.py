"""The rectification deadline kind supervision migration 0003 seeds is Chinese data, shown in the reader's language
through the catalogue (as zhifa/workdays/labels.py does for the kinds workdays seeds): listed here so that
``makemessages`` finds them."""

from django.utils.translation import gettext_noop

SEEDED = (
    gettext_noop("整改期限"),
    gettext_noop("监督机关的整改通知（《行政执法监督条例》，期限由监督机关确定）"),
    gettext_noop("整改通知之日"),
    gettext_noop(
        "报送整改情况时完成；监督人员退回重新整改的，自退回之日重新计算。超期时告知整改执法主体的负责人。"
    ),
)

# The complaint time limit supervision migration 0005 seeds (read by the quarterly publicity inspection).
SEEDED_COMPLAINT = (
    gettext_noop("投诉举报办理期限"),
    gettext_noop("执法主体的投诉举报处理规定（平台默认值参照《信访工作条例》信访事项六十日内办结）"),
    gettext_noop("投诉举报提交之日"),
    gettext_noop(
        "网上巡查据此判断投诉举报是否按期答复（办结或告知不予受理）；执法主体可按本机关的规定设定期限。"
    ),
)

# The weak-point rules supervision migration 0007 seeds (names, units and proposals shown on the pages).
SEEDED_RULES = (
    gettext_noop("承办机构超期率明显高于本机关"),
    gettext_noop("承办机构被纠错率明显高于本机关"),
    gettext_noop("执法事项法制审核问题率高"),
    gettext_noop("行政处罚决定未按期公开"),
    gettext_noop("投诉举报未按期答复"),
    gettext_noop("超期率较上期明显上升"),
    gettext_noop("倍"),
    gettext_noop("个百分点"),
    # migration 0010
    gettext_noop("音像记录不完整"),
    gettext_noop("案卷调阅异常"),
    gettext_noop("人"),
)

# The 考核 indicators supervision migration 0008 seeds.
SEEDED_INDICATORS = (
    gettext_noop("决定按期公开率"),
    gettext_noop("办案期限超期率"),
    gettext_noop("法制审核问题率"),
    gettext_noop("被纠错率"),
    gettext_noop("投诉举报按期答复率"),
    gettext_noop("案卷评查平均分"),
)
