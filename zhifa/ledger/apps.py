from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    label = "ledger"
    verbose_name = _("执法记录账本")

    def ready(self) -> None:
        # The org app came before the ledger; its kinds are registered here. Later apps register their own.
        from . import org_kinds, tracking

        org_kinds.register()
        tracking.connect_signals()
