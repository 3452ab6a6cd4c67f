"""问责: a decision on the people responsible for a problem, recorded by the agency's supervisor, citing the case's
responsibility chain as the ledger holds it (who submitted, reviewed, decided and signed, with their entries)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.records import conftest as records_fixtures
from tests.supervision import test_checks
from zhifa.ledger.models import Entry
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.supervision import actions
from zhifa.supervision.choices import Measure

clock, cw = test_checks.clock, test_checks.cw
_seal_dir = records_fixtures._seal_dir
_upload_dir = test_checks._upload_dir


@pytest.fixture
def rectification(cw, tmp_path):
    """A case walked to 结案 (reviewed, decided, served, closed), drawn in an evaluation of its closing day and
    found wanting in its decision; the problem made a rectification owned by its lead officer."""
    case = test_checks.close(cw, test_checks.decided(cw, tmp_path), tmp_path)
    cw.clock.move_to(case.closed_on + dt.timedelta(days=3))
    evaluation = actions.create_evaluation(
        cw.supervisor,
        title="评查",
        period_start=case.closed_on,
        period_end=case.closed_on,
        agencies=[cw.a],
        evaluators=[cw.supervisor],
        rate=100,
    )
    actions.draw_sample(cw.supervisor, evaluation)
    f = evaluation.files.get()
    actions.answer_item(cw.supervisor, f, code="decision", verdict="fail", points=0, reason="裁量说明不充分")
    return actions.open_rectification(
        cw.supervisor, f, item_code="decision", problem="裁量说明不充分", requirement="补正", owner=cw.officer
    )


def _record(cw, r, who=None, **kw):
    args = dict(
        people=[cw.officer],
        measure=Measure.CRITICISM,
        decided_by_body="甲区卫生健康局",
        decided_on=cw.clock.today,
        reasons="作出处罚决定时裁量说明不充分。",
    )
    args.update(kw)
    return actions.record_accountability(who or cw.supervisor, r, **args)


def test_the_record_cites_the_chain_read_from_the_ledger(cw, rectification):
    record = _record(cw, rectification, people=[cw.officer, cw.head])
    chain = record.chain
    decide = [c for c in chain if c["action"] == "cases.decide"]
    assert decide and decide[0]["person"] == cw.head.pk
    assert any(c["action"] == "review.give_opinion" and c["person"] == cw.reviewer.pk for c in chain)
    for c in chain:  # each link is the entry it names
        entry = Entry.objects.get(log_id=cw.a.pk, seq=c["seq"])
        assert entry.action == c["action"] and entry.actor_id == c["person"]
    assert set(record.people.values_list("pk", flat=True)) == {cw.officer.pk, cw.head.pk}
    entry = Entry.objects.get(object_kind="supervision.accountability", object_id=str(record.pk))
    assert entry.log_id == cw.a.pk and entry.actor_id == cw.supervisor.pk


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"who": "officer"}, PermissionDenied),
        ({"people": []}, ValidationError),
        ({"people": "officer_b"}, ValidationError),
        ({"measure": "fired"}, ValidationError),
        ({"reasons": " "}, ValidationError),
        ({"decided_by_body": ""}, ValidationError),
        ({"decided_on": "tomorrow"}, ValidationError),
    ],
)
def test_who_may_record_it_and_what_it_must_say(cw, rectification, change, error):
    change = dict(change)
    who = getattr(cw, change.pop("who")) if "who" in change else None
    if change.get("people") == "officer_b":
        change["people"] = [cw.officer_b]
    if change.get("decided_on") == "tomorrow":
        change["decided_on"] = cw.clock.today + dt.timedelta(days=1)
    with pytest.raises(error):
        _record(cw, rectification, who=who, **change)
    assert not rectification.accountabilities.exists()


def test_the_page_shows_the_chain_and_records_the_decision(cw, rectification, login, client):
    url = reverse("supervision:new_accountability", args=[rectification.pk])
    login(cw.head)
    page = client.get(rectification.get_absolute_url()).content.decode()
    assert url not in page
    assert client.get(url).status_code == 403
    login(cw.supervisor)
    assert url in client.get(rectification.get_absolute_url()).content.decode()
    form = client.get(url).content.decode()
    assert "作出决定（签发）" in form and cw.head.full_name in form
    decided = Entry.objects.filter(action="cases.decide", object_id=str(rectification.case_id)).get()
    assert (
        timezone.localtime(decided.at).strftime("%Y-%m-%d %H:%M") in form
    )  # in local time, as every page shows
    response = client.post(
        url,
        {
            "people": [cw.officer.pk],
            "measure": Measure.ADMONITION,
            "decided_by_body": "甲区卫生健康局",
            "decided_on": cw.clock.today.isoformat(),
            "reasons": "",
        },
    )
    assert response.status_code == 200 and not rectification.accountabilities.exists()
    response = client.post(
        url,
        {
            "people": [cw.officer.pk],
            "measure": Measure.ADMONITION,
            "decided_by_body": "甲区卫生健康局",
            "decided_on": cw.clock.today.isoformat(),
            "reasons": "裁量说明不充分。",
        },
    )
    assert response.status_code == 302
    login(cw.head)  # the agency's head reads it on the rectification
    page = client.get(rectification.get_absolute_url()).content.decode()
    assert "诫勉谈话" in page and cw.officer.full_name in page


def test_a_person_of_another_unit_holding_the_supervisor_role_cannot_hold_others_accountable(
    cw, rectification
):
    outsider = cw.person(cw.b, "sup_b", "乙监督")
    org.grant_role(None, outsider, Role.SUPERVISOR, cw.b)
    with pytest.raises(PermissionDenied):
        _record(cw, rectification, who=outsider)
