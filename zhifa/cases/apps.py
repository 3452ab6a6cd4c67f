from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = _("案件")

    def ready(self):
        from zhifa.ledger import registry

        from . import lifecycle, queries, recusal_views, views

        if recusal_views.case_panel not in views.PANELS:  # 回避 panel on the case page
            views.PANELS.append(recusal_views.case_panel)
        from . import time_limits

        if time_limits.case_panel not in views.PANELS:  # time limits (arts. 36, 60) on the case page
            views.PANELS.append(time_limits.case_panel)

        registry.register_kind(
            "cases.case", label=_("案件"), access=queries.access_case, agency=lambda case: case.agency
        )
        registry.register_kind(
            "cases.party", label=_("当事人"), access=queries.access_party, agency=lambda party: party.agency
        )
        registry.register_actions(
            {
                f"cases.{name}": step.label
                for name, step in lifecycle.STEPS.items()
                if name not in lifecycle.FILE_STEPS
            }
        )
        registry.register_actions(
            {
                "cases.accept_case": _("受理案件"),
                "cases.register_party": _("登记当事人"),
                "cases.declare_connection": _("申报利害关系"),
                "cases.decide_on_the_spot": _("当场作出行政处罚决定"),
                "cases.set_hearing_policy": _("设置听证较大数额标准"),
                "cases.set_extension_policy": _("设置延长办案期限规则"),
                "cases.executed": _("执行完毕"),
                "cases.record_hearing_record": _("制作听证笔录"),
                "cases.serve_decision_record": _("送达回执"),
            }
        )
