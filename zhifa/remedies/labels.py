"""The court-enforcement deadline kinds remedies migration 0001 seeds are Chinese data, shown in the reader's
language through the catalogue (as zhifa/workdays/labels.py does for the kinds workdays seeds): listed here so that
``makemessages`` finds them."""

from django.utils.translation import gettext_noop

SEEDED = (
    gettext_noop("催告后履行期限"),
    gettext_noop("《行政强制法》第五十四条、第六十九条"),
    gettext_noop("催告书送达之日"),
    gettext_noop("催告书送达十日后当事人仍未履行义务的，行政机关可以申请人民法院强制执行（十日指工作日）。"),
    gettext_noop("申请法院强制执行期限"),
    gettext_noop("《行政强制法》第五十三条"),
    gettext_noop("法定申请行政复议、提起行政诉讼的期限届满之日"),
    gettext_noop(
        "当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，自期限届满之日起三个月内申请。"
    ),
)
