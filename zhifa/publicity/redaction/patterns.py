"""Pattern detectors: numbers and addresses whose form shows what they are, checked where a checksum exists.

Sources: GB 11643-1999 (公民身份号码: 6-digit area, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check
character); ISO/IEC 7812 (bank cards: 16–19 digits, Luhn); GA 36-2018 (号牌: province abbreviation, issuing-office
letter, 5 characters, 6 for new-energy vehicles); 《中华人民共和国护照法》 and the exit-entry permits (letter-led numbers,
found after their names). What to remove: law-facts.md §6 (浙江省行政处罚结果信息网上公开暂行办法 art. 7).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from django.utils.translation import gettext_noop

from .base import Context, Span

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """GB 11643-1999: the 18th character of a 公民身份号码 (ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31)


def valid_resident_id(s: str) -> bool:
    s = s.upper()
    if len(s) == 18 and s[:17].isdigit():
        return _valid_date(int(s[6:10]), int(s[10:12]), int(s[12:14])) and id_check_char(s[:17]) == s[17]
    if len(s) == 15 and s.isdigit():  # the first-generation card (no check character, two-digit year)
        return _valid_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_ID = re.compile(_NOT_ALNUM_BEFORE + r"(?:\d{17}[\dXx]|\d{15})" + _NOT_ALNUM_AFTER)
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:[(（]0\d{2,3}[)）]|0\d{2,3}-)\s?[2-9]\d{6,7}(?:-\d{1,5})?(?!\d)")
_PHONE_WORD = re.compile(r"(?:电话|手机|座机|联系方式|号码|Tel|TEL|tel)[:：\s]*([2-9]\d{6,7})(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4,7}(?!\d)")
_ACCOUNT = re.compile(
    r"(?:账号|帐号|账户|帐户|卡号|银行卡|银行账号|开户账号)[为是:：\s]*(\d[\d -]{6,32}\d)(?!\d)"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• ]?[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警]"
    r"[A-HJ-NP-Z0-9]?" + _NOT_ALNUM_AFTER
)
_PASSPORT_WORD = re.compile(
    r"(?<!执法)(?:公民身份号码|身份证号码|身份证号|身份号码|护照|通行证|台胞证|回乡证|居留证|军官证|身份证件|证件)(?:号码|号)?"
    r"[为是:：\s]*([A-Za-z0-9]{6,20})" + _NOT_ALNUM_AFTER
)
_PASSPORT = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:E[A-HJ-NP-Z]?\d{7,8}|[GDSP]\d{8}|[CH]\d{8,10})" + _NOT_ALNUM_AFTER
)

# A detailed address (road or village with a house number, then building, unit, room): the part from the road on is
# removed, the administrative divisions before it stay (成都市武侯区■■■■■■).
# A road name does not run over the words that introduce an address (住、位于、在…).
_ROAD_CHAR = r"(?:(?![在于住为是的及和与至到位从由其家址所向对])[\u4e00-\u9fff\d])"
_ADDRESS = re.compile(
    _ROAD_CHAR + r"{1,12}?(?:大道|路|街|巷|胡同|弄|里|村|社区|小区|花园|公寓|大厦|广场)"
    r"(?:[\u4e00-\u9fff]{0,4}?\d+(?:-\d+)?(?:号|组|弄|栋|幢|座))"
    r"(?:(?:附)?\d+(?:-\d+)?(?:号楼|号|栋|幢|座|单元|楼|层|室|户|组))*"
)
DIVISION = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|盟|区|县|旗|镇|乡|街道))+")


class Patterns:
    """Identity numbers, telephones, bank cards and accounts, e-mail, licence plates, passports and permits."""

    name = "patterns"

    def detect(self, text: str, context: Context) -> Iterator[Span]:
        for m in _ID.finditer(text):
            if valid_resident_id(m.group()):
                yield Span(*m.span(), "id_number", gettext_noop("居民身份证号码（校验位正确）"), self.name)
        for m in _MOBILE.finditer(text):
            yield Span(*m.span(), "phone", gettext_noop("手机号码"), self.name)
        for m in _LANDLINE.finditer(text):
            yield Span(*m.span(), "phone", gettext_noop("固定电话号码"), self.name)
        for m in _PHONE_WORD.finditer(text):
            yield Span(*m.span(1), "phone", gettext_noop("电话号码（前有“电话”等字样）"), self.name)
        for m in _CARD.finditer(text):
            if luhn_ok(re.sub(r"\D", "", m.group())):
                yield Span(*m.span(), "bank_account", gettext_noop("银行卡号（Luhn 校验正确）"), self.name)
        for m in _ACCOUNT.finditer(text):
            yield Span(*m.span(1), "bank_account", gettext_noop("银行账号（前有“账号”等字样）"), self.name)
        for m in _EMAIL.finditer(text):
            yield Span(*m.span(), "email", gettext_noop("电子邮箱"), self.name)
        for m in _PLATE.finditer(text):
            yield Span(*m.span(), "plate", gettext_noop("机动车号牌"), self.name)
        for m in _PASSPORT_WORD.finditer(text):
            yield Span(
                *m.span(1),
                "id_number",
                gettext_noop("身份证件号码（前有“身份证号码”“护照”等字样）"),
                self.name,
            )
        for m in _PASSPORT.finditer(text):
            yield Span(*m.span(), "passport", gettext_noop("护照或通行证号码"), self.name)


class Addresses:
    """Detailed addresses (road or village, house number, building, room): the administrative divisions stay."""

    name = "addresses"

    def detect(self, text: str, context: Context) -> Iterator[Span]:
        for m in _ADDRESS.finditer(text):
            start = m.start()
            division = DIVISION.match(m.group())
            if division:
                start += division.end()
            yield Span(start, m.end(), "address", gettext_noop("详细地址"), self.name)
