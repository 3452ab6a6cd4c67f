"""The 案卷: index in the legal order, archiving (closed cases only, read-only after), the package that verifies
offline and fails after one changed byte, and the ``zhifa records`` command."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from zhifa.cases import actions as case_actions
from zhifa.core.errors import RuleViolation
from zhifa.core.models import Job
from zhifa.ledger import notes
from zhifa.records import archive, evidence, ingest, verify_archive
from zhifa.records.demo import complete_file
from zhifa.records.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def case(cw, tmp_path):
    c = cw.new_case()
    case_actions.request_filing(cw.officer, c)
    case_actions.approve_filing(cw.head, c, opinion="同意立案")
    for i, data in enumerate((PDF, PDF + b"2")):
        path = tmp_path / f"e{i}"
        path.write_bytes(data)
        evidence.add_evidence(
            cw.officer,
            c,
            received=ingest.Received(path, hashlib.sha256(data).hexdigest(), len(data)),
            kind="documentary",
            description=f"书证{i + 1}",
        )
    c.refresh_from_db()
    return c


def test_archive_needs_a_closed_case_and_makes_it_read_only(cw, case, tmp_path):
    with pytest.raises(RuleViolation, match="归档"):
        archive.archive_case(cw.head, case)
    case_actions.terminate(cw.head, case, reason="违法事实不能成立")
    case.refresh_from_db()
    with pytest.raises(RuleViolation, match="缺少已定稿的《立案报告》"):  # a terminated case keeps its filing
        archive.archive_case(cw.head, case)
    complete_file(case, [cw.officer, cw.officer2])
    archived = archive.archive_case(cw.head, case)
    assert archived.state == "archived"
    path = tmp_path / "late"
    path.write_bytes(PDF + b"late")
    with pytest.raises(RuleViolation, match="已归档"):
        evidence.add_evidence(
            cw.officer,
            archived,
            received=ingest.Received(
                path, hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size
            ),
            kind="documentary",
            description="补充",
        )


def test_package_verifies_offline_and_fails_after_one_byte(cw, case, tmp_path):
    case_actions.terminate(cw.head, case, reason="违法事实不能成立")
    complete_file(case, [cw.officer, cw.officer2])
    case.refresh_from_db()
    archive.archive_case(cw.head, case)
    case.refresh_from_db()
    out = tmp_path / "case.zip"
    with open(out, "wb") as fh:
        manifest = archive.package(case, fh)
    assert [row["title"] for row in manifest["index"]] == ["立案报告", "书证：书证1", "书证：书证2"]
    assert manifest["retention_years"] == 30
    with zipfile.ZipFile(out) as z:
        key = notes.parse_vkey(z.read("ledger/agency.pub").decode())
        assert "卷内目录" in z.read("卷内目录.txt").decode()
    assert verify_archive.verify(str(out), key) == []
    # change one byte of one evidence file inside the package
    with zipfile.ZipFile(out) as z:
        contents = {name: z.read(name) for name in z.namelist()}
    target = manifest["index"][1]["path"]
    changed = bytearray(contents[target])
    changed[3] ^= 1
    contents[target] = bytes(changed)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in contents.items():
            z.writestr(name, data)
    problems = verify_archive.verify(str(bad), key)
    assert len(problems) == 1 and "SHA-256不一致" in problems[0]
    # a manifest rewritten to the changed file's hash is caught by the ledger
    m = json.loads(contents["manifest.json"])
    m["index"][1]["sha256"] = hashlib.sha256(contents[target]).hexdigest()
    contents["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in contents.items():
            z.writestr(name, data)
    assert "不在经验证的账本记录中" in verify_archive.verify(str(bad), key)[0]


def test_records_command(cw, case, tmp_path):
    out = io.StringIO()
    call_command("records", "fixity", stdout=out)
    assert "已校验 2 个文件，0 个异常" in out.getvalue()
    case_actions.terminate(cw.head, case, reason="违法事实不能成立")
    target = tmp_path / "x.zip"
    call_command("records", "archive", str(case.pk), "--output", str(target), stdout=out)
    assert target.exists() and Evidence.objects.count() == 2
    call_command("records", "sweep", stdout=out)


def test_case_file_page(cw, case, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    url = reverse("records:case_file", args=[case.pk])
    assert client.get(url).status_code == 302
    client.force_login(cw.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(cw.officer)
    page = client.get(url).content.decode()
    assert "卷内目录" in page and "书证1" in page
    client.post(url)
    case.refresh_from_db()
    assert case.state != "archived"  # not closed
    case_actions.terminate(cw.head, case, reason="违法事实不能成立")
    assert ">归档</button>" not in client.get(url).content.decode()  # an officer is not offered the button
    client.post(url)  # and may not archive
    case.refresh_from_db()
    assert case.state != "archived"
    client.force_login(cw.head)
    page = client.get(url).content.decode()
    assert "归档前尚需" in page and "缺少已定稿的《立案报告》" in page and ">归档</button>" in page
    client.post(url)  # the file is not complete
    case.refresh_from_db()
    assert case.state != "archived"
    complete_file(case, [cw.officer, cw.officer2])
    client.post(url)
    case.refresh_from_db()
    assert case.state == "archived"
    # the archive package is made by a background job: its page shows the progress, then the download
    assert client.get(url + "?export=1").status_code == 200  # a GET starts nothing
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"export": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.state, job.attempts, job.target_id) == (
        "records.archive_package",
        "done",
        1,
        str(case.pk),
    )
    assert job.done == job.total > 0
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and 'value="100"' in page and f"下载 case-{case.pk}.zip" in page
    api = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (api["state"], api["percent"], api["download"]) == ("done", 100, f"/jobs/{job.pk}/download/")
    download = client.get(api["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert "manifest.json" in names and "卷内目录.txt" in names
    # nobody else sees the job, its file or its state — not even the case's own officer
    client.force_login(cw.officer)
    for path in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", f"/api/v1/jobs/{job.pk}/"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/jobs/").json()["count"] == 0
