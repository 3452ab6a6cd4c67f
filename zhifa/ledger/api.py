"""REST endpoints of the ledger.

Public (no login): the logs, their checkpoints, leaf hashes and proofs — never entry content. Everything
public is limited to what the latest checkpoint covers, so what anyone sees is signed.
Audit (login; audit administrator or supervisor of the agency): the entries — to both of them who, which
act, when, which object and the hashes; the record (the object's state, reasons, file names) only to who may
read the object itself (``queries.ContentReader``), so the audit administrator gets no business or personal data.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import keys, queries
from .models import Checkpoint, Log

MAX_LEAVES = 1000


class CheckpointSerializer(serializers.ModelSerializer):
    root_hash = serializers.CharField(source="root_hex", read_only=True)

    class Meta:
        model = Checkpoint
        fields = ["size", "root_hash", "at", "note"]


class LogSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    public_key = serializers.SerializerMethodField(help_text=_("验证公钥（名称+密钥编号+base64）"))
    checkpoint = serializers.SerializerMethodField()

    class Meta:
        model = Log
        fields = ["code", "name", "origin", "algorithm", "public_key", "checkpoint"]

    def get_public_key(self, log) -> str:
        return keys.public_key(log).vkey()

    def get_checkpoint(self, log) -> dict | None:
        latest = self.context.get("latest", {}).get(log.pk)
        if latest is None and "latest" not in self.context:
            latest = queries.latest_checkpoint(log)
        return CheckpointSerializer(latest).data if latest else None


def _int(request, name: str, default: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is None:
            raise exceptions.ValidationError({name: [_("必填。")]})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("须为整数。")]}) from None
    if value < 0:
        raise exceptions.ValidationError({name: [_("不能为负数。")]})
    return value


def _signed_size(log: Log) -> int:
    checkpoint = queries.latest_checkpoint(log)
    return checkpoint.size if checkpoint else 0


class PublicLogViewSet(viewsets.ReadOnlyModelViewSet):
    """执法记录账本（公开）：检查点、叶哈希和证明，不含记录内容。"""

    serializer_class = LogSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = None

    def get_queryset(self):
        return queries.public_logs()

    def get_object(self):
        return queries.public_log(self.kwargs["code"])

    def list(self, request, *args, **kwargs):
        logs = list(self.get_queryset())
        context = {**self.get_serializer_context(), "latest": queries.latest_checkpoints(logs)}
        return Response(LogSerializer(logs, many=True, context=context).data)

    @extend_schema(responses=CheckpointSerializer(many=True))
    @action(detail=True)
    def checkpoints(self, request, code=None):
        log = self.get_object()
        return Response(CheckpointSerializer(log.checkpoints.order_by("-size")[:1000], many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.INT, description="起始序号（含）"),
            OpenApiParameter("end", OpenApiTypes.INT, description="结束序号（不含），最多 1000 条"),
        ],
        responses=inline_serializer(
            "LeafHashes",
            {
                "start": serializers.IntegerField(),
                "leaf_hashes": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    @action(detail=True)
    def leaves(self, request, code=None):
        log = self.get_object()
        signed = _signed_size(log)
        start = _int(request, "start", 0)
        end = min(_int(request, "end", start + MAX_LEAVES), signed, start + MAX_LEAVES)
        hashes = queries.leaf_hashes(log, start, end) if start < end else []
        return Response({"start": start, "leaf_hashes": [h.hex() for h in hashes]})

    @extend_schema(
        parameters=[
            OpenApiParameter("index", OpenApiTypes.INT, required=True, description="记录序号（从 0 起）"),
            OpenApiParameter("tree_size", OpenApiTypes.INT, description="检查点的记录条数，默认最新检查点"),
        ],
        responses=inline_serializer(
            "InclusionProof",
            {
                "leaf_index": serializers.IntegerField(),
                "tree_size": serializers.IntegerField(),
                "leaf_hash": serializers.CharField(),
                "root_hash": serializers.CharField(),
                "proof": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    @action(detail=True, url_path="inclusion-proof")
    def inclusion_proof(self, request, code=None):
        log = self.get_object()
        signed = _signed_size(log)
        index = _int(request, "index")
        size = _int(request, "tree_size", signed)
        if not index < size <= signed:
            raise exceptions.ValidationError(
                {"detail": [_("序号须小于记录条数，记录条数不能超过最新检查点（%(n)d）。") % {"n": signed}]}
            )
        leaf, proof = queries.leaf_and_inclusion_proof(log, index, size)
        return Response(
            {
                "leaf_index": index,
                "tree_size": size,
                "leaf_hash": leaf.hex(),
                "root_hash": queries.root_at(log, size).hex(),
                "proof": [h.hex() for h in proof],
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("first", OpenApiTypes.INT, required=True, description="较早检查点的记录条数"),
            OpenApiParameter("second", OpenApiTypes.INT, description="较新检查点的记录条数，默认最新检查点"),
        ],
        responses=inline_serializer(
            "ConsistencyProof",
            {
                "first": serializers.IntegerField(),
                "second": serializers.IntegerField(),
                "proof": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    @action(detail=True, url_path="consistency-proof")
    def consistency_proof(self, request, code=None):
        log = self.get_object()
        signed = _signed_size(log)
        first = _int(request, "first")
        second = _int(request, "second", signed)
        if not first <= second <= signed:
            raise exceptions.ValidationError(
                {"detail": [_("须满足 first ≤ second ≤ 最新检查点的记录条数（%(n)d）。") % {"n": signed}]}
            )
        proof = queries.consistency_proof(log, first, second)
        return Response({"first": first, "second": second, "proof": [h.hex() for h in proof]})


class AuditEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField(source="entry.seq")
    at = serializers.DateTimeField(source="entry.at")
    action = serializers.CharField(source="entry.action")
    action_label = serializers.CharField()
    object_kind = serializers.CharField(source="entry.object_kind", allow_null=True)
    object_kind_label = serializers.CharField(source="kind_label")
    object_id = serializers.CharField(source="entry.object_id", allow_null=True)
    actor_id = serializers.IntegerField(source="entry.actor_id", allow_null=True)
    actor_name = serializers.CharField()
    actor_roles = serializers.ListField(child=serializers.CharField())
    leaf_hash = serializers.CharField()
    prev_hash = serializers.CharField(help_text=_("前一条记录的叶哈希；账本的第一条记录为空"))
    file_hashes = serializers.ListField(
        child=serializers.CharField(), help_text=_("记录所附文件的 SHA-256（不含文件名）")
    )
    head = serializers.DictField(help_text=_("记录头：操作、操作人编号、时间、对象、序号、前一条记录的哈希"))
    content = serializers.BooleanField(help_text=_("是否附有记录内容：仅可以查阅该对象本身的人员可见"))
    record = serializers.DictField(
        source="shown_record",
        allow_null=True,
        help_text=_("记录内容（操作人、文件名、对象数据）；无权查阅该对象时为 null"),
    )


class AuditEntryViewSet(viewsets.GenericViewSet):
    """账本记录（审计）：仅审计管理员和监督人员可查看其所审计执法主体的记录；记录内容（record）只向可以查阅该对象本身的
    人员提供，审计管理员只得到操作人、时间、操作类别、对象和哈希。"""

    serializer_class = AuditEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", OpenApiTypes.STR, required=True, description="执法主体代码"),
            OpenApiParameter("action", OpenApiTypes.STR),
            OpenApiParameter("kind", OpenApiTypes.STR),
            OpenApiParameter("object", OpenApiTypes.STR),
        ],
        responses=AuditEntrySerializer(many=True),
    )
    def list(self, request):
        queries.require_auditor(request.user)
        code = request.query_params.get("agency", "")
        try:
            log = queries.access_audited_log(request.user, code)
        except Http404:
            raise exceptions.NotFound() from None
        entries = queries.audit_entries(
            log,
            action=request.query_params.get("action", ""),
            kind=request.query_params.get("kind", ""),
            object_id=request.query_params.get("object", ""),
        )
        page = self.paginate_queryset(entries)
        views = queries.present(page, queries.ContentReader(request.user))
        return self.get_paginated_response(AuditEntrySerializer(views, many=True).data)
