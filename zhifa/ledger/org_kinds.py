"""The org app's object kinds and action names, registered with the ledger (see ``registry``)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import registry


def _access_unit(user, object_id):
    from zhifa.org.models import Unit
    from zhifa.org.queries import access_agency

    unit = Unit.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if unit is None:
        raise Http404
    access_agency(user, unit.agency_id)
    return unit


def _access_role(user, object_id):
    from zhifa.org.models import RoleAssignment
    from zhifa.org.queries import access_person

    assignment = RoleAssignment.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if assignment is None:
        raise Http404
    access_person(user, assignment.person_id)
    return assignment


def _access_field(user, object_id):
    """Platform data: any logged-in person may read a 执法领域's history."""
    from zhifa.org.models import EnforcementField

    field = EnforcementField.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if field is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return field


def _access_token(user, object_id):
    from zhifa.org.models import ApiToken

    token = (
        ApiToken.objects.filter(pk=object_id, person_id=user.pk).first() if str(object_id).isdigit() else None
    )
    if token is None:
        raise Http404
    return token


def _access_auth_event(user, object_id):
    """Login audit records: the audit administrator's (三员分立), like the login-audit page."""
    from zhifa.org.queries import visible_auth_events

    event = visible_auth_events(user).filter(pk=object_id).first() if str(object_id).isdigit() else None
    if event is None:
        raise Http404
    return event


def _register_infrastructure() -> None:
    """The models of our apps that are not business records, each with the reason (a test checks that every
    model of the ``zhifa`` apps is either recorded or declared here or by its app)."""
    registry.register_unrecorded("core.sequence", _("文书编号计数器：编号本身随所在文书记入账本"))
    registry.register_unrecorded(
        "core.job",
        _("后台任务的运行状态（进度、租约）：任务所做的事由它调用的操作记入账本，开始导出等由访问记录记入"),
    )
    for name in ("ledger.log", "ledger.entry", "ledger.checkpoint"):
        registry.register_unrecorded(name, _("账本自身：由哈希链、默克尔树和签名检查点保护，由 verify 核对"))
    registry.register_unrecorded("ledger.cosignature", _("见证方对检查点的副署：由签名保护，由 verify 核对"))
    registry.register_unrecorded(
        "ledger.witnessstate", _("本部署作为见证方时记下的各日志最近副署位置：见证方自有的状态")
    )
    registry.register_unrecorded(
        "ledger.verificationrun", _("账本验证的运行记录：验证本身的结果，不是执法记录")
    )


def register() -> None:
    from zhifa.org import queries

    registry.register_kind(
        "org.agency", label=_("执法主体"), access=queries.access_agency, agency=lambda agency: agency
    )
    registry.register_kind(
        "org.person", label=_("人员"), access=queries.access_person, agency=lambda person: person.agency
    )
    registry.register_kind(
        "org.certificate",
        label=_("执法证"),
        access=queries.access_certificate,
        agency=lambda cert: cert.person.agency,
    )
    registry.register_kind(
        "org.unit", label=_("内设机构"), access=_access_unit, agency=lambda unit: unit.agency
    )
    registry.register_kind(
        "org.roleassignment",
        label=_("角色授予"),
        access=_access_role,
        agency=lambda assignment: assignment.agency,
    )
    registry.register_kind(
        "org.apitoken",
        label=_("接口令牌"),
        access=_access_token,
        agency=lambda token: token.person.agency,
        volatile={"last_used_at"},  # bookkeeping updated at each use, outside actions (org.authentication)
    )
    registry.register_kind("org.enforcementfield", label=_("执法领域"), access=_access_field)
    registry.register_platform_data("org.enforcementfield")
    registry.register_platform_data("org.person", rows=lambda people: people.filter(agency__isnull=True))
    registry.register_kind("org.authevent", label=_("登录审计记录"), access=_access_auth_event)
    registry.register_unrecorded(
        "org.authevent",
        _(
            "登录审计记录：等保安全审计自有的只增记录表，不属于执法行为；各条记录自成哈希链，"
            "有所属执法主体的记录另以其序号和链哈希记入该主体的账本，由 verify 核对"
        ),
    )
    registry.register_unrecorded(
        "org.portalversion",
        _(
            "公示门户页面缓存的版本标记：随人员、执法证、角色、内设机构的每次写入在同一事务中更换，没有业务含义"
        ),
    )
    _register_infrastructure()
    registry.register_actions(
        {
            "org.create_agency": _("创建执法主体"),
            "org.update_agency": _("修改执法主体信息"),
            "org.add_unit": _("添加内设机构"),
            "org.add_field": _("添加执法领域"),
            "org.add_platform_admin": _("创建平台管理员"),
            "org.add_person": _("新建人员账户"),
            "org.update_person": _("修改人员信息"),
            "org.set_person_active": _("启用或停用账户"),
            "org.reset_password": _("重置密码"),
            "org.change_password": _("修改密码"),
            "org.grant_role": _("授予角色"),
            "org.remove_role": _("移除角色"),
            "org.issue_certificate": _("登记执法证"),
            "org.suspend_certificate": _("暂扣执法证"),
            "org.reinstate_certificate": _("恢复执法证"),
            "org.revoke_certificate": _("注销执法证"),
            "org.rehash_password": _("登录时升级密码哈希"),
            "org.auth_event": _("登录审计"),
            "org.create_api_token": _("创建接口令牌"),
            "org.revoke_api_token": _("吊销接口令牌"),
        }
    )
