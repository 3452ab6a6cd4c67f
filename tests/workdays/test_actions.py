"""Calendar and deadline actions: who may, what the law allows, and the ledger entry in the same transaction."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions as org_actions
from zhifa.org.choices import Role
from zhifa.workdays import actions, queries, rules
from zhifa.workdays.choices import CalendarSource, DeadlineEventKind, DeadlineState
from zhifa.workdays.models import AgencyDeadlineSetting, CalendarDay, CalendarYear, DeadlineKind

D = dt.date

SCHEDULE_2027 = """2027-01-01 holiday 元旦
2027-02-05..2027-02-11 holiday 春节
2027-02-20 workday 春节
2027-10-01..2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节
"""


def kind(code):
    return DeadlineKind.objects.get(code=code)


def test_migration_seeded_2004_to_2026_and_the_kinds(db):
    years = CalendarYear.objects.filter(confirmed=True, source=CalendarSource.CHINESECALENDAR)
    assert set(years.values_list("year", flat=True)) == set(range(2004, 2027))
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == "workday"
    codes = set(DeadlineKind.objects.values_list("code", flat=True))
    assert {
        "service",
        "hearing_request",
        "hearing_notice",
        "decision",
        "payment",
        "publication_withdrawal",
        "publication_penalty",
        "publication_other",
        "preserved_evidence",
        "seizure",
        "statement_defence",
        "legal_review",
        "reconsideration",
        "litigation",
        "limitation",
        "limitation_health",
    } <= codes
    assert kind("service").legal_basis.startswith("《行政处罚法》第六十一条")
    assert (kind("seizure").extension_length, kind("seizure").max_extensions) == (30, 1)
    assert kind("statement_defence").agency_may_change and kind("legal_review").agency_may_change
    assert not kind("service").agency_may_change


def test_db_calendar_matches_the_seed(db, cal):
    loaded = queries.current_calendar()
    for year in (2025, 2026):
        assert loaded.schedule(year).holidays == cal.schedule(year).holidays
        assert loaded.schedule(year).workdays == cal.schedule(year).workdays
    assert rules.add_working_days(loaded, D(2026, 9, 30), 3) == (D(2026, 10, 10), False)


def test_system_admin_imports_a_year_and_it_is_no_longer_estimated(world, ledger_calls):
    assert rules.add_working_days(queries.current_calendar(), D(2027, 2, 4), 1) == (D(2027, 2, 11), True)
    record = actions.import_calendar_text(
        world.platform, year=2027, text=SCHEDULE_2027, confirmed=True, notice="国办发明电〔2026〕1号"
    )
    assert record.confirmed and record.source == CalendarSource.IMPORT and record.updated_by == world.platform
    cal = queries.current_calendar()
    assert cal.is_confirmed(2027)
    assert rules.add_working_days(cal, D(2027, 2, 4), 1) == (D(2027, 2, 12), False)
    assert cal.is_working_day(D(2027, 2, 20))  # make-up Saturday
    # One entry in each agency's ledger, written inside the action's transaction.
    entries = [c for c in ledger_calls if c["action"] == "workdays.save_calendar_year"]
    assert {c["agency"].code for c in entries} == {"agency-a", "agency-b", "justice"}
    assert all(c["in_atomic"] and c["actor"] == world.platform for c in entries)
    assert entries[0]["payload"]["state"]["year"] == 2027
    assert ["2027-02-20", "workday", "春节"] in entries[0]["payload"]["days"]


def test_bad_import_changes_nothing_and_names_the_line(world, ledger_calls):
    token = queries.calendar_token()
    with pytest.raises(ValidationError) as err:
        actions.import_calendar_text(
            world.platform,
            year=2027,
            text="2027-01-01 holiday 元旦\n2027-01-02 holdiay 元旦\n",
            confirmed=True,
        )
    assert "第2行" in str(err.value)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert queries.calendar_token() == token
    assert ledger_calls == []


@pytest.mark.parametrize("who", ["officer", "head", "secadmin", "auditor", "supervisor"])
def test_only_system_admins_keep_the_calendar(world, who):
    with pytest.raises(PermissionDenied) as err:
        actions.import_calendar_text(getattr(world, who), year=2027, text=SCHEDULE_2027, confirmed=True)
    assert "系统管理员" in str(err.value)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_make_up_workday_on_a_weekday_is_refused(world):
    with pytest.raises(ValidationError) as err:
        actions.save_calendar_year(
            world.platform,
            year=2027,
            holidays={D(2027, 1, 1): "元旦"},
            workdays={D(2027, 1, 4): "元旦"},
            confirmed=True,
        )
    assert "调休上班日应为星期六或星期日" in str(err.value)


def test_open_estimated_deadlines_are_recomputed_when_the_year_is_confirmed(world, ledger_calls):
    # Publication of a penalty decision made on 2027-02-03: 7 working days, on the estimate.
    d = actions.open_deadline(
        world.officer,
        agency=world.a,
        kind="publication_penalty",
        target=world.section,
        start=D(2027, 2, 3),
        label="甲卫罚〔2027〕1号",
        responsible=world.officer,
    )
    # Estimate: 2/4 (1), 2/5–2/10 off (除夕, 春节 and made-up days), 2/11 (2), 2/12 (3), 2/15–2/18 (4–7).
    assert (d.due, d.estimated) == (D(2027, 2, 18), True)
    met = actions.open_deadline(
        world.officer, agency=world.a, kind="publication_penalty", target=world.section, start=D(2027, 2, 3)
    )
    actions.meet_deadline(world.officer, met, on=D(2027, 2, 4))
    actions.import_calendar_text(world.platform, year=2027, text=SCHEDULE_2027, confirmed=True)
    d.refresh_from_db()
    # Confirmed: 2/4 (1), 2/5–2/11 off, 2/12 (2), 2/15–2/19 (3–7).
    assert (d.due, d.estimated) == (D(2027, 2, 19), False)
    event = d.events.get(kind=DeadlineEventKind.RECOMPUTED)
    assert (event.due_before, event.due_after) == (D(2027, 2, 18), D(2027, 2, 19))
    assert any(c["action"] == "workdays.recompute_deadline" and c["obj"].pk == d.pk for c in ledger_calls)
    met.refresh_from_db()
    assert met.due == D(2027, 2, 18)  # a met deadline is history: not recomputed


def test_open_deadline_records_and_denies_outsiders(world, ledger_calls):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="service", target=world.section, start=D(2026, 2, 12)
    )
    assert (d.due, d.estimated, d.length, d.unit) == (D(2026, 2, 28), False, 7, "working_days")
    assert ledger_calls[-1]["action"] == "workdays.open_deadline" and ledger_calls[-1]["agency"] == world.a
    for outsider in (world.officer_b, world.sysadmin, world.auditor, world.supervisor):
        with pytest.raises(PermissionDenied):
            actions.open_deadline(
                outsider, agency=world.a, kind="service", target=world.section, start=D(2026, 2, 12)
            )
    with pytest.raises(ValidationError):
        actions.open_deadline(
            world.officer, agency=world.a, kind="nope", target=world.section, start=D(2026, 1, 5)
        )


def test_suspension_needs_reason_and_head_approval_and_moves_the_due_date(world, ledger_calls):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="service", target=world.section, start=D(2026, 9, 1)
    )
    assert d.due == D(2026, 9, 10)
    with pytest.raises(ValidationError) as err:
        actions.suspend_deadline(world.officer, d, on=D(2026, 9, 3), reason=" ", approver=world.head)
    assert "理由" in str(err.value)
    with pytest.raises(ValidationError) as err:
        actions.suspend_deadline(
            world.officer, d, on=D(2026, 9, 3), reason="当事人下落不明", approver=world.officer2
        )
    assert "负责人" in str(err.value)
    with pytest.raises(PermissionDenied):
        actions.suspend_deadline(world.officer_b, d, on=D(2026, 9, 3), reason="x", approver=world.head)
    d = actions.suspend_deadline(
        world.officer, d, on=D(2026, 9, 3), reason="当事人下落不明", approver=world.head
    )
    assert queries.with_state([d], today=D(2026, 9, 20))[0]["state"] == DeadlineState.SUSPENDED
    with pytest.raises(ValidationError):
        actions.meet_deadline(world.officer, d, on=D(2026, 9, 4))
    d = actions.resume_deadline(world.officer, d, on=D(2026, 9, 8))
    assert (d.due, d.suspended_since) == (D(2026, 9, 15), None)
    # The actions\' own entries (the ledger adds the deadline events\' states after them: "recorded_with").
    kinds = [c["action"] for c in ledger_calls if "recorded_with" not in c["payload"]]
    assert kinds[-2:] == ["workdays.suspend_deadline", "workdays.resume_deadline"]
    suspended = d.events.get(kind=DeadlineEventKind.SUSPENDED)
    assert (suspended.reason, suspended.approver) == ("当事人下落不明", world.head)


def test_seizure_extends_once_by_30_days(world):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="seizure", target=world.section, start=D(2026, 8, 1)
    )
    assert d.due == D(2026, 8, 31)
    with pytest.raises(ValidationError) as err:
        actions.extend_deadline(world.officer, d, reason="情况复杂", approver=world.head, length=31)
    assert "不得超过30日" in str(err.value)
    d = actions.extend_deadline(world.officer, d, reason="情况复杂，需检验", approver=world.head)
    assert (d.due, d.extensions) == (D(2026, 9, 30), 1)
    with pytest.raises(ValidationError) as err:
        actions.extend_deadline(world.officer, d, reason="还要延", approver=world.head)
    assert "最多延期1次" in str(err.value)


def test_statutory_working_day_periods_cannot_be_extended(world):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="service", target=world.section, start=D(2026, 9, 1)
    )
    with pytest.raises(ValidationError) as err:
        actions.extend_deadline(world.officer, d, reason="忙", approver=world.head, length=3)
    assert "不得延期" in str(err.value)


def test_met_deadline_state(world):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="service", target=world.section, start=D(2026, 9, 1)
    )
    d = actions.meet_deadline(world.officer, d, on=D(2026, 9, 11))
    assert queries.with_state([d], today=D(2026, 12, 1))[0]["state"] == DeadlineState.MET
    assert d.events.filter(kind=DeadlineEventKind.MET).exists()


def test_agency_sets_its_own_statement_period(world, ledger_calls):
    statement = kind("statement_defence")
    with pytest.raises(PermissionDenied):
        actions.set_agency_deadline(world.officer, world.a, statement, length=5)
    with pytest.raises(PermissionDenied):
        actions.set_agency_deadline(world.sysadmin, world.b, statement, length=5)  # not B's administrator
    with pytest.raises(ValidationError) as err:
        actions.set_agency_deadline(world.sysadmin, world.a, kind("service"), length=10)
    assert "法定期限" in str(err.value)
    actions.set_agency_deadline(world.sysadmin, world.a, statement, length=5, reason="本局规定")
    assert (
        ledger_calls[-1]["action"] == "workdays.set_agency_deadline" and ledger_calls[-1]["agency"] == world.a
    )
    assert queries.period_for(statement, world.a).length == 5
    assert queries.period_for(statement, world.b).length == 3
    assert queries.compute_due(statement, D(2026, 9, 30), world.a).date == D(2026, 10, 13)
    d = actions.open_deadline(
        world.officer, agency=world.a, kind=statement, target=world.section, start=D(2026, 9, 30)
    )
    assert (d.length, d.due) == (5, D(2026, 10, 13))
    actions.clear_agency_deadline(world.sysadmin, world.a, statement)
    assert not AgencyDeadlineSetting.objects.exists()
    d.refresh_from_db()
    assert d.length == 5  # a running deadline keeps the period it opened with


def test_only_superuser_changes_platform_kinds(world, ledger_calls):
    root = org_actions.add_person(
        None,
        world.a,
        username="root",
        password="Pl@tform2026x",
        full_name="平台管理员",
        must_change_password=False,
    )
    with unrecorded_writes():  # test set-up written around the actions layer
        root.is_superuser = True
        root.save()
    with pytest.raises(PermissionDenied) as err:
        actions.update_deadline_kind(world.sysadmin, kind("legal_review"), length=7)
    assert "平台管理员" in str(err.value)
    updated = actions.update_deadline_kind(root, kind("legal_review"), length=7)
    assert updated.length == 7
    assert {c["agency"].code for c in ledger_calls if c["action"] == "workdays.update_deadline_kind"} == {
        "agency-a",
        "agency-b",
        "justice",
    }
    with pytest.raises(ValidationError):
        actions.update_deadline_kind(root, kind("service"), holiday_rule="next_workday")


def test_calendar_cache_follows_the_database_version(world):
    first = queries.current_calendar()
    assert queries.current_calendar() is first  # unchanged version: reused
    actions.import_calendar_text(world.platform, year=2027, text=SCHEDULE_2027, confirmed=True)
    second = queries.current_calendar()
    assert second is not first and second.is_confirmed(2027)


def test_seed_command_action_adds_only_missing_years(world):
    with unrecorded_writes():  # test set-up written around the actions layer
        CalendarYear.objects.filter(year=2026).delete()
    added = actions.seed_from_chinesecalendar(world.platform)
    assert 2026 in added and 2025 not in added
    assert queries.current_calendar().is_confirmed(2026)
    with pytest.raises(PermissionDenied):
        actions.seed_from_chinesecalendar(world.officer)


def test_role_helper_sanity(world):
    # The calendar moves every agency's deadlines: the platform administrator keeps it, not an agency's system
    # administrator (seen: one agency's admin could edit it).
    assert queries.can_manage_calendar(world.platform)
    assert not queries.can_manage_calendar(world.sysadmin) and not queries.can_manage_calendar(world.officer)
    with pytest.raises(PermissionDenied):
        actions.import_calendar_text(world.sysadmin, year=2027, text=SCHEDULE_2027, confirmed=True)
    assert world.sysadmin.roles.filter(role=Role.SYSTEM_ADMIN).exists()
