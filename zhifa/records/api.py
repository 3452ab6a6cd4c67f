"""REST endpoints for documents (/api/v1/documents/): read scoped like the pages (whoever may see the case), every
change through the same actions with the same permission checks."""

from __future__ import annotations

import base64
import binascii

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.cases.models import CaseRecord
from zhifa.cases.queries import access_case
from zhifa.core import api as core_api
from zhifa.core.api import IdField
from zhifa.core.errors import RuleViolation

from . import actions, kinds, queries, render, storage, uploads
from .choices import DocumentKind
from .models import Document, DocumentSignature
from .views import CONTENT_TYPES, record_access, stored_verification


class SignatureSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)

    class Meta:
        model = DocumentSignature
        fields = [
            "id",
            "role",
            "role_display",
            "method",
            "method_display",
            "person",
            "signer_name",
            "witness",
            "note",
            "file_sha256",
            "file_type",
            "content_sha256",
            "after_final",
            "signed_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(
        source="get_kind_display", read_only=True, help_text=_("文书种类名称")
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True, help_text=_("状态名称"))
    signatures = SignatureSerializer(many=True, read_only=True)
    superseded_by = serializers.SerializerMethodField(help_text=_("取代本文书的已定稿更正版本"))

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "record",
            "state",
            "state_display",
            "version",
            "supersedes",
            "superseded_by",
            "correction_reason",
            "narrative",
            "dated",
            "number",
            "content_sha256",
            "pdf_sha256",
            "docx_sha256",
            "seal",
            "created_at",
            "finalised_at",
            "signatures",
        ]

    def get_superseded_by(self, document) -> int | None:
        nxt = document.corrections.filter(state="final").first()
        return nxt.pk if nxt else None


class GenerateRequest(serializers.Serializer):
    case = IdField(help_text=_("案件ID"))
    kind = serializers.ChoiceField(choices=DocumentKind.choices, help_text=_("文书种类"))
    record = IdField(
        required=False, allow_null=True, help_text=_("依据的调查记录ID（笔录等；不填则使用最近一条同类记录）")
    )
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_("承办人填写的内容项（见文书种类接口的 narrative）"),
    )
    dated = serializers.DateField(required=False, help_text=_("文书日期，默认今天或记录日期"))


class EditRequest(serializers.Serializer):
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_("要修改的内容项")
    )
    dated = serializers.DateField(required=False, help_text=_("文书日期"))


class PartySignatureRequest(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100, help_text=_("签名人姓名"))
    image = serializers.CharField(help_text=_("手写签名PNG：base64 编码，或 data:image/png;base64,… 形式"))


class ScanRequest(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100, help_text=_("签名人姓名"))
    file = serializers.CharField(help_text=_("签字纸质文书扫描件（PNG、JPEG或PDF）的 base64 编码"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text=_("备注"))


class RefusalRequest(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100, help_text=_("拒绝签名的当事人"))
    witness = serializers.CharField(max_length=100, help_text=_("见证人"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text=_("情况说明"))


class ReasonRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("理由"))


class KindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("文书种类代码"))
    label = serializers.CharField(help_text=_("文书名称"))
    numbering = serializers.CharField(help_text=_("wenhao：文号；bianhao：编号"))
    code = serializers.CharField(allow_null=True, help_text=_("文号中的执法性质代码"))
    states = serializers.ListField(child=serializers.CharField(), help_text=_("可以制作的案件状态"))
    record_kind = serializers.CharField(allow_null=True, help_text=_("依据的调查记录种类"))
    officers = serializers.IntegerField(help_text=_("定稿前须签名的执法人员人数"))
    party = serializers.BooleanField(help_text=_("定稿前须当事人签名（或记录拒绝签名）"))
    seal = serializers.BooleanField(help_text=_("加盖执法主体印章"))
    narrative = serializers.ListField(child=serializers.DictField(), help_text=_("承办人填写的内容项"))


class VerificationSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text=_("0：完整且受信任；1：被改动或无签名；2：完整但证书不受信任"))
    message = serializers.CharField(help_text=_("验证结论"))
    hash_ok = serializers.BooleanField(help_text=_("存储文件与账本记录的SHA-256一致"))
    signatures = serializers.ListField(child=serializers.DictField(), help_text=_("各签名的验证结果"))


def _b64(value: str) -> bytes:
    value = (value or "").strip()
    if value.startswith("data:"):
        return uploads.decode_data_url(value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RuleViolation(str(_("文件数据不是有效的 base64 编码。"))) from exc


def _kind_row(spec: kinds.KindSpec) -> dict:
    req = spec.requirement(None)
    return {
        "kind": spec.kind,
        "label": spec.label,
        "numbering": "wenhao" if spec.has_wenhao else "bianhao",
        "code": kinds.number_code(spec),
        "states": sorted(spec.states),
        "record_kind": spec.record_kind,
        "officers": req.officers,
        "party": bool(spec.party),
        "seal": spec.seal,
        "narrative": [
            {"name": n.name, "label": n.label, "required": n.required, "choices": list(n.choices)}
            for n in spec.narrative
        ],
    }


class DocumentKindViewSet(viewsets.ViewSet):
    @extend_schema(
        responses=KindSerializer(many=True),
        summary=str(_("文书种类")),
        description=str(
            _("平台可以制作的执法文书种类：可制作的案件状态、文号或编号、签名和印章要求、内容项。")
        ),
    )
    def list(self, request):
        return Response([_kind_row(spec) for spec in kinds.KINDS.values()])


def _document_action(request_serializer, summary: str, description: str = "", status_code: int = 200):
    return extend_schema(
        request=request_serializer,
        responses={status_code: DocumentSerializer},
        summary=summary,
        description=description,
    )


@extend_schema_view(
    list=extend_schema(
        summary=str(_("文书列表")),
        description=str(_("当前用户可以查看的案件的执法文书；用 case 参数只列出一个案件的文书。")),
        parameters=[OpenApiParameter("case", int, description=str(_("案件ID")))],
    ),
    retrieve=extend_schema(summary=str(_("文书详情")), description=str(_("读取文书即记录一次调阅。"))),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    long_text_fields = ("image", "file")  # base64 payloads (party-signature, scan): beyond core.api.MAX_TEXT

    def get_queryset(self):
        qs = (
            queries.visible_documents(self.request.user)
            .prefetch_related("signatures")
            .order_by("created_at", "id")
        )
        case = core_api.object_id(self.request.query_params.get("case"), "case")
        if case is not None and self.action == "list":
            access_case(self.request.user, case)
            qs = qs.filter(case_id=case)
        return qs

    def _document(self, pk) -> Document:
        return queries.access_document(self.request.user, pk)

    def retrieve(self, request, pk=None):
        document = self._document(pk)
        record_access(request.user, document, str(_("查看文书")))
        return Response(DocumentSerializer(document).data)

    @_document_action(
        GenerateRequest,
        str(_("生成文书草稿")),
        str(_("由案件数据生成文书草稿；仅本案承办人员和负责人可以操作。")),
        201,
    )
    def create(self, request):
        data = GenerateRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        case = access_case(request.user, d["case"])
        record = None
        if d.get("record"):
            record = CaseRecord.objects.filter(case=case, pk=d["record"]).first()
            if record is None:
                raise RuleViolation(str(_("所选记录不属于本案。")))
        document = actions.generate_document(
            request.user,
            case,
            kind=d["kind"],
            record=record,
            narrative=d.get("narrative") or {},
            dated=d.get("dated"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @_document_action(EditRequest, str(_("修改文书草稿")), str(_("修改后，已有签名失效，须重新签名。")))
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        data = EditRequest(data=request.data)
        data.is_valid(raise_exception=True)
        document = actions.edit_draft(
            request.user,
            self._document(pk),
            narrative=data.validated_data.get("narrative"),
            dated=data.validated_data.get("dated"),
        )
        return Response(DocumentSerializer(document).data)

    @_document_action(
        None, str(_("执法人员签名")), str(_("以当前登录账号在文书草稿上签名，签名与当前内容绑定。"))
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        document = self._document(pk)
        actions.sign_document(request.user, document)
        return Response(DocumentSerializer(self._document(pk)).data)

    @_document_action(
        PartySignatureRequest, str(_("当事人手写签名")), str(_("上传触屏采集的当事人手写签名（PNG）。"))
    )
    @action(detail=True, methods=["post"], url_path="party-signature")
    def party_signature(self, request, pk=None):
        data = PartySignatureRequest(data=request.data)
        data.is_valid(raise_exception=True)
        actions.capture_party_signature(
            request.user,
            self._document(pk),
            signer_name=data.validated_data["signer_name"],
            png=_b64(data.validated_data["image"]),
        )
        return Response(DocumentSerializer(self._document(pk)).data)

    @_document_action(
        ScanRequest,
        str(_("上传签字文书扫描件")),
        str(_("当事人在纸质文书上签字后的扫描件；定稿后上传的扫描件附于文书旁，不改变文书。")),
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        data = ScanRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        actions.attach_signed_scan(
            request.user,
            self._document(pk),
            signer_name=d["signer_name"],
            data=_b64(d["file"]),
            note=d.get("note", ""),
        )
        return Response(DocumentSerializer(self._document(pk)).data)

    @_document_action(
        RefusalRequest, str(_("记录当事人拒绝签名")), str(_("当事人拒绝签名的，须记录见证人。"))
    )
    @action(detail=True, methods=["post"])
    def refusal(self, request, pk=None):
        data = RefusalRequest(data=request.data)
        data.is_valid(raise_exception=True)
        actions.record_refusal(request.user, self._document(pk), **data.validated_data)
        return Response(DocumentSerializer(self._document(pk)).data)

    @_document_action(
        None, str(_("文书定稿")), str(_("编号、生成PDF和DOCX、加盖电子印章并记入账本；定稿后不能修改。"))
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        document = actions.finalise_document(request.user, self._document(pk))
        return Response(DocumentSerializer(document).data)

    @_document_action(
        ReasonRequest, str(_("更正文书")), str(_("为已定稿文书制作更正版本草稿；原文书保留。")), 201
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        data = ReasonRequest(data=request.data)
        data.is_valid(raise_exception=True)
        document = actions.correct_document(
            request.user, self._document(pk), reason=data.validated_data["reason"]
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @_document_action(ReasonRequest, str(_("作废文书草稿")))
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        data = ReasonRequest(data=request.data)
        data.is_valid(raise_exception=True)
        document = actions.discard_draft(
            request.user, self._document(pk), reason=data.validated_data["reason"]
        )
        return Response(DocumentSerializer(document).data)

    def _file(self, request, pk, fmt):
        document = self._document(pk)
        if fmt == "pdf" and not document.is_final:
            _content, ctx = render.draft_context(document)
            data, _box = render.pdf(render.html(document, ctx))
        elif not document.is_final:
            raise Http404
        else:
            name, sha = (
                (document.pdf_name, document.pdf_sha256)
                if fmt == "pdf"
                else (document.docx_name, document.docx_sha256)
            )
            data = storage.read(name, sha)
        record_access(request.user, document, str(_("下载文书")))
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="document-{document.pk}.{fmt}"'
        return response

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary=str(_("下载PDF")),
        description=str(_("已定稿文书为加盖电子印章的PDF；草稿为带“草稿”字样的预览。")),
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return self._file(request, pk, "pdf")

    @extend_schema(
        responses={(200, CONTENT_TYPES["docx"]): OpenApiResponse(OpenApiTypes.BINARY)},
        summary=str(_("下载DOCX")),
        description=str(_("已定稿文书的DOCX（可编辑、打印；不含印章）。")),
    )
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        return self._file(request, pk, "docx")

    @extend_schema(
        responses=VerificationSerializer,
        summary=str(_("验证文书签名")),
        description=str(_("核对存储的PDF与账本记录的SHA-256，并验证其中的数字签名。")),
    )
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        document = self._document(pk)
        if not document.is_final:
            raise Http404
        checked = stored_verification(document)
        result = checked["result"]
        return Response(
            {
                "code": result.code if checked["hash_ok"] else 1,
                "message": result.message,
                "hash_ok": checked["hash_ok"],
                "signatures": [vars(s) for s in result.signatures],
            }
        )
