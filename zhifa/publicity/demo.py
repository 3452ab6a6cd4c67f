"""The demo's publications in every state (事后公开), through the actions as users would: the two earliest decisions
released (submitted by the case's lead officer, released by the legal reviewer — after their due dates, so they show
as published late); the next submitted and awaiting review; one released and then withdrawn after a 行政复议
revoked it (the head records the outcome, the withdrawal deadline opens, the head withdraws it with the public
reason); one revoked before it was published (不予公开, with that ground); the rest 待编辑."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.org.models import Agency, Person

from . import publication
from .choices import PublicationState
from .models import Publication


def _numbered(pub) -> bool:
    document = publication.decision_document(pub.case)
    return document is not None and bool(document.number)


def _revoke(pub, head, lead, *, kind) -> bool:
    """A 复议 (or 诉讼) against the decision, ended by 撤销: recorded by the lead officer and the head."""
    from zhifa.remedies import actions as remedies
    from zhifa.remedies.choices import RemedyOutcome

    today = timezone.localdate()
    applied = min(pub.decided_on + dt.timedelta(days=10), today)
    try:
        with transaction.atomic():
            proceeding = remedies.record_proceeding(lead, pub.case, kind=kind, applied_on=applied)
            remedies.record_outcome(
                head,
                proceeding,
                outcome=RemedyOutcome.ANNULLED,
                decided_on=min(applied + dt.timedelta(days=20), today),
                note="认定事实不清，撤销原行政处罚决定，责令重新调查处理",
            )
    except (RuleViolation, ActionDenied):
        return False
    return True


def load() -> None:
    from zhifa.remedies.choices import RemedyKind

    agency = Agency.objects.get(code="mingshan-wjj")
    publications = list(
        Publication.objects.filter(agency=agency).select_related("case").order_by("decided_on", "id")
    )
    if any(p.state != PublicationState.DRAFT for p in publications):
        return  # loaded before
    reviewer = Person.objects.get(username="fagui1")
    head = Person.objects.get(username="juzhang")
    ready = [p for p in publications if _numbered(p) and p.case.is_penalty]
    released = 0
    for pub in ready[:5]:
        lead = pub.case.officer_links.filter(lead=True).select_related("person").get().person
        pub = publication.submit(lead, pub)
        if released == 2:  # the third waits for review
            released += 1
            continue
        pub = publication.release(reviewer, pub)
        released += 1
        if released == 4 and _revoke(pub, head, lead, kind=RemedyKind.RECONSIDERATION):
            publication.withdraw(head, Publication.objects.get(pk=pub.pk))
    # One decision revoked before it was published: 不予公开, with the outcome as its ground.
    for pub in ready[5:]:
        lead = pub.case.officer_links.filter(lead=True).select_related("person").get().person
        if _revoke(pub, head, lead, kind=RemedyKind.LITIGATION):
            break
    # The 扣押 of the demo (cases.demo._measures): its 查封扣押决定书 published, found under 执法行为 = 行政强制措施.
    for pub in publications:
        if not pub.case.is_penalty and _numbered(pub):
            lead = pub.case.officer_links.filter(lead=True).select_related("person").get().person
            publication.release(reviewer, publication.submit(lead, pub))
