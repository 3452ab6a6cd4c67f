"""The org actions: who may do what, and the rules they keep. Every refusal leaves nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import PASSWORD
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions, queries
from zhifa.org.choices import CertificateStatus, Role
from zhifa.org.models import Agency, Certificate, Person, RoleAssignment


def test_wrong_credit_code_check_character_is_refused_in_chinese(world):
    before = Agency.objects.count()
    with pytest.raises(ValidationError) as err:
        actions.create_agency(
            None, code="bad", name="错误局", short_name="错", credit_code="91350100M000100Y44", region="某区"
        )
    assert "统一社会信用代码校验位不正确" in str(err.value)
    assert Agency.objects.count() == before


def test_system_admin_creates_child_agency_and_others_cannot(world):
    data = dict(
        code="child",
        name="甲区卫生监督所",
        short_name="甲监",
        credit_code="91350100M000100Y43",
        region="甲区",
    )
    with pytest.raises(PermissionDenied):
        actions.create_agency(world.officer, parent=world.a, **data)
    with pytest.raises(PermissionDenied):
        actions.create_agency(world.secadmin, parent=world.a, **data)
    child = actions.create_agency(world.sysadmin, parent=world.a, **data)
    assert child.parent == world.a
    with pytest.raises(PermissionDenied):
        actions.create_agency(world.sysadmin, parent=None, **{**data, "code": "top", "name": "顶级"})


def test_one_legal_review_unit_per_agency(world):
    with pytest.raises(ValidationError) as err:
        actions.add_unit(world.sysadmin, world.a, name="另一个法规科", is_legal_review_unit=True)
    assert "法制审核机构" in str(err.value)


def test_only_security_admin_creates_accounts_and_they_must_change_password(world):
    with pytest.raises(PermissionDenied):
        actions.add_person(world.sysadmin, world.a, username="new1", password=PASSWORD, full_name="新人")
    person = actions.add_person(world.secadmin, world.a, username="new1", password=PASSWORD, full_name="新人")
    assert person.must_change_password
    assert person.check_password(PASSWORD)


def test_security_admin_of_one_agency_cannot_touch_another(world):
    with pytest.raises(PermissionDenied):
        actions.add_person(world.secadmin, world.b, username="intruder", password=PASSWORD, full_name="外人")
    with pytest.raises(PermissionDenied):
        actions.grant_role(world.secadmin, world.officer_b, Role.UNIT_HEAD)


def test_weak_password_is_refused_and_nothing_created(world):
    for weak in ("short1A", "alllowercase1", "new2user#Aa1"):
        with pytest.raises(ValidationError):
            actions.add_person(
                world.secadmin, world.a, username="new2user", password=weak, full_name="弱密码"
            )
    assert not Person.objects.filter(username="new2user").exists()


def test_three_administrators_cannot_be_combined(world):
    with pytest.raises(ValidationError) as err:
        actions.grant_role(world.secadmin, world.sysadmin, Role.AUDIT_ADMIN)
    assert "三员分立" in str(err.value)
    with pytest.raises(ValidationError):
        actions.grant_role(world.secadmin, world.officer, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        actions.grant_role(world.secadmin, world.auditor, Role.OFFICER)
    assert not RoleAssignment.objects.filter(person=world.sysadmin, role=Role.AUDIT_ADMIN).exists()


def test_nobody_grants_roles_to_themselves(world):
    with pytest.raises(PermissionDenied):
        actions.remove_role(world.secadmin, world.secadmin, Role.SECURITY_ADMIN)


def test_roles_only_within_own_agency_except_supervisor(world):
    outsider = world.person(world.justice, "outsider", "外单位")
    with pytest.raises(ValidationError):
        actions.grant_role(world.secadmin, outsider, Role.OFFICER, world.a)
    actions.grant_role(world.secadmin, outsider, Role.SUPERVISOR, world.a)
    assert queries.has_role(outsider, Role.SUPERVISOR, world.a.pk)


def test_certificates_are_issued_by_system_admin_with_valid_fields(world):
    today = timezone.localdate()
    kwargs = dict(
        number="NEW-1",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=today,
        valid_to=today + dt.timedelta(days=10),
    )
    with pytest.raises(PermissionDenied):
        actions.issue_certificate(world.secadmin, world.head, **kwargs)
    with pytest.raises(ValidationError):
        actions.issue_certificate(world.sysadmin, world.head, **{**kwargs, "field_codes": ["nonexistent"]})
    with pytest.raises(ValidationError):
        actions.issue_certificate(
            world.sysadmin, world.head, **{**kwargs, "valid_to": today - dt.timedelta(days=1)}
        )
    with pytest.raises(ValidationError):  # numbers are unique
        actions.issue_certificate(world.sysadmin, world.head, **{**kwargs, "number": "CERT-0000"})
    cert = actions.issue_certificate(world.sysadmin, world.head, **kwargs)
    assert [f.code for f in cert.fields.all()] == ["medical"]


def test_certificate_lifecycle(world):
    cert = world.officer.certificates.get()
    with pytest.raises(ValidationError):
        actions.suspend_certificate(world.sysadmin, cert, reason="  ")
    actions.suspend_certificate(world.sysadmin, cert, reason="涉嫌违纪，暂扣")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    actions.reinstate_certificate(world.sysadmin, cert, reason="调查结束")
    actions.revoke_certificate(world.sysadmin, cert, reason="调离执法岗位")
    with pytest.raises(ValidationError):
        actions.reinstate_certificate(world.sysadmin, cert, reason="试图恢复")
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.REVOKED


def test_expired_certificate_cannot_act_as_officer(world):
    today = timezone.localdate()
    queries.check_acting_officers([world.officer, world.officer2], "medical", today)
    with unrecorded_writes():  # test set-up written around the actions layer
        Certificate.objects.filter(person=world.officer2).update(valid_to=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        queries.check_acting_officers([world.officer, world.officer2], "medical", today)
    assert "甲执法二" in str(err.value) and "执法证" in str(err.value)


def test_acting_officers_need_certificate_for_the_field_and_two_people(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        queries.check_acting_officers([world.officer], "medical", today)
    assert "第四十二条" in str(err.value)
    with pytest.raises(ValidationError):
        queries.check_acting_officers([world.officer, world.officer2], "public-health", today)
    with pytest.raises(ValidationError):  # no certificate at all
        queries.check_acting_officers([world.officer, world.head], "medical", today)
    actions.suspend_certificate(world.sysadmin, world.officer.certificates.get(), reason="暂扣")
    with pytest.raises(ValidationError):
        queries.check_acting_officers([world.officer, world.officer2], "medical", today)


def test_change_password_requires_old_one_and_clears_flag(world):
    with unrecorded_writes():  # test set-up written around the actions layer
        world.officer.must_change_password = True
        world.officer.save(update_fields=["must_change_password"])
    with pytest.raises(ValidationError):
        actions.change_password(world.officer, old_password="wrong", new_password="Another#Pass1")
    actions.change_password(world.officer, old_password=PASSWORD, new_password="Another#Pass1")
    world.officer.refresh_from_db()
    assert not world.officer.must_change_password and world.officer.check_password("Another#Pass1")


def test_reset_password_forces_change(world):
    actions.reset_password(world.secadmin, world.officer, new_password="Temp#Pass2026")
    world.officer.refresh_from_db()
    assert world.officer.must_change_password


def test_disable_account(world):
    with pytest.raises(PermissionDenied):
        actions.set_person_active(world.secadmin, world.secadmin, active=False, reason="自己")
    actions.set_person_active(world.secadmin, world.officer, active=False, reason="离职")
    world.officer.refresh_from_db()
    assert not world.officer.is_active


def test_api_tokens_are_stored_hashed(world):
    token, raw = actions.create_api_token(world.officer, name="脚本")
    assert raw.startswith("zf_") and raw not in token.key_hash and token.key_hash == actions.token_hash(raw)
    with pytest.raises(PermissionDenied):
        actions.revoke_api_token(world.officer2, token)
