"""The suite's API fuzzing run (schemathesis, from the OpenAPI schema the platform publishes): every operation of
``/api/v1/`` with generated requests, as people of every role, each with a personal API token. No answer is a
server error (5xx); every answer matches the schema (its body for a documented status, its content type); a
refused request changes nothing; and after the run ``zhifa ledger verify --state`` passes — bad input cannot make
the platform's own check report tampering.

``ZHIFA_FUZZ_EXAMPLES`` requests per operation (default 6) keep it within CI's time; raise it for a soak.
"""

import json
import os
from urllib.parse import urlencode

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response as SchemathesisResponse
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from tests.fingerprint import fingerprint
from zhifa.ledger import checks
from zhifa.org import actions as org_actions

EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_EXAMPLES", "6"))
ROLES = ("officer", "head", "reviewer", "sysadmin", "secadmin", "officer_b", "supervisor")


def _real_ids():
    """Ids of existing objects per path prefix, so generated requests also reach real objects (not only 404s)."""
    from zhifa.cases.models import Case, Party
    from zhifa.org.models import Agency, Certificate, Person
    from zhifa.records.models import Document, Evidence
    from zhifa.review.models import Discussion, Submission
    from zhifa.workdays.models import Deadline

    models = {
        "/api/v1/cases/": Case,
        "/api/v1/parties/": Party,
        "/api/v1/agencies/": Agency,
        "/api/v1/people/": Person,
        "/api/v1/certificates/": Certificate,
        "/api/v1/documents/": Document,
        "/api/v1/evidence/": Evidence,
        "/api/v1/reviews/": Submission,
        "/api/v1/discussions/": Discussion,
        "/api/v1/deadlines/": Deadline,
    }
    return {prefix: list(model.objects.values_list("pk", flat=True)[:5]) for prefix, model in models.items()}


def _operations(client):
    raw = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schema = schemathesis.openapi.from_dict(raw)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50  # every family of endpoints is in the schema
    return operations


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _validate(generated, method, path, data, media, response):
    """Raise schemathesis' failure when the answer is a 5xx or does not match the operation in the schema."""
    request = requests.Request(
        method, "http://testserver" + path, data=data, headers={"Content-Type": media}
    ).prepare()
    headers = {key.lower(): [value] for key, value in response.items()}
    answer = SchemathesisResponse(
        status_code=response.status_code,
        headers=headers,
        content=b"" if response.streaming else response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    generated.validate_response(answer, checks=CHECKS)


@pytest.mark.slow(seconds=4 * EXAMPLES)
@pytest.mark.django_db
def test_api_fuzzing_leaves_the_ledger_verifiable(cw, client):  # noqa: F811
    case = cw.investigate(cw.new_case())
    assert case.pk
    client.force_login(cw.officer)
    client.raise_request_exception = False
    operations = _operations(client)
    ids = _real_ids()
    statuses = {}
    # Each role calls with its own personal API token, as an integration would (no session).
    tokens = {role: org_actions.create_api_token(getattr(cw, role), name="fuzz")[1] for role in ROLES}
    client.logout()

    for operation in operations:

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(generated=operation.as_strategy(), role=st.sampled_from(ROLES), pick=st.integers(0, 2))
        def send(generated, role, pick):
            known = next((v for prefix, v in ids.items() if generated.path.startswith(prefix)), [])
            if (
                known and "id" in (generated.path_parameters or {}) and pick < 2
            ):  # two in three: a real object
                generated.path_parameters["id"] = known[pick % len(known)]
            path = generated.formatted_path
            if generated.query:
                path += "?" + urlencode(generated.query, doseq=True)
            body = generated.body
            if isinstance(body, bytes):
                data, media = body, generated.media_type or "application/octet-stream"
            elif body is None or body.__class__.__name__ == "NotSet":
                data, media = b"", "application/json"
            else:
                data, media = json.dumps(body, default=str), "application/json"
            before = fingerprint()
            response = client.generic(
                generated.method.upper(),
                path,
                data=data,
                content_type=media,
                HTTP_AUTHORIZATION=f"Bearer {tokens[role]}",
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, f"{generated.method} {path} ({role}): server error"
            _validate(generated, generated.method.upper(), path, data, media, response)
            if response.status_code >= 400:
                assert fingerprint() == before, f"refused {generated.method} {path} changed something"

        send()

    print("API fuzzing:", len(operations), "operations, responses by status:", dict(sorted(statuses.items())))
    assert sum(statuses.values()) >= len(operations)
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
    report = checks.verify(state=True)
    assert report.ok, [str(p) for p in report.problems[:5]]
