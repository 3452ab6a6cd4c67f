"""Shared REST API pieces: errors in the user's language for actions' refusals, and the rules every request body,
query and page of the API follows so that no input can make a server error (docs/api.md “错误与输入规则”).

- Pagination (:class:`Pagination`): ``limit`` is capped at :data:`MAX_LIMIT`; an ``offset`` above
  :data:`MAX_OFFSET` is refused (400); a ``limit``/``offset`` that is not a non-negative integer falls back to the
  default (DRF's standard behaviour). Long lists use :class:`KeysetPagination` instead: an opaque ``cursor``, no
  COUNT, no OFFSET; a cursor that does not decode is refused (400).
- Bodies (:class:`JSONParser`, :class:`FormParser`, :class:`MultiPartParser`): a JSON body is an object; text may not contain NUL or other
  control characters (tab, line feed and carriage return excepted) nor the bidirectional embeddings, overrides and
  isolates (U+202A–U+202E, U+2066–U+2069) that disguise text; one text value is at most :data:`MAX_TEXT`
  characters (views name their base64 payload fields in ``long_text_fields``). Refused with 400.
- :func:`body_object`: a view that reads the body without a serializer gets a dict or a 400 (415 for a content
  type that is not JSON or a form).
- :class:`IdField` / :func:`object_id`: ids named in a request are integers in 1..2⁶³−1, else 400.
- :func:`exception_handler`: the actions layer's ``ValidationError`` → 400, ``PermissionDenied`` → 403; a number
  too large for the database (``OverflowError``, ``DataError``) → 400 rather than a server error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.pagination import BasePagination, LimitOffsetPagination, _positive_int
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from zhifa.core import forms as forms_rules

logger = logging.getLogger(__name__)

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1
# The text rules are the forms' (one definition, zhifa.core.forms): NUL and other control characters (tab, line feed
# and carriage return excepted) and the bidirectional embeddings, overrides and isolates are refused; the invisible
# marks (U+200E, U+200F, U+061C) are allowed, which mixed-direction writing needs; file names are stricter
# (zhifa.core.filenames removes every format character from them).
MAX_TEXT = forms_rules.MAX_TEXT
BIDI_CONTROLS = forms_rules.BIDI_CONTROLS
text_problem = forms_rules.text_problem


def check_text(data, *, long_fields=frozenset(), _field: str = "", _depth: int = 0):
    """Raise a 400 (ParseError) when a string anywhere in ``data`` (keys too) breaks the text rules."""
    if _depth > 32:
        raise exceptions.ParseError(_("请求正文的嵌套层次过深。"))
    if isinstance(data, str):
        problem = text_problem(data)
        if problem is None and len(data) > MAX_TEXT and _field not in long_fields:
            problem = _("文本过长：每项不能超过 %(max)s 个字符。") % {"max": MAX_TEXT}
        if problem:
            raise exceptions.ParseError({_field or "detail": [problem]} if _field else problem)
    elif isinstance(data, Mapping):
        for key, value in data.lists() if hasattr(data, "lists") else data.items():
            check_text(str(key), _field=_field, _depth=_depth + 1)
            check_text(value, long_fields=long_fields, _field=_field or str(key), _depth=_depth + 1)
    elif isinstance(data, (list, tuple)):
        for value in data:
            check_text(value, long_fields=long_fields, _field=_field, _depth=_depth + 1)


def _long_fields(parser_context) -> frozenset:
    view = (parser_context or {}).get("view")
    return frozenset(getattr(view, "long_text_fields", ()))


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (its error in Chinese), then the text rules."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            raise exceptions.ParseError(
                _("请求正文不是有效的 JSON：%(error)s") % {"error": str(exc.detail).split(" - ", 1)[-1]}
            ) from exc
        if not isinstance(
            data, dict
        ):  # every body of the API is an object; ``[]``, ``"x"``, ``1``, ``null`` are not
            raise exceptions.ParseError(_("请求正文须为 JSON 对象（{…}）。"))
        check_text(data, long_fields=_long_fields(parser_context))
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_text(data, long_fields=_long_fields(parser_context))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Form fields follow the text rules; files are not text (their names are made safe where they are stored)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_text(result.data, long_fields=_long_fields(parser_context))
        return result


def body_object(request) -> Mapping:
    """The request body as a mapping (a JSON object or form fields), or a 400/415 with a Chinese message."""
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type and not (
        content_type == "application/json"
        or content_type.endswith("+json")
        or content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        raise exceptions.UnsupportedMediaType(
            content_type, detail=_("不支持的请求正文类型“%(type)s”：请使用 JSON。") % {"type": content_type}
        )
    data = request.data
    if not isinstance(data, Mapping):
        raise exceptions.ParseError(_("请求正文须为 JSON 对象（{…}）。"))
    return data


def object_id(value, field: str = "id") -> int | None:
    """An id named in a request: None when empty, else an integer in 1..2⁶³−1, else a 400."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        number = None
    if number is None or not 1 <= number <= MAX_ID:
        raise exceptions.ValidationError({field: [_("编号须为 1 到 %(max)s 之间的整数。") % {"max": MAX_ID}]})
    return number


class IdField(serializers.IntegerField):
    """An object id in a request body: an integer 1..2⁶³−1 (larger numbers cannot name a row, and would overflow
    the database's integer)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class BoundedIntegerField(serializers.IntegerField):
    """A count or amount in a request body that is stored in a 64-bit integer column."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class Pagination(LimitOffsetPagination):
    """DRF's limit/offset pagination with bounds: ``limit`` at most :data:`MAX_LIMIT` (larger values are capped),
    ``offset`` at most :data:`MAX_OFFSET` (larger values are refused with 400)."""

    max_limit = MAX_LIMIT

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param, "")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            return 0
        if value > MAX_OFFSET:
            raise exceptions.ValidationError(
                {self.offset_query_param: [_("偏移量（offset）不能超过 %(max)s。") % {"max": MAX_OFFSET}]}
            )
        return max(value, 0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
        return parameters


class KeysetPagination(BasePagination):
    """Cursor pagination by keyset, shaped like DRF's ``CursorPagination`` (an opaque ``cursor`` parameter, an answer
    ``{"next", "previous", "results"}`` whose links carry the cursor and keep the other parameters), but ordered by
    (:attr:`key`, id) — both descending, or both ascending — so that rows sharing a date never need an offset (DRF's
    orders by one field and skips the rows sharing its value by an offset, capped at 1,000: a province accepts more
    cases than that on one day).

    A page is one query for its ids from the index range after (or before) the cursor's row, ``limit`` + 1 of them,
    then its rows (``zhifa.core.keyset.page``, the web lists' keyset): no COUNT, no OFFSET; page 20,000
    costs what page 1 costs. ``limit`` as :class:`Pagination` (default 50, at most :data:`MAX_LIMIT`; not a positive
    integer: the default). A ``cursor`` that does not decode to a position is refused with 400 (the client should
    start again from the first page); an empty ``cursor`` is the first page. The cursor names a row's place in the
    order, not a permission: the view's queryset is scoped before it is cut. (A page left empty because its rows were
    deleted meanwhile links back to the first page.)

    Subclasses set :attr:`key` (a date field unless :meth:`parse_value` is overridden) and :attr:`descending`."""

    cursor_query_param = "cursor"
    limit_query_param = "limit"
    default_limit = api_settings.PAGE_SIZE
    max_limit = MAX_LIMIT
    key = ""
    descending = True
    invalid_cursor_message = _l("分页游标（cursor）无效：请去掉 cursor，从第一页重新开始。")
    _AFTER, _BEFORE = "n", "p"
    _ALPHABET = re.compile(r"[A-Za-z0-9_-]{1,200}")

    @staticmethod
    def parse_value(text: str):
        """The key's value from its text in a cursor (``isoformat()``)."""
        return dt.date.fromisoformat(text)

    def get_limit(self, request) -> int:
        try:
            return _positive_int(
                request.query_params[self.limit_query_param], strict=True, cutoff=self.max_limit
            )
        except (KeyError, ValueError):
            return self.default_limit

    # The cursor: URL-safe base64 of "n<value>_<id>" (the page after that row) or "p<value>_<id>" (the page before it),
    # then "." and 8 hex digits of an HMAC of it under the site's secret key. Without the mark a cursor cut by one
    # character could still be another row's well-formed position ("…_123" → "…_12") and be served as if real.

    @staticmethod
    def _mark(text: str) -> str:
        return salted_hmac("zhifa.core.api.cursor", text, algorithm="sha256").hexdigest()[:8]

    @classmethod
    def encode_cursor(cls, direction: str, position: str) -> str:
        text = f"{direction}{position}"
        return (
            base64.urlsafe_b64encode(f"{text}.{cls._mark(text)}".encode("ascii")).decode("ascii").rstrip("=")
        )

    def decode_cursor(self, request) -> tuple[str, str] | None:
        """(direction, "<value>_<id>") from the request's cursor, None for none, or a 400."""
        raw = request.query_params.get(self.cursor_query_param, "")
        if raw == "":
            return None
        decoded = None
        if self._ALPHABET.fullmatch(raw):
            try:
                marked = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
            except (binascii.Error, ValueError):
                marked = ""
            text, _dot, mark = marked.rpartition(".")
            if not constant_time_compare(mark, self._mark(text)):
                text = ""
            direction, position = text[:1], text[1:]
            value, _sep, pk = position.rpartition("_")
            try:
                parsed = self.parse_value(value)
            except (TypeError, ValueError):
                parsed = None
            if (
                direction in (self._AFTER, self._BEFORE)
                and parsed is not None
                and parsed.isoformat() == value  # one spelling per position: an edited cursor does not pass
                and pk.isdigit()
                and str(int(pk)) == pk
                and 1 <= int(pk) <= MAX_ID
                and self.encode_cursor(direction, position) == raw
            ):
                decoded = (direction, position)
        if decoded is None:
            raise exceptions.ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]})
        return decoded

    def paginate_queryset(self, queryset, request, view=None):
        from zhifa.core import keyset  # the one keyset implementation (the web lists use it too)

        assert self.key, "KeysetPagination needs a key"
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.limit = self.get_limit(request)
        cursor = self.decode_cursor(request)
        direction, position = cursor or ("", "")
        self.page = keyset.page(
            queryset,
            keyset.by_id(self.key, self.parse_value),
            descending=self.descending,
            after=position if direction == self._AFTER else "",
            before=position if direction == self._BEFORE else "",
            size=self.limit,
        )
        return list(self.page.object_list)

    def _link(self, direction: str, position: str) -> str | None:
        if not position:
            return None
        return replace_query_param(
            self.base_url, self.cursor_query_param, self.encode_cursor(direction, position)
        )

    def get_next_link(self) -> str | None:
        return self._link(self._AFTER, self.page.next_cursor)

    def get_previous_link(self) -> str | None:
        if self.page.has_previous and not self.page.previous_cursor:
            return remove_query_param(self.base_url, self.cursor_query_param)  # an empty page past the end
        return self._link(self._BEFORE, self.page.previous_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": _("下一页的地址；没有下一页时为 null"),
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": _("上一页的地址；第一页为 null"),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("分页游标：取自上一次回答的 next 或 previous 链接；不带即第一页"),
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": _("每页条数，默认 %(default)s，最多 %(max)s")
                % {"default": self.default_limit, "max": self.max_limit},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
        ]


NUMBER_OUT_OF_RANGE = _l("数值超出允许范围。")


def exception_handler(exc, context):
    """Turn the actions layer's Django errors into 400/403 answers with the Chinese message."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            detail = {"detail": [str(m) for m in exc.messages]}
        set_rollback()
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.APIException):
        message = str(exc) or exceptions.PermissionDenied.default_detail
        set_rollback()
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, (OverflowError, DataError)):
        # A safety net: inputs are bounded where they are read (IdField, object_id, Pagination); a value that
        # still reaches the database out of range is the client's error, not the server's.
        logger.warning("API input out of range: %s", exc)
        set_rollback()
        return Response({"detail": [str(NUMBER_OUT_OF_RANGE)]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
