"""What the ledger's completeness guarantee (``ledger.tracking``) costs an action; prints a table (not a test).

Each action runs N times with the guarantee on, as in production, and N times with the tracker switched off
(in alternating rounds)
(``unrecorded_writes``: no events, nothing completed or refused), on a fresh database: SQLite in a temporary
folder (the embedded default), or ``BENCH_DATABASE_URL`` (a PostgreSQL database, created when missing).
Actions: ``org.update_person`` (one row), ``cases.accept_case`` (a case, its officers, its deadlines and their
events: the guarantee completes several rows per call), ``cases.add_record``.
Environment: ``BENCH_TRACKING_N`` (default 200).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
N = int(os.environ.get("BENCH_TRACKING_N", "200"))
URL = os.environ.get("BENCH_DATABASE_URL", "")
os.environ["ZHIFA_VAR_DIR"] = tempfile.mkdtemp(prefix="zhifa-bench-tracking-")
if URL:
    import psycopg
    from psycopg import sql

    base, _, name = URL.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["ZHIFA_DATABASE_URL"] = URL
else:
    os.environ.pop("ZHIFA_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhifa.cases import actions as case_actions  # noqa: E402
from zhifa.cases.choices import IdType, PartyKind, RecordKind, Source  # noqa: E402
from zhifa.ledger import checks  # noqa: E402
from zhifa.ledger.tracking import unrecorded_writes  # noqa: E402
from zhifa.org import actions as org  # noqa: E402
from zhifa.org.choices import Role  # noqa: E402
from zhifa.org.models import EnforcementField  # noqa: E402
from zhifa.org.rules import credit_code_check_char  # noqa: E402


def world():
    call_command("migrate", verbosity=0)
    org.add_field(None, code="medical", name="医疗卫生", abbreviation="医")
    first17 = "11440300MB2D0000A"
    agency = org.create_agency(
        None,
        code="bench",
        name="基准卫生健康局",
        short_name="基卫",
        credit_code=first17 + credit_code_check_char(first17),
        region="甲区",
    )
    unit = org.add_unit(None, agency, name="监督科")
    people = []
    for i in range(2):
        p = org.add_person(
            None,
            agency,
            username=f"officer{i}",
            password="Bench#Pass2026",
            must_change_password=False,
            full_name=f"执法{i}",
            unit=unit,
        )
        org.grant_role(None, p, Role.OFFICER)
        today = timezone.localdate()
        org.issue_certificate(
            None,
            p,
            number=f"B-{i}",
            field_codes=["medical"],
            issuer="甲区人民政府",
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=300),
        )
        people.append(p)
    party = case_actions.register_party(
        people[0],
        agency,
        kind=PartyKind.LEGAL,
        name="甲诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="甲区",
        legal_representative="李",
    )
    return agency, unit, people, party


def timed(call, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    agency, unit, (a, b), party = world()
    field = EnforcementField.objects.get(code="medical")
    case = case_actions.accept_case(
        a,
        party=party,
        cause="擅自执业",
        source=Source.INSPECTION,
        field=field,
        unit=unit,
        officers=[a, b],
        summary="检查发现。",
        violation_date=timezone.localdate() - dt.timedelta(days=5),
    )
    case_actions.request_filing(a, case)
    org.grant_role(None, b, Role.AGENCY_HEAD)
    case_actions.approve_filing(b, case, opinion="同意")

    def accept(i):
        case_actions.accept_case(
            a,
            party=party,
            cause=f"擅自执业{i}",
            source=Source.INSPECTION,
            field=field,
            unit=unit,
            officers=[a, b],
            summary="检查发现。",
            violation_date=timezone.localdate() - dt.timedelta(days=5),
        )

    def record(i):
        case_actions.add_record(
            a, case, kind=RecordKind.DELIBERATION, data={"conclusion": f"合议{i}"}, started_at=timezone.now()
        )

    rows = [
        ("org.update_person", lambda i: org.update_person(None, a, phone=f"139{i:08d}")),
        ("cases.accept_case", accept),
        ("cases.add_record", record),
    ]
    print(f"ledger completeness guarantee — {connection.vendor}, {N} calls each, median ms per action")
    print(f"{'action':<22}{'guarantee on':>14}{'tracker off':>14}{'cost':>10}")
    for name, call in rows:
        on, off = [], []
        for _round in range(
            4
        ):  # alternate, so that a database growing or a busy machine weighs on both alike
            on += timed(call, N // 4)
            with unrecorded_writes():
                off += timed(call, N // 4)
        on_ms, off_ms = statistics.median(on), statistics.median(off)
        print(f"{name:<22}{on_ms:>14.2f}{off_ms:>14.2f}{(on_ms - off_ms) / off_ms * 100:>9.0f}%")
    started = time.perf_counter()
    report = checks.verify(state=True, files=False)
    print(
        f"verify --state afterwards: {'ok' if report.ok else 'problems'} ({len(report.problems)}; rows written "
        f"with the tracker off are expected there), {report.objects} objects in "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
