from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "zhifa.remedies"
    label = "remedies"
    verbose_name = _("复议诉讼")

    def ready(self):
        from zhifa.cases import views as case_views
        from zhifa.ledger import registry

        from . import queries
        from .views import case_panel

        if case_panel not in case_views.PANELS:
            case_views.PANELS.append(case_panel)
        case_views.STEP_PAGES.setdefault("record_remedy", ("remedies:new", "remedies"))
        from zhifa.cases.actions import execution

        if queries.enforcement_gate not in execution.ENFORCEMENT_GATES:
            execution.ENFORCEMENT_GATES.append(queries.enforcement_gate)
        registry.register_kind(
            "remedies.proceeding",
            label=_("复议诉讼"),
            access=queries.access_proceeding,
            agency=lambda p: p.agency,
        )
        registry.register_kind(
            "remedies.proceedingdocument",
            label=_("复议诉讼文书"),
            access=queries.access_document,
            agency=lambda d: d.proceeding.agency,
        )
        registry.register_actions(
            {
                "remedies.record_proceeding": _("登记复议诉讼"),
                "remedies.record_acceptance": _("登记复议诉讼受理"),
                "remedies.record_outcome": _("登记复议诉讼结果"),
                "remedies.decision_changed": _("决定经复议诉讼被变更或撤销"),
                "remedies.add_document": _("上传复议诉讼文书"),
            }
        )
