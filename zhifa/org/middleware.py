import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# Paths a person who must change their password may still reach.
_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/i18n/", "/portal/", "/api/")

# Session key: this session logged in with a password older than PASSWORD_MAX_AGE_DAYS.
EXPIRED = "zhifa_password_expired"
# Session key: when the session was last renewed (seconds since the epoch).
RENEWED = "zhifa_renewed"
# A session is renewed (written, its expiry moved to SESSION_IDLE_MINUTES from now) at most this often.
RENEW_EVERY_SECONDS = 60


class SessionRenewalMiddleware:
    """Idle timeout (等保 2.0 8.1.4.1 d) without a write on every request: a session in use is renewed at most once
    a minute, so it ends between SESSION_IDLE_MINUTES - 1 and SESSION_IDLE_MINUTES minutes after the last request.
    (Django's SESSION_SAVE_EVERY_REQUEST wrote the session row on every page, a database write per page view.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(timezone.now().timestamp())
            if now - session.get(RENEWED, 0) >= RENEW_EVERY_SECONDS:
                session[RENEWED] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


def password_changed_at(person) -> dt.datetime:
    """When the person last chose their password: the latest 修改密码 audit event, else when the account was made."""
    from .choices import AuthEventKind
    from .models import AuthEvent

    last = (
        AuthEvent.objects.filter(person=person, kind=AuthEventKind.PASSWORD_CHANGED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return last or person.date_joined


def password_expired(person, now: dt.datetime | None = None) -> bool:
    """Periodic change (等保 2.0 8.1.4.1 a): the password is older than PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    days = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
    if not days:
        return False
    now = now or timezone.now()
    return now - password_changed_at(person) > dt.timedelta(days=days)


class PasswordChangeRequiredMiddleware:
    """Accounts created by an administrator must change their password before anything else; so must a person
    whose password is older than PASSWORD_MAX_AGE_DAYS, from the login on (checked once per login, so no page
    pays a query for it) until they have changed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        was_authenticated = user is not None and user.is_authenticated
        expired = was_authenticated and bool(request.session.get(EXPIRED))
        if was_authenticated and (getattr(user, "must_change_password", False) or expired):
            allowed = {reverse("password_change"), reverse("logout")}
            if expired and request.path.startswith("/api/") and "HTTP_AUTHORIZATION" not in request.META:
                # The browser session on the API: the same rule as the pages (a personal token is not a password).
                return JsonResponse(
                    {"detail": _("密码已超过有效期，请先修改密码，然后才能使用系统。")}, status=403
                )
            if request.path not in allowed and not request.path.startswith(_OPEN_PREFIXES):
                return redirect("password_change")
        password_before = user.password if was_authenticated else None
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if not was_authenticated and user is not None and user.is_authenticated:
            # This request logged in: check the password's age once.
            if password_expired(user):
                request.session[EXPIRED] = True
                messages.warning(
                    request,
                    _("您的密码已超过%(days)d天未修改，请先修改密码。")
                    % {"days": settings.PASSWORD_MAX_AGE_DAYS},
                )
        elif expired and user is not None and user.is_authenticated and user.password != password_before:
            request.session.pop(EXPIRED, None)  # changed: the new password starts its own period
        return response
