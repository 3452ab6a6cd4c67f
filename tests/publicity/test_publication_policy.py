"""The agency's 事后公开 settings (publicity.policy): the naming of a natural-person party and how long a decision
stays online, set by its system administrator as data, used by submit and release; decisions taken offline by the
periodic task when their period ends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from tests.publicity.test_publication import _decided
from zhifa.core import queue
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger import checks
from zhifa.ledger import queries as ledger_queries
from zhifa.publicity import policy, publication, rules
from zhifa.publicity.choices import PublicationState

pytestmark = pytest.mark.django_db


def _admin(cw):  # noqa: F811
    from zhifa.org.choices import Role
    from zhifa.org.models import Person

    return Person.objects.filter(roles__role=Role.SYSTEM_ADMIN, roles__agency=cw.a).first()


def test_the_defaults_and_the_retention_rule():
    d = rules.PUBLICATION_DEFAULTS
    assert (d.person_name, d.retention_months, d.short_retention_months) == ("mask_given", 36, 3)
    assert rules.retention_months(d, ["criticism"], "0") == 3
    assert rules.retention_months(d, ["warning", "fine"], "500") == 36  # no small-fine limit by default
    small = rules.PublicationSettings(small_fine_limit=Decimal("1000"))
    assert rules.retention_months(small, ["warning", "fine"], "1000") == 3
    assert rules.retention_months(small, ["fine"], "1000.01") == 36
    assert rules.retention_months(small, ["fine", "suspend_business"], "10") == 36
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2026, 11, 30), 36) == dt.date(2029, 11, 30)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(1, 120))
def test_add_months_lands_in_the_right_month_never_later(day, months):
    out = rules.add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day <= day.day


def test_the_system_administrator_sets_the_policy_and_others_may_not(
    cw,  # noqa: F811
    login,
    django_assert_max_num_queries,
):
    admin = _admin(cw)
    url = reverse("catalog:publication_policy")
    head = login(cw.head)
    with django_assert_max_num_queries(10):  # budget (measured 9: the session's first request)
        head.get(url)
    page = login(cw.head).get(url).content.decode()
    assert "平台默认值" in page and 'name="retention_months"' not in page  # the head reads, does not edit
    assert login(cw.head).post(url, {"retention_months": "12"}).status_code == 403
    with pytest.raises(ActionDenied):
        policy.set_publication_policy(
            cw.head, cw.a, person_name="keep", retention_months=12, short_retention_months=3
        )
    for bad in (
        {"person_name": "nickname"},
        {"retention_months": 0},
        {"short_retention_months": 48},
        {"short_kinds": ["nonsense"]},
        {"small_fine_limit": "-1"},
    ):
        args = {"person_name": "mask_given", "retention_months": 36, "short_retention_months": 3, **bad}
        with pytest.raises(RuleViolation):
            policy.set_publication_policy(admin, cw.a, **args)
    assert policy.policy_view(cw.a)["is_default"]
    response = login(admin).post(
        url,
        {
            "person_name": "keep",
            "retention_months": "24",
            "short_retention_months": "6",
            "short_kinds": ["criticism", "warning"],
            "small_fine_limit": "2000",
            "basis": "本省规定",
        },
    )
    assert response.status_code == 302
    view = policy.policy_view(cw.a)
    assert (view["person_name"], view["retention_months"], view["short_kinds"]) == (
        "keep",
        24,
        ["criticism", "warning"],
    )
    entry = ledger_queries.object_entries(
        "publicity.publicationpolicy", str(cw.a.publication_policy.pk)
    ).get()
    assert entry.action == "publicity.set_publication_policy" and entry.actor_id == admin.pk
    # The API reads and writes the same, with the same refusals.
    api = login(admin)
    data = api.get(f"/api/v1/publication-policy/{cw.a.pk}/").json()
    assert data["retention_months"] == 24 and data["is_default"] is False
    bad = api.put(
        f"/api/v1/publication-policy/{cw.a.pk}/",
        {"person_name": "keep", "retention_months": 2, "short_retention_months": 6, "small_fine_limit": "0"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and policy.policy_view(cw.a)["retention_months"] == 24
    assert login(cw.officer_b).get(f"/api/v1/publication-policy/{cw.a.pk}/").status_code in (403, 404)
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]


def test_the_policy_names_the_party_and_dates_the_offline_and_the_task_takes_it_offline(cw, clock, client):  # noqa: F811
    admin = _admin(cw)
    case = _decided(cw, cw.person_party)
    pub = publication.release(cw.head, publication.submit(cw.officer, case.publication))
    assert pub.summary["party"] == "张某" and "张某" in pub.text  # the default: surname kept
    # The default period for a warning and a fine: 36 months from the release.
    assert pub.offline_on == rules.add_months(pub.released_at.date(), 36)
    policy.set_publication_policy(
        admin,
        cw.a,
        person_name="keep",
        retention_months=12,
        short_retention_months=3,
        small_fine_limit="10000",
    )
    case2 = _decided(cw, cw.person_party)
    pub2 = publication.release(cw.head, publication.submit(cw.officer, case2.publication))
    assert pub2.summary["party"] == "张三" and "张三" in pub2.text  # the agency publishes full names now
    assert pub2.offline_on == rules.add_months(
        pub2.released_at.date(), 3
    )  # warning and 5000 元 ≤ 10000: small
    pub.refresh_from_db()
    assert pub.offline_on == rules.add_months(pub.released_at.date(), 36)  # published before: its date stays
    # The periodic task: registered with Huey; nothing due today; on the offline day it comes off the portal.
    assert "zhifa.publicity.tasks.take_offline" in queue.PERIODIC
    assert publication.take_offline_due() == 0
    assert publication.take_offline_due(today=pub2.offline_on) == 1
    pub2.refresh_from_db()
    assert pub2.state == PublicationState.OFFLINE and pub2.offline_at is not None
    entry = ledger_queries.object_entries("publicity.publication", str(pub2.pk)).order_by("-seq").first()
    assert entry.action == "publicity.take_offline" and entry.actor_id is None
    assert client.get(reverse("publicity:decision", args=[pub2.pk])).status_code == 404
    listed = {p.pk for p in client.get(reverse("publicity:decisions")).context["page"].object_list}
    assert pub2.pk not in listed and pub.pk in listed
    assert publication.take_offline_due(today=pub2.offline_on) == 0  # run again: nothing more
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]
