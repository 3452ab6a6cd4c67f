"""The deployment guide cannot drift from the code (docs/deploy.md, deploy/).

- every ``ZHIFA_*`` variable the guide or the example files name is read somewhere in ``zhifa/``;
- every ``ZHIFA_*`` variable ``zhifa/`` reads is in the guide's table and in the example environment file;
- the systemd units start ``zhifa`` commands with options the commands accept;
- the nginx example lets through every body the platform accepts (a smaller proxy limit shows the proxy's English
  error page instead of the platform's Chinese one).

No database: these read files and argument parsers only.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "zhifa.env.example"
NGINX = DEPLOY / "nginx" / "zhifa.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))

NAME = re.compile(r"ZHIFA_[A-Z0-9_]*[A-Z0-9]")
WHOLE_NAME = re.compile(r"ZHIFA_[A-Z0-9_]*[A-Z0-9]\Z")


def read_by_code() -> dict[str, list[str]]:
    """Each ``ZHIFA_*`` name that appears as a whole string literal in zhifa/ (what ``env.str("ZHIFA_X")``,
    ``os.environ.get("ZHIFA_X")`` and ``_get(..., "ZHIFA_X", ...)`` pass), with the files that read it. Mentions in
    docstrings and comments do not count."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "zhifa").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and WHOLE_NAME.match(node.value)
            ):
                found.setdefault(node.value, []).append(str(path.relative_to(ROOT)))
    return found


def named_in(text: str) -> set[str]:
    return set(NAME.findall(text))


def guide_table_names() -> set[str]:
    """The names in the first column of the guide's table rows (``| `ZHIFA_X` | …``)."""
    names = set()
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            first = line.split("|")[1]
            names |= named_in(first)
    return names


def test_the_code_reads_variables_at_all():
    # The scan itself works: the variables every deployment sets are found where they are read.
    code = read_by_code()
    assert "zhifa/settings.py" in code["ZHIFA_DATABASE_URL"]
    assert "zhifa/records/conf.py" in code["ZHIFA_EVIDENCE_MAX_BYTES"]
    assert "ZHIFA_MAX_REQUEST_BYTES" not in code  # a setting's name, not an environment variable


@pytest.mark.parametrize("path", [GUIDE, ENV_EXAMPLE, NGINX, *UNITS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_variable_the_guide_names_is_read_by_the_code(path):
    unknown = sorted(named_in(path.read_text(encoding="utf-8")) - set(read_by_code()))
    assert not unknown, f"{path.relative_to(ROOT)} 提到了代码不读取的变量：{unknown}"


def test_every_variable_the_code_reads_is_in_the_guide_table():
    code = read_by_code()
    missing = sorted(set(code) - guide_table_names())
    assert not missing, "docs/deploy.md 的变量表缺少：" + "; ".join(
        f"{n}（{', '.join(code[n])}）" for n in missing
    )


def test_every_variable_the_code_reads_is_in_the_environment_file():
    code = read_by_code()
    missing = sorted(set(code) - named_in(ENV_EXAMPLE.read_text(encoding="utf-8")))
    assert not missing, "deploy/zhifa.env.example 缺少：" + "; ".join(
        f"{n}（{', '.join(code[n])}）" for n in missing
    )


def exec_starts(unit: Path) -> list[list[str]]:
    commands = []
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith(("ExecStart=", "ExecStartPre=")):
            commands.append(shlex.split(line.split("=", 1)[1].lstrip("-+!@:")))
    return commands


def test_the_units_are_the_three_the_guide_describes():
    assert [u.name for u in UNITS] == [
        "zhifa-scheduler.service",
        "zhifa-web.service",
        "zhifa-worker@.service",
    ]
    guide = GUIDE.read_text(encoding="utf-8")
    for unit in UNITS:
        assert unit.name in guide


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_the_units_start_commands_that_exist(unit):
    from django.core.management import get_commands, load_command_class

    commands = exec_starts(unit)
    assert commands, f"{unit.name} 没有 ExecStart"
    for argv in commands:
        program = Path(argv[0]).name
        if program == "zhifa":
            name, args = argv[1], argv[2:]
            assert name in get_commands(), f"{unit.name}：没有命令 zhifa {name}"
            parser = load_command_class(get_commands()[name], name).create_parser("zhifa", name)
            parser.parse_args(args)  # an option the command does not take exits with status 2
        else:
            assert program == "gunicorn", f"{unit.name}：{argv[0]}"
            assert argv[1] == "zhifa.wsgi"


def test_one_scheduler_and_workers_without_it():
    (scheduler,) = exec_starts(DEPLOY / "systemd" / "zhifa-scheduler.service")
    assert scheduler[1] == "worker" and "--no-scheduler" not in scheduler
    (worker,) = exec_starts(DEPLOY / "systemd" / "zhifa-worker@.service")
    assert worker[1] == "worker" and "--no-scheduler" in worker


def _size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def nginx_limits() -> dict[str, int]:
    """``client_max_body_size`` of the server block ("") and of each location (its pattern)."""
    limits: dict[str, int] = {}
    where: list[str] = []
    for raw in NGINX.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("location"):
            where.append(line.removeprefix("location").rstrip("{").strip())
        elif line.startswith("server") and line.endswith("{"):
            where.append("")
        elif line.endswith("{"):
            where.append("?")
        if line.startswith("client_max_body_size"):
            limits[where[-1]] = _size(line.split()[1].rstrip(";"))
        if line == "}" and where:
            where.pop()
    return limits


def test_the_proxy_lets_through_what_the_platform_accepts(settings):
    from django.urls import reverse

    from zhifa.core import uploads

    limits = nginx_limits()
    assert limits[""] >= max(settings.ZHIFA_MAX_REQUEST_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    by_name = uploads.view_limits()
    paths = {
        "records:evidence_upload": reverse("records:evidence_upload", args=[12]),
        "evidence-upload-detail": reverse("evidence-upload-detail", args=["0f" * 16]),
    }
    for name, path in paths.items():
        matching = [
            pattern
            for pattern in limits
            if pattern
            and (
                re.search(pattern.split(None, 1)[1], path)
                if pattern.startswith("~")
                else path.startswith(pattern.removeprefix("= ").strip())
            )
        ]
        assert matching, f"nginx 示例没有覆盖 {path} 的 location"
        assert min(limits[p] for p in matching) >= by_name[name].total, (name, path)
