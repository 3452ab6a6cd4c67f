"""Logins, logouts and failures go to the security audit record, whichever path triggered them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import actions
from .choices import AuthEventKind


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _ua(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "") if request is not None else ""


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    actions.record_auth_event(
        AuthEventKind.LOGIN,
        username=user.username,
        person=user,
        ip=client_ip(request),
        user_agent=_ua(request),
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        actions.record_auth_event(
            AuthEventKind.LOGOUT,
            username=user.username,
            person=user,
            ip=client_ip(request),
            user_agent=_ua(request),
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from .models import Person

    username = credentials.get("username", "")
    actions.record_auth_event(
        AuthEventKind.FAILURE,
        username=username,
        person=Person.objects.filter(username=username).first(),
        ip=client_ip(request),
        user_agent=_ua(request),
    )
