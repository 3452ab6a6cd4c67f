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
