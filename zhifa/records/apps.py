from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    label = "records"
    verbose_name = _("文书与执法记录")

    def ready(self) -> None:
        from zhifa.cases import actions as case_actions

        from . import decision_draft, evidence, ledger_kinds

        ledger_kinds.register()
        if decision_draft.decision_gate not in case_actions.DECISION_GATES:
            case_actions.DECISION_GATES.append(decision_draft.decision_gate)
        if decision_draft.bind not in case_actions.DECIDE_PARTS:
            case_actions.DECIDE_PARTS.append(decision_draft.bind)
        if evidence.check_recording not in case_actions.RECORD_CHECKS:
            case_actions.RECORD_CHECKS.append(evidence.check_recording)
        if evidence.require_recording not in case_actions.RECORDING_CHECKS:
            case_actions.RECORDING_CHECKS.append(evidence.require_recording)
