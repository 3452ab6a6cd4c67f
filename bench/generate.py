"""A synthetic province for the page measurements (issue 14, item 2); prints what it made (not a test).

    .venv/bin/python bench/generate.py --cases 1000000 --agencies 100 --seed 1 [--database-url URL] [--reset]

How the data is made, so that every staff page renders and the ledger verifies:

1. **The seed**: the demo (``zhifa.core.demo.load_all``: the 明山区 bureau, 31 cases in every state, made by the real
   actions, documents rendered and stored) plus evidence items registered by the real ``add_evidence`` action, in a
   database of its own (``zhifa_bench_seed_<fingerprint of migrations and demo code>``) and a var directory of its own.
   Made once per machine and code version (about a minute), then reused.
2. **The target** is created from the seed (``CREATE DATABASE … TEMPLATE``), its var directory (stored files, keys)
   copied from the seed's. Then the province is added to it:
   - agencies under one province / city / county hierarchy, made by ``org.actions.create_agency`` (each gets its log
     and signing key), their units, people (one password hash for all), roles, 执法证 and each agency's catalogue
     and policies (copied from the demo bureau's);
   - cases: the demo's cases are the templates. Each *clone* copies a set of template cases, with every row that
     hangs off them (parties, officers, records, documents and signatures, evidence, reviews, discussions, services,
     payments, deadlines and their events…) into one agency, all dates moved back by the clone's age, people mapped
     onto the agency's people, numbers renumbered, by COPY. Clones older than 180 days copy only the finished
     templates (closed, archived, not filed, revoked), so open cases are recent ones;
   - the ledger: per agency, one ``cases.file_case`` entry per case and ``ledger.access`` entries (调阅) for about one
     case in five, built with the ledger's own encoder and tree code (as ``bench/ledger.py`` does) and loaded by COPY,
     then a signed checkpoint. ``zhifa ledger verify --agency <code>`` passes on every agency (the demo bureau's log
     was written by the real actions; the others' by the real encoder).

Writes ``var/bench/province-<dbname>.json`` (ids and user names the load test needs). The database's files live in
``var/bench/<dbname>/`` (``ZHIFA_VAR_DIR`` for a server on this database). All passwords: ``Mingshan#2026``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zhifa_province"
PASSWORD = "Mingshan#2026"
SEED_VERSION = "4"  # change when the seed step changes
RECENT_DAYS = 180
FINISHED = {"archived", "closed", "not_filed", "revoked", "terminated"}
DEMO_AGENCY = "mingshan-wjj"
BIG_CODE = "bench-big"
BIG_RECORDS, BIG_DOCUMENTS, BIG_EVIDENCE, BIG_ACCESS = 40, 30, 20, 60


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Databases (before Django is set up: its settings read ZHIFA_DATABASE_URL once).


def split_url(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return base, name


def admin_conn(url: str):
    import psycopg

    base, _ = split_url(url)
    return psycopg.connect(base + "/postgres", autocommit=True)


def database_exists(url: str) -> bool:
    _, name = split_url(url)
    with admin_conn(url) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def database_in_use(url: str) -> bool:
    """True when the database has data of ours (an agency)."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            if not conn.execute("SELECT to_regclass('org_agency')").fetchone()[0]:
                return bool(
                    conn.execute(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                    ).fetchone()[0]
                )
            return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM org_agency)").fetchone()[0])
    except psycopg.OperationalError:
        return False


def drop_database(url: str) -> None:
    from psycopg import sql

    _, name = split_url(url)
    with admin_conn(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create_database(url: str, template: str | None = None) -> None:
    from psycopg import sql

    _, name = split_url(url)
    with admin_conn(url) as conn:
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed_fingerprint() -> str:
    digest = hashlib.sha256(SEED_VERSION.encode())
    paths = sorted(ROOT.glob("zhifa/*/migrations/*.py")) + sorted(ROOT.glob("zhifa/*/demo*.py"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def ensure_seed(url: str) -> tuple[str, Path]:
    """(seed database name, seed var directory), made when missing (one maker at a time: a lock file)."""
    import fcntl

    fp = seed_fingerprint()
    base, _ = split_url(url)
    name = f"zhifa_bench_seed_{fp}"
    seed_url = f"{base}/{name}"
    var = ROOT / "var" / "bench" / f"seed-{fp}"
    var.parent.mkdir(parents=True, exist_ok=True)
    with open(var.parent / f"seed-{fp}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_seed(seed_url, name, var)


def _ensure_seed(seed_url: str, name: str, var: Path) -> tuple[str, Path]:
    done = var / "seed.done"
    if database_exists(seed_url) and done.exists():
        return name, var
    log(f"制作种子数据库 {name}（迁移、演示数据、证据；每台机器每个代码版本一次）")
    drop_database(seed_url)
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    create_database(seed_url)
    env = dict(os.environ, ZHIFA_DATABASE_URL=seed_url, ZHIFA_VAR_DIR=str(var))
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    subprocess.run([sys.executable, __file__, "--build-seed"], env=env, check=True)
    done.write_text(name)
    return name, var


def build_seed() -> None:
    """In a process whose ZHIFA_DATABASE_URL / ZHIFA_VAR_DIR are the seed's: migrate, demo, evidence."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhifa.core import demo

    demo.load_all()
    from django.core.files.storage import default_storage

    from zhifa.cases.models import Case
    from zhifa.records import evidence, ingest
    from zhifa.records.models import Document

    pdf_name = Document.objects.exclude(pdf_name="").values_list("pdf_name", flat=True).first()
    with default_storage.open(pdf_name) as fh:
        pdf = fh.read()
    tmp = Path(os.environ["ZHIFA_VAR_DIR"]) / "seed-evidence.pdf"
    descriptions = [
        "营业执照复印件",
        "现场检查照片",
        "医疗机构执业许可证复印件",
        "处方笺",
        "收费票据",
        "药品进货单据",
    ]
    for case in Case.objects.filter(state__in=["investigating", "investigated"]).order_by("pk"):
        lead = case.officer_links.filter(lead=True).first() or case.officer_links.first()
        for i in range(4):
            data = pdf + f"\n% seed evidence {case.pk}-{i}\n".encode()
            tmp.write_bytes(data)
            evidence.add_evidence(
                lead.person,
                case,
                received=ingest.Received(tmp, hashlib.sha256(data).hexdigest(), len(data)),
                kind="documentary",
                description=descriptions[(case.pk + i) % len(descriptions)],
                source="当事人提供",
            )
    tmp.unlink()
    # 已终止 is a state the demo has no case in: one investigating case ends so (the real action, by the head).
    from zhifa.cases import actions as case_actions
    from zhifa.org.models import Person

    head = Person.objects.filter(roles__role="agency_head", agency__code=DEMO_AGENCY).order_by("pk").first()
    ending = Case.objects.filter(state="investigating").order_by("-pk").first()
    case_actions.terminate(head, ending, reason="当事人已注销，无权利义务承受人")
    from zhifa.ledger import actions as ledger_actions

    ledger_actions.make_checkpoints(force=True)


# ---------------------------------------------------------------------------------------------------------------
# Table descriptions from the models.

CASE_TABLES = [
    "cases_party",
    "cases_partyconnection",
    "cases_case",
    "cases_caseofficer",
    "cases_caserecord",
    "cases_caserecord_officers",
    "cases_caserecord_certificates_shown",
    "cases_recusal",
    "cases_service",
    "cases_payment",
    "cases_simplefiling",
    "cases_spotcollection",
    "review_submission",
    "review_assignment",
    "review_opinion",
    "review_coordination",
    "review_discussion",
    "review_discussion_participants",
    "remedies_proceeding",
    "remedies_proceedingdocument",
    "publicity_publication",
    "records_document",
    "records_documentsignature",
    "records_evidence",
    "records_evidence_officers",
    "workdays_deadline",
    "workdays_deadlineevent",
]
# Rows owned by no case: copied with every clone.
UNOWNED = {"cases_party", "cases_partyconnection"}
# For the big case, rows of these tables come from several templates (the rest only from the main one).
MERGED = {
    "cases_caserecord",
    "cases_caserecord_officers",
    "cases_caserecord_certificates_shown",
    "records_document",
    "records_documentsignature",
    "records_evidence",
    "records_evidence_officers",
}
AGENCY_TABLES = [
    "catalog_law",
    "catalog_article",
    "catalog_enforcementitem",
    "catalog_enforcementitem_violated_articles",
    "catalog_enforcementitem_penalty_articles",
    "catalog_benchmarktier",
    "catalog_randominspectionitem",
    "catalog_randominspectionitem_articles",
    "catalog_avrecordingitem",
    "catalog_flowchart",
    "catalog_flowstep",
    "catalog_flowarrow",
    "catalog_serviceguide",
    "catalog_guidematerial",
    "catalog_listversion",
    "cases_hearingpolicy",
    "cases_extensionpolicy",
    "review_reviewpolicy",
    "review_criterion",
    "records_recordspolicy",
    "workdays_agencydeadlinesetting",
]


class Table:
    def __init__(self, model):
        self.model = model
        self.name = model._meta.db_table
        self.columns: list[str] = []
        self.fks: dict[str, str] = {}
        self.dates: set[str] = set()
        self.datetimes: set[str] = set()
        self.jsons: set[str] = set()
        for f in model._meta.concrete_fields:
            self.columns.append(f.column)
            internal = f.get_internal_type()
            if f.is_relation:
                self.fks[f.column] = f.related_model._meta.db_table
            elif internal == "DateField":
                self.dates.add(f.column)
            elif internal == "DateTimeField":
                self.datetimes.add(f.column)
            if internal == "JSONField":
                self.jsons.add(f.column)


def tables() -> dict[str, Table]:
    from django.apps import apps

    out = {}
    for model in apps.get_models(include_auto_created=True):
        t = Table(model)
        out[t.name] = t
    return out


def select_text(t: Table) -> str:
    cols = []
    for c in t.columns:
        if c in t.datetimes:
            cols.append(f"(\"{c}\" AT TIME ZONE 'UTC')::text")
        else:
            cols.append(f'"{c}"::text')
    return ", ".join(cols)


def escape(value: str | None) -> str:
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------------------------------------------------
# The province.

CITIES = ["江城", "临川", "青州", "云阳", "安平", "南溪", "东湖", "西岭", "北原", "长宁", "永和", "清河"]
COUNTY_SUFFIX = ["区", "县", "市"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞斌宇浩凯晨瑞颖佳琳欣怡子轩梓涵雨萱文博思远志远晓燕国华建国海燕"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def credit_code(n: int) -> str:
    from zhifa.org.rules import credit_code_check_char

    first17 = f"11440000B{n:08d}"
    return first17 + credit_code_check_char(first17)


class Province:
    """What the generator made: agencies and their people (as slots the clones map onto)."""

    def __init__(self):
        self.agencies: list[dict] = []  # {id, code, short, region, level, idx, cases}
        self.big: dict | None = None
        self.supervisor_agency = None


def case_counts(rng: random.Random, total: int, n: int, big: int) -> list[int]:
    """Cases per agency: the first (bench-big) holds ``big``; the others are skewed (log-normal) and kept below
    it."""
    rest = total - big
    if n == 1:
        return [total]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(n - 1)]
    scale = rest / sum(weights)
    counts = [int(w * scale) for w in weights]
    cap = max(int(big * 0.9), 1)
    counts = [min(c, cap) for c in counts]
    i = 0
    missing = rest - sum(counts)
    while missing > 0:
        room = cap - counts[i % len(counts)]
        if room > 0:
            add = min(room, missing)
            counts[i % len(counts)] += add
            missing -= add
        i += 1
        if i > 10 * len(counts):  # nowhere below the cap: give the rest to all equally
            for j in range(missing):
                counts[j % len(counts)] += 1
            missing = 0
    return [big, *counts]


def make_agencies(rng: random.Random, n: int, cases_total: int, people_total: int, big: int) -> Province:
    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.org import actions as org
    from zhifa.org.models import Agency

    province = Province()
    cities = max(1, round(math.sqrt(n)) - 1) if n > 2 else 1
    counties = max(n - 1 - cities, 0)
    if n == 1:
        cities, counties = 0, 0
    counts = case_counts(rng, cases_total, n, big)
    # Order of creation: province, cities, counties. bench-big is the first city (the capital's 卫健委).
    specs = []
    specs.append(
        dict(
            code="bench-prov",
            name="合成省卫生健康委员会",
            short="合卫",
            region="合成省",
            level="province",
            parent=None,
        )
    )
    for c in range(cities):
        city = CITIES[c % len(CITIES)] + ("" if c < len(CITIES) else str(c))
        code = BIG_CODE if c == 0 else f"bench-c{c:02d}"
        specs.append(
            dict(
                code=code,
                name=f"{city}市卫生健康委员会",
                short=f"{city[0]}卫",
                region=f"合成省{city}市",
                level="city",
            )
        )
    for i in range(counties):
        c = i % max(cities, 1)
        city = CITIES[c % len(CITIES)] + ("" if c < len(CITIES) else str(c))
        county = f"{city}{'一二三四五六七八九十'[i // max(cities, 1) % 10]}{COUNTY_SUFFIX[i % 3]}"
        if i // max(cities, 1) >= 10:
            county += str(i // max(cities, 1))
        specs.append(
            dict(
                code=f"bench-{i:03d}",
                name=f"{county}卫生健康局",
                short=f"{county[0]}{county[2]}卫",
                region=f"合成省{city}市{county}",
                level="county",
                parent=("city", c) if cities else None,
            )
        )
    if n == 1:
        specs = [specs[0] | {"code": BIG_CODE}]
    # bench-big first in the counts.
    order = [s["code"] for s in specs]
    count_of = {}
    others = [code for code in order if code != BIG_CODE]
    count_of[BIG_CODE] = counts[0]
    for code, c in zip(others, counts[1:], strict=True):
        count_of[code] = c
    made: dict[str, Agency] = {}
    city_agencies: list[Agency] = []
    for idx, spec in enumerate(specs):
        parent = None
        if spec["level"] == "city":
            parent = made.get("bench-prov")
        elif spec["level"] == "county" and spec["parent"]:
            parent = city_agencies[spec["parent"][1]]
        agency = org.create_agency(
            None,
            code=spec["code"],
            name=spec["name"],
            short_name=spec["short"],
            credit_code=credit_code(idx + 1),
            region=spec["region"],
            **({"parent": parent} if parent is not None else {}),
        )
        with unrecorded_writes():  # test data: the level is not among the action's fields
            Agency.objects.filter(pk=agency.pk).update(level=spec["level"])
        made[spec["code"]] = agency
        if spec["level"] == "city":
            city_agencies.append(agency)
        province.agencies.append(
            dict(
                id=agency.pk,
                code=agency.code,
                short=spec["short"],
                name=spec["name"],
                region=spec["region"],
                level=spec["level"],
                idx=idx,
                cases=count_of[spec["code"]],
                parent=parent.pk if parent else None,
            )
        )
    province.big = next(a for a in province.agencies if a["code"] == BIG_CODE)
    # Justice departments whose supervisors watch the agencies (监督人员).
    province.supervisor_agency = org.create_agency(
        None,
        code="bench-sft",
        name="合成省司法厅",
        short_name="合司",
        credit_code=credit_code(9999),
        region="合成省",
    )
    with unrecorded_writes():
        Agency.objects.filter(pk=province.supervisor_agency.pk).update(level="province")
    # People: bench-big has 400, the rest share the remainder in proportion to their cases (at least 12).
    big_people = min(400, max(people_total // 50, 12))
    rest_cases = max(sum(a["cases"] for a in province.agencies if a is not province.big), 1)
    rest_people = max(people_total - big_people, 12 * (len(province.agencies) - 1))
    for a in province.agencies:
        if a is province.big:
            a["people"] = big_people
        else:
            a["people"] = max(12, round(rest_people * a["cases"] / rest_cases))
    return province


def make_people(province: Province, rng: random.Random, template) -> dict:
    """Units, people, roles and certificates of every agency, by bulk insert. Returns the slot tables."""
    from django.contrib.auth.hashers import make_password

    from zhifa.org.models import Certificate, EnforcementField, Person, RoleAssignment, Unit

    password = make_password(PASSWORD)  # once, for every account
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    fields = list(EnforcementField.objects.order_by("pk"))
    demo_units = template["units"]  # [(id, name, is_legal)]
    # A big agency has more 监督科 than the demo bureau: each demo work unit becomes ``groups`` units of about
    # ten officers (at least five, as the demo bureau has), each with its own head; clones rotate over them.
    unit_rows = []
    for a in province.agencies:
        officers_n = max(a["people"] - 8, 20)
        a["groups"] = max(1, officers_n // 40)
        for _uid, name, legal in demo_units:
            for g in range(a["groups"] if name.endswith("监督科") else 1):
                label = name if g == 0 else f"{name}{'一二三四五六七八九十'[g % 10]}{'' if g < 10 else g}组"
                unit_rows.append(Unit(agency_id=a["id"], name=label, is_legal_review_unit=legal))
    Unit.objects.bulk_create(unit_rows, batch_size=2000)
    units_of = defaultdict(list)
    for u in Unit.objects.filter(agency_id__in=[a["id"] for a in province.agencies]).order_by("pk"):
        units_of[u.agency_id].append(u.pk)
    people = []
    slots: dict[int, dict] = {}
    for a in province.agencies:
        units = iter(units_of[a["id"]])
        a["units"] = {}  # demo unit id → [its units here]
        for uid, name, _legal in demo_units:
            a["units"][uid] = [next(units) for _ in range(a["groups"] if name.endswith("监督科") else 1)]
        a["umap"] = {uid: group[0] for uid, group in a["units"].items()}  # the agency's own rows
        officers_n = max(a["people"] - 8, 20)
        reviewers_n = max(2, a["people"] // 60)
        s = {"heads": [], "reviewers": [], "admins": [], "officers": defaultdict(list)}
        prefix = a["code"].removeprefix("bench-")

        def add(username, unit, title, kind, a=a, **extra):
            p = Person(
                username=username,
                full_name=person_name(rng),
                agency_id=a["id"],
                unit_id=unit,
                title=title,
                password=password,
                must_change_password=False,
                date_joined=now,
                **extra,
            )
            people.append((p, a["id"], kind))
            return p

        office = a["units"][demo_units[0][0]][0]
        legal_unit = next(a["units"][uid][0] for uid, _name, legal in demo_units if legal)
        work_units = [
            u for uid, name, _legal in demo_units if name.endswith("监督科") for u in a["units"][uid]
        ]
        s["heads"] = [
            add(f"{prefix}-juzhang", office, "局长", "head"),
            add(f"{prefix}-fujuzhang1", office, "副局长", "head"),
            add(f"{prefix}-fujuzhang2", office, "副局长", "head"),
        ]
        s["reviewers"] = [
            add(
                f"{prefix}-fagui{i + 1}",
                legal_unit,
                "法制审核员",
                "reviewer",
                legal_qualification=i == 0,
                legal_qualification_date=dt.date(2015, 9, 1) if i == 0 else None,
                legal_qualification_number="A20151100000" if i == 0 else "",
            )
            for i in range(reviewers_n)
        ]
        s["admins"] = [
            add(f"{prefix}-xitong", office, "系统管理员", "system_admin"),
            add(f"{prefix}-anquan", office, "安全管理员", "security_admin"),
            add(f"{prefix}-shenji", office, "审计管理员", "audit_admin"),
        ]
        for i in range(officers_n):
            unit = work_units[i % len(work_units)]
            p = add(f"{prefix}-zhifa{i + 1:03d}", unit, "执法人员", "officer")
            s["officers"][unit].append(p)
        slots[a["id"]] = s
    sup = province.supervisor_agency
    supervisor = Person(
        username="bench-jiandu",
        full_name=person_name(rng),
        agency_id=sup.pk,
        title="执法监督处处长",
        password=password,
        must_change_password=False,
        date_joined=now,
    )
    city_supervisors = []
    for a in province.agencies:
        if a["level"] == "city":
            city_supervisors.append(
                (
                    a,
                    Person(
                        username=f"bench-jiandu-{a['code'].removeprefix('bench-')}",
                        full_name=person_name(rng),
                        agency_id=sup.pk,
                        title="执法监督员",
                        password=password,
                        must_change_password=False,
                        date_joined=now,
                    ),
                )
            )
    Person.objects.bulk_create(
        [p for p, _, _ in people] + [supervisor] + [p for _, p in city_supervisors], batch_size=2000
    )
    roles = []
    certs = []
    n_cert = 0
    for p, agency_id, kind in people:
        if kind == "head":
            roles.append(RoleAssignment(person=p, role="agency_head", agency_id=agency_id, granted_at=now))
        elif kind == "reviewer":
            roles.append(RoleAssignment(person=p, role="legal_reviewer", agency_id=agency_id, granted_at=now))
        elif kind in ("system_admin", "security_admin", "audit_admin"):
            roles.append(RoleAssignment(person=p, role=kind, agency_id=agency_id, granted_at=now))
        elif kind == "officer":
            roles.append(RoleAssignment(person=p, role="officer", agency_id=agency_id, granted_at=now))
            n_cert += 1
            r = rng.random()
            if r < 0.03:
                valid_to = today + dt.timedelta(days=rng.randrange(1, 30))  # about to expire
            elif r < 0.04:
                valid_to = today - dt.timedelta(days=rng.randrange(1, 200))  # expired
            else:
                valid_to = dt.date(2028, 12, 31)
            certs.append(
                Certificate(
                    number=f"HC{n_cert:08d}",
                    person=p,
                    issuer="合成省人民政府",
                    valid_from=dt.date(2021, 1, 1),
                    valid_to=valid_to,
                    issued_at=now,
                )
            )
    for agency_id, s in slots.items():
        for officers in s["officers"].values():
            roles.append(
                RoleAssignment(person=officers[0], role="unit_head", agency_id=agency_id, granted_at=now)
            )
    for a in province.agencies:
        roles.append(RoleAssignment(person=supervisor, role="supervisor", agency_id=a["id"], granted_at=now))
    for city, p in city_supervisors:
        for a in province.agencies:
            if a["id"] == city["id"] or a["parent"] == city["id"]:
                roles.append(RoleAssignment(person=p, role="supervisor", agency_id=a["id"], granted_at=now))
    RoleAssignment.objects.bulk_create(roles, batch_size=5000)
    Certificate.objects.bulk_create(certs, batch_size=5000)
    through = Certificate.fields.through
    Certificate.fields.through.objects.bulk_create(
        [through(certificate_id=c.pk, enforcementfield_id=f.pk) for c in certs for f in fields],
        batch_size=10000,
    )
    cert_of = {c.person_id: c.pk for c in certs}
    return {
        "slots": slots,
        "cert_of": cert_of,
        "supervisor": supervisor,
        "city_supervisors": city_supervisors,
    }


# ---------------------------------------------------------------------------------------------------------------
# Templates and clones.


def read_template(cursor, t: Table, where: str, params=()) -> list[list[str | None]]:
    cursor.execute(f"SELECT {select_text(t)} FROM {t.name} WHERE {where} ORDER BY 1", params)
    return [list(r) for r in cursor.fetchall()]


class Cloner:
    """Copies template rows with remapped keys, people, agency and dates, as COPY text."""

    def __init__(
        self, ts: dict[str, Table], names: list[str], rows: dict[str, list], owners: dict[str, list]
    ):
        self.ts = ts
        self.names = names
        self.rows = rows
        self.owners = owners
        self.ids = {n: {r[0] for r in rows[n]} for n in names}
        self.stride = {n: (max((int(r[0]) for r in rows[n]), default=0) + 1) for n in names}
        self.buffers: dict[str, list[str]] = {n: [] for n in names}
        self.counts: dict[str, int] = defaultdict(int)
        self.copy_seconds: dict[str, float] = defaultdict(float)
        self.date_cache: dict[tuple[str, int], str] = {}
        # Pre-escaped text of every column that is copied unchanged.
        self.plans = {}
        for n in names:
            t = ts[n]
            plan = []
            for i, c in enumerate(t.columns):
                if i == 0:
                    plan.append(("pk", None))
                elif c in t.fks:
                    target = t.fks[c]
                    if target in self.ids:
                        plan.append(("own", target))
                    elif target == "org_person":
                        plan.append(("person", None))
                    elif target == "org_agency":
                        plan.append(("agency", None))
                    elif target == "org_unit":
                        plan.append(("unit", None))
                    elif target == "org_certificate":
                        plan.append(("cert", None))
                    else:
                        plan.append(("keep", None))
                elif c in t.dates or c in t.datetimes:
                    plan.append(("date", None))
                elif n == "workdays_deadline" and c == "object_id":
                    plan.append(("object", None))
                else:
                    plan.append(("keep", None))
            self.plans[n] = plan
        self.escaped = {n: [[escape(v) for v in r] for r in rows[n]] for n in names}
        self.special = {}
        # JSON columns copied unchanged are not sent at all: the rest of the row goes to a staging table with the
        # template's id, and INSERT … SELECT takes the JSON from the template row (no parsing, no recompression).
        self.heavy = {}
        for n in names:
            t = ts[n]
            cols = [j for j, c in enumerate(t.columns) if c in t.jsons and self.plans[n][j][0] == "keep"]
            if cols:
                self.heavy[n] = cols
        self.staged: set[str] = set()

    def shift(self, value: str, days: int) -> str:
        key = (value[:10], days)
        out = self.date_cache.get(key)
        if out is None:
            out = (dt.date.fromisoformat(value[:10]) + dt.timedelta(days=days)).isoformat()
            self.date_cache[key] = out
        return out + value[10:]

    def clone(self, k: int, c: dict, include) -> None:
        """Clone ``k`` (≥ 1): ``c`` has agency, days, pmap, umap, cmap, case_to (override of case ids), kidx,
        ctypes; ``include(table, row_index)`` chooses the rows."""
        days = c["days"]
        pmap, umap, cmap = c["pmap"], c["umap"], c["cmap"]
        agency = str(c["agency"])
        case_to = c.get("case_to")
        stride = self.stride
        for n in self.names:
            plan = self.plans[n]
            rows = self.rows[n]
            esc = self.escaped[n]
            out = self.buffers[n]
            special = self.special.get(n)
            for i, row in enumerate(rows):
                if not include(n, i):
                    continue
                vals = list(esc[i])
                for j, (how, target) in enumerate(plan):
                    v = row[j]
                    if how == "keep" or v is None:
                        continue
                    if how == "pk":
                        if case_to is not None and n == "cases_case":
                            vals[j] = str(case_to)
                        else:
                            vals[j] = str(int(v) + k * stride[n])
                    elif how == "own":
                        if target == "cases_case" and case_to is not None:
                            vals[j] = str(case_to)
                        elif v in self.ids[target]:
                            vals[j] = str(int(v) + k * stride[target])
                    elif how == "person":
                        vals[j] = str(pmap(int(v)))
                    elif how == "agency":
                        vals[j] = agency
                    elif how == "unit":
                        vals[j] = str(umap.get(int(v), int(v)))
                    elif how == "cert":
                        vals[j] = str(cmap(int(v)))
                    elif how == "date":
                        if days:
                            vals[j] = self.shift(v, days)
                    elif how == "object":
                        target = c["ctypes"][row[self._ct_col(n)]]
                        if target == "cases_case" and case_to is not None:
                            vals[j] = str(case_to)
                        else:
                            vals[j] = str(int(v) + k * stride[target])
                if special:
                    special(vals, row, c, k)
                heavy = self.heavy.get(n)
                if heavy:
                    vals = [row[0]] + [v for j, v in enumerate(vals) if j not in heavy]
                out.append("\t".join(vals))
                self.counts[n] += 1

    def _ct_col(self, n: str) -> int:
        return self.ts[n].columns.index("content_type_id")

    def flush(self, raw_cursor, force: bool = False) -> None:
        """Send the buffered rows: in a thread of its own, so the next rows are built while the database takes
        these (one batch in flight; the caller does not use the connection until ``wait``)."""
        batch = []
        for n in self.names:
            buf = self.buffers[n]
            if not buf or (len(buf) < 20000 and not force):
                continue
            batch.append((n, "\n".join(buf) + "\n"))
            buf.clear()
        if not batch:
            return
        self.wait()
        self._thread = threading.Thread(target=self._write_batch, args=(raw_cursor, batch))
        self._thread.start()

    def wait(self) -> None:
        thread, self._thread = getattr(self, "_thread", None), None
        if thread is not None:
            thread.join()
        error, self._error = getattr(self, "_error", None), None
        if error is not None:
            raise error

    def _write_batch(self, raw_cursor, batch) -> None:
        try:
            for n, text in batch:
                self._write(raw_cursor, n, text)
        except BaseException as exc:  # raised in the caller's thread by wait()
            self._error = exc

    def _write(self, raw_cursor, n: str, text: str) -> None:
        columns = self.ts[n].columns
        t0 = time.perf_counter()
        heavy = self.heavy.get(n)
        if heavy:
            light = [c for j, c in enumerate(columns) if j not in heavy]
            stage = f"_stage_{n}"
            if n not in self.staged:
                cols = ", ".join(f'"{c}"' for c in light)
                raw_cursor.execute(
                    f"CREATE TEMP TABLE {stage} AS SELECT 0::bigint AS _tid, {cols} FROM {n} WITH NO DATA"
                )
                self.staged.add(n)
            cols = ", ".join(["_tid"] + [f'"{c}"' for c in light])
            with raw_cursor.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                copy.write(text)
            target = ", ".join(f'"{c}"' for c in columns)
            source = ", ".join(f't."{c}"' if j in heavy else f's."{c}"' for j, c in enumerate(columns))
            raw_cursor.execute(
                f"INSERT INTO {n} ({target}) SELECT {source} FROM {stage} s JOIN {n} t ON t.id = s._tid"
            )
            raw_cursor.execute(f"TRUNCATE {stage}")
        else:
            cols = ", ".join(f'"{c}"' for c in columns)
            with raw_cursor.copy(f"COPY {n} ({cols}) FROM STDIN") as copy:
                copy.write(text)
        self.copy_seconds[n] += time.perf_counter() - t0


YEAR_REF = re.compile(r"〔(\d{4})〕(\d+)号")
PLAIN_REF = re.compile(r"^(\d{4})-(\d+)$")


def renumber(text: str, prefix_from: str, prefix_to: str, add: int, days: int) -> str:
    def year(y: str) -> int:
        return (dt.date(int(y), 7, 1) + dt.timedelta(days=days)).year

    m = YEAR_REF.search(text)
    if m:
        text = f"{text[: m.start()]}〔{year(m.group(1))}〕{int(m.group(2)) + add}号{text[m.end() :]}"
        if text.startswith(prefix_from):
            text = prefix_to + text[len(prefix_from) :]
        return text
    m = PLAIN_REF.match(text)
    if m:
        return f"{year(m.group(1))}-{int(m.group(2)) + add:04d}"
    return f"{text}-{add}" if add else text


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="生成合成省份数据（issue 14 第 2 项）")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--people", type=int, default=None, help="人员总数（默认 20,000，按案件数缩小）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--var-dir", default=None, help="文件与密钥目录（默认 var/bench/<库名>）")
    parser.add_argument("--reset", action="store_true", help="数据库已有数据时删除重建")
    parser.add_argument("--check", action="store_true", help="只检查：以各角色打开负载测试要测的页面")
    parser.add_argument("--build-seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_seed:
        build_seed()
        return
    if args.check:
        raise SystemExit(check(split_url(args.database_url)[1]))
    if args.cases < 100 or args.agencies < 1:
        parser.error("--cases 至少 100，--agencies 至少 1")
    t_start = time.perf_counter()
    url = args.database_url
    _, dbname = split_url(url)
    var = Path(args.var_dir) if args.var_dir else ROOT / "var" / "bench" / dbname
    if database_exists(url) and database_in_use(url):
        if not args.reset:
            raise SystemExit(f"数据库 {dbname} 已有数据；要删除重建请加 --reset")
    seed_name, seed_var = ensure_seed(url)
    drop_database(url)
    create_database(url, template=seed_name)
    shutil.rmtree(var, ignore_errors=True)
    shutil.copytree(seed_var, var, ignore=shutil.ignore_patterns("seed.done"))
    log(f"数据库 {dbname} 由种子 {seed_name} 建立；文件目录 {var}")

    os.environ["ZHIFA_DATABASE_URL"] = url
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from zhifa.ledger.tracking import unrecorded_writes

    # Bulk test data, not application writes: the ledger's write guard would refuse them (they are not actions);
    # the ledger entries they imply are written by write_ledger with the ledger's own encoder and tree.
    with unrecorded_writes():
        generate(args, url, dbname, var, t_start)


def generate(args, url: str, dbname: str, var: Path, t_start: float) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from bench.publications import PublicTexts
    from zhifa.org.models import Agency

    rng = random.Random(args.seed)
    people_total = args.people or max(200, min(20_000, args.cases // 50))
    ts = tables()
    demo = Agency.objects.get(code=DEMO_AGENCY)
    seed_day = (
        Agency.objects.filter(pk=demo.pk)
        .values_list("created_at", flat=True)
        .first()
        .astimezone(dt.UTC)
        .date()
    )
    today = dt.date.today()

    # Templates (all from the demo bureau).
    with connection.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute(
            "SELECT id, name, is_legal_review_unit FROM org_unit WHERE agency_id = %s ORDER BY id", [demo.pk]
        )
        units = cur.fetchall()
        cur.execute("SELECT id, state FROM cases_case WHERE agency_id = %s ORDER BY id", [demo.pk])
        case_states = {str(i): s for i, s in cur.fetchall()}
        cur.execute(
            "SELECT p.id, array_agg(r.role ORDER BY r.role) FROM org_person p JOIN org_roleassignment r "
            "ON r.person_id = p.id AND r.agency_id = %s WHERE p.agency_id = %s GROUP BY p.id ORDER BY p.id",
            [demo.pk, demo.pk],
        )
        demo_people = cur.fetchall()
        cur.execute("SELECT id, person_id FROM org_certificate")
        demo_cert_person = {i: p for i, p in cur.fetchall()}
        cur.execute(
            "SELECT min(least(accepted_on, created_at::date)) FROM cases_case WHERE agency_id = %s", [demo.pk]
        )
        earliest = cur.fetchone()[0]
    template = {"units": units}

    log(f"建立 {args.agencies} 个执法主体（org.actions.create_agency：各自的账本与签名密钥）")
    # bench-big: 50,000 cases at a million (one in twenty below that).
    big_cases = min(50_000, max(args.cases // 20, 1))
    province = make_agencies(rng, args.agencies, args.cases - len(case_states), people_total, big_cases)
    log("内设机构、人员、角色、执法证（批量写入，密码只哈希一次）")
    org = make_people(province, rng, template)
    slots, cert_of = org["slots"], org["cert_of"]

    # Demo people → slot kinds.
    demo_officers = []  # (person id, unit id) in unit order
    demo_heads, demo_reviewers, demo_admin = [], [], {}
    for pid, roles in demo_people:
        if "agency_head" in roles:
            demo_heads.append(pid)
        elif "legal_reviewer" in roles:
            demo_reviewers.append(pid)
        elif "officer" in roles:
            demo_officers.append(pid)
        else:
            for r in roles:
                demo_admin[pid] = r
    with connection.cursor() as cur:
        cur.execute("SELECT id, unit_id FROM org_person WHERE id = ANY(%s)", [demo_officers])
        officer_unit = dict(cur.fetchall())
    by_unit = defaultdict(list)
    for pid in sorted(demo_officers):
        by_unit[officer_unit[pid]].append(pid)
    demo_officer_slot = {}
    for u, pids in by_unit.items():
        for i, pid in enumerate(pids):
            demo_officer_slot[pid] = (u, i)
    supervisor_id = org["supervisor"].pk

    def unit_mapper(a: dict, k: int) -> dict:
        return {uid: group[(k * 7) % len(group)] for uid, group in a["units"].items()}

    def person_mapper(a: dict, k: int):
        s = slots[a["id"]]
        umap = unit_mapper(a, k)
        heads = [p.pk for p in s["heads"]]
        reviewers = [p.pk for p in s["reviewers"]]
        admins = {
            "system_admin": s["admins"][0].pk,
            "security_admin": s["admins"][1].pk,
            "audit_admin": s["admins"][2].pk,
        }
        rot = k * 7 + 3
        cache = {}

        def pmap(pid: int) -> int:
            out = cache.get(pid)
            if out is not None:
                return out
            if pid in demo_officer_slot:
                u, i = demo_officer_slot[pid]
                pool = s["officers"][umap[u]]
                if i == 0:
                    out = pool[0].pk
                else:
                    out = pool[1 + ((i - 1) + rot) % (len(pool) - 1)].pk
            elif pid in demo_heads:
                out = heads[demo_heads.index(pid) % len(heads)]
            elif pid in demo_reviewers:
                out = reviewers[(demo_reviewers.index(pid) + rot) % len(reviewers)]
            elif pid in demo_admin:
                out = admins.get(demo_admin[pid], heads[0])
            else:
                out = supervisor_id
            cache[pid] = out
            return out

        def cmap(cid: int) -> int:
            return cert_of.get(pmap(demo_cert_person.get(cid, 0)), cid)

        return pmap, cmap

    ctypes = {
        str(ct.pk): f"{ct.app_label}_{ct.model}"
        for ct in ContentType.objects.filter(app_label__in=["cases", "review", "publicity"])
    }

    raw = connection.cursor().cursor  # psycopg cursor
    raw.execute("SET TIME ZONE 'UTC'")
    raw.execute("SET session_replication_role = replica")  # bulk load: no per-row foreign-key triggers
    # Documents carry their finalised content (about 10 kB of JSON each): lz4 compresses it several times faster
    # than the default pglz. A setting of this session only; the schema is unchanged.
    raw.execute("SET default_toast_compression = 'lz4'")

    # 1. Each agency's catalogue and policies (copied from the demo bureau's).
    log("各执法主体的事项清单、裁量基准、流程图、审核与期限规则（复制自演示单位）")
    arows, aowners = {}, {}
    for n in AGENCY_TABLES:
        t = ts[n]
        if "agency_id" in t.columns:
            arows[n] = read_template(raw, t, "agency_id = %s", [demo.pk])
        else:
            parent_col = next(c for c in t.columns[1:] if t.fks.get(c) in arows)
            parent_ids = [r[0] for r in arows[t.fks[parent_col]]]
            arows[n] = read_template(raw, t, f'"{parent_col}"::text = ANY(%s)', [parent_ids])
    agency_cloner = Cloner(ts, AGENCY_TABLES, arows, aowners)
    for a in province.agencies:
        pmap, cmap = person_mapper(a, 0)
        agency_cloner.clone(
            a["idx"] + 1,
            {"agency": a["id"], "days": 0, "pmap": pmap, "umap": a["umap"], "cmap": cmap, "ctypes": ctypes},
            lambda n, i: True,
        )
    agency_cloner.flush(raw, force=True)
    agency_cloner.wait()

    # 2. Cases.
    log("案件模板：演示单位的全部案件及其记录")
    rows: dict[str, list] = {}
    owner: dict[str, list] = {}
    for n in CASE_TABLES:
        t = ts[n]
        if n in ("cases_party", "cases_case"):
            rows[n] = read_template(raw, t, "agency_id = %s", [demo.pk])
        elif n == "cases_partyconnection":
            rows[n] = read_template(raw, t, "party_id::text = ANY(%s)", [[r[0] for r in rows["cases_party"]]])
        elif n == "workdays_deadline":  # time limits of cases, their review submissions and publications
            owners_of_deadlines = ("cases_case", "review_submission", "publicity_publication")
            rows[n] = read_template(
                raw,
                t,
                "agency_id = %s AND content_type_id = ANY(%s)",
                [demo.pk, [int(i) for i, name in ctypes.items() if name in owners_of_deadlines]],
            )
        else:
            parent_col = next(
                c for c in t.columns[1:] if t.fks.get(c) in rows and t.fks.get(c) != "cases_party"
            )
            parent_ids = [r[0] for r in rows[t.fks[parent_col]]]
            rows[n] = read_template(raw, t, f'"{parent_col}"::text = ANY(%s)', [parent_ids])
    # The case each row belongs to.
    owner_of: dict[str, dict[str, str | None]] = {}
    for n in CASE_TABLES:
        t = ts[n]
        own = {}
        for r in rows[n]:
            if n in UNOWNED:
                own[r[0]] = None
            elif n == "cases_case":
                own[r[0]] = r[0]
            elif n == "workdays_deadline":
                ct = ctypes.get(r[t.columns.index("content_type_id")])
                oid = r[t.columns.index("object_id")]
                own[r[0]] = oid if ct == "cases_case" else owner_of.get(ct, {}).get(oid)
            else:
                parent_col = next(
                    c for c in t.columns[1:] if t.fks.get(c) in owner_of and t.fks.get(c) != "cases_party"
                )
                own[r[0]] = owner_of[t.fks[parent_col]].get(r[t.columns.index(parent_col)])
        owner_of[n] = own
        owner[n] = [own[r[0]] for r in rows[n]]
    # workdays_deadline rows of other objects (not cases, their submissions or publications) are not copied.
    cloner = Cloner(ts, CASE_TABLES, rows, owner)
    # A clone's ids are the template's plus a multiple of the stride: past every row of the table, not only past the
    # templates (the demo's rows that are not templates — the deadlines of its publications — come after them).
    for n in CASE_TABLES:
        pk = ts[n].columns[0]
        raw.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM {n}')
        cloner.stride[n] = max(cloner.stride[n], int(raw.fetchone()[0]) + 1)

    short_from = demo.short_name
    col = {n: {c: i for i, c in enumerate(ts[n].columns)} for n in CASE_TABLES}
    serial_stride = 1 + max(
        (
            int(r[col["records_document"]["serial"]])
            for r in rows["records_document"]
            if r[col["records_document"]["serial"]]
        ),
        default=0,
    )
    case_stride = serial_stride + 100

    def case_special(vals, row, c, k):
        i = col["cases_case"]["reference"]
        vals[i] = escape(renumber(row[i], short_from, c["short"], c["kidx"] * case_stride, c["days"]))

    def doc_special(vals, row, c, k):
        cs = col["records_document"]
        add = c["kidx"] * serial_stride
        if row[cs["serial"]] is not None:
            vals[cs["serial"]] = str(int(row[cs["serial"]]) + add)
        if row[cs["year"]] is not None:
            vals[cs["year"]] = str((dt.date(int(row[cs["year"]]), 7, 1) + dt.timedelta(days=c["days"])).year)
        if row[cs["number"]]:
            vals[cs["number"]] = escape(renumber(row[cs["number"]], short_from, c["short"], add, c["days"]))

    def party_special(vals, row, c, k):
        cs = col["cases_party"]
        number = row[cs["id_number"]]
        vals[cs["id_number"]] = escape(f"{number[:-7]}{(c['kidx'] * 64 + int(row[0]) % 64) % 10**7:07d}")
        vals[cs["name"]] = escape(row[cs["name"]].replace("明山区", c["county"]))
        vals[cs["address"]] = escape(row[cs["address"]].replace("明山区", c["county"]))

    # 决定公开: a clone's publications keep the template's state when the clone is recent (so the due-date
    # dashboards show due, late and withdrawn ones); in an older clone a publication still being edited or reviewed
    # has long been released (its deadline met), and one released longer ago than its retention period is offline.
    # Every public one gets its own party, 文号, penalty and text (bench/publications.py); the summary is written
    # here, not copied from the template.
    cp = col["publicity_publication"]
    summary_col = cp["summary"]
    cloner.heavy["publicity_publication"] = [
        j for j in cloner.heavy.get("publicity_publication", []) if j != summary_col
    ]
    released_template = next(
        (r for r in rows["publicity_publication"] if r[cp["state"]] == "published"), None
    )
    retention = (
        dt.date.fromisoformat(released_template[cp["offline_on"]])
        - dt.date.fromisoformat(released_template[cp["released_at"]][:10])
        if released_template
        else dt.timedelta(days=3 * 365)
    )
    texts = PublicTexts(args.seed)
    pub_rng = random.Random(args.seed + 15)
    serials: dict[tuple[int, int], int] = defaultdict(int)
    released_on: dict[str, str] = {}  # publication id (a clone's) → the day its deadline was met
    publication_ct = next((i for i, name in ctypes.items() if name == "publicity_publication"), None)

    def publication_special(vals, row, c, k):
        state = row[cp["state"]]
        decided = dt.date.fromisoformat(vals[cp["decided_on"]])
        if state in ("draft", "pending") and c["old"] and released_template is not None:
            due = dt.date.fromisoformat(vals[cp["due_on"]])
            released = max(decided, due - dt.timedelta(days=pub_rng.randrange(0, 6)))
            state = "published"
            for person in ("submitted_by_id", "released_by_id"):
                vals[cp[person]] = str(c["pmap"](int(released_template[cp[person]])))
            vals[cp["submitted_at"]] = f"{released - dt.timedelta(days=1)} 08:00:00"
            vals[cp["released_at"]] = f"{released} 02:00:00"
            vals[cp["offline_on"]] = (released + retention).isoformat()
            released_on[vals[0]] = released.isoformat()
        if state == "published" and vals[cp["offline_on"]] != "\\N":
            offline = dt.date.fromisoformat(vals[cp["offline_on"]])
            if offline < today:
                state = "offline"
                vals[cp["offline_at"]] = f"{offline} 18:00:00"
        vals[cp["state"]] = state
        if state in ("published", "withdrawn", "offline"):
            serials[(c["agency"], decided.year)] += 1
            made = texts.make(
                pub_rng,
                serials[(c["agency"], decided.year)],
                agency=c["name"],
                short=c["short"],
                county=c["county"],
                decided_on=decided,
            )
            vals[summary_col] = escape(json.dumps(made["summary"], ensure_ascii=False))
            for field in ("text", "text_sha256", "facets", "search_text"):
                vals[cp[field]] = escape(made[field])

    cdl = col["workdays_deadline"]

    def deadline_special(vals, row, c, k):
        if row[cdl["content_type_id"]] == publication_ct and vals[cdl["object_id"]] in released_on:
            vals[cdl["met_on"]] = released_on.pop(vals[cdl["object_id"]])

    cloner.special = {
        "cases_case": case_special,
        "records_document": doc_special,
        "cases_party": party_special,
        "publicity_publication": publication_special,
        "workdays_deadline": deadline_special,
    }

    case_ids = [r[0] for r in rows["cases_case"]]
    finished = [cid for cid in case_ids if case_states[cid] in FINISHED]
    max_age = max((earliest - dt.date(2022, 1, 1)).days, RECENT_DAYS + 1)
    lag = (today - seed_day).days  # the seed's dates are relative to the day it was made

    # Case ledger facts, per agency: (created_at text, case id, created_by, reference).
    new_cases: dict[int, list] = defaultdict(list)
    ci = col["cases_case"]

    def note_case(vals, row, c, k):
        case_special(vals, row, c, k)
        new_cases[c["agency"]].append((vals[ci["created_at"]], int(vals[0]), int(vals[ci["created_by_id"]])))

    cloner.special["cases_case"] = note_case

    # The big case: a merged clone into bench-big (see MERGED).
    big = province.big
    main_template = next(cid for cid in case_ids if case_states[cid] == "investigated")
    order = [main_template] + [cid for cid in case_ids if cid != main_template]
    rank = {cid: i for i, cid in enumerate(order)}
    whitelist: dict[str, set[int]] = {}

    def pick(n: str, want: int | None, ok) -> set[int]:
        idx = sorted(
            (i for i, r in enumerate(rows[n]) if owner[n][i] is not None and ok(r)),
            key=lambda i: (rank[owner[n][i]], int(rows[n][i][0])),
        )
        return set(idx[:want] if want else idx)

    whitelist["cases_caserecord"] = pick("cases_caserecord", BIG_RECORDS, lambda r: True)
    rec_ids = {rows["cases_caserecord"][i][0] for i in whitelist["cases_caserecord"]}
    cd = col["records_document"]
    chosen_docs: list[int] = []
    doc_ids: set[str] = set()
    for i in sorted(
        (i for i, r in enumerate(rows["records_document"])),
        key=lambda i: (rank[owner["records_document"][i]], int(rows["records_document"][i][0])),
    ):
        r = rows["records_document"][i]
        if len(chosen_docs) >= BIG_DOCUMENTS:
            break
        if (r[cd["record_id"]] is None or r[cd["record_id"]] in rec_ids) and (
            r[cd["supersedes_id"]] is None or r[cd["supersedes_id"]] in doc_ids
        ):
            chosen_docs.append(i)
            doc_ids.add(r[0])
    whitelist["records_document"] = set(chosen_docs)
    ce = col["records_evidence"]
    whitelist["records_evidence"] = pick(
        "records_evidence",
        BIG_EVIDENCE,
        lambda r: (
            (r[ce["record_id"]] is None or r[ce["record_id"]] in rec_ids)
            and (r[ce["document_id"]] is None or r[ce["document_id"]] in doc_ids)
        ),
    )
    ev_ids = {rows["records_evidence"][i][0] for i in whitelist["records_evidence"]}
    for n, parent, ids in (
        ("cases_caserecord_officers", "caserecord_id", rec_ids),
        ("cases_caserecord_certificates_shown", "caserecord_id", rec_ids),
        ("records_documentsignature", "document_id", doc_ids),
        ("records_evidence_officers", "evidence_id", ev_ids),
    ):
        p = col[n][parent]
        whitelist[n] = {i for i, r in enumerate(rows[n]) if r[p] in ids}

    def agency_params(a: dict, k: int, kidx: int, days: int) -> dict:
        pmap, cmap = person_mapper(a, k)
        county = a["region"].split("市", 1)[-1] or a["region"]
        return {
            "agency": a["id"],
            "days": days,
            "pmap": pmap,
            "cmap": cmap,
            "umap": unit_mapper(a, k),
            "ctypes": ctypes,
            "kidx": kidx,
            "short": a["short"],
            "county": county,
            "name": a["name"],
            "old": days <= -lag - RECENT_DAYS,
        }

    # Plain indexes (not those of primary keys or constraints) are dropped for the copy and built again after it:
    # one sort per index instead of millions of insertions.
    raw.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [CASE_TABLES],
    )
    dropped = raw.fetchall()
    for name, _definition in dropped:
        raw.execute(f"DROP INDEX {name}")
    log(f"复制案件：{args.cases - len(case_ids):,} 件，分布在 {len(province.agencies)} 个执法主体（COPY）")
    k = 0
    big_case_id = None
    t_cases = time.perf_counter()
    made = 0
    for a in province.agencies:
        remaining = a["cases"]
        kidx = 0
        if a is big:
            k += 1
            kidx += 1
            c = agency_params(a, k, kidx, -lag - 5)
            big_case_id = int(main_template) + k * cloner.stride["cases_case"]
            c["case_to"] = big_case_id

            def include_big(n, i):
                if n in whitelist:
                    return i in whitelist[n]
                o = owner[n][i]
                return (o is None and n in UNOWNED) or o == main_template

            cloner.clone(k, c, include_big)
            remaining -= 1
            made += 1
        while remaining > 0:
            k += 1
            kidx += 1
            if rng.random() < 0.2:
                age = rng.randrange(0, RECENT_DAYS)
            else:
                age = rng.randrange(RECENT_DAYS, max_age)
            subset = case_ids if age < RECENT_DAYS else finished
            if len(subset) > remaining:
                subset = rng.sample(subset, remaining)
            chosen = set(subset)
            remaining -= len(chosen)
            made += len(chosen)
            c = agency_params(a, k, kidx, -lag - age)

            def include(n, i, chosen=chosen):
                o = owner[n][i]
                return (o is None and n in UNOWNED) or o in chosen

            cloner.clone(k, c, include)
            if sum(len(b) for b in cloner.buffers.values()) > 200_000:
                cloner.flush(raw, force=True)
        if a["cases"] > 20000 or a is province.agencies[-1]:
            log(f"  {a['code']}: {a['cases']:,} 件（累计 {made:,}，{time.perf_counter() - t_cases:.0f} 秒）")
    cloner.flush(raw, force=True)
    cloner.wait()
    # Sequences past the copied keys.
    for n in CASE_TABLES + AGENCY_TABLES:
        if ts[n].model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            raw.execute(f"SELECT setval(pg_get_serial_sequence('{n}', 'id'), (SELECT max(id) FROM {n}))")
    raw.execute("SET session_replication_role = DEFAULT")
    number_sequences(raw, demo.pk)
    slowest = sorted(cloner.copy_seconds.items(), key=lambda x: -x[1])[:6]
    log("COPY 用时：" + "，".join(f"{n} {sec:.0f} 秒" for n, sec in slowest))
    log(f"案件复制完成：{made:,} 件，{time.perf_counter() - t_cases:.0f} 秒；重建 {len(dropped)} 个索引")
    t_index = time.perf_counter()
    raw.execute("SET maintenance_work_mem = '256MB'")
    for _name, definition in dropped:
        raw.execute(definition)
    log(f"索引重建：{time.perf_counter() - t_index:.0f} 秒")

    # 3. The ledger.
    t_ledger = time.perf_counter()
    entries = write_ledger(province, new_cases, big_case_id, slots, org, rng, raw)
    log(f"账本：{entries:,} 条记录，{time.perf_counter() - t_ledger:.0f} 秒")

    t_an = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE：{time.perf_counter() - t_an:.0f} 秒")
    return report(args, url, dbname, var, province, org, big_case_id, t_start)


def number_sequences(raw, demo_id: int) -> None:
    """The numbering counters (core_sequence) of the generated agencies past the numbers the copies took, so a
    case or document made later by the actions takes the next free number."""
    raw.execute(
        "INSERT INTO core_sequence (key, year, last, agency_id) "
        "SELECT number_key, year, max(serial), agency_id FROM records_document "
        "WHERE serial IS NOT NULL AND number_key <> '' AND year IS NOT NULL AND agency_id <> %s "
        "AND NOT EXISTS (SELECT 1 FROM core_sequence q WHERE q.agency_id = records_document.agency_id) "
        "GROUP BY agency_id, number_key, year",
        [demo_id],
    )
    raw.execute(
        "INSERT INTO core_sequence (key, year, last, agency_id) "
        "SELECT 'case', (m[1])::int, max((m[2])::int), agency_id FROM "
        "(SELECT agency_id, regexp_match(reference, '〔(\\d{4})〕(\\d+)号') AS m FROM cases_case "
        "WHERE agency_id <> %s) x WHERE m IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM core_sequence q WHERE q.agency_id = x.agency_id AND q.key = 'case') "
        "GROUP BY agency_id, m[1]",
        [demo_id],
    )


def write_ledger(province, new_cases, big_case_id, slots, org, rng, raw) -> int:
    import rfc8785

    from zhifa.ledger import actions, encoding, merkle
    from zhifa.ledger.models import Entry, Log
    from zhifa.org.models import Agency, Person

    names = dict(
        Person.objects.filter(agency_id__in=[a["id"] for a in province.agencies]).values_list(
            "pk", "full_name"
        )
    )
    names[org["supervisor"].pk] = org["supervisor"].full_name
    from zhifa.org.models import RoleAssignment

    roles = defaultdict(list)
    for pid, agency_id, role in RoleAssignment.objects.values_list("person_id", "agency_id", "role"):
        roles[(pid, agency_id)].append(role)
    records: dict[tuple, bytes] = {}

    def record(pid: int, agency_id: int, payload: dict, key) -> bytes:
        out = records.get((pid, agency_id, key))
        if out is None:
            out = rfc8785.dumps(
                {
                    "actor": {"name": names.get(pid, ""), "roles": sorted(roles.get((pid, agency_id), []))},
                    "files": [],
                    "payload": payload,
                }
            )
            records[(pid, agency_id, key)] = out
        return out

    reasons = ["案卷评查调阅", "复议应诉需要", "执法监督检查", "统计分析"]
    total = 0
    columns = "log_id, seq, at, actor_id, action, object_kind, object_id, body, nodes"

    for a in province.agencies:
        agency = Agency.objects.get(pk=a["id"])
        log_row = Log.objects.get(pk=a["id"])
        s = slots[a["id"]]
        readers = [p.pk for p in s["heads"]] + [org["supervisor"].pk]
        events = []
        for at_text, case_id, created_by in new_cases.get(a["id"], []):
            at = dt.datetime.fromisoformat(at_text).replace(tzinfo=dt.UTC)
            events.append((at, created_by, "cases.file_case", "cases.case", str(case_id), ("file", None)))
            if rng.random() < 0.2:
                reader = rng.choice(readers)
                reason = rng.choice(reasons)
                events.append(
                    (
                        at + dt.timedelta(days=rng.randrange(1, 60), seconds=rng.randrange(86400)),
                        reader,
                        actions.ACCESS_ACTION,
                        "cases.case",
                        str(case_id),
                        ("access", reason),
                    )
                )
        if a is province.big and big_case_id:
            at0 = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
            officers = [p.pk for ps in s["officers"].values() for p in ps[:3]]
            from zhifa.records.models import Document, Evidence

            objs = [("cases.case", str(big_case_id))]
            objs += [
                ("records.document", str(i))
                for i in Document.objects.filter(case_id=big_case_id).values_list("pk", flat=True)
            ]
            objs += [
                ("records.evidence", str(i))
                for i in Evidence.objects.filter(case_id=big_case_id).values_list("pk", flat=True)
            ]
            for i in range(BIG_ACCESS):
                kind, oid = objs[0] if i % 2 == 0 else objs[i % len(objs)]
                events.append(
                    (
                        at0 + dt.timedelta(hours=i * 9),
                        rng.choice(officers + readers),
                        actions.ACCESS_ACTION,
                        kind,
                        oid,
                        ("access", rng.choice(reasons)),
                    )
                )
        events.sort(key=lambda e: e[0])
        tree = merkle.MemoryTree()
        prev = None
        for body in Entry.objects.filter(log=log_row).order_by("seq").values_list("body", flat=True):
            prev = merkle.leaf_hash(bytes(body))
            tree.append(prev)
            tree.completed[-1] = b""
        start = tree.size
        head = encoding.HeadEncoder(log_row.origin)
        with raw.copy(f"COPY ledger_entry ({columns}) FROM STDIN") as copy:
            seq = start
            for at, actor, action, kind, object_id, (what, reason) in events:
                payload = {"reason": reason} if what == "access" else {"synthetic": True}
                rec = record(actor, a["id"], payload, (what, reason))
                body = (
                    head.prefix(action, actor, encoding.format_time(at), kind, object_id, prev, seq)
                    + rec
                    + b"}"
                )
                prev = merkle.leaf_hash(body)
                nodes = tree.append(prev)
                tree.completed[-1] = b""
                copy.write_row((a["id"], seq, at, actor, action, kind, object_id, body, nodes))
                seq += 1
        Log.objects.filter(pk=a["id"]).update(
            size=tree.size, frontier=b"".join(tree.frontier), last_leaf=prev
        )
        actions.make_checkpoint(agency, force=True)
        total += tree.size - start
    return total


def report(args, url, dbname, var, province, org, big_case_id, t_start) -> dict:
    from django.db import connection

    from zhifa.cases.models import Case

    counts = {}
    with connection.cursor() as cur:
        for table in [
            "org_agency",
            "org_unit",
            "org_person",
            "org_roleassignment",
            "org_certificate",
            "cases_party",
            "cases_case",
            "cases_caseofficer",
            "cases_caserecord",
            "records_document",
            "records_documentsignature",
            "records_evidence",
            "review_submission",
            "review_opinion",
            "workdays_deadline",
            "workdays_deadlineevent",
            "publicity_publication",
            "catalog_enforcementitem",
            "ledger_entry",
            "ledger_checkpoint",
        ]:
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]
        cur.execute("SELECT state, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC")
        states = dict(cur.fetchall())
        cur.execute(
            "SELECT extract(year FROM accepted_on)::int, count(*) FROM cases_case GROUP BY 1 ORDER BY 1"
        )
        years = {str(y): n for y, n in cur.fetchall()}
        cur.execute("SELECT state, count(*) FROM publicity_publication GROUP BY 1 ORDER BY 2 DESC")
        publications = dict(cur.fetchall())
        cur.execute(
            "SELECT id, summary->>'number' FROM publicity_publication WHERE agency_id = %s AND state = 'published' "
            "ORDER BY id DESC LIMIT 1",
            [province.big["id"]],
        )
        published = cur.fetchone()
    big = province.big
    big_case = Case.objects.get(pk=big_case_id)
    slots = org["slots"][big["id"]]
    lead = big_case.officer_links.filter(lead=True).values_list("person__username", flat=True).first()
    # An officer of bench-big with many open cases (a full 工作台).
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.username, count(*) FROM cases_caseofficer o JOIN cases_case c ON c.id = o.case_id "
            "JOIN org_person p ON p.id = o.person_id WHERE c.agency_id = %s AND c.state NOT IN "
            "('closed','archived','not_filed','revoked') GROUP BY 1 ORDER BY 2 DESC",
            [big["id"]],
        )
        loads = cur.fetchall()
    busiest = loads[0] if loads else None
    # The officer measured: one with a typical full desk (the open-case count nearest 40), not the busiest.
    typical = min(loads, key=lambda row: abs(row[1] - 40)) if loads else None
    wall = time.perf_counter() - t_start
    info = {
        "database": dbname,
        "database_url": url,
        "var_dir": str(var),
        "password": PASSWORD,
        "generated_with": {"cases": args.cases, "agencies": args.agencies, "seed": args.seed},
        "wall_seconds": round(wall, 1),
        "database_bytes": size,
        "counts": counts,
        "states": states,
        "years": years,
        "publications": publications,
        "agencies": [
            {"id": a["id"], "code": a["code"], "cases": a["cases"], "level": a["level"]}
            for a in province.agencies
        ],
        "big_agency": {
            "id": big["id"],
            "code": big["code"],
            "cases": Case.objects.filter(agency_id=big["id"]).count(),
        },
        "big_case": {
            "id": big_case_id,
            "records": big_case.records.count(),
            "documents": big_case.documents.count(),
            "evidence": big_case.evidence.count(),
            "url": f"/cases/{big_case_id}/",
        },
        "users": {
            "officer": typical[0] if typical else None,
            "officer_open_cases": typical[1] if typical else 0,
            "busiest_officer": busiest[0] if busiest else None,
            "busiest_officer_open_cases": busiest[1] if busiest else 0,
            "big_case_officer": lead,
            "head": slots["heads"][0].username,
            "unit_head": next(iter(slots["officers"].values()))[0].username,
            "reviewer": slots["reviewers"][0].username,
            "supervisor": org["supervisor"].username,
            "supervisor_agencies": len(province.agencies),
            "city_supervisor": org["city_supervisors"][0][1].username if org["city_supervisors"] else None,
        },
        "sample_agency_verify": [big["code"], DEMO_AGENCY],
        "portal_urls": [
            f"/portal/{page}?agency={big['code']}"
            for page in (
                "",
                "agency/",
                "people/",
                "items/",
                "random-inspection-items/",
                "av-items/",
                "guides/",
                "flowcharts/",
                "posts/",
            )
        ]
        + ["/portal/ledger/", "/portal/decisions/", "/portal/decisions/?q=罚款&penalty=fine"]
        + ([f"/portal/decisions/{published[0]}/"] if published else []),
        # A generated decision found by the portal's search under its 文号 (--check looks for its link).
        "decision_search": (
            {
                "url": "/portal/decisions/?" + urlencode({"q": published[1]}),
                "finds": f"/portal/decisions/{published[0]}/",
            }
            if published
            else None
        ),
    }
    out = ROOT / "var" / "bench" / f"province-{dbname}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    print(f"合成省份 {dbname}：用时 {wall:.0f} 秒，数据库 {size / 2**30:.2f} GiB")
    for table, n in counts.items():
        print(f"  {table:<28} {n:>12,}")
    print(f"  案件状态：{states}")
    print(f"  受理年份：{years}")
    print(f"  决定公开：{publications}")
    print(f"  大执法主体 {big['code']}（id {big['id']}）：{info['big_agency']['cases']:,} 件")
    print(
        f"  大案件 id {big_case_id}：记录 {info['big_case']['records']}，文书 {info['big_case']['documents']}，"
        f"证据 {info['big_case']['evidence']}"
    )
    print(f"  用户（密码 {PASSWORD}）：{info['users']}")
    print(f"  文件目录（ZHIFA_VAR_DIR）：{var}")
    print(f"  写入 {out}")
    return info


# ---------------------------------------------------------------------------------------------------------------
# --check: the pages a load test will measure, rendered once each through Django's test client.


def check(dbname: str) -> int:
    """GET each page the load test measures, as the user it measures it for; print status and time; 0 if all 200."""
    info = json.loads((ROOT / "var" / "bench" / f"province-{dbname}.json").read_text())
    os.environ["ZHIFA_DATABASE_URL"] = info["database_url"]
    os.environ["ZHIFA_VAR_DIR"] = info["var_dir"]
    os.environ["ZHIFA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.test import Client

    from zhifa.cases.models import Case
    from zhifa.records.models import Document, Evidence
    from zhifa.review.models import Submission

    users = info["users"]
    big = info["big_agency"]
    case_id = info["big_case"]["id"]
    doc = Document.objects.filter(case_id=case_id).exclude(pdf_name="").order_by("pk").first()
    ev = Evidence.objects.filter(case_id=case_id).order_by("pk").first()
    per_state = (
        Case.objects.filter(agency_id=big["id"])
        .order_by("state", "-pk")
        .distinct("state")
        .values_list("pk", flat=True)
    )
    submission = Submission.objects.filter(case__agency_id=big["id"]).order_by("-pk").first()
    pages = {
        users["officer"]: ["/", "/cases/", "/cases/?state=investigating", "/workdays/deadlines/"],
        users["big_case_officer"]: [
            f"/cases/{case_id}/",
            f"/records/cases/{case_id}/documents/",
            f"/records/documents/{doc.pk}/",
            f"/records/documents/{doc.pk}/download/pdf/",
            f"/records/evidence/{ev.pk}/",
            f"/records/evidence/{ev.pk}/file",
        ],
        users["head"]: [
            "/",
            "/cases/",
            "/review/",
            "/workdays/deadlines/",
            "/records/access-log/",
            f"/records/access-log/?case={case_id}",
            "/catalog/publications/",
            "/catalog/publications/?late=1",
            *[f"/cases/{pk}/" for pk in per_state],
        ],
        users["reviewer"]: ["/review/", *([f"/review/{submission.pk}/"] if submission else [])],
        users["supervisor"]: ["/", "/cases/", "/records/access-log/", "/catalog/publications/"],
        None: info["portal_urls"],
    }
    failed = 0
    for username, urls in pages.items():
        client = Client()
        if username:
            assert client.login(username=username, password=PASSWORD), f"{username} 无法登录"
        for url in urls:
            t0 = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - t0) * 1000
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            ok = response.status_code == 200
            failed += not ok
            print(
                f"{'ok ' if ok else 'BAD'} {response.status_code} {ms:7.0f} ms  {username or '（公众）'}  {url}"
            )
    search = info.get("decision_search")
    if search:
        found = search["finds"] in Client().get(search["url"]).content.decode()
        failed += not found
        print(f"{'ok ' if found else 'BAD'} 按文号检索到生成的决定 {search['finds']}：{search['url']}")
    return 1 if failed else 0


if __name__ == "__main__":
    main()
