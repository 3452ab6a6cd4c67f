"""What every page and API endpoint of an agency's settings shares (听证标准, 案卷与执法记录设置, 决定公开设置): which
agency a page is about, and the list / retrieve / update endpoints.

Each set of settings keeps its own view of the values (``view(agency) -> dict``), its own action that changes them
(``save(user, agency, data)``: an action with its ledger entry, refused unless the user is the agency's system
administrator) and its own serializer; who may read is ``queries.settings_agency_ids`` for all of them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework import viewsets
from rest_framework.response import Response

from zhifa.org.models import Agency

from . import queries


def page_agency(request, refused: str) -> Agency:
    """The agency a settings page shows: ``?agency=<id>`` when the user may read it, else the user's own (or the
    first they may read); PermissionDenied with ``refused`` when there is none."""
    ids = queries.settings_agency_ids(request.user)
    wanted = request.GET.get("agency", "")
    if wanted.isdigit():
        agency_id = int(wanted)
    else:
        agency_id = request.user.agency_id if request.user.agency_id in ids else min(ids, default=None)
    if agency_id is None or agency_id not in ids:
        raise PermissionDenied(refused)
    return Agency.objects.get(pk=agency_id)


class AgencySettingsViewSet(viewsets.ViewSet):
    """GET …/ (the agencies the user may see), GET and PUT …/{agency}/. Subclasses set ``serializer_class`` and
    define ``view`` and ``save``; their schema summaries go on with drf-spectacular's ``extend_schema_view``."""

    queryset = Agency.objects.none()  # the {id} in the path is an agency's (typed in the schema)

    def view(self, agency: Agency) -> dict:
        raise NotImplementedError

    def save(self, user, agency: Agency, data: dict) -> None:
        raise NotImplementedError

    def _agency(self, request, pk) -> Agency:
        return queries.settings_agency(request.user, pk)

    def list(self, request):
        agencies = Agency.objects.filter(pk__in=queries.settings_agency_ids(request.user)).order_by("pk")
        return Response([self.serializer_class(self.view(a)).data for a in agencies])

    def retrieve(self, request, pk=None):
        return Response(self.serializer_class(self.view(self._agency(request, pk))).data)

    def update(self, request, pk=None):
        agency = self._agency(request, pk)
        ser = self.serializer_class(data=request.data)
        ser.is_valid(raise_exception=True)
        self.save(request.user, agency, ser.validated_data)
        return Response(self.serializer_class(self.view(agency)).data)


def schema(serializer, list_summary, retrieve_summary, update_summary) -> dict:
    """The ``extend_schema_view`` arguments of a settings viewset."""
    from drf_spectacular.utils import extend_schema

    return {
        "list": extend_schema(responses=serializer(many=True), summary=str(list_summary)),
        "retrieve": extend_schema(responses=serializer, summary=str(retrieve_summary)),
        "update": extend_schema(request=serializer, responses=serializer, summary=str(update_summary)),
    }
