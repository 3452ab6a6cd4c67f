"""Resident size of the processes of a deployment (issue 14 item 5); prints a table (not a test).

Starts ``gunicorn zhifa.wsgi`` with 2 workers on a free loopback port, as ``zhifa run`` does, over a temporary
``ZHIFA_VAR_DIR`` holding a migrated SQLite database with one agency, two officers, one case and one draft document
(the case's 案件受理记录). It prints VmRSS (``/proc/<pid>/status``) of the master and of each worker

- at rest (booted, the application loaded, no request served yet),
- after each worker has served the login page,
- after one worker has rendered one PDF (the draft's preview: the first use of WeasyPrint),

of a ``zhifa worker`` process at rest (started, its first round of due jobs run: its size has stopped
changing), and the peak of a process ingesting one evidence file (``BENCH_RSS_EVIDENCE_BYTES``, default 2 GiB) through
the resumable upload path, as bench/evidence.py does but without migrating in the same process. ``BENCH_RSS_DIR`` puts the temporary folder somewhere else than the system's temporary directory.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Pass-2026!"

SETUP = r"""
import os, sys
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
import datetime as dt
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.cases import actions as cases
from zhifa.cases.choices import IdType, PartyKind, Source
from zhifa.org.models import EnforcementField
from zhifa.records import actions as records
from zhifa.records.choices import DocumentKind
from tests.conftest import _credit

org.add_field(None, code="medical", name="医疗卫生", abbreviation="医")
agency = org.create_agency(None, code="bench", name="基准卫生健康局", short_name="基卫",
                           credit_code=_credit("11440300MB2D0000A"), region="基准区")
unit = org.add_unit(None, agency, name="监督科")
officers = []
for n in (1, 2):
    person = org.add_person(None, agency, username=f"bench_officer{n}", password=sys.argv[2],
                            full_name=f"基准执法{n}", unit=unit, must_change_password=False)
    org.grant_role(None, person, Role.OFFICER)
    org.issue_certificate(None, person, number=f"B-{n}", field_codes=["medical"], issuer="基准区人民政府",
                          valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2099, 1, 1))
    officers.append(person)
party = cases.register_party(officers[0], agency, kind=PartyKind.LEGAL, name="基准诊所",
                             id_type=IdType.CREDIT_CODE, id_number="91350100M000100Y43", address="基准路1号",
                             legal_representative="李")
case = cases.accept_case(officers[0], party=party, cause="基准", source=Source.INSPECTION,
                         field=EnforcementField.objects.get(code="medical"), unit=unit, officers=officers,
                         summary="基准", violation_date=dt.date.today() - dt.timedelta(days=3))
document = records.generate_document(officers[0], case, kind=DocumentKind.INTAKE_RECORD)
print(document.pk)
"""


# The evidence ingest of bench/evidence.py in a process of its own that does not migrate (the database was migrated
# by SETUP; a migrating process peaks far above what an upload needs): its size once Django is set up, and its
# peak (ru_maxrss) after a file of EVIDENCE_BYTES has been received in 8 MB pieces, hashed and stored.
INGEST = r"""
import os, resource, sys
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
import django
django.setup()
from pathlib import Path
from zhifa.cases.models import Case
from zhifa.org.models import Person
from zhifa.records import evidence

officer = Person.objects.get(username="bench_officer1")
case = Case.objects.get()
path = Path(sys.argv[2])
size = path.stat().st_size
before = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])
up = evidence.start_upload(officer, case, size=size, original_name=path.name)
with open(path, "rb") as fh:
    while up.received < size:
        up = evidence.receive_piece(officer, up.pk, offset=up.received, stream=fh,
                                    length=min(8 * 1024 * 1024, size - up.received))
evidence.finish_upload(officer, up.pk, kind="electronic", description="基准文件")
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
EVIDENCE_BYTES = int(os.environ.get("BENCH_RSS_EVIDENCE_BYTES", str(2 * 1024**3)))


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served_by(log: Path) -> list[tuple[int, str]]:
    """(worker pid, request line) of each request in gunicorn's access log (format ``%(p)s %(r)s``)."""
    rows = []
    for line in log.read_text().splitlines():
        pid, _, request = line.partition(" ")
        rows.append((int(pid.strip("<>")), request))
    return rows


def settle(pids: list[int], seconds: float = 60) -> None:
    """Wait until the resident size of every process has stayed the same for two seconds (start-up done)."""
    end, last, since = time.monotonic() + seconds, None, time.monotonic()
    while time.monotonic() < end:
        now = [rss_kb(p) for p in pids]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 2:
            return
        time.sleep(0.25)


def mb(kb: int) -> str:
    return f"{kb / 1024:7.1f} MB"


def _snippet(code: str, args: list[str], env: dict) -> str | None:
    """Run one of the scripts above in a Python process of its own; its output, or None (after printing the error)."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if out.returncode:
        print(out.stderr[-3000:], file=sys.stderr)
        return None
    return out.stdout


def main() -> int:
    base = Path(os.environ.get("BENCH_RSS_DIR", tempfile.gettempdir()))
    base.mkdir(parents=True, exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="zhifa-bench-rss-", dir=base))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ZHIFA_DATABASE_URL", "ZHIFA_S3_BUCKET", "ZHIFA_REDIS_URL")
    }
    env.update(
        ZHIFA_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="zhifa.settings", ZHIFA_PASSWORD_MAX_AGE_DAYS="0"
    )
    procs: list[subprocess.Popen] = []
    try:
        out = _snippet(SETUP, [PASSWORD], env)
        if out is None:
            return 1
        document = int(out.split()[-1])
        port, log = free_port(), var / "access.log"
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "zhifa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
            + ["--access-logfile", str(log), "--access-logformat", "%(p)s %(r)s", "--timeout", "120"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(master)
        site = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 60
        while len(children(master.pid)) < 2 and time.monotonic() < end:
            time.sleep(0.2)
        workers = children(master.pid)
        settle(workers)  # booted: a sync worker loads the application before it accepts
        table: dict[str, list[int]] = {"at rest": [rss_kb(p) for p in [master.pid, *workers]]}

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(60):  # the kernel hands each connection to one worker: ask until both have answered
            page = opener.open(f"{site}/login/", timeout=30).read().decode()
            if {pid for pid, _ in served_by(log)} >= set(workers):
                break
        table["login page served"] = [rss_kb(p) for p in [master.pid, *workers]]

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "bench_officer1", "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(f"{site}/login/", data=form, headers={"Referer": f"{site}/login/"})
        opener.open(request, timeout=30).read()
        pdf = opener.open(f"{site}/records/documents/{document}/preview.pdf", timeout=120).read()
        if not pdf.startswith(b"%PDF"):
            print("the preview did not answer a PDF (login failed?)", file=sys.stderr)
            return 1
        renderer = [pid for pid, line in served_by(log) if "preview.pdf" in line][-1]
        table["one PDF rendered"] = [rss_kb(p) for p in [master.pid, *workers]]

        consumer = subprocess.Popen(
            [sys.executable, "-m", "zhifa.cli", "worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(consumer)
        time.sleep(1)
        settle([consumer.pid])  # started, its first round of due jobs done
        consumer_kb = rss_kb(consumer.pid) + sum(rss_kb(p) for p in children(consumer.pid))

        blob = var / "evidence.bin"
        with open(blob, "wb") as fh:
            fh.write(b"%PDF-1.4\n")
            block, left = os.urandom(8 * 1024 * 1024), EVIDENCE_BYTES - 9
            while left > 0:
                left -= fh.write(block[: min(left, len(block))])
        out = _snippet(INGEST, [str(blob)], env)
        if out is None:
            return 1
        ingest_before, ingest_peak = (int(n) for n in out.split()[-2:])
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(var, ignore_errors=True)

    names = ["master", *[f"worker {p}" + (" (rendered the PDF)" if p == renderer else "") for p in workers]]
    print("resident size (VmRSS) of gunicorn zhifa.wsgi, 2 workers, SQLite")
    width = max(len(n) for n in names)
    print(f"  {'':{width}}  " + "  ".join(f"{k:>18}" for k in table))
    for i, name in enumerate(names):
        print(f"  {name:{width}}  " + "  ".join(f"{mb(v[i]):>18}" for v in table.values()))
    print(f"zhifa worker at rest  {mb(consumer_kb)}")
    print(
        f"evidence ingest of {EVIDENCE_BYTES / 1024**2:,.0f} MB in a process of its own: {mb(ingest_before)} once "
        f"Django is set up, peak {mb(ingest_peak)} (target < 150 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
