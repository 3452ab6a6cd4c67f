"""Benchmark of the ledger on PostgreSQL; prints a table (not a test).

- append throughput with a business write in the same transaction: 1 writer, 4 writers on one agency's
  log (they queue on its row lock), 4 writers on four agencies' logs;
- ``verify`` over 1,000,000 entries, side by side with the physical limit: reading the same stored entry
  bytes from the same database and hashing each once with hashlib.sha256;
- inclusion and consistency proof generation and verification at 1,000,000 entries;
- bytes stored per entry.

The 1,000,000-entry log is bulk-loaded once with COPY (entries built by the real encoder and tree code),
then reused by later runs. Environment: ``BENCH_DATABASE_URL`` (default
postgresql://postgres@127.0.0.1:5432/zhifa_bench, created when missing), ``BENCH_LEDGER_ENTRIES``
(default 1000000), ``BENCH_APPENDS`` (default 4000).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/zhifa_bench")
os.environ["ZHIFA_DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("ZHIFA_VAR_DIR", str(Path(tempfile.gettempdir()) / "zhifa-bench-ledger"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

N = int(os.environ.get("BENCH_LEDGER_ENTRIES", "1000000"))
APPENDS = int(os.environ.get("BENCH_APPENDS", "4000"))
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
from django.db import connection, transaction  # noqa: E402

from zhifa.core.snapshot import snapshot  # noqa: E402
from zhifa.ledger import actions, checks, encoding, keys, merkle, queries  # noqa: E402
from zhifa.ledger.models import Entry, Log  # noqa: E402
from zhifa.org import actions as org  # noqa: E402
from zhifa.org.models import Agency, AuthEvent, Person  # noqa: E402
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


# 1. Appends.


def append_rate(writers: list[tuple[Agency, Person]], total: int, ledger: bool = True) -> float:
    each = total // len(writers)
    barrier = threading.Barrier(len(writers) + 1)
    errors: list[Exception] = []

    def work(a: Agency, p: Person) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with transaction.atomic():
                    event = AuthEvent.objects.create(kind="login", username=p.username, person=p, agency=a)
                    if not ledger:
                        continue
                    actions.append(
                        agency=a,
                        actor=p,
                        action="bench.login",
                        obj=event,
                        payload={"state": snapshot(event), "n": i},
                    )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=w) for w in writers]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise errors[0]
    return each * len(writers) / elapsed


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
    writers = [agency(f"bench-w{i}", 10 + i) for i in range(4)]
    people = [person(a) for a in writers]
    big = agency("bench-big", 99)
    big_actor = person(big)

    rows: list[tuple[str, str, str]] = []
    append_rate([(writers[0], people[0])], 200)  # warm up
    single = append_rate([(writers[0], people[0])], APPENDS)
    rows.append(("追加（1 个写入者，含同一事务中的业务写入）", f"{single:,.0f} 条/秒", "目标 ≥ 1,000 条/秒"))
    alone = append_rate([(writers[0], people[0])], APPENDS, ledger=False)
    rows.append(
        ("对照：只有业务写入的事务（1 个写入者，无账本）", f"{alone:,.0f} 个/秒", "同一台机器、同一时刻")
    )
    same = append_rate([(writers[0], people[0])] * 4, APPENDS)
    rows.append(("追加（4 个并发写入者，同一执法主体账本）", f"{same:,.0f} 条/秒", "同一账本行锁排队"))
    spread = append_rate(list(zip(writers, people, strict=True)), APPENDS)
    rows.append(("追加（4 个并发写入者，4 个执法主体账本）", f"{spread:,.0f} 条/秒", ""))

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

    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"账本基准测试（PostgreSQL，{connection.settings_dict['NAME']}，{os.cpu_count()} 核，开始时负载 {START_LOAD:.1f}，结束时 {load:.1f}）"
    )
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>26}  {note}")


if __name__ == "__main__":
    main()
