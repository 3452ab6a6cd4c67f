"""The import text format: what it accepts, and refusals that name the line, in Chinese."""

import datetime as dt

import pytest

from zhifa.workdays.textformat import ScheduleTextError, format_schedule, parse_schedule

D = dt.date

NOTICE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01 holiday 元旦
2027-02-05..2027-02-11 holiday 春节
2027-02-20 workday 春节

2027-10-01~2027-10-07 放假 国庆节
2027-09-26 上班 国庆节
"""


def test_parses_single_days_ranges_and_chinese_words():
    parsed = parse_schedule(NOTICE_2027, 2027)
    assert parsed.holidays[D(2027, 1, 1)] == "元旦"
    assert [d for d in parsed.holidays if d.month == 2] == [D(2027, 2, d) for d in range(5, 12)]
    assert parsed.workdays == {D(2027, 2, 20): "春节", D(2027, 9, 26): "国庆节"}
    assert len(parsed.holidays) == 1 + 7 + 7


def test_round_trip():
    parsed = parse_schedule(NOTICE_2027, 2027)
    again = parse_schedule(format_schedule(parsed.holidays, parsed.workdays), 2027)
    assert again == parsed


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("2027-01-01 holiday 元旦\n2027-02-30 holiday 春节\n", 2, "无效"),
        ("2027-01-01 holiday 元旦\n\n2027-01-02 vacation 元旦\n", 3, "类型"),
        ("2026-12-31 holiday 元旦\n", 1, "不在2027年内"),
        ("2027-01-01 holiday 元旦\n2027-01-01 holiday 元旦\n", 2, "已在第1行出现"),
        ("2027-02-08 workday 春节\n", 1, "调休上班日应为星期六或星期日"),  # a Monday
        ("2027-01-01\n", 1, "格式应为"),
        ("2027-02-11..2027-02-05 holiday 春节\n", 1, "日期范围无效"),
    ],
)
def test_bad_line_is_named(text, line, words):
    with pytest.raises(ScheduleTextError) as err:
        parse_schedule(text, 2027)
    assert err.value.errors[0][0] == line
    message = err.value.messages[0]
    assert message.startswith(f"第{line}行")
    assert words in message


def test_every_bad_line_is_reported():
    with pytest.raises(ScheduleTextError) as err:
        parse_schedule("2027-01-01 holiday 元旦\nfoo\n2027-13-01 holiday x\n2027-01-02 holiday 元旦\n", 2027)
    assert [n for n, _m in err.value.errors] == [2, 3]


def test_empty_text_is_refused():
    with pytest.raises(ScheduleTextError) as err:
        parse_schedule("# only a comment\n\n", 2027)
    assert "没有读到任何日期" in err.value.messages[0]
