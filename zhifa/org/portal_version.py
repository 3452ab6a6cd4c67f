"""The portal version of an agency (``models.PortalVersion``): a token that changes in the same transaction as every
write to what the public portal shows of the agency's people, so the cached 执法人员 / 岗位 / 执法主体 pages are
keyed by one indexed read instead of every officer and certificate (``zhifa.publicity.views._page``).

Why model signals, not a call in each action: a forgotten bump would serve a stale page for a day, and nothing
would notice. The receivers below hang on the models themselves — every save, delete and many-to-many change of an
``Agency``, ``Unit``, ``Person``, ``RoleAssignment``, ``Certificate`` (and its fields) or ``EnforcementField``,
whichever action, app or future code made it. A write that bypasses the signals (``QuerySet.update``,
``bulk_create``, raw SQL) is refused on these recorded tables by the ledger's write guard
(``zhifa.ledger.tracking``), except where the tracker is told to look away (migrations, test set-up, the
synthetic province generator), which is not a path of the running platform.
``tests/publicity/test_portal_cache.py`` runs every org action that writes these models and checks the token moved,
and fails when a new action is not listed.

The bump is an ``UPDATE`` of the row inside the writer's transaction: a reader sees the new token exactly when it
sees the new rows (they commit together). The portal reads the token before the rows it renders, so a cached page is
never older than the token it is stored under. Saves that touch only what the portal never shows (a login's
``last_login``, a password) do not bump, so logins do not empty the cache.

What the bump cannot see: a person moved to another agency (``Person.agency`` is fixed: no action changes it).
"""

from __future__ import annotations

import uuid

from django.db.models import Q, signals
from django.dispatch import receiver
from django.utils import timezone

from .models import Agency, Certificate, EnforcementField, Person, PortalVersion, RoleAssignment, Unit

# Person fields the portal never shows: a save of only these (login, password changes) keeps the version.
UNSHOWN_PERSON_FIELDS = frozenset({"last_login", "password", "must_change_password"})


def bump(where: Q | None = None) -> int:
    """A new token for the agencies ``where`` selects (all when None); the number of rows changed."""
    rows = PortalVersion.objects.all() if where is None else PortalVersion.objects.filter(where)
    return rows.update(token=uuid.uuid4(), changed_at=timezone.now())


def token(agency_id: int) -> uuid.UUID | None:
    return PortalVersion.objects.filter(agency_id=agency_id).values_list("token", flat=True).first()


@receiver(signals.post_save, sender=Agency, dispatch_uid="portal_version_agency_saved")
def _agency_saved(sender, instance, created, **kwargs):
    # A new agency gets its row; a changed one a new token, and so do its children (their agency page names it).
    if created or not bump(Q(agency_id=instance.pk)):
        PortalVersion.objects.get_or_create(
            agency_id=instance.pk, defaults={"token": uuid.uuid4(), "changed_at": timezone.now()}
        )
    if not created:
        bump(Q(agency__parent_id=instance.pk))


@receiver(signals.post_save, sender=Unit, dispatch_uid="portal_version_unit_saved")
@receiver(signals.post_delete, sender=Unit, dispatch_uid="portal_version_unit_deleted")
@receiver(signals.post_save, sender=RoleAssignment, dispatch_uid="portal_version_role_saved")
@receiver(signals.post_delete, sender=RoleAssignment, dispatch_uid="portal_version_role_deleted")
def _of_agency(sender, instance, **kwargs):
    bump(Q(agency_id=instance.agency_id))


@receiver(signals.post_save, sender=Person, dispatch_uid="portal_version_person_saved")
@receiver(signals.post_delete, sender=Person, dispatch_uid="portal_version_person_deleted")
def _person(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= UNSHOWN_PERSON_FIELDS:
        return
    if instance.agency_id is not None:  # the platform administrator is on no agency's pages
        bump(Q(agency_id=instance.agency_id))


@receiver(signals.post_save, sender=Certificate, dispatch_uid="portal_version_certificate_saved")
@receiver(signals.post_delete, sender=Certificate, dispatch_uid="portal_version_certificate_deleted")
def _certificate(sender, instance, **kwargs):
    bump(Q(agency__people=instance.person_id))


@receiver(signals.m2m_changed, sender=Certificate.fields.through, dispatch_uid="portal_version_cert_fields")
def _certificate_fields(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        bump(Q(agency__people__certificates=instance.pk))
    elif pk_set:
        bump(Q(agency__people__certificates__in=pk_set))
    else:  # a field's certificates cleared: which they were is gone
        bump()


@receiver(signals.post_save, sender=EnforcementField, dispatch_uid="portal_version_field_saved")
@receiver(signals.post_delete, sender=EnforcementField, dispatch_uid="portal_version_field_deleted")
def _field(sender, instance, created=False, **kwargs):
    # Platform data shown by name on every agency's people page; a new field is on no certificate yet.
    if not created:
        bump()
