"""The simple procedure's deadline kinds cases migration 0006 seeds are Chinese data, shown in the reader's language
through the catalogue (as zhifa/workdays/labels.py does for the kinds workdays seeds): listed here so that
``makemessages`` finds them."""

from django.utils.translation import gettext_noop

SEEDED = (
    gettext_noop("当场处罚决定备案期限"),
    gettext_noop("《行政处罚法》第五十二条（期限由执法主体确定）"),
    gettext_noop("当场作出行政处罚决定之日"),
    gettext_noop(
        "执法人员当场作出的行政处罚决定，应当报所属行政机关备案；法律未规定期限，由执法主体自行设定。"
    ),
    gettext_noop("当场收缴罚款交至行政机关期限"),
    gettext_noop("《行政处罚法》第七十一条、第八十五条"),
    gettext_noop("当场收缴罚款之日"),
    gettext_noop("执法人员当场收缴的罚款，应当自收缴罚款之日起二日内交至行政机关（二日指工作日）。"),
)
