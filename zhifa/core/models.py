from django.db import models


class Sequence(models.Model):
    """A gapless counter per (agency, key, year): case references, document numbers (文号)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key", "year"], name="sequence_unique")]
