"""Benchmark of the ledger on PostgreSQL; prints a table (not a test).

- the ledger's cost on an action (issue 14 item 4): real actions of ``zhifa.cases.actions`` (registering a party,
  adding an investigation record), each called with its ledger entries as in production and, in alternating
  rounds, as the same business write without the ledger (the same action code with ``ledger.append`` a no-op and
  the completeness tracker off: the same queries, validation and model saves); the ratio of the two. The same for
  a bare business write (one row) with and without its entry;
- append throughput from 1, 2, 4, 8 and 20 concurrent writer *processes* (as gunicorn workers are), each on its
  own agency's log (20 agencies), with a business write in the same transaction, beside the same business write
  without the ledger; and 4 writers on one agency's log (they queue on its row lock);
- ``verify`` over 1,000,000 entries, side by side with the physical limit: reading the same stored entry
  bytes from the same database and hashing each once with hashlib.sha256;
- inclusion and consistency proof generation and verification at 1,000,000 entries;
- bytes stored per entry.

The 1,000,000-entry log is bulk-loaded once with COPY (entries built by the real encoder and tree code),
then reused by later runs. Environment: ``BENCH_DATABASE_URL`` (default
postgresql://postgres@127.0.0.1:5432/zhifa_bench, created when missing), ``BENCH_LEDGER_ENTRIES``
(default 1000000), ``BENCH_APPENDS`` (appends per concurrency run, default 4000), ``BENCH_ACTIONS`` (calls of
each action in each mode, default 400), ``BENCH_ONLY`` (``actions``, ``writers`` or ``verify``: one part only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/zhifa_bench")
os.environ["ZHIFA_DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("ZHIFA_VAR_DIR", str(Path(tempfile.gettempdir()) / "zhifa-bench-ledger"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

N = int(os.environ.get("BENCH_LEDGER_ENTRIES", "1000000"))
APPENDS = int(os.environ.get("BENCH_APPENDS", "4000"))
ACTION_CALLS = int(os.environ.get("BENCH_ACTIONS", "400"))
ONLY = os.environ.get("BENCH_ONLY", "")
WRITERS = (1, 2, 4, 8, 20)
PROOFS = 1000


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


ensure_database(DATABASE_URL)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhifa.core.snapshot import snapshot  # noqa: E402
from zhifa.ledger import actions, checks, encoding, keys, merkle, queries  # noqa: E402
from zhifa.ledger.models import Entry, Log  # noqa: E402
from zhifa.ledger.tracking import unrecorded_writes  # noqa: E402
from zhifa.org import actions as org  # noqa: E402
from zhifa.org.choices import Role  # noqa: E402
from zhifa.org.models import Agency, AuthEvent, EnforcementField, Person  # noqa: E402
from zhifa.org.rules import credit_code_check_char  # noqa: E402


def agency(code: str, n: int) -> Agency:
    found = Agency.objects.filter(code=code).first()
    if found:
        return found
    first17 = f"114403009B{n:07d}"
    return org.create_agency(
        None,
        code=code,
        name=f"基准测试局{code}",
        short_name=f"基{n}",
        credit_code=first17 + credit_code_check_char(first17),
        region="基准区",
    )


def person(a: Agency) -> Person:
    username = f"bench-{a.code}"
    found = Person.objects.filter(username=username).first()
    return found or org.add_person(
        None,
        a,
        username=username,
        password="Bench#Pass2026",
        full_name="基准执法员",
        must_change_password=False,
    )


# 1. The ledger's cost on an action.


def write_event(a: Agency, p: Person, i: int, ledger: bool) -> None:
    """A bare business write (one row) and, with ``ledger``, its entry, in one transaction."""
    with transaction.atomic():
        event = AuthEvent.objects.create(kind="login", username=p.username, person=p, agency=a)
        if ledger:
            actions.append(
                agency=a, actor=p, action="bench.login", obj=event, payload={"state": snapshot(event), "n": i}
            )


@contextlib.contextmanager
def without_ledger():
    """The same action code with ``ledger.append`` a no-op and the completeness tracker off."""
    from zhifa.cases.actions import common, intake, investigation

    modules = [m for m in (common, intake, investigation) if hasattr(m, "ledger")]
    saved = [m.ledger for m in modules]
    stub = types.SimpleNamespace(append=lambda **kwargs: None)
    for m in modules:
        m.ledger = stub
    try:
        with unrecorded_writes():
            yield
    finally:
        for m, ledger in zip(modules, saved, strict=True):
            m.ledger = ledger


def action_world():
    """A fresh agency (its own log) with two certified officers, a head, and a filed case."""
    from zhifa.cases import actions as cases
    from zhifa.cases.choices import IdType, PartyKind, Source

    n = int(time.time()) % 10**7
    field = EnforcementField.objects.filter(code="medical").first() or org.add_field(
        None, code="medical", name="医疗卫生", abbreviation="医"
    )
    first17 = f"114403009C{n:07d}"
    a = org.create_agency(
        None,
        code=f"bench-act-{n}",
        name=f"基准操作局{n}",
        short_name="基操",
        credit_code=first17 + credit_code_check_char(first17),
        region="基准区",
    )
    unit = org.add_unit(None, a, name="监督科")
    today = timezone.localdate()
    officers = []
    for i in range(2):
        p = org.add_person(
            None,
            a,
            username=f"bench-act-{n}-{i}",
            password="Bench#Pass2026",
            must_change_password=False,
            full_name=f"基准执法员{i}",
            unit=unit,
        )
        org.grant_role(None, p, Role.OFFICER)
        org.issue_certificate(
            None,
            p,
            number=f"BA-{n}-{i}",
            field_codes=["medical"],
            issuer="基准区人民政府",
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=300),
        )
        officers.append(p)
    first17 = f"91440300MB{n:07d}"
    party = cases.register_party(
        officers[0],
        a,
        kind=PartyKind.LEGAL,
        name="基准诊所",
        id_type=IdType.CREDIT_CODE,
        id_number=first17 + credit_code_check_char(first17),
        address="基准区",
        legal_representative="李某",
    )
    case = cases.accept_case(
        officers[0],
        party=party,
        cause="未取得《医疗机构执业许可证》擅自执业",
        source=Source.INSPECTION,
        field=field,
        unit=unit,
        officers=officers,
        summary="检查发现。",
        violation_date=today - dt.timedelta(days=5),
    )
    cases.request_filing(officers[0], case)
    org.grant_role(None, officers[1], Role.AGENCY_HEAD)
    case = type(case).objects.get(pk=case.pk)
    cases.approve_filing(officers[1], case, opinion="同意")
    # Fresh objects, as a request would have them (roles are remembered per request).
    officer = Person.objects.get(pk=officers[0].pk)
    return a, officer, type(case).objects.get(pk=case.pk), n


def action_costs() -> list[tuple[str, str, str]]:
    """Each action N times with its ledger entries and N times without, in alternating rounds; ms per call (mean
    without the extreme tenths)."""
    from zhifa.cases import actions as cases
    from zhifa.cases.choices import IdType, PartyKind, RecordKind

    a, officer, case, n = action_world()
    numbers = itertools.count()

    def register_party(i: int) -> None:
        first17 = f"91440300M{n % 10**3:03d}{next(numbers):05d}"
        cases.register_party(
            officer,
            a,
            kind=PartyKind.LEGAL,
            name=f"基准诊所{i}",
            id_type=IdType.CREDIT_CODE,
            id_number=first17 + credit_code_check_char(first17),
            address="基准区明山路 1 号",
            legal_representative="李某",
            phone="0591-1234567",
        )

    def add_record(i: int) -> None:
        cases.add_record(
            officer,
            case,
            kind=RecordKind.DELIBERATION,
            data={"conclusion": f"合议{i}", "content": "经合议，当事人的行为违反了《医疗机构管理条例》。"},
            started_at=timezone.now(),
        )

    writer = person(a)
    org.grant_role(None, writer, Role.OFFICER)

    def bare(i: int) -> None:
        write_event(a, writer, i, ledger=True)

    def bare_plain(i: int) -> None:
        write_event(a, writer, i, ledger=False)

    rows = []
    for name, label, with_ledger, plain in (
        ("cases.register_party", "登记当事人", register_party, None),
        ("cases.add_record", "制作调查记录（合议）", add_record, None),
        ("", "单行业务写入", bare, bare_plain),
    ):
        for i in range(20):  # warm up both
            with_ledger(i)
            with without_ledger():
                (plain or with_ledger)(i)
        on: list[float] = []
        off: list[float] = []
        log = Log.objects.get(pk=a.pk)
        for _round in range(8):  # alternate, so that a busy machine weighs on both alike
            on += timed(with_ledger, ACTION_CALLS // 8)
            size = Log.objects.get(pk=a.pk).size
            with without_ledger():
                off += timed(plain or with_ledger, ACTION_CALLS // 8)
            if Log.objects.get(pk=a.pk).size != size:
                raise SystemExit(f"{label}: the run without the ledger appended entries")
        entries = (Log.objects.get(pk=a.pk).size - log.size) / len(on)
        on_ms, off_ms = trimmed_mean(on) * 1000, trimmed_mean(off) * 1000
        title = f"{label}（{name}）" if name else f"{label}（AuthEvent）+ 一条账本记录"
        rows.append(
            (
                f"操作：{title}",
                f"{on_ms:.2f} / {off_ms:.2f} ms",
                f"无账本的 {off_ms / on_ms:.0%}（目标 ≥ 90%）；每次 {entries:.1f} 条记录",
            )
        )
    return rows


def trimmed_mean(values: list[float], cut: float = 0.1) -> float:
    """The mean without the fastest and slowest tenth: steadier than the median on a busy machine, whose
    scheduler rounds waits to its 4 ms tick."""
    values = sorted(values)
    k = int(len(values) * cut)
    return statistics.mean(values[k : len(values) - k])


def timed(call, count: int) -> list[float]:
    out = []
    for i in range(count):
        t0 = time.perf_counter()
        call(i)
        out.append(time.perf_counter() - t0)
    return out


# 2. Concurrent writers: processes, as gunicorn workers are.


def _writer(agency_pk: int, person_pk: int, count: int, ledger: bool, barrier, errors) -> None:
    try:
        a = Agency.objects.get(pk=agency_pk)
        p = Person.objects.get(pk=person_pk)
        write_event(a, p, -1, ledger)  # connect and warm up before the clock starts
        barrier.wait()
        for i in range(count):
            write_event(a, p, i, ledger)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent
        errors.put(repr(exc))
        barrier.abort()
        raise
    finally:
        connections.close_all()


def append_rate(writers: list[tuple[Agency, Person]], total: int, ledger: bool = True) -> float:
    """Appends per second from ``len(writers)`` processes, ``total`` in all."""
    ctx = multiprocessing.get_context("fork")
    each = max(total // len(writers), 1)
    barrier = ctx.Barrier(len(writers) + 1)
    errors = ctx.Queue()
    connections.close_all()  # a forked child must not share the parent's connection
    procs = [
        ctx.Process(target=_writer, args=(a.pk, p.pk, each, ledger, barrier, errors)) for a, p in writers
    ]
    for proc in procs:
        proc.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - t0
    if not errors.empty() or any(proc.exitcode for proc in procs):
        raise SystemExit(f"a writer failed: {errors.get() if not errors.empty() else 'exit code'}")
    return each * len(writers) / elapsed


def writer_rates() -> list[tuple[str, str, str]]:
    spread = [agency(f"bench-w{i}", 10 + i) for i in range(max(WRITERS))]
    people = [person(a) for a in spread]
    pairs = list(zip(spread, people, strict=True))
    rows = []
    append_rate(pairs[:2], 400)  # warm up
    base = None
    for n in WRITERS:
        with_ledger = append_rate(pairs[:n], APPENDS)
        plain = append_rate(pairs[:n], APPENDS, ledger=False)
        base = base or with_ledger
        rows.append(
            (
                f"追加：{n} 个并发写入进程，{n} 个执法主体账本（含同一事务中的业务写入）",
                f"{with_ledger:,.0f} 条/秒",
                f"1 个写入者的 {with_ledger / base:.2f} 倍；同样的业务写入不带账本 {plain:,.0f} 个/秒"
                f"（{with_ledger / plain:.0%}）",
            )
        )
    same = append_rate(pairs[:1] * 4, APPENDS)
    rows.append(("追加：4 个并发写入进程，同一执法主体账本", f"{same:,.0f} 条/秒", "同一账本行锁排队"))
    return rows


# 2. The big log, bulk-loaded.

PEOPLE = ["王伟", "李娜", "张敏", "刘强", "陈静", "杨洋", "黄磊", "赵军"]
ACTIONS = [
    ("cases.file_case", "cases.case"),
    ("cases.record_inquiry", "cases.caserecord"),
    ("records.add_evidence", "records.evidence"),
    ("review.approve_review", "review.review"),
    ("ledger.access", "cases.case"),
    ("org.update_person", "org.person"),
]


def sample_records(rng: random.Random, count: int = 2000) -> list[bytes]:
    """Canonical records shaped like the real ones: an actor, sometimes files, an object's state."""
    import rfc8785

    out = []
    for i in range(count):
        state = {
            "id": rng.randrange(1, 10**6),
            "agency_id": 1,
            "number": f"明卫罚〔2026〕{rng.randrange(1, 9999)}号",
            "title": "未取得《医疗机构执业许可证》擅自执业案" if i % 2 else "公共场所卫生检查",
            "status": rng.choice(["filed", "investigating", "review", "decided", "closed"]),
            "handler_ids": sorted(rng.sample(range(1, 500), 2)),
            "fine_amount": str(rng.randrange(0, 50000)),
            "party_name": rng.choice(["明山区某诊所", "某某美容店", "张某"]),
            "filed_at": "2026-11-25T02:00:00+00:00",
            "summary": "经现场检查，当事人在未取得执业许可的情况下开展诊疗活动。" * rng.randrange(0, 3),
        }
        files = (
            [
                {
                    "name": f"evidence/2026/11/{rng.getrandbits(64):016x}.jpg",
                    "sha256": f"{rng.getrandbits(256):064x}",
                }
            ]
            if i % 7 == 0
            else []
        )
        record = {
            "actor": {"name": rng.choice(PEOPLE), "roles": ["officer"]},
            "files": files,
            "payload": {"state": state} if i % 5 else {"reason": "案卷评查调阅"},
        }
        out.append(rfc8785.dumps(record))
    return out


def load_big_log(a: Agency, actor: Person) -> Log:
    log = Log.objects.get(pk=a.pk)
    if log.size >= N:
        return log
    rng = random.Random(20261125)
    records = sample_records(rng)
    tree = merkle.MemoryTree()
    prev: bytes | None = None
    # Replay the entries already there (the agency's own creation), so the chain continues.
    for body in Entry.objects.filter(log=log).order_by("seq").values_list("body", flat=True):
        prev = merkle.leaf_hash(bytes(body))
        tree.append(prev)
    start = tree.size
    t0 = time.perf_counter()
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    columns = "log_id, seq, at, actor_id, action, object_kind, object_id, body, nodes"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY ledger_entry ({columns}) FROM STDIN") as copy:
            for seq in range(start, N):
                at = base + dt.timedelta(seconds=seq * 30, microseconds=seq % 1000)
                action, kind = ACTIONS[seq % len(ACTIONS)]
                object_id = str(seq // 7 + 1)
                prefix = encoding.head_prefix(
                    action=action,
                    actor=actor.pk,
                    at=encoding.format_time(at),
                    kind=kind,
                    log=log.origin,
                    object_id=object_id,
                    prev=prev,
                    seq=seq,
                )
                body = prefix + records[seq % len(records)] + b"}"
                prev = merkle.leaf_hash(body)
                nodes = tree.append(prev)
                tree.completed[-1] = b""  # keep memory flat; the frontier is all we need
                copy.write_row((log.pk, seq, at, actor.pk, action, kind, object_id, body, nodes))
    Log.objects.filter(pk=log.pk).update(size=N, frontier=b"".join(tree.frontier), last_leaf=prev)
    log.refresh_from_db()
    actions.make_checkpoint(a, force=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_entry")
    print(f"（已批量写入 {N - start:,} 条记录，用时 {time.perf_counter() - t0:.0f} 秒）", file=sys.stderr)
    return log


# 3. Verify against the physical limit.


def physical_limit(log: Log) -> float:
    """Read each stored body once (same keyset-chunked query shape as verify) and sha256 it."""
    sql = "SELECT seq, body FROM ledger_entry WHERE log_id = %s AND seq >= %s ORDER BY seq LIMIT 5000"
    sha256 = hashlib.sha256
    n, start = 0, 0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [log.pk, start])
            rows = cursor.fetchall()
            if not rows:
                break
            for _seq, body in rows:
                sha256(body).digest()
            n += len(rows)
            start = rows[-1][0] + 1
    return n / (time.perf_counter() - t0)


def verify_rate(log: Log) -> float:
    report = checks.Report()
    t0 = time.perf_counter()
    checks.verify_log(log, report, files=False)
    elapsed = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit(f"verify found problems: {report.problems[:3]}")
    return report.entries / elapsed


def proof_times(log: Log) -> dict[str, list[float]]:
    checkpoint = queries.latest_checkpoint(log)
    size, root = checkpoint.size, bytes(checkpoint.root_hash)
    rng = random.Random(7)
    out: dict[str, list[float]] = {
        "inclusion": [],
        "inclusion_verify": [],
        "consistency": [],
        "consistency_verify": [],
    }
    fetch = queries.node_fetcher(log.pk)
    for _ in range(PROOFS):
        index = rng.randrange(size)
        t0 = time.perf_counter()
        leaf, proof = merkle.leaf_and_inclusion_proof(index, size, fetch)
        t1 = time.perf_counter()
        ok = merkle.verify_inclusion(index, size, leaf, proof, root)
        t2 = time.perf_counter()
        assert ok
        out["inclusion"].append(t1 - t0)
        out["inclusion_verify"].append(t2 - t1)
        first = rng.randrange(1, size)
        t0 = time.perf_counter()
        old_root = merkle.root_at(first, fetch)
        cproof = merkle.consistency_proof(first, size, fetch)
        t1 = time.perf_counter()
        ok = merkle.verify_consistency(first, size, old_root, root, cproof)
        t2 = time.perf_counter()
        assert ok
        out["consistency"].append(t1 - t0)
        out["consistency_verify"].append(t2 - t1)
    return out


def storage(log: Log) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), avg(octet_length(body)), avg(octet_length(nodes)) FROM ledger_entry WHERE log_id = %s",
            [log.pk],
        )
        count, body, nodes = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM ledger_entry")
        total_rows = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_table_size('ledger_entry'), pg_indexes_size('ledger_entry'), "
            "pg_total_relation_size('ledger_entry')"
        )
        table, indexes, total = cursor.fetchone()
    return {
        "body": float(body),
        "nodes": float(nodes),
        "table": table / total_rows,
        "indexes": indexes / total_rows,
        "total": total / total_rows,
    }


def ms(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[int(len(values) * 0.99) - 1]
    return f"平均 {statistics.mean(values) * 1000:.2f} ms，p99 {p99 * 1000:.2f} ms"


START_LOAD = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main() -> None:
    call_command("migrate", verbosity=0)
    keys.key_dir()
    rows: list[tuple[str, str, str]] = []
    t0 = time.perf_counter()
    if ONLY in ("", "actions"):
        rows += action_costs()
    if ONLY in ("", "writers"):
        rows += writer_rates()
    if ONLY in ("", "verify"):
        rows += big_log_rows()
    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"账本基准测试（PostgreSQL，{connection.settings_dict['NAME']}，{os.cpu_count()} 核，"
        f"开始时负载 {START_LOAD:.1f}，结束时 {load:.1f}，用时 {time.perf_counter() - t0:.0f} 秒）"
    )
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>26}  {note}")


def big_log_rows() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    big = agency("bench-big", 99)
    big_actor = person(big)
    log = load_big_log(big, big_actor)
    # Interleaved, best of three each: the two see the same machine (and the same page cache).
    physical = verify = 0.0
    for _ in range(3):
        physical = max(physical, physical_limit(log))
        verify = max(verify, verify_rate(log))
    rows.append(
        (
            f"物理极限：读取 {log.size:,} 条记录原文并各做一次 SHA-256",
            f"{physical:,.0f} 条/秒",
            f"{log.size / physical:.1f} 秒",
        )
    )
    rows.append(
        (
            f"zhifa ledger verify（{log.size:,} 条，不含文件）",
            f"{verify:,.0f} 条/秒",
            f"{log.size / verify:.1f} 秒，为物理极限的 {verify / physical:.0%}（目标 ≥ 50%）",
        )
    )

    times = proof_times(log)
    rows.append((f"包含证明生成（{log.size:,} 条，{PROOFS} 次）", ms(times["inclusion"]), "目标 < 5 ms"))
    rows.append(("包含证明验证", ms(times["inclusion_verify"]), "目标 < 5 ms"))
    rows.append(("一致性证明生成（含旧根）", ms(times["consistency"]), ""))
    rows.append(("一致性证明验证", ms(times["consistency_verify"]), ""))

    size = storage(log)
    rows.append(("每条记录存储：原文（规范化 JSON）", f"{size['body']:.0f} 字节", ""))
    rows.append(("每条记录存储：树节点哈希", f"{size['nodes']:.0f} 字节", "平均 2 个哈希"))
    rows.append(
        (
            "每条记录存储：表 + 索引（PostgreSQL 实占）",
            f"{size['total']:.0f} 字节",
            f"表 {size['table']:.0f}，索引 {size['indexes']:.0f}",
        )
    )

    return rows


if __name__ == "__main__":
    main()
