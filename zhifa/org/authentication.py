"""Personal token authentication for the API: ``Authorization: Bearer zf_…``; only hashes are stored."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        from .actions import token_hash

        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = ApiToken.objects.select_related("person").filter(key_hash=token_hash(raw)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已吊销。"))
        if not token.person.is_active:
            raise exceptions.AuthenticationFailed(_("账户已停用。"))
        if token.person.must_change_password:
            raise exceptions.AuthenticationFailed(_("请先登录网页修改初始密码。"))
        # last_used_at is bookkeeping, not business data: updated at most once a minute, outside the ledger.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.person, token

    def authenticate_header(self, request):
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session on the API, with the same rule as the pages: an account whose password an administrator
    set (or reset) acts on nothing until its holder changes it — otherwise a security administrator who knows the
    temporary password could act as anyone through the API."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and getattr(result[0], "must_change_password", False):
            raise exceptions.PermissionDenied(_("请先修改初始密码，然后才能使用系统。"))
        return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the personal token in the OpenAPI schema (drf-spectacular)."""

    target_class = "zhifa.org.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "个人接口令牌（在“接口令牌”页面创建）"}


class ZhifaSessionScheme(SessionScheme):
    """Documents the browser session (the same cookie as drf-spectacular's own scheme) for our subclass."""

    target_class = "zhifa.org.authentication.SessionAuthentication"
