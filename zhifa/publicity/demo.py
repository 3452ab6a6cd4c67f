"""The demo's publications in more than one state (事后公开): the two earliest decisions released (submitted by the
case's lead officer, released by the legal reviewer — after their due dates, so they show as published late), the
next submitted and awaiting review, the rest 待编辑. Through the actions, as users would."""

from zhifa.org.models import Agency, Person

from . import publication
from .choices import PublicationState
from .models import Publication


def load() -> None:
    agency = Agency.objects.get(code="mingshan-wjj")
    publications = list(
        Publication.objects.filter(agency=agency).select_related("case").order_by("decided_on", "id")
    )
    if any(p.state != PublicationState.DRAFT for p in publications):
        return  # loaded before
    reviewer = Person.objects.get(username="fagui1")
    for i, pub in enumerate(publications[:3]):
        lead = pub.case.officer_links.filter(lead=True).select_related("person").get().person
        pub = publication.submit(lead, pub)
        if i < 2:
            publication.release(reviewer, pub)
