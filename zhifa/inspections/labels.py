"""The deadline kind inspections migration 0003 seeds is Chinese data, shown in the reader's language through the
catalogue (as zhifa/workdays/labels.py does for the kinds workdays seeds): listed here so that ``makemessages``
finds them."""

from django.utils.translation import gettext_noop

SEEDED = (
    gettext_noop("复查期限"),
    gettext_noop("卫生监督意见书（责令改正）确定的改正期限"),
    gettext_noop("检查之日"),
    gettext_noop("记录复查结果时完成；复查时仍未改正的，立案查处。"),
)
