"""Request guards for every page and API call (docs/api.md “错误与输入规则”).

- A NUL character in the query string (``?state=%00``) is refused with 400 before any view runs: PostgreSQL cannot
  hold NUL in text, so a filter with one would fail in the database. (Forms refuse NUL with Django's
  ``ProhibitNullCharactersValidator``; API bodies by ``zhifa.core.api``'s parsers.)
- A rule violation (the actions layer's ``ValidationError``) that a page view does not catch is shown as a 400 page
  with its message, not a server error. (The API turns it into a 400 answer in ``zhifa.core.api``.)
- A number too large for the database that reaches it from a page's filter (``?officer=2**70`` on SQLite:
  ``OverflowError``) is a 400 page (“数值超出允许范围。”), not a server error.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return self._refuse(request, [_("查询参数中不能含有空字符（NUL）。")])
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _is_api(request):
            return None  # DRF's exception handler (zhifa.core.api) answers the API's
        if isinstance(exception, ValidationError):
            return self._refuse(request, [str(m) for m in exception.messages])
        if isinstance(exception, OverflowError):
            logger.warning("Page input out of range: %s %s", request.path, exception)
            return self._refuse(request, [_("数值超出允许范围。")])
        return None

    @staticmethod
    def _refuse(request, messages):
        if _is_api(request):
            return JsonResponse({"detail": messages}, status=400, json_dumps_params={"ensure_ascii": False})
        response = TemplateResponse(request, "400.html", {"messages_list": messages}, status=400)
        return response.render()
