"""REST endpoints for complaints received on the portal: read by the agency's business roles and
supervisors (the same scope as the staff pages); handled through ``POST …/handle/``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import actions, queries
from .choices import ComplaintStatus
from .models import Complaint, ComplaintEvent


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintEvent
        fields = ["at", "status", "note", "public", "actor"]


class ComplaintSerializer(serializers.ModelSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "agency",
            "receipt_number",
            "kind",
            "subject",
            "content",
            "item_code",
            "target",
            "name",
            "phone",
            "email",
            "status",
            "reply",
            "submitted_at",
            "updated_at",
            "events",
        ]


class HandleSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s for s in ComplaintStatus.values if s != ComplaintStatus.RECEIVED]
    )
    note = serializers.CharField(max_length=2000)
    public = serializers.BooleanField(default=True)


class ComplaintViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ComplaintSerializer

    def get_queryset(self):
        return queries.visible_complaints(self.request.user).prefetch_related("events")

    @extend_schema(request=HandleSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        complaint = queries.access_complaint(request.user, pk)
        data = HandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = actions.handle_complaint(request.user, complaint, **data.validated_data)
        return Response(ComplaintSerializer(complaint).data)
