"""回避 (《行政处罚法》第四十三条): a person declares a connection with a party; the head decides a recusal on a case.

The rules (each checked before anything is written): a connection is declared by the person themself, with the
relation stated, with a party of their own agency; a recusal concerns a handling officer of the case, states its
reason, is decided by an agency head who is neither the person concerned nor in conflict with the case
(``cases.recusal.conflicts``), and a granted recusal leaves at least two handling officers (art. 42).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person

from .. import access
from .. import recusal as recusal_queries
from ..models import Case, Party, PartyConnection, Recusal
from .common import _record

# 执法人员不得少于两人 (《行政处罚法》第四十二条): the officers left after a recusal.
MIN_OFFICERS = 2


@transaction.atomic
def declare_connection(actor: Person, party: Party, *, relation: str) -> PartyConnection:
    """A person of the party's agency declares their own connection with a party (亲属、利害关系…); they are then
    kept off its cases (``cases.recusal.conflicts``). Declaring again changes the stated relation."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    if getattr(actor, "agency_id", None) != party.agency_id:
        raise ActionDenied(_("只有本机关人员可以申报与本机关当事人的利害关系。"))
    relation = (relation or "").strip()
    if not relation:
        raise RuleViolation({"relation": [_("请说明与当事人的关系。")]})
    max_length = PartyConnection._meta.get_field("relation").max_length
    if len(relation) > max_length:
        raise RuleViolation({"relation": [_("关系说明不能超过%(n)d个字。") % {"n": max_length}]})
    connection, created = PartyConnection.objects.select_for_update().get_or_create(
        person=actor, party=party, defaults={"relation": relation}
    )
    if not created and connection.relation != relation:
        connection.relation = relation
        connection.save(update_fields=["relation"])
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
    """回避 (art. 43): an officer's own request or the party's application, recorded with the head's decision; a
    granted recusal takes the officer off the case. Every rule passes before the row is written."""
    case = access.lock(case)
    access.require(actor, case, "decide_recusal")
    if person is not None and person.pk == actor.pk:
        raise ActionDenied(_("不能决定本人的回避，应由其他负责人决定（《行政处罚法》第四十三条）。"))
    if person is None or person.pk not in access.officer_ids(case):
        raise RuleViolation({"person": [_("回避只涉及本案的承办人员；所选人员不是本案的承办人员。")]})
    own = recusal_queries.conflicts(case, [actor])
    if own:
        raise ActionDenied(" ".join(own))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": [_("请填写回避理由。")]})
    max_length = Recusal._meta.get_field("reason").max_length
    if len(reason) > max_length:
        raise RuleViolation({"reason": [_("回避理由不能超过%(n)d个字。") % {"n": max_length}]})
    remaining = [link for link in case.officer_links.order_by("-lead", "pk") if link.person_id != person.pk]
    if granted and len(remaining) < MIN_OFFICERS:
        raise RuleViolation(
            _("回避后承办人员不足%(n)d人，请先指派其他承办人员（《行政处罚法》第四十二条）。")
            % {"n": MIN_OFFICERS}
        )
    recusal = Recusal.objects.create(
        case=case,
        person=person,
        reason=reason,
        applied_by_party=bool(applied_by_party),
        granted=bool(granted),
        decided_by=actor,
    )
    if granted:
        was_lead = case.officer_links.filter(person=person, lead=True).exists()
        case.officer_links.filter(person=person).delete()
        if was_lead:
            successor = remaining[0]
            successor.lead = True
            successor.save(update_fields=["lead"])
        access.forget(case)
    _record(case, actor, "decide_recusal", obj=recusal)
    return recusal
