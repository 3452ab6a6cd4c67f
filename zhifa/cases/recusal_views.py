"""回避 pages (《行政处罚法》第四十三条): a person declares their own connection with a party (from the party's page
or the case page), and the case page's recusal panel (who, reason, applied by whom, granted or not, decided by).
The head decides a recusal on the case's step page (``cases:action`` ``decide_recusal``, forms.SPECS)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.forms import run_action

from . import access, actions, queries
from . import recusal as recusal_queries
from .models import PartyConnection


class ConnectionForm(django_forms.Form):
    relation = django_forms.CharField(
        label=gettext_lazy("与当事人的关系"),
        max_length=PartyConnection._meta.get_field("relation").max_length,
        help_text=gettext_lazy("如：法定代表人的配偶、近亲属、曾为其提供服务等（《行政处罚法》第四十三条）"),
        widget=django_forms.Textarea(attrs={"rows": 3}),
    )


def may_declare(user, party) -> bool:
    """Any person of the party's agency may declare their own connection with it."""
    return (
        bool(getattr(user, "is_authenticated", False)) and getattr(user, "agency_id", None) == party.agency_id
    )


def _back_case(request, party):
    """The case the page was opened from (``?case=``), if the user may read it and it is the party's."""
    raw = request.GET.get("case") or request.POST.get("case") or ""
    if not raw.isdigit():
        return None
    try:
        case = queries.access_case(request.user, int(raw))
    except Http404:
        return None
    return case if case.party_id == party.pk else None


@login_required
def party_connection(request, pk):
    """申报利害关系: the user declares (or restates) their own connection with party ``pk``."""
    party = queries.access_party(request.user, pk)
    if not may_declare(request.user, party):
        raise PermissionDenied(_("只有本机关人员可以申报与本机关当事人的利害关系。"))
    own = PartyConnection.objects.filter(person=request.user, party=party).first()
    case = _back_case(request, party)
    form = ConnectionForm(request.POST or None, initial={"relation": own.relation} if own else None)
    if request.method == "POST" and form.is_valid():
        ok, _connection = run_action(
            form,
            lambda: actions.declare_connection(request.user, party, relation=form.cleaned_data["relation"]),
        )
        if ok:
            messages.success(request, _("已申报与当事人的利害关系；您将不能参与该当事人的案件。"))
            return redirect(case if case else reverse("cases:party", args=[party.pk]))
    return render(
        request,
        "cases/recusal_connection.html",
        {
            "title": _("申报利害关系"),
            "form": form,
            "party": party,
            "own": own,
            "case": case,
        },
    )


def case_panel(case, user) -> dict:
    """The case page's 回避 panel (registered in cases.views.PANELS). The head's "决定回避" button is offered only
    to a head who may decide it (not one connected with the party or recused on the case)."""
    own = recusal_queries.conflicts(case, [user]) if getattr(user, "pk", None) else []
    return {
        "recusal_panel": {
            "recusals": list(recusal_queries.of_case(case)),
            "connections": list(recusal_queries.connections_of(case.party)),
            "conflicts": own,
            "may_declare": may_declare(user, case.party),
            "declare_url": reverse("cases:party_connection", args=[case.party_id]) + f"?case={case.pk}",
            "may_decide": not own and access.may(user, case, "decide_recusal"),
            "decide_url": reverse("cases:action", args=[case.pk, "decide_recusal"]),
        }
    }
