"""The deadline kinds the platform seeds are data in Chinese (``workdays/migrations/0003_seed_deadline_kinds.py``);
they are shown to a reader in the reader's language through the catalogue: the seeded names, legal bases, start
events and notes are listed here so that ``makemessages`` finds them, and ``DeadlineKind.label`` (and its
siblings) look the stored text up with gettext. A kind an administrator created or renamed is not in the
catalogue and shows as stored.
"""

from django.utils.translation import gettext, gettext_noop

SEEDED = (
    gettext_noop("陈述、申辩期限"),
    gettext_noop("《行政处罚法》第四十四条、第四十五条（期限由执法主体确定）"),
    gettext_noop("当事人收到行政处罚事先告知书"),
    gettext_noop("法律未规定具体期限，实践中多为三日；执法主体可自行设定。"),
    gettext_noop("要求听证期限"),
    gettext_noop("《行政处罚法》第六十四条第（一）项、第八十五条"),
    gettext_noop("当事人被告知听证权利"),
    gettext_noop("听证通知期限"),
    gettext_noop("《行政处罚法》第六十四条第（二）项、第八十五条"),
    gettext_noop("举行听证之日"),
    gettext_noop("应当在举行听证的七个工作日前通知当事人及有关人员听证的时间、地点。"),
    gettext_noop("法制审核时限"),
    gettext_noop("地方规定（期限由执法主体确定）"),
    gettext_noop("法制审核机构收到齐全的送审材料"),
    gettext_noop("国家层面未统一规定；各地多为五至十个工作日。"),
    gettext_noop("作出行政处罚决定期限"),
    gettext_noop("《行政处罚法》第六十条"),
    gettext_noop("立案之日"),
    gettext_noop("法律、法规、规章另有规定的，从其规定；延长须经负责人批准。"),
    gettext_noop("送达行政处罚决定书期限（当事人不在场）"),
    gettext_noop("《行政处罚法》第六十一条、第八十五条"),
    gettext_noop("作出行政处罚决定之日"),
    gettext_noop("缴纳罚款期限"),
    gettext_noop("《行政处罚法》第六十七条"),
    gettext_noop("当事人收到行政处罚决定书之日"),
    gettext_noop("当事人确有经济困难的，经申请和批准可以暂缓或者分期缴纳（第六十六条）。"),
    gettext_noop("行政处罚、行政许可决定公示期限"),
    gettext_noop("国办发〔2018〕118号"),
    gettext_noop("作出行政处罚或者行政许可决定之日"),
    gettext_noop("其他行政执法决定公示期限"),
    gettext_noop("国办发〔2018〕118号；《政府信息公开条例》第二十六条"),
    gettext_noop("作出行政执法决定之日"),
    gettext_noop("撤回已公开的决定期限"),
    gettext_noop("《行政处罚法》第四十八条、第八十五条"),
    gettext_noop("已公开的决定被变更、撤销或者确认违法、无效之日"),
    gettext_noop("应当在三个工作日内撤回决定信息并公开说明理由。"),
    gettext_noop("先行登记保存物品处理期限"),
    gettext_noop("《行政处罚法》第五十六条、第八十五条"),
    gettext_noop("先行登记保存之日"),
    gettext_noop("查封、扣押期限"),
    gettext_noop("《行政强制法》第二十五条"),
    gettext_noop("作出查封、扣押决定之日"),
    gettext_noop("情况复杂的，经行政机关负责人批准可以延长，延长期限不得超过三十日。"),
    gettext_noop("申请行政复议期限"),
    gettext_noop("《行政复议法》第二十条"),
    gettext_noop("当事人知道或者应当知道行政行为之日"),
    gettext_noop("提起行政诉讼期限"),
    gettext_noop("《行政诉讼法》第四十六条"),
    gettext_noop("当事人知道或者应当知道作出行政行为之日"),
    gettext_noop("行政处罚追责时效"),
    gettext_noop("《行政处罚法》第三十六条第一款"),
    gettext_noop("违法行为发生之日（有连续或者继续状态的，从行为终了之日）"),
    gettext_noop("在此期限内未被发现的，不再给予行政处罚。"),
    gettext_noop("行政处罚追责时效（涉及公民生命健康安全且有危害后果）"),
)


def shown(text: str) -> str:
    """Stored reference text in the reader's language when the catalogue has it, else as stored."""
    return gettext(text) if text else text
