from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = _("法制审核")

    def ready(self):
        from zhifa.cases import actions as case_actions
        from zhifa.ledger import registry

        from . import gate, queries
        from .queries import brief_part

        if gate.decision_gate not in case_actions.DECISION_GATES:
            case_actions.DECISION_GATES.append(gate.decision_gate)
        from zhifa.cases import views as case_views

        from .views import case_panel

        if case_panel not in case_views.PANELS:
            case_views.PANELS.append(case_panel)
        if brief_part not in case_actions.BRIEF_PARTS:
            case_actions.BRIEF_PARTS.append(brief_part)
        registry.register_kind(
            "review.submission",
            label=_("法制审核送审"),
            access=queries.access_submission,
            agency=lambda s: s.case.agency,
        )
        registry.register_kind(
            "review.discussion",
            label=_("集体讨论"),
            access=queries.access_discussion,
            agency=lambda d: d.case.agency,
        )
        registry.register_actions(
            {
                "review.submit": _("提交法制审核"),
                "review.assign": _("指派审核人员"),
                "review.give_opinion": _("出具法制审核意见"),
                "review.withdraw": _("撤回送审"),
                "review.escalate": _("提请协调"),
                "review.coordinate": _("协调决定"),
                "review.open_discussion": _("启动集体讨论"),
                "review.record_opinion": _("记录讨论意见"),
                "review.conclude_discussion": _("集体讨论结论"),
                "review.issue_discussion_record": _("制作集体讨论记录"),
                "review.set_criterion": _("修改审核事项清单"),
                "review.set_policy": _("修改法制审核设置"),
            }
        )
