"""执法主体 (agencies), their units, people, 执法证 certificates, roles and account records."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AgencyLevel, AuthEventKind, CertificateStatus, Role
from .validators import validate_credit_code


class Agency(models.Model):
    """执法主体: an administrative body with enforcement powers. Every record belongs to one."""

    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("系统内唯一标识，用于网址和命令行")
    )
    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, help_text=_("用于文书编号，如“明卫”"))
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    region = models.CharField(_("所属行政区域"), max_length=100)
    level = models.CharField(
        _("执法层级"), max_length=20, choices=AgencyLevel.choices, default=AgencyLevel.COUNTY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    legal_basis = models.TextField(_("设立及执法依据"), blank=True)
    duties = models.TextField(_("职责"), blank=True)
    powers = models.TextField(_("权限"), blank=True)
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    court = models.CharField(_("行政诉讼管辖法院"), max_length=200, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """内设机构. At most one per agency is the legal review unit (法制审核机构)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("名称"), max_length=100)
    is_legal_review_unit = models.BooleanField(_("法制审核机构"), default=False)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        verbose_name = _("内设机构")
        verbose_name_plural = _("内设机构")
        ordering = ["agency", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_legal_review_unit=True),
                name="one_legal_review_unit_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnforcementField(models.Model):
    """执法领域 a certificate is valid for (e.g. 医疗卫生, 公共卫生)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    abbreviation = models.CharField(
        _("文号简称"),
        max_length=4,
        blank=True,
        help_text=_("文书编号中的执法类别，如“医”（明卫医罚〔2026〕12号）"),
    )

    class Meta:
        verbose_name = _("执法领域")
        verbose_name_plural = _("执法领域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        person = self.model(username=username, **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, username, password=None, **fields):
        from .actions import add_platform_admin  # the actions layer records the account in the ledger

        fields.pop("is_staff", None)
        fields.pop("is_superuser", None)
        return add_platform_admin(username, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """A person with an account: officers, reviewers, heads, supervisors, administrators."""

    username = models.CharField(_("用户名"), max_length=50, unique=True)
    full_name = models.CharField(_("姓名"), max_length=50)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("所属执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    legal_qualification_date = models.DateField(_("法律职业资格取得日期"), null=True, blank=True)
    legal_qualification_number = models.CharField(_("法律职业资格证书编号"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入后台"), default=False)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["agency", "unit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_qualification=False) | Q(legal_qualification_date__isnull=False),
                name="legal_qualification_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def check_password(self, raw_password) -> bool:
        """Django's check, except that a hash upgraded on login (the hasher's parameters or PASSWORD_HASHERS
        changed) is saved by an action, so the new hash's digest is in the ledger like any other change."""
        from django.contrib.auth.hashers import check_password

        def setter(raw):
            from .actions import rehash_password

            rehash_password(self, raw)

        return check_password(raw_password, self.password, setter)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class RoleAssignment(models.Model):
    """A role a person holds in an agency. A supervisor holds one per agency supervised."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="roles"
    )
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    granted_by = models.ForeignKey(
        Person, verbose_name=_("授予人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "agency"], name="role_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.agency}"


class Certificate(models.Model):
    """执法证: only a person with an active, unexpired certificate for the field may act as an officer."""

    number = models.CharField(_("证件编号"), max_length=40, unique=True)
    person = models.ForeignKey(
        Person, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates"
    )
    fields = models.ManyToManyField(EnforcementField, verbose_name=_("执法领域"), related_name="certificates")
    issuer = models.CharField(_("发证机关"), max_length=200)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    status_reason = models.CharField(_("状态变更原因"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="certificate_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AuthEvent(models.Model):
    """Security audit record of logins, logouts and failures (read by the audit administrator).

    The rows form a hash chain of their own (``seq``, ``chain_hash``: ``org.actions.auth_event_hash``), and each
    event of an agency's person is also an entry of that agency's ledger log, so a deleted or changed row is
    found by ``zhifa ledger verify``. Rows from before the chain have no ``seq``."""

    kind = models.CharField(_("事件"), max_length=20, choices=AuthEventKind.choices)
    username = models.CharField(_("用户名"), max_length=150)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    seq = models.BigIntegerField(_("序号"), null=True, blank=True, unique=True, editable=False)
    chain_hash = models.CharField(_("链哈希"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("登录审计记录")
        verbose_name_plural = _("登录审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "kind", "at"], name="authevent_user_kind_at"),
            models.Index(fields=["ip", "kind", "at"], name="authevent_ip_kind_at"),
            # the audit administrator's list of an agency's records, newest first, by keyset (zhifa.core.keyset)
            models.Index(fields=["agency", "at", "id"], name="authevent_agency_at"),
        ]


class ApiToken(models.Model):
    """A personal API token (``Authorization: Bearer …``). Only its SHA-256 is stored."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]


class PortalVersion(models.Model):
    """One row per agency whose token changes with every write to what the public portal shows of the agency's
    people: its fields, its units, its people, their roles and certificates (with their fields). The key of the
    cached portal pages that list them (``zhifa.publicity.views``); bumped by ``zhifa.org.portal_version``.

    A random token rather than a counter, so a rolled-back change or a restored backup can never make a stale
    cached page look fresh."""

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("执法主体"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="portal_version",
    )
    token = models.UUIDField(_("版本"))
    changed_at = models.DateTimeField(_("变更时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公示人员信息版本")
        verbose_name_plural = _("公示人员信息版本")


# The receivers that bump PortalVersion in the transaction of every write it answers for.
from . import portal_version  # noqa: E402, F401
