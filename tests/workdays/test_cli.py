"""The CLI contract scripts rely on: `zhifa workdays add|between` and `zhifa deadline`."""

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.workdays import actions


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    kwargs = {"stdout": out}
    if stdin is not None:
        kwargs["stdin"] = io.StringIO(stdin)
    call_command(*args, **kwargs)
    return out.getvalue()


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """Run as the console script does (errors as messages and exit codes, not exceptions)."""
    from django.core.management import ManagementUtility

    code = 0
    try:
        ManagementUtility(["zhifa", *argv]).execute()
    except SystemExit as exc:
        code = exc.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("date", "n", "expected"),
    [
        ("2026-09-30", "3", "2026-10-10"),
        ("2026-09-30", "1", "2026-10-08"),
        ("2026-02-13", "1", "2026-02-14"),
        ("2026-02-12", "7", "2026-02-28"),
        ("2025-12-31", "1", "2026-01-04"),
        ("2025-09-30", "1", "2025-10-09"),
        ("2026-12-31", "1", "2027-01-04 estimated"),
        ("2027-06-01", "10", "2027-06-16 estimated"),
    ],
)
def test_add(db, date, n, expected):
    assert run("workdays", "add", date, n) == expected + "\n"


def test_between(db):
    assert run("workdays", "between", "2026-09-30", "2026-10-10") == "3\n"
    assert run("workdays", "between", "2026-12-01", "2026-12-31") == "22\n"
    assert run("workdays", "between", "2026-12-25", "2027-01-08").endswith(" estimated\n")


def test_batch_answers_each_line_in_order(db):
    lines = "2026-09-30 3\n2026-02-13 1\n\n2026-12-31 1\n2026-10-08 0\n"
    assert run("workdays", "add", "--batch", stdin=lines) == (
        "2026-10-10\n2026-02-14\n2027-01-04 estimated\n2026-10-08\n"
    )


def test_batch_is_fast(db):
    lines = "".join(
        f"2026-{m:02d}-{d:02d} {n}\n" for m in range(1, 13) for d in range(1, 29) for n in range(30)
    )
    start = time.perf_counter()
    out = run("workdays", "add", "--batch", stdin=lines)
    assert out.count("\n") == lines.count("\n") == 10080
    assert time.perf_counter() - start < 5


def test_batch_stops_at_a_bad_line_naming_it(db):
    with pytest.raises(CommandError) as err:
        run("workdays", "add", "--batch", stdin="2026-09-30 3\n2026-09-31 1\n")
    assert "第2行" in str(err.value) and "无效" in str(err.value)


def test_deadline_kinds(db):
    assert run("deadline", "service", "2026-02-12") == "2026-02-28\n"
    assert run("deadline", "hearing_notice", "2026-10-12") == "2026-09-24\n"
    assert run("deadline", "payment", "2026-09-20") == "2026-10-08\n"  # 10/5 a holiday: rolled forward
    assert run("deadline", "decision", "2026-07-03") == "2026-10-01\n"  # the agency's own limit: no roll
    assert run("deadline", "litigation", "2026-08-31") == "2027-03-01 estimated\n"
    assert run("deadline", "limitation", "2024-02-29") == "2026-02-28\n"
    assert "service\t7工作日" in run("deadline", "--list")


def test_deadline_with_agency_setting(world):
    from zhifa.workdays.models import DeadlineKind

    actions.set_agency_deadline(
        world.sysadmin, world.a, DeadlineKind.objects.get(code="statement_defence"), length=5
    )
    assert run("deadline", "statement_defence", "2026-09-30") == "2026-10-10\n"  # default: 3 working days
    assert run("deadline", "statement_defence", "2026-09-30", "--agency", "agency-a") == "2026-10-13\n"


def test_after_import_the_year_is_exact(db):
    actions.import_calendar_text(
        None, year=2027, text="2027-01-01 holiday 元旦\n2027-01-02 workday 元旦\n", confirmed=True
    )
    assert run("workdays", "add", "2026-12-31", "1") == "2027-01-02\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["workdays", "add", "2026-02-30", "3"], "日期“2026-02-30”无效"),
        (["workdays", "add", "2026-02-03", "x"], "天数“x”无效"),
        (["workdays", "add", "2026-02-03", "-1"], "天数“-1”无效"),
        (["workdays", "add", "1999-01-01", "1"], "超出工作日历范围"),
        (["workdays", "add"], "用法"),
        (["workdays", "between", "2026-01-01", "someday"], "无效"),
        (["deadline", "nope", "2026-01-01"], "没有代码为“nope”的期限种类"),
        (["deadline", "service", "2026/01/01"], "无效"),
        (["deadline", "service", "2026-01-05", "--agency", "nobody"], "没有代码为“nobody”的执法主体"),
    ],
)
def test_bad_input_chinese_message_on_stderr_and_nonzero_exit(db, capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err and "CommandError" not in err


def test_batch_bad_line_through_the_console_script(db, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("2026-09-30 3\nfoo bar baz\n2026-09-30 1\n"))
    code, out, err = run_cli(capsys, "workdays", "add", "--batch")
    assert (code, out) == (2, "2026-10-10\n")
    assert "第2行" in err


def test_show_and_import_from_a_file(db, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text("2027-01-01 holiday 元旦\n2027-02-05..2027-02-11 holiday 春节\n", encoding="utf-8")
    assert "已导入2027年" in run("workdays", "import", "2027", str(path), "--notice", "国办发明电〔2026〕1号")
    shown = run("workdays", "show", "2027")
    assert shown.splitlines()[0].startswith("# 2027 已确认")
    assert "2027-02-05..2027-02-11 holiday 春节" in shown
    assert run("workdays", "show", "2028").startswith("# 2028 估算")
    bad = tmp_path / "bad.txt"
    bad.write_text("2028-01-01 holiday 元旦\n2028-01-03 workday 元旦\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        run("workdays", "import", "2028", str(bad))
    assert "第2行" in str(err.value)
