"""/api/v1/jobs/: the background jobs the caller started (an archive package export…), with their progress.
Nobody sees another person's jobs (404)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers, viewsets

from . import queue
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "state",
            "state_display",
            "done",
            "total",
            "percent",
            "step",
            "attempts",
            "target_kind",
            "target_id",
            "created_at",
            "started_at",
            "finished_at",
            "page",
            "download",
        ]

    def get_label(self, obj) -> str:
        return str(queue.LABELS.get(obj.kind, obj.kind))

    def get_page(self, obj) -> str:
        return reverse("job", args=[obj.pk])

    def get_download(self, obj) -> str | None:
        return (
            reverse("job_download", args=[obj.pk])
            if obj.state == Job.State.DONE and obj.result_file
            else None
        )


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JobSerializer
    queryset = Job.objects.none()  # for the schema; each request sees its own jobs (get_queryset)

    def get_queryset(self):
        return Job.objects.filter(started_by=self.request.user, slot="").order_by("-created_at", "-pk")
