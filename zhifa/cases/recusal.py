"""回避 (《行政处罚法》第四十三条): who may not act on a case because of a connection with its party.

``conflicts(case, people)`` is the one check, called wherever a person is about to act on a case: the acting
officers (``actions._check_officers`` via ``connected``), the hearing chair (``schedule_hearing``), the deciding head
(``decide``), the reviewers and the discussion participants (zhifa.review). A person conflicts when they declared a
connection with the case's party (PartyConnection) or the head granted their recusal on that case (Recusal).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PartyConnection, Recusal

# The article every refusal names: 执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，应当回避.
ARTICLE = gettext_lazy("《行政处罚法》第四十三条")


def _unique(people: Iterable) -> list:
    return [p for p in dict.fromkeys(p for p in people if p is not None and getattr(p, "pk", None))]


def _relations(party, people: list) -> dict[int, str]:
    return dict(
        PartyConnection.objects.filter(party=party, person__in=[p.pk for p in people]).values_list(
            "person_id", "relation"
        )
    )


def _connected_message(person, relation: str) -> str:
    return _("%(name)s已申报与当事人存在利害关系（%(relation)s），应当回避（%(article)s）。") % {
        "name": person.full_name,
        "relation": relation,
        "article": ARTICLE,
    }


def connected(party, people: Iterable) -> list[str]:
    """One message per person of ``people`` who declared a connection with ``party`` (before a case exists)."""
    people = _unique(people)
    relations = _relations(party, people) if people else {}
    return [_connected_message(p, relations[p.pk]) for p in people if p.pk in relations]


def recused_ids(case) -> set[int]:
    """The people whose recusal on ``case`` the head granted."""
    return set(Recusal.objects.filter(case=case, granted=True).values_list("person_id", flat=True))


def conflicts(case, people: Iterable) -> list[str]:
    """One Chinese message per person of ``people`` who may not act on ``case``: a declared connection with its
    party, or a granted recusal on it. Empty when all may act."""
    people = _unique(people)
    if not people:
        return []
    relations = _relations(case.party, people)
    recused = recused_ids(case)
    out = []
    for p in people:
        if p.pk in relations:
            out.append(_connected_message(p, relations[p.pk]))
        elif p.pk in recused:
            out.append(
                _("%(name)s已被决定在本案回避，不得参与本案（%(article)s）。")
                % {"name": p.full_name, "article": ARTICLE}
            )
    return out


def of_case(case):
    """The recusals of ``case``, oldest first, with who they concern and who decided."""
    return (
        Recusal.objects.filter(case=case).select_related("person", "decided_by").order_by("created_at", "pk")
    )


def connections_of(party):
    """The declared connections with ``party``."""
    return PartyConnection.objects.filter(party=party).select_related("person").order_by("declared_at", "pk")
