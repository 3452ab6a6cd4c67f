"""回避 (行政处罚法 art. 43): a person declares a connection with a party; the head decides a recusal on a case."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person

from .. import access
from ..models import Case, Party, PartyConnection, Recusal
from .common import _record


@transaction.atomic
def declare_connection(actor: Person, party: Party, *, relation: str) -> PartyConnection:
    """A person declares a connection with a party (亲属、利害关系…); they are then kept off its cases."""
    if not relation.strip():
        raise RuleViolation(_("请说明与当事人的关系。"))
    connection, _created = PartyConnection.objects.get_or_create(
        person=actor, party=party, defaults={"relation": relation}
    )
    ledger.append(
        agency=party.agency,
        actor=actor,
        action="cases.declare_connection",
        obj=connection,
        payload={"state": snapshot(connection)},
    )
    return connection


@transaction.atomic
def decide_recusal(
    actor: Person, case: Case, *, person: Person, reason: str, granted: bool, applied_by_party: bool = False
) -> Recusal:
    """回避 (art. 43): the head decides; a granted recusal takes the officer off the case."""
    case = access.lock(case)
    access.require(actor, case, "decide_recusal")
    recusal = Recusal.objects.create(
        case=case,
        person=person,
        reason=reason,
        applied_by_party=applied_by_party,
        granted=granted,
        decided_by=actor,
    )
    if granted:
        remaining = [p for p in case.officers.all() if p.pk != person.pk]
        if len(remaining) < 2:
            raise RuleViolation(_("回避后承办人员不足两人，请先指派其他承办人员。"))
        case.officer_links.filter(person=person).delete()
        case.officer_links.filter(person=remaining[0]).update(lead=True)
    _record(case, actor, "decide_recusal", obj=recusal)
    return recusal
