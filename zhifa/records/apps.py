from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    label = "records"
    verbose_name = _("文书与执法记录")

    def ready(self) -> None:
        from . import ledger_kinds

        ledger_kinds.register()
