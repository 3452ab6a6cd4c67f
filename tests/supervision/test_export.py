"""For the supervising 司法局: the export package of a supervised agency's case files (a job; ZIP with the case
files, a CSV, the schema and a manifest of hashes) and the API that hands out the same case files; both scoped to the
agencies the caller supervises, every case handed out in the access log."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import jsonschema
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import Job
from zhifa.ledger.models import Entry
from zhifa.supervision import export


def _access_entries(reason_part: str) -> list[Entry]:
    return [
        e
        for e in Entry.objects.filter(action="ledger.access", object_kind="cases.case")
        if reason_part in json.loads(bytes(e.body))["record"]["payload"]["reason"]
    ]


def test_the_package_holds_every_case_file_of_the_period_with_its_schema_and_hashes(counted):
    w = counted
    out = io.BytesIO()
    manifest = export.package(w.supervisor, w.a, w.start, w.end, out, batch=2)
    expected = list(export.cases_in([w.a.pk], w.start, w.end).values_list("reference", flat=True))
    assert manifest["cases"] == len(expected) >= 2
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert sorted(zf.namelist()) == ["cases.csv", "cases.jsonl", "manifest.json", "schema.json"]
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        schema = json.loads(zf.read("schema.json"))
        files = [json.loads(line) for line in zf.read("cases.jsonl").decode().splitlines()]
        table = zf.read("cases.csv").decode("utf-8-sig").splitlines()
    assert sorted(f["reference"] for f in files) == sorted(expected)
    for f in files:
        jsonschema.validate(f, schema)
    fined = next(f for f in files if f["reference"] == w.decided[0].reference)
    assert fined["fine_amount"] == "12000.50" and fined["remedies"][0]["outcome"] == "annulled"
    assert fined["officers"] and fined["publication"] is not None
    assert len(table) == len(files) + 1
    # every case handed out is in the agency's access log
    handed = _access_entries("监督导出")
    assert sorted(int(e.object_id) for e in handed) == sorted(
        export.cases_in([w.a.pk], w.start, w.end).values_list("pk", flat=True)
    )
    assert all(e.actor_id == w.supervisor.pk and e.log.agency_id == w.a.pk for e in handed)


def test_a_supervisor_exports_from_the_page_and_downloads_the_package(
    counted, client, login, django_capture_on_commit_callbacks
):
    w = counted
    url = reverse("supervision:export")
    for person in (w.officer, w.head):
        login(person)
        assert client.get(url).status_code == 403
    login(w.supervisor)
    page = client.get(url).content.decode()
    assert (
        f'value="{timezone.localdate():%Y-%m-%d}"' in page
    )  # the date inputs are filled (ISO, as browsers read)
    assert client.post(url, {"agency": w.a.pk, "start": w.end, "end": w.start}).status_code == 400
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"agency": w.a.pk, "start": w.start, "end": w.end})
    job = Job.objects.get(kind="supervision.export")
    assert response["Location"] == reverse("job", args=[job.pk]) and job.state == "done"
    data = b"".join(client.get(reverse("job_download", args=[job.pk])).streaming_content)
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    login(w.head)  # not the starter
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_api_hands_out_the_same_case_files_to_supervisors_only(counted, client, login):
    w = counted
    url = reverse("supervision-case-file-list")
    query = {"agency": w.a.code, "since": w.start.isoformat(), "until": w.end.isoformat()}
    login(w.officer)
    assert client.get(url, query).status_code == 403
    login(w.head)
    assert client.get(url, query).status_code == 403
    login(w.supervisor)
    assert client.get(url, {**query, "until": "x"}).status_code == 400
    assert client.get(url, {**query, "agency": w.b.code}).status_code == 403  # not supervised
    response = client.get(url, {**query, "limit": 1})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1 and body["next"]
    second = client.get(body["next"]).json()
    refs = {body["results"][0]["reference"], second["results"][0]["reference"]}
    assert len(refs) == 2
    assert len(_access_entries("监督接口调取")) == 2  # one per case handed out
    everything = client.get(url, {**query, "limit": 200}).json()["results"]
    out = io.BytesIO()
    export.package(w.supervisor, w.a, w.start, w.end, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        packaged = {
            json.loads(x)["reference"]: json.loads(x) for x in zf.read("cases.jsonl").decode().splitlines()
        }
    assert {f["reference"]: f for f in everything} == packaged
