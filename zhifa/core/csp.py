"""Content-Security-Policy (django-csp) and the headers Django has no setting for.

The policy itself is ``settings.CONTENT_SECURITY_POLICY``. Two additions here:

- a response Django's ``xframe_options_sameorigin`` marked (the document preview, shown in an ``<iframe>`` of the
  platform's own pages) gets ``frame-ancestors 'self'`` instead of ``'none'``, so the two framing headers agree
  and no view has to repeat the rule;
- ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): the platform uses no camera, microphone or location.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.conf import settings


class CSPMiddleware(_CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
