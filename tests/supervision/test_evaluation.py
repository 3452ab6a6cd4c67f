"""案卷评查 through the actions layer: the commitment before the frame, the draw, recusal, the scorecard, the grade,
the ledger and the offline redraw."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from zhifa.ledger.models import Entry
from zhifa.supervision import actions, rules
from zhifa.supervision.choices import EvaluationState, Grade
from zhifa.supervision.models import Evaluation, EvaluationFile


def _entries(evaluation, action):
    return list(
        Entry.objects.filter(
            object_kind="supervision.evaluation", object_id=str(evaluation.pk), action=action
        )
    )


def _payload(entry):
    return json.loads(bytes(entry.body))["record"]["payload"]


def test_creating_records_the_commitment_and_never_the_seed(sv, evaluation):
    (entry,) = _entries(evaluation, "supervision.create_evaluation")
    assert entry.log_id == sv.justice.pk  # the supervising body's log
    payload = _payload(entry)
    assert payload["commitment"] == rules.commitment(evaluation.draw_seed)
    assert evaluation.draw_seed not in bytes(entry.body).decode()
    assert payload["state"]["revealed_seed"] == "" and "draw_seed" not in payload["state"]
    assert [i["code"] for i in payload["standard"]["items"]][:3] == [
        "subject",
        "qualification",
        "two_officers",
    ]


@pytest.mark.parametrize(
    ("who", "change", "error"),
    [
        ("officer", {}, PermissionDenied),
        ("supervisor_b", {}, PermissionDenied),
        ("supervisor", {"agencies": "b"}, PermissionDenied),
        ("supervisor", {"evaluators": "supervisor_b"}, ValidationError),
        ("supervisor", {"rate": 0}, ValidationError),
        ("supervisor", {"minimum": 0}, ValidationError),
        ("supervisor", {"period": "reversed"}, ValidationError),
        ("supervisor", {"title": " "}, ValidationError),
    ],
)
def test_who_may_organise_an_evaluation_and_what_it_must_say(sv, who, change, error):
    args = dict(
        title="评查",
        period_start=sv.period[0],
        period_end=sv.period[1],
        agencies=[sv.a],
        evaluators=[sv.supervisor],
        rate=10,
        minimum=1,
    )
    if change.get("agencies") == "b":
        args["agencies"] = [sv.b]
    if change.get("evaluators"):
        args["evaluators"] = [getattr(sv, change["evaluators"])]
    if change.get("period") == "reversed":
        args["period_start"], args["period_end"] = sv.period[1], sv.period[0]
    for key in ("rate", "minimum", "title"):
        if key in change:
            args[key] = change[key]
    with pytest.raises(error):
        actions.create_evaluation(getattr(sv, who), **args)
    assert not Evaluation.objects.exists()


def test_no_draw_before_the_period_ends(sv):
    ev = actions.create_evaluation(
        sv.supervisor,
        title="本年评查",
        period_start=sv.period[0],
        period_end=timezone.localdate(),
        agencies=[sv.a],
        evaluators=[sv.supervisor],
        rate=10,
    )
    with pytest.raises(ValidationError, match="期间结束后"):
        actions.draw_sample(sv.supervisor, ev)
    ev.refresh_from_db()
    assert ev.state == EvaluationState.OPEN and ev.revealed_seed == "" and not ev.files.exists()
    assert not _entries(ev, "supervision.close_frame")


def test_the_draw_records_the_frame_then_reveals_the_seed_and_samples_by_the_rule(sv, evaluation):
    with pytest.raises(PermissionDenied):
        actions.draw_sample(sv.officer, evaluation)
    actions.draw_sample(sv.supervisor, evaluation)
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.DRAWN and evaluation.revealed_seed == evaluation.draw_seed
    (framed,) = _entries(evaluation, "supervision.close_frame")
    (revealed,) = _entries(evaluation, "supervision.reveal_seed")
    assert framed.seq < revealed.seq
    frame = _payload(framed)["frame"]
    # the frame: every file of A closed within the period, nothing else
    assert sorted(row["case"] for row in frame) == sorted(c.pk for c in sv.frame_cases)
    assert evaluation.draw_seed not in bytes(framed.body).decode()
    expected = rules.draw(frame, evaluation.revealed_seed, 30, 1)
    assert _payload(revealed)["sample"] == expected
    files = list(evaluation.files.order_by("position"))
    assert [f.case.reference for f in files] == expected
    # 30 % of 7 → 3 of the 医疗卫生监督科, 30 % of 3 → 1 of the 公共卫生监督科
    assert sorted(f.case.unit_id for f in files) == sorted([sv.section.pk] * 3 + [sv.unit2.pk])
    # recusal: the supervisor sitting in the 医疗卫生监督科 never gets a file of that unit
    for f in files:
        assert f.evaluator_id != sv.inside.pk or f.case.unit_id != sv.section.pk
    # (who gets the other unit's file depends on its place in the order, which follows the units' numbers)
    assert all(f.evaluator_id == sv.supervisor.pk for f in files if f.case.unit_id == sv.section.pk)
    assert {f.evaluator_id for f in files} <= {sv.supervisor.pk, sv.inside.pk}
    with pytest.raises(ValidationError, match="已于"):
        actions.draw_sample(sv.supervisor, evaluation)


def test_a_file_nobody_may_evaluate_stops_the_draw(sv):
    ev = actions.create_evaluation(
        sv.supervisor,
        title="评查",
        period_start=sv.period[0],
        period_end=sv.period[1],
        agencies=[sv.a],
        evaluators=[sv.inside],
        rate=10,
    )
    with pytest.raises(ValidationError, match="没有可以评查的人员"):
        actions.draw_sample(sv.inside, ev)
    ev.refresh_from_db()
    assert ev.state == EvaluationState.OPEN and not ev.files.exists()


def test_an_empty_frame_is_refused(sv):
    ev = actions.create_evaluation(
        sv.supervisor,
        title="评查",
        period_start=sv.period[0] - dt.timedelta(days=400),
        period_end=sv.period[0] - dt.timedelta(days=300),
        agencies=[sv.a],
        evaluators=[sv.supervisor],
        rate=10,
    )
    with pytest.raises(ValidationError, match="抽样框为空"):
        actions.draw_sample(sv.supervisor, ev)


def _redraw(*args):
    out = io.StringIO()
    call_command("supervision", "redraw", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_draw_is_redone_offline_from_the_ledgers_bundle(sv, evaluation, tmp_path):
    actions.draw_sample(sv.supervisor, evaluation)
    shown = list(evaluation.files.order_by("position").values_list("case__reference", flat=True))
    assert _redraw(str(evaluation.pk)) == shown
    bundle, key = tmp_path / "b.json", tmp_path / "k.pub"
    call_command(
        "ledger",
        "bundle",
        "--object",
        f"supervision.evaluation:{evaluation.pk}",
        "--output",
        str(bundle),
        "--key-output",
        str(key),
    )
    assert _redraw(str(evaluation.pk), "--bundle", str(bundle), "--key", str(key)) == shown
    # a bundle whose entries were altered does not verify
    data = json.loads(bundle.read_text())
    data["entries"][1]["body"] = data["entries"][2]["body"]
    bundle.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="验证失败"):
        _redraw(str(evaluation.pk), "--bundle", str(bundle), "--key", str(key))
    with pytest.raises(CommandError, match="--key"):
        _redraw(str(evaluation.pk), "--bundle", str(bundle))


def _first_file_of(evaluation, person):
    return evaluation.files.filter(evaluator=person).order_by("position").first()


def test_the_evaluator_scores_a_file_overrides_with_a_reason_and_grades_it(sv, evaluation):
    actions.draw_sample(sv.supervisor, evaluation)
    f = _first_file_of(evaluation, sv.supervisor)
    with pytest.raises(PermissionDenied):
        actions.answer_item(sv.inside, f, code="subject", verdict="pass")
    with pytest.raises(ValidationError, match="还有"):
        actions.finish_file(sv.supervisor, f)
    with pytest.raises(ValidationError):
        actions.answer_item(sv.supervisor, f, code="subject", verdict="fail")  # no reason for a failure
    with pytest.raises(ValidationError):
        actions.answer_item(sv.supervisor, f, code="nonexistent", verdict="pass")
    with pytest.raises(ValidationError):
        actions.answer_item(
            sv.supervisor, f, code="cover", verdict="fail", points=5, reason="x"
        )  # full points
    f.refresh_from_db()
    automatic = {code for code, a in f.answers.items() if a.get("auto") in ("pass", "fail")}
    for code, a in f.answers.items():
        if a.get("auto") in ("pass", "fail"):
            other = "fail" if a["auto"] == "pass" else "pass"
            with pytest.raises(ValidationError, match="理由"):
                actions.answer_item(sv.supervisor, f, code=code, verdict=other)
            break
    if automatic:
        actions.confirm_prefilled(sv.supervisor, f)
        f.refresh_from_db()
        assert all(f.answers[code]["verdict"] == f.answers[code]["auto"] for code in automatic)
    for item in evaluation.standard.items.all():
        if not (f.answers.get(item.code) or {}).get("verdict"):
            actions.answer_item(sv.supervisor, f, code=item.code, verdict="pass")
    actions.answer_item(sv.supervisor, f, code="cover", verdict="fail", points=2, reason="封面未填写归档日期")
    f = actions.finish_file(sv.supervisor, f)
    expected_score, expected_grade = rules.score_and_grade(
        list(evaluation.standard.items.all()), f.answers, 90, 60
    )
    assert (f.score, f.grade) == (expected_score, expected_grade)
    with pytest.raises(ValidationError, match="已评定"):
        actions.answer_item(sv.supervisor, f, code="cover", verdict="pass")
    entries = Entry.objects.filter(object_kind="supervision.evaluationfile", object_id=str(f.pk))
    assert {"supervision.assign_file", "supervision.answer_item", "supervision.finish_file"} <= set(
        entries.values_list("action", flat=True)
    )


def test_a_failed_veto_item_makes_the_file_fail_and_the_last_file_ends_the_evaluation(sv, evaluation):
    actions.draw_sample(sv.supervisor, evaluation)
    items = list(evaluation.standard.items.all())
    for f in evaluation.files.order_by("position"):
        for item in items:
            verdict = "fail" if item.code == "evidence" and f.position == 1 else "na"
            actions.answer_item(f.evaluator, f, code=item.code, verdict=verdict, reason="主要证据缺失")
        f = actions.finish_file(f.evaluator, f)
        assert f.grade == (Grade.FAIL if f.position == 1 else Grade.EXCELLENT)
        assert f.score == 100
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.FINISHED
    assert _entries(evaluation, "supervision.finish_evaluation")
    assert EvaluationFile.objects.filter(evaluation=evaluation, finished_at__isnull=True).count() == 0
