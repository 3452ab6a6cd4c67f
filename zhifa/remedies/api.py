"""REST endpoints for remedy proceedings: the same actions and checks as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.cases import queries as case_queries
from zhifa.core.api import FormParser, IdField, JSONParser, MultiPartParser, object_id

from . import actions, queries
from .choices import RemedyKind, RemedyOutcome
from .models import Proceeding, ProceedingDocument


class ProceedingDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProceedingDocument
        fields = ["id", "title", "sha256", "size", "content_type", "uploaded_by", "uploaded_at"]


class ProceedingSerializer(serializers.ModelSerializer):
    documents = ProceedingDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "case",
            "kind",
            "body",
            "case_number",
            "applied_on",
            "accepted_on",
            "decided_on",
            "outcome",
            "outcome_note",
            "note",
            "recorded_by",
            "recorded_at",
            "outcome_by",
            "documents",
        ]


class ProceedingRequest(serializers.Serializer):
    case = IdField(help_text=_("案件"))
    kind = serializers.ChoiceField(choices=RemedyKind.choices, help_text=_("类型"))
    applied_on = serializers.DateField(help_text=_("申请或起诉日期"))
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("复议机关或法院"))
    case_number = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("案号"))
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("备注"))


class AcceptanceRequest(serializers.Serializer):
    accepted_on = serializers.DateField(help_text=_("受理日期"))
    case_number = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("案号"))


class OutcomeRequest(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RemedyOutcome.choices, help_text=_("结果"))
    decided_on = serializers.DateField(help_text=_("决定或裁判日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("结果说明"))


class DocumentRequest(serializers.Serializer):
    title = serializers.CharField(help_text=_("文书名称"))
    file = serializers.FileField(help_text=_("PDF、PNG或JPEG文件"))


class StandingSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    proceeding = serializers.IntegerField(allow_null=True)
    pending = serializers.BooleanField()


class ProceedingViewSet(viewsets.ReadOnlyModelViewSet):
    """行政复议、行政诉讼 on the cases the user may see; ``?case=`` filters by case."""

    serializer_class = ProceedingSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        qs = queries.visible_proceedings(self.request.user).prefetch_related("documents")
        case = object_id(self.request.query_params.get("case"), "case")
        return qs.filter(case_id=case) if case else qs

    def _run(self, request, pk, req_cls, call):
        p = queries.access_proceeding(request.user, pk)
        data = req_cls(data=request.data)
        data.is_valid(raise_exception=True)
        call(p, data.validated_data)
        p.refresh_from_db()
        return Response(ProceedingSerializer(p).data)

    @extend_schema(
        request=ProceedingRequest, responses={201: ProceedingSerializer}, summary=str(_("登记复议诉讼"))
    )
    def create(self, request):
        data = ProceedingRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        case = case_queries.access_case(request.user, d.pop("case"))
        p = actions.record_proceeding(request.user, case, **d)
        return Response(ProceedingSerializer(p).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AcceptanceRequest, responses=ProceedingSerializer, summary=str(_("登记复议诉讼受理"))
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(
            request, pk, AcceptanceRequest, lambda p, d: actions.record_acceptance(request.user, p, **d)
        )

    @extend_schema(request=OutcomeRequest, responses=ProceedingSerializer, summary=str(_("登记复议诉讼结果")))
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._run(
            request, pk, OutcomeRequest, lambda p, d: actions.record_outcome(request.user, p, **d)
        )

    @extend_schema(
        request=DocumentRequest, responses=ProceedingSerializer, summary=str(_("上传复议诉讼文书"))
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        return self._run(
            request,
            pk,
            DocumentRequest,
            lambda p, d: actions.add_document(request.user, p, title=d["title"], data=d["file"].read()),
        )

    @extend_schema(responses=StandingSerializer, summary=str(_("决定状态")))
    @action(detail=False, methods=["get"], url_path=r"standing/(?P<case_pk>\d+)")
    def standing(self, request, case_pk=None):
        case = case_queries.access_case(request.user, case_pk)
        s = queries.decision_standing(case)
        return Response(
            {
                "code": s.code,
                "label": s.label,
                "proceeding": s.proceeding.pk if s.proceeding else None,
                "pending": s.code == "pending",
            }
        )
