"""REST endpoints for org data, scoped exactly like the pages (queries.visible_*); writes call actions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api import IdField

from . import actions, queries
from .models import Agency, Certificate, Person, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "is_legal_review_unit", "duties"]


class AgencySerializer(serializers.ModelSerializer):
    units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "credit_code",
            "region",
            "parent",
            "legal_basis",
            "duties",
            "powers",
            "reconsideration_body",
            "court",
            "address",
            "phone",
            "units",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "person",
            "fields",
            "issuer",
            "valid_from",
            "valid_to",
            "status",
            "status_display",
        ]


class PersonSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "full_name",
            "agency",
            "unit",
            "title",
            "phone",
            "email",
            "legal_qualification",
            "legal_qualification_date",
            "is_active",
            "roles",
            "certificates",
        ]

    def get_roles(self, person) -> list[dict]:
        return [{"role": r.role, "agency": r.agency_id} for r in person.roles.all()]


class CertificateIssueSerializer(serializers.Serializer):
    person = IdField()
    number = serializers.CharField(max_length=40)
    fields = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    issuer = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text=_("原因"))


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer

    def get_queryset(self):
        return queries.visible_agencies(self.request.user).prefetch_related("units")


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return queries.visible_people(self.request.user).prefetch_related("roles", "certificates__fields")


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return queries.visible_certificates(self.request.user)

    @extend_schema(request=CertificateIssueSerializer, responses={201: CertificateSerializer})
    def create(self, request):
        data = CertificateIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        person = queries.access_person(request.user, d["person"])
        cert = actions.issue_certificate(
            request.user,
            person,
            number=d["number"],
            field_codes=d["fields"],
            issuer=d["issuer"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
        )
        return Response(CertificateSerializer(cert).data, status=status.HTTP_201_CREATED)

    def _status(self, request, pk, fn):
        cert = queries.access_certificate(request.user, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = fn(request.user, cert, reason=data.validated_data["reason"])
        return Response(CertificateSerializer(cert).data)

    @extend_schema(request=ReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._status(request, pk, actions.suspend_certificate)

    @extend_schema(request=ReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._status(request, pk, actions.reinstate_certificate)

    @extend_schema(request=ReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._status(request, pk, actions.revoke_certificate)
