"""REST endpoints: working-day arithmetic, the calendar, deadline kinds, deadlines and one's own reminders.

Every date computed from a year without a confirmed schedule comes with ``"estimated": true``.
Reads are scoped like the pages (queries); changes call actions.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from zhifa.core.api import BoundedIntegerField, IdField
from zhifa.org.models import Agency, Person

from . import actions, queries, rules
from .models import Deadline, DeadlineKind, Reminder


def _out_of_range() -> ValidationError:
    return ValidationError(
        {
            "detail": [
                _("日期超出工作日历范围（%(a)d—%(b)d年）。") % {"a": rules.FIRST_YEAR, "b": rules.LAST_YEAR}
            ]
        }
    )


class AddQuery(serializers.Serializer):
    date = serializers.DateField()
    n = serializers.IntegerField(min_value=0, max_value=100000)


class BetweenQuery(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class DueSerializer(serializers.Serializer):
    date = serializers.DateField()
    estimated = serializers.BooleanField()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    estimated = serializers.BooleanField()


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    name = serializers.CharField()


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    confirmed = serializers.BooleanField()
    estimated = serializers.BooleanField()
    source = serializers.CharField()
    notice = serializers.CharField()
    days = DaySerializer(many=True)


class CalendarViewSet(viewsets.ViewSet):
    """The working-day calendar: a year's holidays and make-up workdays, and day arithmetic."""

    lookup_field = "year"
    lookup_value_regex = r"\d{4}"

    def _year(self, year: int) -> dict:
        cal = queries.current_calendar()
        try:
            schedule = cal.schedule(year)
        except rules.OutOfRange:
            raise Http404 from None
        record = queries.year_record(year)
        days = sorted(
            [{"date": d, "kind": "holiday", "name": n} for d, n in schedule.holidays.items()]
            + [{"date": d, "kind": "workday", "name": n} for d, n in schedule.workdays.items()],
            key=lambda r: r["date"],
        )
        return {
            "year": year,
            "confirmed": schedule.confirmed,
            "estimated": not schedule.confirmed,
            "source": record.source if record else "estimate",
            "notice": record.notice if record else "",
            "days": days,
        }

    @extend_schema(responses=YearSerializer(many=True))
    def list(self, request):
        """The years with an entered schedule (other years in range are estimated)."""
        return Response(
            [
                {
                    "year": y.year,
                    "confirmed": y.confirmed,
                    "estimated": not y.confirmed,
                    "source": y.source,
                    "notice": y.notice,
                    "days": [],
                }
                for y in queries.calendar_years()
            ]
        )

    @extend_schema(responses=YearSerializer)
    def retrieve(self, request, year=None):
        return Response(YearSerializer(self._year(int(year))).data)

    @extend_schema(parameters=[AddQuery], responses=DueSerializer)
    @action(detail=False, methods=["get"])
    def add(self, request):
        """The date N working days after ``date`` (the start day not counted; 行政处罚法 art. 85)."""
        q = AddQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        try:
            due = rules.add_working_days(
                queries.current_calendar(), q.validated_data["date"], q.validated_data["n"]
            )
        except rules.OutOfRange:
            raise _out_of_range() from None
        return Response(DueSerializer({"date": due.date, "estimated": due.estimated}).data)

    @extend_schema(parameters=[BetweenQuery], responses=CountSerializer)
    @action(detail=False, methods=["get"])
    def between(self, request):
        """Working days in (start, end]."""
        q = BetweenQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        try:
            n = rules.working_days_between(
                queries.current_calendar(), q.validated_data["start"], q.validated_data["end"]
            )
        except rules.OutOfRange:
            raise _out_of_range() from None
        return Response(CountSerializer({"count": n.days, "estimated": n.estimated}).data)


class DeadlineKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineKind
        fields = [
            "code",
            "name",
            "legal_basis",
            "start_event",
            "length",
            "unit",
            "direction",
            "holiday_rule",
            "agency_may_change",
            "binds_party",
            "extension_length",
            "max_extensions",
            "note",
        ]


class DueQuery(serializers.Serializer):
    start = serializers.DateField()
    agency = IdField(required=False, help_text=_("执法主体 id：适用其自行设定的期限"))


class DeadlineKindViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineKindSerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return queries.kinds()

    @extend_schema(parameters=[DueQuery], responses=DueSerializer)
    @action(detail=True, methods=["get"])
    def due(self, request, code=None):
        """The due date of this kind started on ``start``."""
        kind = self.get_object()
        q = DueQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        agency = None
        if "agency" in q.validated_data:
            agency = Agency.objects.filter(pk=q.validated_data["agency"]).first()
            if agency is None:
                raise Http404
        try:
            due = queries.compute_due(kind, q.validated_data["start"], agency)
        except rules.OutOfRange:
            raise _out_of_range() from None
        return Response(DueSerializer({"date": due.date, "estimated": due.estimated}).data)


class DeadlineSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "agency",
            "kind",
            "target",
            "label",
            "responsible",
            "start",
            "length",
            "unit",
            "direction",
            "holiday_rule",
            "due",
            "estimated",
            "suspended_since",
            "extensions",
            "met_on",
            "ended_on",
            "end_reason",
        ]

    def get_target(self, obj) -> dict:
        return {"type": obj.content_type.app_label + "." + obj.content_type.model, "id": obj.object_id}


class StatefulDeadlineSerializer(DeadlineSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(DeadlineSerializer.Meta):
        fields = DeadlineSerializer.Meta.fields + ["state"]


class SuspendSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=500)
    approver = IdField()


class ResumeSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    approver = IdField()
    length = BoundedIntegerField(min_value=1, required=False)


class MeetSerializer(serializers.Serializer):
    on = serializers.DateField()


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadlines of the agencies the user works in or supervises, with their state as of today."""

    serializer_class = StatefulDeadlineSerializer

    def get_queryset(self):
        return (
            queries.visible_deadlines(self.request.user).select_related("content_type").order_by("due", "id")
        )

    def _with_state(self, deadlines):
        rows = queries.with_state(deadlines)
        for row in rows:
            row["deadline"].state = row["state"]
        return [row["deadline"] for row in rows]

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(self._with_state(page), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._with_state([self.get_object()])[0]).data)

    def _change(self, request, pk, serializer_class, fn):
        deadline = queries.access_deadline(request.user, pk)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        args = dict(data.validated_data)
        if "approver" in args:
            args["approver"] = Person.objects.filter(pk=args["approver"]).first()
        deadline = fn(request.user, deadline, **args)
        return Response(self.get_serializer(self._with_state([deadline])[0]).data, status=status.HTTP_200_OK)

    @extend_schema(request=SuspendSerializer, responses=StatefulDeadlineSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._change(request, pk, SuspendSerializer, actions.suspend_deadline)

    @extend_schema(request=ResumeSerializer, responses=StatefulDeadlineSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._change(request, pk, ResumeSerializer, actions.resume_deadline)

    @extend_schema(request=ExtendSerializer, responses=StatefulDeadlineSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._change(request, pk, ExtendSerializer, actions.extend_deadline)

    @extend_schema(request=MeetSerializer, responses=StatefulDeadlineSerializer)
    @action(detail=True, methods=["post"])
    def meet(self, request, pk=None):
        return self._change(request, pk, MeetSerializer, actions.meet_deadline)


class ReminderSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = ["id", "deadline", "stage", "due", "created_at", "read_at", "text"]

    def get_text(self, obj) -> str:
        return queries.reminder_text(obj)


class ReadRemindersSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False, max_length=1000)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if not data.get("all") and not data.get("ids"):
            raise ValidationError(_("请给出要标为已读的提醒（ids），或 all 为 true。"))
        return data


class ReadCountSerializer(serializers.Serializer):
    read = serializers.IntegerField()


class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    """The asking person's own deadline reminders, newest first (``?unread=1``: unread only)."""

    serializer_class = ReminderSerializer

    def get_queryset(self):
        qs = queries.my_reminders(self.request.user)
        if self.request.query_params.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=ReadRemindersSerializer, responses=ReadCountSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request):
        data = ReadRemindersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = None if data.validated_data["all"] else data.validated_data["ids"]
        return Response({"read": actions.mark_reminders_read(request.user, ids)})
