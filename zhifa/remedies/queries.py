"""Reads of remedies, scoped to who may see the case; and what other code asks about a decision's standing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhifa.cases import queries as case_queries

from . import rules
from .models import Proceeding, ProceedingDocument

STANDING_LABELS = {
    "none": _("未被申请复议或起诉"),
    "standing": _("经复议或诉讼，决定未被变更或撤销"),
    "pending": _("复议或诉讼进行中"),
    "varied": _("决定已被变更"),
    "annulled": _("决定已被撤销"),
    "unlawful": _("决定已被确认违法"),
    "void": _("决定已被确认无效"),
}


@dataclass(frozen=True)
class Standing:
    """Where a case's decision stands: ``code`` (none, pending, standing, varied, annulled, unlawful, void), its
    words, and the proceeding that made it so (the pending one, or the last that changed the decision)."""

    code: str
    label: str
    proceeding: Proceeding | None

    @property
    def changed(self) -> bool:
        return self.code in rules.CHANGING

    @property
    def annulled(self) -> bool:
        return self.code in rules.ANNULLING


def visible_proceedings(user) -> QuerySet[Proceeding]:
    return Proceeding.objects.filter(agency_id__in=case_queries.readable_agency_ids(user)).select_related(
        "case", "agency"
    )


def access_proceeding(user, pk) -> Proceeding:
    """The one permission-checked fetch of a proceeding (404 for what the user may not see)."""
    try:
        return visible_proceedings(user).get(pk=pk)
    except (Proceeding.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_document(user, pk) -> ProceedingDocument:
    try:
        return ProceedingDocument.objects.select_related("proceeding__case").get(
            pk=pk, proceeding__agency_id__in=case_queries.readable_agency_ids(user)
        )
    except (ProceedingDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def of_case(case) -> list[Proceeding]:
    return list(
        Proceeding.objects.filter(case=case).prefetch_related("documents").order_by("applied_on", "id")
    )


def pending_remedy(case) -> bool:
    """A 复议 or 诉讼 on ``case`` is pending (recorded, not yet decided or withdrawn). Engineers of payment
    (no surcharge counted while pending) and enforcement (no court application while pending) call this."""
    return Proceeding.objects.filter(case_id=case.pk, outcome="").exists()


def decision_standing(case) -> Standing:
    """Where ``case``'s decision stands after the remedies brought against it (see ``rules.standing``)."""
    return standing_of(list(Proceeding.objects.filter(case_id=case.pk).order_by("applied_on", "id")))


def standing_of(proceedings: list[Proceeding]) -> Standing:
    """``decision_standing`` from a case's proceedings already read (oldest first)."""
    if not proceedings:
        return Standing("none", str(STANDING_LABELS["none"]), None)
    code = rules.standing(proceedings)
    if code == "pending":
        which = next(p for p in proceedings if p.pending)
    elif code == "standing":
        which = None
    else:
        which = [p for p in proceedings if p.outcome in rules.CHANGING][-1]
    return Standing(code, str(STANDING_LABELS[code]), which)


def enforcement_gate(case) -> str | None:
    """Registered in cases.actions.execution.ENFORCEMENT_GATES: no application for court enforcement while a 复议 or
    诉讼 is pending (行政强制法 art. 53 — the application is for a party who neither applied nor sued), nor after the
    decision was annulled or declared void."""
    from django.utils.translation import gettext as _

    standing = decision_standing(case)
    if standing.code == "pending":
        return _(
            "当事人已申请行政复议或者提起行政诉讼（%(kind)s，%(body)s），审结前不能申请人民法院强制执行（《行政强制法》第五十三条）。"
        ) % {"kind": standing.proceeding.get_kind_display(), "body": standing.proceeding.body}
    if standing.annulled:
        return _("行政处罚决定已被%(outcome)s（%(body)s），不能申请强制执行。") % {
            "outcome": standing.proceeding.get_outcome_display(),
            "body": standing.proceeding.body,
        }
    return None
