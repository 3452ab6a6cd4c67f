"""REST endpoints for evidence (/api/v1/evidence/, /api/v1/evidence-uploads/, /api/v1/access-log/), with the
permissions of the pages.

A resumable upload: ``POST evidence-uploads/`` {case, size, name, sha256?} → {id, received}; then ``PUT
evidence-uploads/{id}/`` with the raw bytes and ``Upload-Offset: N`` (the server reads the body in pieces, so
memory stays constant); ``GET evidence-uploads/{id}/`` says how many bytes arrived (continue from there after a
dropped connection); ``POST evidence-uploads/{id}/complete/`` {kind, description, …} makes the evidence item.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.cases.models import CaseRecord
from zhifa.cases.queries import access_case
from zhifa.core import api as core_api
from zhifa.core.errors import RuleViolation

from . import access, evidence_views, queries
from . import evidence as actions
from .models import Document, Evidence, EvidenceUpload


class EvidenceSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "description",
            "source",
            "collected_at",
            "place",
            "latitude",
            "longitude",
            "stage",
            "act_code",
            "record",
            "document",
            "device_id",
            "duration",
            "codec",
            "secrecy",
            "sha256",
            "size",
            "content_type",
            "original_name",
            "created_at",
            "fixity_checked_at",
            "fixity_ok",
        ]


class UploadSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceUpload
        fields = ["id", "case", "size", "received", "state", "original_name", "sha256", "evidence"]


class UploadStartRequest(serializers.Serializer):
    case = core_api.IdField(help_text=_l("案件"))
    size = serializers.IntegerField(min_value=1, max_value=core_api.MAX_ID, help_text=_l("文件大小（字节）"))
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text=_l("文件名"))
    sha256 = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_l("SHA-256（可选）")
    )


def _text(**kw):
    return serializers.CharField(required=False, allow_blank=True, default="", **kw)


class _BlankIsNull:
    """An optional date or number left empty ("") is no value, as in the page's form."""

    def validate_empty_values(self, data):
        return super().validate_empty_values(None if data == "" else data)


class _OptionalDateTime(_BlankIsNull, serializers.DateTimeField):
    pass


class _OptionalDecimal(_BlankIsNull, serializers.DecimalField):
    pass


class UploadCompleteRequest(serializers.Serializer):
    """The evidence item's particulars (the actions layer checks them against the case and the law)."""

    kind = serializers.CharField(help_text=_l("证据种类"))
    description = serializers.CharField(help_text=_l("证据说明"))
    source = _text()
    collected_at = _OptionalDateTime(required=False, allow_null=True, default=None)
    place = _text()
    latitude = _OptionalDecimal(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = _OptionalDecimal(max_digits=9, decimal_places=6, required=False, allow_null=True)
    stage = _text()
    act_code = _text()
    device_id = _text()
    secrecy = _text()
    record = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=_l("调查记录")
    )
    document = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text=_l("文书"))


def _meta(case, request) -> dict:
    """The checked body of ``complete``: typed by :class:`UploadCompleteRequest`, record and document of the case."""
    ser = UploadCompleteRequest(data=core_api.body_object(request))
    ser.is_valid(raise_exception=True)
    data = ser.validated_data
    meta = {k: data.get(k) for k in UploadCompleteRequest().fields if k not in ("record", "document")}
    record = core_api.object_id(data.get("record"), "record")
    if record:
        meta["record"] = CaseRecord.objects.filter(case=case, pk=record).first()
        if meta["record"] is None:
            raise RuleViolation(_("所属调查记录不属于本案。"))
    document = core_api.object_id(data.get("document"), "document")
    if document:
        meta["document"] = Document.objects.filter(case=case, pk=document).first()
        if meta["document"] is None:
            raise RuleViolation(_("所属文书不属于本案。"))
    return meta


def _refused(exc: RuleViolation) -> Response:
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EvidenceSerializer

    def get_queryset(self):
        qs = queries.visible_evidence(self.request.user).order_by("id")
        case = core_api.object_id(self.request.query_params.get("case"), "case")
        if case:
            qs = qs.filter(case_id=case)
        return qs

    def retrieve(self, request, pk=None):
        """One evidence item; the opening is recorded (调阅). Marked items need ``?reason=``."""
        item = queries.access_evidence(request.user, pk, log_refusal=True)
        reason = (request.query_params.get("reason") or "").strip()
        if item.secrecy and not reason:
            raise PermissionDenied(_("调阅涉密记录须填写调阅事由（reason）。"))
        evidence_views.record_access(request.user, item, reason or _("接口查看证据"))
        return Response(EvidenceSerializer(item).data)

    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The file (Range supported); every request from byte 0 and every download is recorded (调阅). Marked
        items need ``?reason=``."""
        item = queries.access_evidence(request.user, pk, log_refusal=True)
        reason = (request.query_params.get("reason") or "").strip()
        if item.secrecy and not reason:
            raise PermissionDenied(_("调阅涉密记录须填写调阅事由（reason）。"))
        header = request.headers.get("Range", "")
        if not header or header.startswith("bytes=0-"):
            evidence_views.record_access(request.user, item, reason or _("接口下载证据"))
        return evidence_views.file_response(request._request, item, download=True)


class RawParser(parsers.BaseParser):
    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


class UploadViewSet(viewsets.GenericViewSet):
    serializer_class = UploadSerializer
    # JSON or form fields for create/complete (core_api.body_object refuses anything else); raw bytes for PUT.
    parser_classes = [core_api.JSONParser, core_api.FormParser, RawParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return EvidenceUpload.objects.none()
        return EvidenceUpload.objects.filter(created_by=self.request.user)

    @extend_schema(request=UploadStartRequest, responses={201: UploadSerializer})
    def create(self, request):
        ser = UploadStartRequest(data=core_api.body_object(request))
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        case = access_case(request.user, data["case"])
        if not queries.may_change(request.user, case):
            raise PermissionDenied(_("只有本案承办人员或负责人可以登记证据。"))
        try:
            upload = actions.start_upload(
                request.user, case, size=data["size"], original_name=data["name"], sha256=data["sha256"]
            )
        except RuleViolation as exc:
            return _refused(exc)
        return Response(UploadSerializer(upload).data, status=201)

    def retrieve(self, request, pk=None):
        upload = self.get_object()
        response = Response(UploadSerializer(upload).data)
        response["Upload-Offset"] = str(upload.received)
        return response

    def update(self, request, pk=None):
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
            length = int(request.headers.get("Content-Length", ""))
        except ValueError:
            return Response(
                {"detail": _("请在 Upload-Offset 和 Content-Length 中给出续传位置和长度。")}, status=400
            )
        try:
            upload = actions.receive_piece(
                request.user, pk, offset=offset, stream=request._request, length=length
            )
        except RuleViolation as exc:
            return _refused(exc)
        response = Response(UploadSerializer(upload).data)
        response["Upload-Offset"] = str(upload.received)
        return response

    @extend_schema(request=UploadCompleteRequest, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        upload = self.get_object()
        meta = _meta(upload.case, request)
        try:
            item = actions.finish_upload(request.user, upload.pk, **meta)
        except RuleViolation as exc:
            return _refused(exc)
        return Response(EvidenceSerializer(item).data, status=201)


class AccessRowSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    seq = serializers.IntegerField(help_text=_l("账本序号"))
    agency = serializers.CharField()
    actor = serializers.CharField()
    kind = serializers.CharField(help_text=_l("cases.case、records.document 或 records.evidence"))
    object_id = serializers.CharField()
    case = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(help_text=_l("调阅事由"))
    refused = serializers.BooleanField(help_text=_l("是否为被拒绝的涉密记录调阅"))


class AccessLogViewSet(viewsets.ViewSet):
    """调阅记录 for supervisors and agency heads: ?person=&case=&since=&until= (dates YYYY-MM-DD)."""

    serializer_class = AccessRowSerializer

    @extend_schema(responses=AccessRowSerializer(many=True))
    def list(self, request):
        agencies = access.supervised_agency_ids(request.user)
        if not agencies:
            raise PermissionDenied(_("只有监督人员和机关负责人可以查看调阅记录。"))
        p = request.query_params
        rows = access.entries(
            agencies,
            person=p.get("person", ""),
            case=p.get("case", ""),
            since=evidence_views._date(p.get("since")),
            until=evidence_views._date(p.get("until")),
        )
        return Response(
            [
                {
                    "at": r["at"],
                    "seq": r["seq"],
                    "agency": r["agency"].code,
                    "actor": str(r["actor"] or ""),
                    "kind": r["kind"],
                    "object_id": r["object_id"],
                    "case": r["case_id"],
                    "reason": r["reason"],
                    "refused": r["refused"],
                }
                for r in rows[:1000]
            ]
        )
