"""REST endpoints for cases: read scoped like the pages; every action at POST /cases/{id}/{action}/ with the
same permission checks (the actions do them), its serializer built from the same declaration as the page form."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from zhifa.core.api import BoundedIntegerField, IdField, KeysetPagination
from zhifa.org.models import Certificate, EnforcementField, Person, Unit

from . import actions, forms, queries
from .choices import State
from .models import Case, CaseRecord, Party, PartyConnection, Recusal, Service


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "kind", "name", "id_type", "id_number", "legal_representative", "address", "phone"]


class RecordSerializer(serializers.ModelSerializer):
    data = serializers.DictField(read_only=True, help_text=_("记录内容（按记录种类的字段）"))

    class Meta:
        model = CaseRecord
        fields = [
            "id",
            "kind",
            "data",
            "place",
            "started_at",
            "ended_at",
            "officers",
            "certificates_shown",
            "due_on",
        ]


class RecusalSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.full_name", read_only=True, default="")

    class Meta:
        model = Recusal
        fields = [
            "id",
            "person",
            "person_name",
            "reason",
            "applied_by_party",
            "granted",
            "decided_by",
            "decided_by_name",
            "created_at",
        ]


class ConnectionRequest(serializers.Serializer):
    relation = serializers.CharField(help_text=str(_("与当事人的关系")), label=str(_("关系")))


class ConnectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyConnection
        fields = ["id", "person", "party", "relation", "declared_at"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "document",
            "method",
            "delivered_on",
            "served_on",
            "failed",
            "recipient",
            "witness",
            "recording",
            "consent",
            "note",
            "proof_kind",
            "proof_sha256",
        ]


class CaseSerializer(serializers.ModelSerializer):
    party = PartySerializer(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    officers = serializers.SerializerMethodField()

    class Meta:
        model = Case
        exclude = ["agency"]

    def get_officers(self, case) -> list[int]:
        # from the list's prefetch when there is one (a page of cases is one query for all their officers)
        return [link.person_id for link in sorted(case.officer_links.all(), key=lambda link: link.pk)]


class DecisionBriefSerializer(serializers.Serializer):
    """What the head decides on (documentation of GET …/decision-brief/)."""

    digest = serializers.CharField(help_text=str(_("处理意见的 SHA-256：作出决定时作为 seen 提交")))
    outcome = serializers.CharField()
    penalty = serializers.DictField()
    penalty_text = serializers.CharField()
    facts = serializers.CharField()
    evidence = serializers.CharField()
    violated_provisions = serializers.CharField()
    penalty_provisions = serializers.CharField()
    discretion = serializers.CharField()
    transfer_to = serializers.CharField()
    notice = serializers.DictField(allow_null=True)
    review = serializers.DictField()
    discussions = serializers.ListField(child=serializers.DictField())
    statements = RecordSerializer(many=True)
    statement_waivers = RecordSerializer(many=True)
    hearing_waivers = RecordSerializer(many=True)
    hearing_requests = RecordSerializer(many=True)
    hearings = RecordSerializer(many=True)
    blockers = serializers.ListField(child=serializers.CharField())


def _serializer_field(f: forms.F):
    common = {"required": f.required, "help_text": str(f.help or f.label), "label": str(f.label)}
    k = f.kind
    if k in ("text", "textarea", "hidden", "extension_reason"):
        return serializers.CharField(allow_blank=not f.required, **common)
    if k == "date":
        return serializers.DateField(allow_null=not f.required, **common)
    if k == "datetime":
        return serializers.DateTimeField(**common)
    if k == "decimal":
        return serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, allow_null=not f.required, **common
        )
    if k == "int":
        return BoundedIntegerField(min_value=0, allow_null=not f.required, **common)
    if k == "bool":
        return serializers.BooleanField(**{**common, "required": False})
    if k == "file":
        return serializers.FileField(allow_null=True, **common)
    if k == "choice":
        return serializers.ChoiceField(choices=f.choices, **common)
    if k == "multichoice":
        return serializers.MultipleChoiceField(choices=f.choices, **common)
    if k == "items":
        return serializers.ListField(child=serializers.CharField(max_length=40), **common)
    model = {
        "person": Person,
        "people": Person,
        "certificates": Certificate,
        "party": Party,
        "field": EnforcementField,
        "unit": Unit,
    }[k]
    many = k in ("people", "certificates")
    return serializers.PrimaryKeyRelatedField(
        queryset=model.objects.all(), many=many, allow_null=not many and not f.required, **common
    )


_serializers: dict[str, type[serializers.Serializer]] = {}


def serializer_for(spec: forms.ActionSpec) -> type[serializers.Serializer]:
    if spec.action not in _serializers:
        attrs = {f.name: _serializer_field(f) for f in spec.fields}
        name = "".join(part.title() for part in spec.action.split("_")) + "Request"
        _serializers[spec.action] = type(name, (serializers.Serializer,), attrs)
    return _serializers[spec.action]


def _defaults(spec: forms.ActionSpec, data: dict) -> dict:
    """Fill optional fields the caller left out, as the page form would (empty values)."""
    out = dict(data)
    for f in spec.fields:
        if f.name not in out:
            out[f.name] = (
                []
                if f.kind in ("people", "certificates", "multichoice", "items")
                else (
                    False
                    if f.kind == "bool"
                    else ("" if f.kind in ("text", "textarea", "choice") and not f.required else None)
                )
            )
        elif f.kind == "multichoice":
            out[f.name] = sorted(out[f.name])
    return out


def _scoped(spec_field: forms.F, value, case):
    """Related objects named in a request must belong to the case's agency (never trust ids)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is None:
            continue
        agency_id = getattr(item, "agency_id", None)
        if agency_id is None and isinstance(item, Certificate):
            agency_id = item.person.agency_id
        if agency_id is not None and agency_id != case.agency_id:
            raise DRFValidationError({spec_field.name: [_("所选对象不属于本机关。")]})


def _make_action(spec: forms.ActionSpec):
    def view(self, request, pk=None):
        case = queries.access_case(request.user, pk)
        ser = serializer_for(spec)(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _defaults(spec, ser.validated_data)
        for f in spec.fields:
            _scoped(f, data.get(f.name), case)
        spec.call(request.user, case, data)
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)

    view.__name__ = spec.action
    routed = drf_action(
        detail=True, methods=["post"], url_path=spec.action.replace("_", "-"), url_name=spec.action
    )(view)
    return extend_schema(
        request=serializer_for(spec),
        responses={200: CaseSerializer},
        summary=str(spec.title),
        description=str(spec.description or spec.title),
    )(routed)


class SimpleFilingPeriodRequest(serializers.Serializer):
    agency = IdField(label=str(_("执法主体")))
    length = BoundedIntegerField(min_value=1, label=str(_("备案期限（工作日）")))
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=str(_("依据或理由")))


class CasePagination(KeysetPagination):
    """The case list's pages: newest accepted first, then the higher id (the web list's order and index)."""

    key = "accepted_on"
    descending = True


class CaseListQuery(serializers.Serializer):
    """The case list's filters (the web list's, ``queries.filter_cases``); a value that is not one of these is a 400."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=str(_("案号、案由或当事人名称中的文字"))
    )
    state = serializers.ChoiceField(
        choices=State.choices, required=False, allow_blank=True, help_text=str(_("案件状态"))
    )
    mine = serializers.BooleanField(required=False, default=False, help_text=str(_("只列出本人承办的案件")))
    officer = IdField(required=False, help_text=str(_("只列出该执法人员（人员编号）承办的案件")))
    officer_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=str(_("只列出该姓名的执法人员承办的案件"))
    )
    item = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=str(_("执法事项清单中的事项编码"))
    )
    due = serializers.ChoiceField(
        choices=[("overdue", _("已超期")), ("soon", _("15日内到期"))],
        required=False,
        allow_blank=True,
        help_text=str(_("办案期限：overdue 已超期，soon 15 日内到期（决定前的案件）")),
    )


def _opening(module: str, name: str = "OPEN"):
    """The request serializer of a form that opens an act (``<module>.OPEN``: a report, registration or application;
    the simple procedure's on-the-spot decision)."""
    from importlib import import_module

    return serializer_for(getattr(import_module(f"zhifa.cases.{module}"), name))


def _open_act(request, spec, call):
    """A new act from the API (an on-the-spot penalty, or an act of another kind than a penalty case): the party
    read with the caller's access, every object named in the request of the party's agency."""
    ser = serializer_for(spec)(data=request.data)
    ser.is_valid(raise_exception=True)
    data = _defaults(spec, ser.validated_data)
    party = queries.access_party(request.user, data["party"].pk)
    for f in spec.fields:
        if f.name != "party":
            _scoped(f, data.get(f.name), party)
    case = call(request.user, **{**data, "party": party, "officers": list(data["officers"])})
    return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=str(_("可见的案件")),
        description=str(
            _(
                "按受理日期从新到旧（同一日期按编号从大到小）分页，不统计总数：每页的 next、previous 是下一页、上一页的地址"
                "（带 cursor 参数），没有时为 null。筛选条件与案件列表页面相同。"
            )
        ),
        parameters=[CaseListQuery],
    ),
    retrieve=extend_schema(summary=str(_("案件详情"))),
)
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    pagination_class = CasePagination

    def get_queryset(self):
        qs = queries.visible_cases(self.request.user)
        if self.action != "list":
            return qs
        filters = CaseListQuery(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return queries.filter_cases(qs, self.request.user, **filters.validated_data).prefetch_related(
            "officer_links"
        )

    def retrieve(self, request, *args, **kwargs):
        case = queries.access_case(request.user, kwargs["pk"])
        from zhifa.ledger import actions as ledger_actions

        ledger_actions.record_access(request.user, case, str(_("通过接口查看案件")))
        return Response(CaseSerializer(case).data)

    @extend_schema(
        request=serializer_for(forms.ACCEPT), responses={201: CaseSerializer}, summary=str(_("受理案件"))
    )
    def create(self, request):
        ser = serializer_for(forms.ACCEPT)(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _defaults(forms.ACCEPT, ser.validated_data)
        party = queries.access_party(request.user, data["party"].pk)
        for f in forms.ACCEPT.fields:
            if f.name != "party":
                _scoped(f, data.get(f.name), party)
        case = actions.accept_case(
            request.user, **{**data, "party": party, "officers": list(data["officers"])}
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=DecisionBriefSerializer,
        summary=str(_("拟作出的决定（负责人决定页面的内容）")),
        description=str(
            _(
                "处理意见、处罚、法制审核结果与意见书编号、集体讨论、事先告知、当事人的陈述申辩和放弃、听证、仍然阻止决定的事项，"
                "以及处理意见的摘要 digest：作出决定时作为 seen 提交，处理意见已被修改的即拒绝。"
            )
        ),
    )
    @drf_action(detail=True, methods=["get"], url_path="decision-brief")
    def decision_brief(self, request, pk=None):
        from django.utils import timezone

        case = queries.access_case(request.user, pk)
        brief = actions.decision_brief(case, timezone.localdate())
        records = lambda key: RecordSerializer(brief[key], many=True).data  # noqa: E731
        review = brief.get("review") or {}
        return Response(
            {
                "digest": brief["digest"],
                "outcome": brief["outcome"],
                "penalty": brief["penalty"],
                "penalty_text": brief["penalty_text"],
                "facts": brief["facts"],
                "evidence": brief["evidence"],
                "violated_provisions": brief["violated_provisions"],
                "penalty_provisions": brief["penalty_provisions"],
                "discretion": brief["discretion"],
                "transfer_to": brief["transfer_to"],
                "notice": brief["notice"],
                "review": {
                    "reasons": [str(r) for r in review.get("reasons", [])],
                    "state": str(review.get("state", "")),
                    "number": review.get("number", ""),
                },
                "discussions": [
                    {**d, "held_on": d["held_on"].isoformat(), "state": str(d["state"])}
                    for d in brief.get("discussions", [])
                ],
                "statements": records("statements"),
                "statement_waivers": records("statement_waivers"),
                "hearing_waivers": records("hearing_waivers"),
                "hearing_requests": records("hearing_requests"),
                "hearings": records("hearings"),
                "blockers": [str(b) for b in brief["blockers"]],
            }
        )

    @extend_schema(
        responses=RecusalSerializer(many=True),
        summary=str(_("本案的回避")),
        description=str(
            _("回避人员、理由、由当事人申请或本人提出、是否决定回避、决定人（《行政处罚法》第四十三条）。")
        ),
    )
    @drf_action(detail=True, methods=["get"], pagination_class=None)
    def recusals(self, request, pk=None):
        from . import recusal

        case = queries.access_case(request.user, pk)
        return Response(RecusalSerializer(recusal.of_case(case), many=True).data)

    @extend_schema(
        responses=dict,
        summary=str(_("本案的期限")),
        description=str(
            _(
                "追责时效（计算至受理日，《行政处罚法》第三十六条）、办案期限（第六十条）及每次延长和中止的批准人、"
                "本机关的延长办案期限规则。"
            )
        ),
    )
    @drf_action(detail=True, methods=["get"], url_path="time-limits", url_name="time_limits")
    def time_limits(self, request, pk=None):
        from .time_limits import time_limits_data

        case = queries.access_case(request.user, pk)
        return Response(time_limits_data(case))

    @extend_schema(
        responses=ServiceSerializer(many=True), summary=str(_("送达记录（含未能送达和电子送达凭证）"))
    )
    @drf_action(detail=True, methods=["get"], pagination_class=None)
    def services(self, request, pk=None):
        case = queries.access_case(request.user, pk)
        return Response(ServiceSerializer(case.services.all(), many=True).data)

    @extend_schema(
        summary=str(_("电子送达凭证文件")), responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}
    )
    @drf_action(
        detail=True, methods=["get"], url_path=r"services/(?P<service_pk>\d+)/proof", url_name="service_proof"
    )
    def service_proof(self, request, pk=None, service_pk=None):
        from .service_views import proof_response

        return proof_response(request.user, pk, service_pk)

    @extend_schema(
        request=_opening("simple_forms", "ON_THE_SPOT"),
        responses={201: CaseSerializer},
        summary=str(_("当场作出行政处罚决定（简易程序）")),
        description=str(
            _(
                "执法人员当场作出警告或限额内罚款的决定（《行政处罚法》第五十一条、第五十二条）：须先记录告知的事实、理由、依据和"
                "陈述申辩权利，以及当事人的陈述申辩及复核意见（或放弃）；生成当场行政处罚决定书并由执法人员签名，"
                "当事人签名（party_signature，PNG）或拒绝签收及见证人记录后定稿编号。"
            )
        ),
    )
    @drf_action(detail=False, methods=["post"], url_path="on-the-spot", url_name="on_the_spot")
    def on_the_spot(self, request):
        from .simple_forms import ON_THE_SPOT

        return _open_act(request, ON_THE_SPOT, lambda user, **data: ON_THE_SPOT.call(user, data))

    @extend_schema(
        request=_opening("compulsion_forms"),
        responses={201: CaseSerializer},
        summary=str(_("报请实施查封扣押（行政强制措施）")),
        description=str(
            _(
                "执法人员报请负责人批准实施查封、扣押（《行政强制法》第十八条）；情况紧急的（emergency），当场实施后二十四小时内补办批准"
                "（第十九条）。此后的步骤（批准、实施、延长、解除、处理、移送立案）与案件的其他步骤一样，经 POST /api/v1/cases/{id}/{step}/ 进行。"
            )
        ),
    )
    @drf_action(detail=False, methods=["post"], url_path="measures", url_name="measures")
    def measures(self, request):
        from .compulsion_forms import OPEN

        return _open_act(request, OPEN, actions.open_measure)

    @extend_schema(
        request=_opening("requisition_forms"),
        responses={201: CaseSerializer},
        summary=str(_("登记征用（行政征用）")),
        description=str(
            _(
                "登记临时征用的房屋、交通工具或者相关设施、设备（requisitioned，每行一项）；此后的步骤（作出征用决定、返还、补偿）"
                "经 POST /api/v1/cases/{id}/{step}/ 进行。"
            )
        ),
    )
    @drf_action(detail=False, methods=["post"], url_path="requisitions", url_name="requisitions")
    def requisitions(self, request):
        from .requisition_forms import OPEN

        return _open_act(request, OPEN, actions.open_requisition)

    @extend_schema(
        request=_opening("confirmation_forms"),
        responses={201: CaseSerializer},
        summary=str(_("受理确认申请（行政确认）")),
        description=str(
            _(
                "受理申请人的行政确认申请；此后的步骤（审查、作出确认决定、送达）经 POST /api/v1/cases/{id}/{step}/ 进行。"
            )
        ),
    )
    @drf_action(detail=False, methods=["post"], url_path="confirmations", url_name="confirmations")
    def confirmations(self, request):
        from .confirmation_forms import OPEN

        return _open_act(request, OPEN, actions.open_confirmation)

    @extend_schema(
        request=_opening("inspection_forms"),
        responses={201: CaseSerializer},
        summary=str(_("登记行政检查（双随机抽查以外）")),
        description=str(
            _(
                "登记日常检查、专项检查等行政检查；此后的步骤（制作检查记录、检查合格、责令改正、复查、移送立案查处）"
                "经 POST /api/v1/cases/{id}/{step}/ 进行。"
            )
        ),
    )
    @drf_action(detail=False, methods=["post"], url_path="inspections", url_name="inspections")
    def inspections(self, request):
        from .inspection_forms import OPEN

        return _open_act(request, OPEN, actions.open_inspection)

    @extend_schema(
        responses=dict,
        summary=str(_("简易程序：告知、陈述申辩、决定书、备案与当场收缴")),
        description=str(
            _(
                "简易程序案件的告知内容、陈述申辩或放弃、当场行政处罚决定书编号、备案（及期限）、当场收缴与交款（及期限）。"
            )
        ),
    )
    @drf_action(detail=True, methods=["get"], url_path="simple-procedure", url_name="simple_procedure")
    def simple_procedure(self, request, pk=None):
        from .simple_views import api_data

        case = queries.access_case(request.user, pk)
        return Response(api_data(case))

    @extend_schema(
        request=SimpleFilingPeriodRequest,
        responses=dict,
        summary=str(_("当场处罚决定备案期限（本机关设定）")),
        description=str(
            _(
                "GET ?agency=机关id：本机关的备案期限（工作日；法律未规定，默认五个工作日，configured 表示是否已自行设定）；"
                "PUT {agency, length, reason}：本机关系统管理员设定（《行政处罚法》第五十二条）。"
            )
        ),
    )
    @drf_action(
        detail=False, methods=["get", "put"], url_path="simple-filing-period", url_name="simple_filing_period"
    )
    def simple_filing_period(self, request):
        from zhifa.workdays import actions as wd_actions
        from zhifa.workdays import queries as wd_queries

        from .simple_views import filing_period, filing_period_agency

        if request.method == "GET":
            return Response(
                filing_period(filing_period_agency(request.user, request.query_params.get("agency")))
            )
        ser = SimpleFilingPeriodRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        agency = filing_period_agency(request.user, ser.validated_data["agency"], write=True)
        kind = wd_queries.kind_by_code("simple_filing")
        wd_actions.set_agency_deadline(
            request.user,
            agency,
            kind,
            length=ser.validated_data["length"],
            reason=ser.validated_data["reason"],
        )
        return Response(filing_period(agency))

    @extend_schema(responses=RecordSerializer(many=True), summary=str(_("调查取证记录")))
    @drf_action(detail=True, methods=["get"], pagination_class=None)
    def records(self, request, pk=None):
        case = queries.access_case(request.user, pk)
        return Response(RecordSerializer(case.records.all(), many=True).data)


for _spec in forms.SPECS.values():
    setattr(CaseViewSet, _spec.action, _make_action(_spec))


class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartySerializer

    def get_queryset(self):
        return queries.visible_parties(self.request.user)

    @extend_schema(
        request=serializer_for(forms.PARTY), responses={201: PartySerializer}, summary=str(_("登记当事人"))
    )
    def create(self, request):
        from .views import _agency_for_new

        ser = serializer_for(forms.PARTY)(data=request.data)
        ser.is_valid(raise_exception=True)
        party = actions.register_party(
            request.user, _agency_for_new(request.user), **_defaults(forms.PARTY, ser.validated_data)
        )
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConnectionRequest,
        responses={200: ConnectionSerializer},
        summary=str(_("申报利害关系")),
        description=str(
            _(
                "本机关人员申报本人与该当事人的利害关系；申报后不得参与该当事人的案件（《行政处罚法》第四十三条）。"
            )
        ),
    )
    @drf_action(detail=True, methods=["post"], url_path="declare-connection", url_name="declare_connection")
    def declare_connection(self, request, pk=None):
        party = queries.access_party(request.user, pk)
        ser = ConnectionRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        connection = actions.declare_connection(request.user, party, relation=ser.validated_data["relation"])
        return Response(ConnectionSerializer(connection).data)
