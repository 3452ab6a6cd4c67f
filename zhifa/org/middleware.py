from django.shortcuts import redirect
from django.urls import reverse

# Paths a person who must change their password may still reach.
_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/i18n/", "/portal/", "/api/")


class PasswordChangeRequiredMiddleware:
    """Accounts created by an administrator must change their password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(_OPEN_PREFIXES):
                return redirect("password_change")
        return self.get_response(request)
