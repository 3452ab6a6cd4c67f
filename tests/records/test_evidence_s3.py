"""The S3 backend (django-storages) round-trip against a real HTTP S3 endpoint the test starts itself (moto's
server; no MinIO server is installable here). Skipped when django-storages, boto3 or moto[server] is missing."""

import hashlib
import socket

import pytest
from django.core.files.storage import default_storage

pytest.importorskip("storages.backends.s3")
boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from zhifa.records import evidence, ingest, storage  # noqa: E402
from zhifa.records.evidence_views import _stream  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="zhifa-evidence")
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "zhifa-evidence",
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "file_overwrite": False,
            },
        },
    }
    yield endpoint
    server.stop()


def test_s3_round_trip(cw, s3, tmp_path):
    from zhifa.cases import actions as case_actions

    case = cw.new_case()
    case_actions.request_filing(cw.officer, case)
    case_actions.approve_filing(cw.head, case, opinion="同意立案")
    path = tmp_path / "in.pdf"
    path.write_bytes(PDF)
    sha = hashlib.sha256(PDF).hexdigest()
    item = evidence.add_evidence(
        cw.officer,
        case,
        received=ingest.Received(path, sha, len(PDF)),
        kind="documentary",
        description="书证",
    )
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage._wrapped, S3Storage)
    objects = boto3.client("s3", endpoint_url=s3, region_name="us-east-1").list_objects_v2(
        Bucket="zhifa-evidence"
    )
    assert [o["Key"] for o in objects["Contents"]] == [item.file_name]
    assert storage.rehash(item.file_name) == (sha, len(PDF))
    assert b"".join(_stream(item.file_name, 100, 50)) == PDF[100:150]
    # storing the same bytes again keeps the one object
    again = storage.put_path(path, sha256=sha, size=len(PDF), ext="pdf", prefix="evidence")
    assert again.name == item.file_name
    assert [r["result"] for r in evidence.check_fixity()] == ["ok"]
    boto3.client("s3", endpoint_url=s3, region_name="us-east-1").put_object(
        Bucket="zhifa-evidence", Key=item.file_name, Body=PDF[:-1] + b"!"
    )
    assert [r["result"] for r in evidence.check_fixity()] == ["mismatch"]
