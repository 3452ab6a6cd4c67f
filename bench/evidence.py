"""Benchmark of evidence ingest and fixity; prints a table (not a test).

- ingest of one large file (default 2 GiB, ``BENCH_EVIDENCE_BYTES``) through the resumable upload path (start,
  pieces of 8 MB read from a stream, finish: hash, type, store under its SHA-256, evidence row and ledger entry),
  in a child process whose peak resident memory is measured; side by side in the same run with ``sha256sum`` plus
  ``cp`` of the same file (the physical limit: read to hash, read and write to store);
- fixity scan throughput (re-hash of the stored file).

The database is SQLite in a temporary folder (``BENCH_EVIDENCE_DIR``); the file is made once and reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = int(os.environ.get("BENCH_EVIDENCE_BYTES", str(2 * 1024**3)))
WORK = Path(os.environ.get("BENCH_EVIDENCE_DIR", str(Path(tempfile.gettempdir()) / "zhifa-bench-evidence")))


def make_file(path: Path) -> None:
    if path.exists() and path.stat().st_size == SIZE:
        return
    block = os.urandom(8 * 1024 * 1024)
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        left = SIZE - 9
        while left > 0:
            n = min(left, len(block))
            fh.write(block[:n])
            left -= n


def baseline(path: Path) -> float:
    copy = WORK / "copy.bin"
    start = time.perf_counter()
    subprocess.run(["sha256sum", str(path)], check=True, capture_output=True)
    shutil.copyfile(path, copy)
    os.sync()
    elapsed = time.perf_counter() - start
    copy.unlink()
    return elapsed


INGEST = r"""
import os, sys, time, resource
from pathlib import Path
sys.path.insert(0, sys.argv[1])
os.environ["ZHIFA_VAR_DIR"] = sys.argv[3]
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import datetime as dt
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.cases import actions as cases
from zhifa.cases.choices import IdType, PartyKind, Source
from zhifa.org.models import Agency, EnforcementField, Person
from zhifa.records import evidence
from tests.conftest import _credit

agency = Agency.objects.filter(code="bench").first()
if agency is None:
    org.add_field(None, code="medical", name="医疗卫生", abbreviation="医")
    agency = org.create_agency(None, code="bench", name="基准卫生健康局", short_name="基卫",
                               credit_code=_credit("11440300MB2D0000A"), region="基准区")
unit = agency.units.first() or org.add_unit(None, agency, name="监督科")
officers = []
for n in (1, 2):
    person = Person.objects.filter(username=f"bench_officer{n}").first()
    if person is None:
        person = org.add_person(None, agency, username=f"bench_officer{n}", password="Bench-Pass-2026!",
                                full_name=f"基准执法{n}", unit=unit, must_change_password=False)
        org.grant_role(None, person, Role.OFFICER)
        org.issue_certificate(None, person, number=f"B-{n}", field_codes=["medical"], issuer="基准区人民政府",
                              valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2099, 1, 1))
    officers.append(person)
officer = officers[0]
party = cases.register_party(officer, agency, kind=PartyKind.LEGAL, name="基准诊所", id_type=IdType.CREDIT_CODE,
                             id_number="91350100M000100Y43", address="基准路1号", legal_representative="李")
case = cases.accept_case(officer, party=party, cause="基准", source=Source.INSPECTION,
                         field=EnforcementField.objects.get(code="medical"), unit=unit, officers=officers,
                         summary="基准", violation_date=dt.date.today() - dt.timedelta(days=3))
path = Path(sys.argv[2])
size = path.stat().st_size
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
up = evidence.start_upload(officer, case, size=size, original_name=path.name)
piece = 8 * 1024 * 1024
with open(path, "rb") as fh:
    offset = 0
    while offset < size:
        n = min(piece, size - offset)
        up = evidence.receive_piece(officer, up.pk, offset=offset, stream=fh, length=n)
        offset = up.received
item = evidence.finish_upload(officer, up.pk, kind="electronic", description="基准文件")
ingest = time.perf_counter() - start
start = time.perf_counter()
evidence.check_fixity(limit=1000)
fixity = time.perf_counter() - start
print(ingest, fixity, rss_before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "evidence.bin"
    make_file(path)
    var = tempfile.mkdtemp(prefix="var-", dir=WORK)
    try:
        base = baseline(path)
        out = subprocess.run(
            [sys.executable, "-c", INGEST, str(ROOT), str(path), var],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        out = out.stdout.split()
        ingest, fixity, rss_before, rss_kb = float(out[-4]), float(out[-3]), int(out[-2]), int(out[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)
    mb = SIZE / 1024**2
    print(f"evidence ingest, {mb:,.0f} MB file")
    print(f"  sha256sum + cp          {base:8.2f} s  {mb / base:8.1f} MB/s")
    print(
        f"  upload path (8 MB pieces) {ingest:6.2f} s  {mb / ingest:8.1f} MB/s  ratio {base / ingest:6.1%}  (target ≥ 70 %)"
    )
    print(
        f"  peak resident memory of the ingesting process  {rss_kb / 1024:6.1f} MB  (target < 150 MB); "
        f"of which {rss_before / 1024:.1f} MB before the upload began (Django and the apps loaded)"
    )
    print(f"  fixity re-hash           {fixity:8.2f} s  {mb / fixity:8.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
