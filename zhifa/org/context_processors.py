from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.cases.queries import CASE_READER_ROLES
from zhifa.catalog.queries import CATALOG_READER_ROLES
from zhifa.inspections.queries import READER_ROLES as INSPECTION_READER_ROLES
from zhifa.publicity.queries import COMPLAINT_READER_ROLES
from zhifa.workdays.queries import DEADLINE_WRITER_ROLES

from . import queries
from .choices import Role

# (label, url name, roles that see it; None = everyone logged in)
NAV = [
    (_("工作台"), "home", None),
    (_("案件"), "cases:list", CASE_READER_ROLES),
    (_("法制审核"), "review:home", CASE_READER_ROLES),
    (_("事项目录"), "catalog:home", CATALOG_READER_ROLES),
    (_("投诉举报"), "catalog:complaints", COMPLAINT_READER_ROLES),
    (_("决定公开"), "catalog:publications", CASE_READER_ROLES),
    (_("年度统计"), "catalog:statistics", CASE_READER_ROLES),
    (_("执法主体"), "org:agency_list", queries.ORG_READER_ROLES),
    (_("执法人员"), "org:person_list", queries.ORG_READER_ROLES),
    (_("工作日历"), "workdays:calendar", None),
    (_("我的提醒"), "workdays:reminders", DEADLINE_WRITER_ROLES),  # the people deadlines remind (workdays)
    (_("登录审计"), "org:auth_events", {Role.AUDIT_ADMIN}),
    (_("账本审计"), "ledger:audit_index", {Role.AUDIT_ADMIN, Role.SUPERVISOR}),
    (_("调阅记录"), "records:access_log", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("双随机抽查"), "inspections:plans", INSPECTION_READER_ROLES),
    (_("案卷评查"), "supervision:home", {Role.SUPERVISOR}),
    (_("执法统计"), "supervision:figures", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("分析报告"), "supervision:analysis_reports", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("考核排名"), "supervision:rankings", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("网上巡查"), "supervision:inspections", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("整改"), "supervision:rectifications", {Role.SUPERVISOR, Role.AGENCY_HEAD}),
    (_("薄弱环节规则"), "supervision:weak_point_rules", frozenset()),  # the platform administrator's
    (
        _("评查标准"),
        "supervision:standards",
        frozenset(),
    ),  # the platform administrator's (supervisors: 案卷评查)
    (_("接口令牌"), "org:tokens", None),
]
# The platform administrator (superuser) holds no agency role: the platform-level pages only — never a case,
# a review, a complaint or the audit records (三员分立 and the agencies' own business).
PLATFORM_ADMIN_PAGES = {
    "catalog:home",
    "org:agency_list",
    "org:person_list",
    "supervision:weak_point_rules",
    "supervision:standards",
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = queries.all_roles(user)
    items = []
    for label, name, roles in NAV:
        if roles is None or held & set(roles) or (user.is_superuser and name in PLATFORM_ADMIN_PAGES):
            items.append({"label": label, "url": reverse(name), "active": request.path == reverse(name)})
    return {"nav_items": items, "user_roles": sorted(Role(r).label for r in held)}
