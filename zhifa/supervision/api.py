"""/api/v1/supervision/case-files/: the case files of the agencies the caller supervises, for the supervising 司法局's
systems to pull (``supervision.export.case_file``; schema in docs/supervision.md). Every case handed out is recorded
in its agency's access log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from zhifa.core.api import KeysetPagination

from . import export, queries


class CaseFilePagination(KeysetPagination):
    """Pages of case files: newest accepted first (the case list's order and index)."""

    key = "accepted_on"
    descending = True


class CaseFileQuery(serializers.Serializer):
    agency = serializers.CharField(help_text=str(_l("执法主体代码（须为本人监督的执法主体）")))
    since = serializers.DateField(help_text=str(_l("期间自（立案、决定或结案日期在期间内的案件）")))
    until = serializers.DateField(help_text=str(_l("期间至")))

    def validate(self, data):
        if data["since"] > data["until"]:
            raise serializers.ValidationError({"until": str(_l("结束日期不能早于开始日期。"))})
        return data


class CaseFileSerializer(serializers.Serializer):
    """The shape of a case file (``export.case_file``; its JSON Schema is ``export.SCHEMA``), for the API's schema."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    agency = serializers.CharField(help_text=str(_l("执法主体代码")))
    unit = serializers.CharField(allow_null=True)
    cause = serializers.CharField()
    source = serializers.CharField()
    state = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    accepted_on = serializers.DateField(allow_null=True)
    filed_on = serializers.DateField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    penalty_kinds = serializers.ListField(child=serializers.CharField())
    fine_amount = serializers.CharField(help_text=str(_l("罚款金额（元，两位小数）")))
    party = serializers.DictField(allow_null=True)
    officers = serializers.ListField(child=serializers.DictField())
    records = serializers.ListField(child=serializers.DictField())
    documents = serializers.ListField(child=serializers.DictField())
    evidence = serializers.ListField(child=serializers.DictField())
    deadlines = serializers.ListField(child=serializers.DictField())
    reviews = serializers.ListField(child=serializers.DictField())
    remedies = serializers.ListField(child=serializers.DictField())
    publication = serializers.DictField(allow_null=True)


class CaseFileViewSet(viewsets.GenericViewSet):
    pagination_class = CaseFilePagination
    serializer_class = CaseFileSerializer

    def get_queryset(self):
        from zhifa.org.models import Agency

        supervised = queries.supervised_agency_ids(self.request.user)
        if not supervised:
            raise PermissionDenied(str(_l("只有监督人员可以调取案卷数据。")))
        query = CaseFileQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        agency = Agency.objects.filter(code=data["agency"], pk__in=supervised).first()
        if agency is None:
            raise PermissionDenied(str(_l("只能调取本人监督的执法主体的案卷数据。")))
        self.agency, self.period = agency, (data["since"], data["until"])
        return export.cases_in([agency.pk], *self.period)

    @extend_schema(
        parameters=[CaseFileQuery],
        summary=str(_l("调取案卷数据（监督）")),
        description=str(
            _l("本人监督的执法主体在期间内立案、决定或结案的案件，每件一份案卷数据；每件都记入调阅记录。")
        ),
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        files = export.case_files(page)
        export.record_handed_out(request.user, page, f"监督接口调取：{self.agency.name}")
        return self.get_paginated_response(files)
