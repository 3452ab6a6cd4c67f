from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    label = "records"
    verbose_name = _("文书与执法记录")

    def ready(self) -> None:
        from zhifa.cases import actions as case_actions

        from . import evidence, ledger_kinds

        ledger_kinds.register()
        if evidence.check_recording not in case_actions.RECORD_CHECKS:
            case_actions.RECORD_CHECKS.append(evidence.check_recording)
