"""What a case knows, as the redaction's ``Context`` (issue 15: "the case's own knowledge").

Removed wherever they appear: a natural-person party's name (per the agency's policy), identity number, address and
telephone; an organisation's legal representative's identity number and telephone are not stored, and the patterns
find them; every natural person the case's records name — the interviewee of an inquiry, the signer of the party's
choices (the party or its agent), the recipient and witness of each service.
Kept: the agency's name, address and telephone; the officers of the case; an organisation party's name, 统一社会信用代码,
legal representative and registered address (public in its business licence).
"""

from __future__ import annotations

from .base import NAME, Context

# Keys of a record's data that hold the name of a natural person (zhifa.records.kinds, zhifa.cases.forms).
NAME_KEYS = ("interviewee", "signer", "recipient", "witness", "agent", "complainant", "chair")


def _names_in(data: dict) -> list[str]:
    return [v.strip() for k in NAME_KEYS if isinstance(v := data.get(k), str) and v.strip()]


def context_for(case, *, person_policy: str = "mask_given") -> Context:
    party, agency = case.party, case.agency
    keep = {agency.name, agency.address, agency.phone}
    keep |= {link.person.full_name for link in case.officer_links.select_related("person")}
    remove: dict[str, str] = {}
    names: list[str] = []
    for record in case.records.all():
        names += _names_in(record.data or {})
    for service in case.services.all():
        names += [n for n in (service.recipient.strip(), service.witness.strip()) if n]
    if party.is_natural_person:
        remove |= {party.id_number: "id_number", party.address: "address", party.phone: "phone"}
        kind = "person"
    else:
        keep |= {party.name, party.id_number, party.legal_representative, party.address}
        kind = "org"
    keep.discard("")
    for name in names:
        # A signer or recipient may be the party itself (natural person: per the policy) or its legal representative.
        if name not in keep and name != party.name:
            remove.setdefault(name, NAME)
    remove.pop("", None)
    return Context(
        remove=remove, keep=keep, party_name=party.name, party_kind=kind, person_policy=person_policy
    )
