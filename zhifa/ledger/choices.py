from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyAlgorithm(models.TextChoices):
    ED25519 = "ed25519", _("Ed25519")
    SM2 = "sm2", _("SM2（国密）")
