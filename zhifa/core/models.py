from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A gapless counter per (agency, key, year): case references, document numbers (文号)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key", "year"], name="sequence_unique")]


class Job(models.Model):
    """A piece of background work and its state: an on-demand job someone started (an archive package) or one
    period's run of a periodic job. The queue (Huey) carries only the job's id; this row is the truth about it, so
    a consumer killed in the middle loses nothing (``zhifa.core.queue``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("已跳过")

    kind = models.CharField(_("任务"), max_length=80)
    # periodic runs: the start of the period (ISO); one row per job and period across every consumer
    slot = models.CharField(max_length=40, blank=True, default="")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_kind = models.CharField(max_length=40, blank=True, default="")
    target_id = models.CharField(max_length=40, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True, default="")
    result_file = models.CharField(max_length=500, blank=True, default="")
    result_name = models.CharField(max_length=200, blank=True, default="")
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slot"], condition=~Q(slot=""), name="job_one_run_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["state", "lease_until"], name="job_state_lease"),
            models.Index(fields=["started_by", "-created_at"], name="job_started_by"),
            models.Index(fields=["kind", "-created_at"], name="job_kind_created"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
