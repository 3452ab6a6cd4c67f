"""考核: the score from weighted indicators and the ranks (hypothesis), a ranking of the agencies and units computed from
the figures and the 案卷评查 scores, published by a supervisor and seen by the heads of the agencies ranked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.supervision import actions, ranking, rules
from zhifa.supervision.models import Indicator, Ranking

SPEC = [("a", 30, True), ("b", 20, False), ("c", 50, True)]
value = st.one_of(st.none(), st.floats(0, 100))


@given(a=value, b=value, c=value, bump=st.floats(0, 50))
def test_the_score_stays_on_0_to_100_and_a_better_value_never_lowers_it(a, b, c, bump):
    values = {"a": a, "b": b, "c": c}
    score = rules.indicator_score(values, SPEC)
    if a is None and b is None and c is None:
        assert score is None
        return
    assert 0 <= score <= 100
    if a is not None:  # higher is better for a
        assert rules.indicator_score({**values, "a": min(100, a + bump)}, SPEC) >= score - 0.05
    if b is not None:  # lower is better for b
        assert rules.indicator_score({**values, "b": max(0, b - bump)}, SPEC) >= score - 0.05


def test_scores_and_ranks_on_plain_examples():
    # no review problems (0 %, lower better → 100), half on time (50), the file score 80: (20·100 + 30·50 + 50·80) / 100
    assert rules.indicator_score({"b": 0, "a": 50, "c": 80}, SPEC) == 75.0
    assert rules.indicator_score({"a": 50}, SPEC) == 50.0  # only what has a value counts
    assert rules.ranks({"x": 90, "y": 80, "z": 90, "w": None}) == {"x": 1, "z": 1, "y": 3, "w": None}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.one_of(st.none(), st.floats(0, 100)), max_size=8))
def test_a_higher_score_never_ranks_below_a_lower_one(scores):
    ranked = rules.ranks(scores)
    for k, s in scores.items():
        for k2, s2 in scores.items():
            if s is not None and s2 is not None and s > s2:
                assert ranked[k] < ranked[k2]
            if s is not None and s == s2:
                assert ranked[k] == ranked[k2]


def test_a_supervisor_publishes_a_ranking_the_heads_of_the_ranked_agencies_see(counted, client, login):
    w = counted
    data = ranking.compute([w.a.pk], "quarter", w.year, w.quarter)
    (row,) = data["agencies"]
    names = [name for name, _w, _h in data["indicators"]]
    assert row["rank"] == 1 and row["cases"] == 2
    assert row["values"][names.index("被纠错率")] == 50.0  # one of the two decisions annulled
    assert row["values"][names.index("案卷评查平均分")] is None  # no file graded in the quarter
    assert any(u["name"].endswith(w.section.name) for u in data["units"])
    with pytest.raises(PermissionDenied):  # not a supervisor of B
        actions.publish_ranking(
            w.supervisor, kind="quarter", year=w.year, number=w.quarter, agencies=[w.a, w.b]
        )
    with pytest.raises(ValidationError):  # not ended
        actions.publish_ranking(w.supervisor, kind="quarter", year=w.year + 1, number=1, agencies=[w.a])
    # the page: a preview, then published
    url = reverse("supervision:rankings")
    login(w.officer)
    assert client.get(url).status_code == 403
    login(w.supervisor)
    query = {"agencies": [w.a.pk], "kind": "quarter", "year": w.year, "number": w.quarter}
    page = client.get(url, query).content.decode()
    assert "预览，尚未公布" in page and not Ranking.objects.exists()
    response = client.post(url, query)
    record = Ranking.objects.get()
    assert response["Location"] == record.get_absolute_url() and record.body == w.justice
    assert list(record.agencies.all()) == [w.a]
    login(w.head)
    assert record.data["title"] in client.get(url).content.decode()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.post(url, query).status_code == 403
    other = w.person(w.b, "head_b", "乙局长", Role.AGENCY_HEAD)
    login(other)
    assert client.get(record.get_absolute_url()).status_code == 404


def test_the_platform_administrator_sets_the_weights(counted, client, login):
    w = counted
    admin = org.add_platform_admin("platform", "Pl@tform-2026-x", full_name="平台管理员")
    indicator = Indicator.objects.get(code="correction")
    with pytest.raises(PermissionDenied):
        actions.set_indicator(w.supervisor, indicator, weight=5, active=True)
    with pytest.raises(ValidationError):
        actions.set_indicator(admin, indicator, weight=500, active=True)
    login(admin)
    url = reverse("supervision:weak_point_rules")
    response = client.post(
        url, {"indicator": indicator.pk, f"i{indicator.pk}-weight": 5, f"i{indicator.pk}-active": "on"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == 5
    login(w.supervisor)
    assert client.post(url, {"indicator": indicator.pk, f"i{indicator.pk}-weight": 7}).status_code == 403
