"""The public API of published decisions (事后公开, issue 15 item 5): ``/api/v1/decisions/`` with the portal's search,
filters and sort (the same parameters as ``/portal/decisions/``: q, org, act, kind, penalty, item, from, to, sort,
page), and ``/api/v1/decisions/<id>/`` with the summary and the public text — or, for a withdrawn decision, the
notice and its public reason. No sign-in, nothing but what the portal shows; the count stops at the portal's cap."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from . import decision_views
from .choices import PublicationState
from .models import Publication


def _summary(key: str) -> serializers.CharField:
    """A field of the summary saved with the publication (its keys: ``publication.summary_for``)."""
    return serializers.CharField(source=f"summary.{key}", default="", read_only=True)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = _summary("number")
    agency = _summary("agency")
    party = _summary("party")
    credit_code = _summary("credit_code")
    cause = _summary("cause")
    act = serializers.CharField(source="summary.act", default="penalty", read_only=True)
    outcome = _summary("outcome")
    measure = _summary("measure")
    penalty_kinds = serializers.ListField(
        source="summary.penalty_kinds", child=serializers.CharField(), default=list, read_only=True
    )
    fine = _summary("fine")
    basis = _summary("basis")
    decided_on = serializers.DateField()
    released_at = serializers.DateTimeField()
    withdrawn = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_withdrawn(self, obj) -> bool:
        return obj.state == PublicationState.WITHDRAWN

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("publicity:decision", args=[obj.pk]))


class DecisionDetailSerializer(DecisionSerializer):
    """With the public text and its SHA-256 (the one the release's ledger entry recorded), or, withdrawn, the notice."""

    text = serializers.SerializerMethodField()
    text_sha256 = serializers.SerializerMethodField()
    public_reason = serializers.SerializerMethodField()
    withdrawn_at = serializers.DateTimeField()
    proof = serializers.SerializerMethodField()

    def get_text(self, obj) -> str:
        return "" if obj.state == PublicationState.WITHDRAWN else obj.text

    def get_text_sha256(self, obj) -> str:
        return "" if obj.state == PublicationState.WITHDRAWN else obj.text_sha256

    def get_public_reason(self, obj) -> str:
        return obj.public_reason if obj.state == PublicationState.WITHDRAWN else ""

    def get_proof(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("publicity:decision_proof", args=[obj.pk]))


class DecisionPagination(BasePagination):
    """The portal's pages: 20 a page, the count stopped at the portal's cap (``decision_views.page_of``), with the
    filters the view dropped (``view.problems``)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.page = decision_views.page_of(queryset, view.filters, request.query_params.get("page"))
        self.problems = view.problems
        return list(self.page.object_list)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "capped": self.page.paginator.capped,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "problems": [str(p) for p in self.problems],
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "capped", "page", "pages", "problems", "results"],
            "properties": {
                "count": {"type": "integer"},
                "capped": {"type": "boolean", "description": "计数到上限为止：实际更多"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "problems": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "被忽略的筛选条件及原因",
                },
                "results": schema,
            },
        }


FILTERS = [
    OpenApiParameter("q", str, description="检索词；整段文号按文号查找"),
    OpenApiParameter("org", str, description="执法主体代码"),
    OpenApiParameter(
        "act",
        str,
        enum=["penalty", "compulsion", "requisition", "confirmation", "inspection"],
        description="执法行为",
    ),
    OpenApiParameter("kind", str, enum=["penalty", "other"], description="决定类别"),
    OpenApiParameter("penalty", str, description="处罚种类"),
    OpenApiParameter("item", str, description="执法事项编码"),
    OpenApiParameter("from", str, description="决定日期起（年-月-日）"),
    OpenApiParameter("to", str, description="决定日期止（年-月-日）"),
    OpenApiParameter("sort", str, enum=["new", "old"], description="排序"),
    OpenApiParameter("page", int, description="页码（每页 20 件）"),
]


class PublicDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """公开的行政执法决定（无需登录）：检索、筛选、排序和分页与 /portal/decisions/ 相同。"""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = DecisionSerializer
    pagination_class = DecisionPagination

    def get_queryset(self):
        return Publication.objects.filter(state__in=Publication.PUBLIC_STATES)

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        qs, self.filters, self.problems = decision_views.filtered(request.query_params)
        rows = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(responses=DecisionDetailSerializer)
    def retrieve(self, request, pk=None):
        publication = decision_views.public_decision(pk if str(pk).isdigit() else 0)
        return Response(DecisionDetailSerializer(publication, context={"request": request}).data)
