"""REST endpoints for legal review and collective discussion: the same actions and checks as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.cases import queries as case_queries
from zhifa.core.api import BoundedIntegerField, IdField
from zhifa.org.models import Agency, Person

from . import actions, queries, rules
from .choices import CoordinationOutcome, Outcome, PointResult, ReviewMode, Vote
from .models import Criterion, Discussion, Opinion, Submission


class OpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opinion
        fields = ["id", "reviewer", "points", "outcome", "summary", "digest", "signed_at"]


class SubmissionSerializer(serializers.ModelSerializer):
    opinions = OpinionSerializer(many=True, read_only=True)
    reviewers = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "case",
            "round",
            "mode",
            "state",
            "reasons",
            "explanation",
            "discretion_reason",
            "qualifications",
            "materials",
            "responses",
            "digest",
            "submitted_by",
            "submitted_at",
            "due_on",
            "decided_at",
            "number",
            "reviewers",
            "opinions",
            "checklist",
            "changes",
        ]

    def get_reviewers(self, s) -> list[int]:
        return list(s.assignments.values_list("reviewer_id", flat=True))

    checklist = serializers.SerializerMethodField(help_text=_("送审材料清单（由案卷计算）"))
    changes = serializers.SerializerMethodField(help_text=_("送审后材料的变化"))

    def get_checklist(self, s) -> list[dict]:
        types = {"records": "record", "evidence": "evidence"}

        def item(code, obj) -> dict:
            return {"type": types.get(code, "document"), "id": obj.pk, "label": str(obj)}

        return [
            {
                "code": m["code"],
                "label": str(m["label"]),
                "required": m["required"],
                "present": m["present"],
                "items": [item(m["code"], o) for o in m["items"]],
            }
            for m in queries.materials(s.case)
        ]

    def get_changes(self, s) -> list[str]:
        from . import digest

        current, _items = digest.case_digest(s.case)
        return queries.describe_changes(s.case, s) if current != s.digest else []


class SubmitRequest(serializers.Serializer):
    case = IdField(help_text=_("案件"))
    mode = serializers.ChoiceField(
        choices=ReviewMode.choices, default=ReviewMode.SINGLE, help_text=_("审核方式")
    )
    explanation = serializers.CharField(help_text=_("送审说明"))
    discretion_reason = serializers.CharField(help_text=_("裁量基准适用说明"))
    qualifications = serializers.CharField(help_text=_("执法人员资格说明"))
    responses = serializers.DictField(
        child=serializers.CharField(), required=False, help_text=_("对上一轮意见的逐条答复")
    )


class AssignRequest(serializers.Serializer):
    reviewers = serializers.ListField(child=IdField(), min_length=1, help_text=_("审核人员"))


class PointSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=PointResult.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionRequest(serializers.Serializer):
    points = serializers.DictField(
        child=PointSerializer(),
        help_text=_("九个审核要点：%(codes)s") % {"codes": "、".join(rules.POINT_CODES)},
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text=_("审核结论"))
    summary = serializers.CharField(help_text=_("法制审核意见"))


class ReviewReasonRequest(serializers.Serializer):
    reason = serializers.CharField(help_text=_("理由"))


class CoordinateRequest(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CoordinationOutcome.choices, help_text=_("协调结果"))
    decision = serializers.CharField(help_text=_("协调意见"))


def _people(ids, agency) -> list[Person]:
    people = list(Person.objects.filter(pk__in=ids, agency=agency))
    if len(people) != len(set(ids)):
        raise serializers.ValidationError({"reviewers": [_("所选人员不属于本机关。")]})
    return people


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubmissionSerializer

    def get_queryset(self):
        return queries.visible_submissions(self.request.user).prefetch_related("opinions", "assignments")

    def _run(self, request, pk, req_cls, call):
        s = queries.access_submission(request.user, pk)
        data = req_cls(data=request.data)
        data.is_valid(raise_exception=True)
        call(s, data.validated_data)
        s.refresh_from_db()
        return Response(SubmissionSerializer(s).data)

    @extend_schema(
        request=SubmitRequest, responses={201: SubmissionSerializer}, summary=str(_("提交法制审核"))
    )
    def create(self, request):
        data = SubmitRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        case = case_queries.access_case(request.user, d.pop("case"))
        s = actions.submit(request.user, case, **d)
        return Response(SubmissionSerializer(s).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignRequest, responses=SubmissionSerializer, summary=str(_("指派审核人员")))
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._run(
            request,
            pk,
            AssignRequest,
            lambda s, d: actions.assign(request.user, s, reviewers=_people(d["reviewers"], s.case.agency)),
        )

    @extend_schema(request=OpinionRequest, responses=SubmissionSerializer, summary=str(_("出具法制审核意见")))
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        return self._run(request, pk, OpinionRequest, lambda s, d: actions.give_opinion(request.user, s, **d))

    @extend_schema(request=ReviewReasonRequest, responses=SubmissionSerializer, summary=str(_("撤回送审")))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(
            request, pk, ReviewReasonRequest, lambda s, d: actions.withdraw(request.user, s, **d)
        )

    @extend_schema(request=ReviewReasonRequest, responses=SubmissionSerializer, summary=str(_("提请协调")))
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._run(
            request, pk, ReviewReasonRequest, lambda s, d: actions.escalate(request.user, s, **d)
        )

    @extend_schema(request=CoordinateRequest, responses=SubmissionSerializer, summary=str(_("协调决定")))
    @action(detail=True, methods=["post"])
    def coordinate(self, request, pk=None):
        return self._run(
            request, pk, CoordinateRequest, lambda s, d: actions.coordinate(request.user, s, **d)
        )


class DiscussionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discussion
        fields = [
            "id",
            "case",
            "state",
            "held_on",
            "place",
            "chair",
            "participants",
            "recusals",
            "opinions",
            "votes",
            "conclusion",
            "outcome",
            "resolves",
            "digest",
            "concluded_at",
        ]


class OpenDiscussionRequest(serializers.Serializer):
    case = IdField()
    held_on = serializers.DateField()
    place = serializers.CharField()
    participants = serializers.ListField(child=IdField())


class ParticipantOpinionRequest(serializers.Serializer):
    participant = IdField()
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    vote = serializers.ChoiceField(
        choices=Vote.choices, required=False, allow_blank=True, default="", help_text=_("负责人表决")
    )
    recused = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConcludeRequest(serializers.Serializer):
    conclusion = serializers.CharField()


class DiscussionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DiscussionSerializer

    def get_queryset(self):
        return Discussion.objects.filter(
            case__agency_id__in=case_queries.readable_agency_ids(self.request.user)
        )

    @extend_schema(
        request=OpenDiscussionRequest, responses={201: DiscussionSerializer}, summary=str(_("启动集体讨论"))
    )
    def create(self, request):
        data = OpenDiscussionRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        case = case_queries.access_case(request.user, d["case"])
        people = list(Person.objects.filter(pk__in=d["participants"], agency=case.agency))
        discussion = actions.open_discussion(
            request.user, case, held_on=d["held_on"], place=d["place"], participants=people
        )
        return Response(DiscussionSerializer(discussion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ParticipantOpinionRequest, responses=DiscussionSerializer, summary=str(_("记录讨论意见"))
    )
    @action(detail=True, methods=["post"], url_path="record-opinion")
    def record_opinion(self, request, pk=None):
        discussion = queries.access_discussion(request.user, pk)
        data = ParticipantOpinionRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        participant = Person.objects.filter(pk=d.pop("participant"), agency=discussion.case.agency).first()
        if participant is None:
            raise serializers.ValidationError({"participant": [_("该人员不是本次集体讨论的参加人员。")]})
        actions.record_opinion(request.user, discussion, participant=participant, **d)
        discussion.refresh_from_db()
        return Response(DiscussionSerializer(discussion).data)

    @extend_schema(request=ConcludeRequest, responses=DiscussionSerializer, summary=str(_("集体讨论结论")))
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        discussion = queries.access_discussion(request.user, pk)
        data = ConcludeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        actions.conclude_discussion(request.user, discussion, conclusion=data.validated_data["conclusion"])
        discussion.refresh_from_db()
        return Response(DiscussionSerializer(discussion).data)


# The agency's review settings ----------------------------------------------------------------------------------


class ReviewPolicySerializer(serializers.Serializer):
    agency = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(read_only=True, help_text=str(_("本机关尚未设置，适用平台默认值")))
    reviewer_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    discussion_quorum = BoundedIntegerField(min_value=0)
    reviewers = serializers.IntegerField(read_only=True)
    officers = serializers.IntegerField(read_only=True)
    shortfall = serializers.IntegerField(read_only=True)


def _policy_view(agency) -> dict:
    current = queries.policy(agency)
    staffing = queries.staffing(agency)
    return {
        "agency": agency.pk,
        "is_default": current.pk is None,
        "reviewer_ratio": current.reviewer_ratio,
        "discussion_quorum": current.discussion_quorum,
        "reviewers": staffing["reviewers"],
        "officers": staffing["officers"],
        "shortfall": staffing["shortfall"],
    }


class ReviewPolicyViewSet(viewsets.ViewSet):
    """GET /api/v1/review-policy/ (the agencies the user may see), GET and PUT /api/v1/review-policy/{agency}/:
    the reviewer ratio (default ``rules.REVIEWER_RATIO_DEFAULT``) and the discussion quorum; PUT by the agency's
    system administrator (``actions.set_policy``)."""

    serializer_class = ReviewPolicySerializer
    queryset = Agency.objects.none()  # the {id} in the path is an agency's (typed in the schema)

    @staticmethod
    def _readable(user) -> set[int]:
        return case_queries.settings_agency_ids(user)

    def _agency(self, request, pk):
        return case_queries.settings_agency(request.user, pk)

    @extend_schema(responses=ReviewPolicySerializer(many=True), summary=str(_("法制审核设置")))
    def list(self, request):
        from zhifa.org.models import Agency

        agencies = Agency.objects.filter(pk__in=self._readable(request.user)).order_by("pk")
        return Response([ReviewPolicySerializer(_policy_view(a)).data for a in agencies])

    @extend_schema(responses=ReviewPolicySerializer, summary=str(_("本机关的法制审核设置")))
    def retrieve(self, request, pk=None):
        return Response(ReviewPolicySerializer(_policy_view(self._agency(request, pk))).data)

    @extend_schema(
        request=ReviewPolicySerializer,
        responses=ReviewPolicySerializer,
        summary=str(_("设置法制审核（系统管理员）")),
    )
    def update(self, request, pk=None):
        agency = self._agency(request, pk)
        ser = ReviewPolicySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        actions.set_policy(request.user, agency, **ser.validated_data)
        return Response(ReviewPolicySerializer(_policy_view(agency)).data)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "agency",
            "applies_to",
            "kind",
            "value",
            "threshold_person",
            "threshold_organisation",
            "label",
            "basis",
            "active",
        ]
        read_only_fields = ["id", "agency"]


class StatutoryCriterionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("事项种类"))
    label = serializers.CharField(help_text=_("事项"))


@extend_schema_serializer(many=False)  # the list action answers one object, not an array of them
class ReviewCriteriaListSerializer(serializers.Serializer):
    statutory = StatutoryCriterionSerializer(many=True, help_text=_("对所有执法主体都有效的法定事项"))
    criteria = CriterionSerializer(many=True, help_text=_("可见执法主体自行确定的事项"))


class CriterionViewSet(viewsets.ViewSet):
    """GET /api/v1/review-criteria/ — the statutory criteria (every agency) and the agencies' lists the user may
    see; PUT /api/v1/review-criteria/{agency}/ adds a line (the agency's system administrator,
    ``actions.set_criterion``): kinds include 所属领域 (``field``: a field code) and 执法层级 (``level``)."""

    serializer_class = CriterionSerializer
    queryset = Agency.objects.none()  # the {id} in the path is an agency's (typed in the schema)

    @extend_schema(responses=ReviewCriteriaListSerializer, summary=str(_("法制审核事项清单")))
    def list(self, request):
        agencies = case_queries.settings_agency_ids(request.user)
        rows = Criterion.objects.filter(agency_id__in=agencies).order_by("agency_id", "applies_to", "id")
        return Response(
            {
                "statutory": [{"kind": r.kind, "label": str(_(r.label))} for r in rules.STATUTORY],
                "criteria": CriterionSerializer(rows, many=True).data,
            }
        )

    @extend_schema(
        request=CriterionSerializer, responses={201: CriterionSerializer}, summary=str(_("增加清单事项"))
    )
    def update(self, request, pk=None):
        agency = case_queries.settings_agency(request.user, pk)
        ser = CriterionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d.pop("active", None)
        c = actions.set_criterion(request.user, agency, **d)
        return Response(CriterionSerializer(c).data, status=status.HTTP_201_CREATED)
