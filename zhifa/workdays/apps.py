from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "zhifa.workdays"
    label = "workdays"
    verbose_name = _("工作日与期限")

    def ready(self) -> None:
        from . import ledger_kinds

        ledger_kinds.register()
