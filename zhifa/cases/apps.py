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
        from . import simple_views

        if simple_views.case_panel not in views.PANELS:  # 简易程序: 告知, 备案, 当场收缴 on the case page
            views.PANELS.append(simple_views.case_panel)
        from zhifa.workdays import actions as wd_actions

        from . import deadlines

        # the 90-day period is suspended, resumed, extended and met only through the case's own actions
        wd_actions.OWNED_KINDS[("cases.case", deadlines.DECISION)] = _(
            "办案期限由案件办理流程管理：中止、恢复、延长请在案件页面按本机关规则办理，作出决定时自动完成（《行政处罚法》第六十条）。"
        )

        # 备案 and the hand-in of money collected on the spot are met only by their own steps (简易程序)
        wd_actions.OWNED_KINDS[("cases.case", "simple_filing")] = _(
            "备案期限由“当场处罚决定备案”完成（《行政处罚法》第五十二条），请在案件页面办理。"
        )
        wd_actions.OWNED_KINDS[("cases.case", "collection_hand_in")] = _(
            "交款期限由“当场收缴罚款交至机关”完成（《行政处罚法》第七十一条），请在案件页面办理。"
        )

        registry.register_kind(
            "cases.case", label=_("案件"), access=queries.access_case, agency=lambda case: case.agency
        )
        registry.register_kind(
            "cases.party", label=_("当事人"), access=queries.access_party, agency=lambda party: party.agency
        )
        registry.register_actions(
            {
                f"cases.{name}": step.label
                for table in lifecycle.TABLES.values()
                for name, step in table.steps.items()
                if name not in lifecycle.FILE_STEPS
            }
        )
        registry.register_actions(
            {
                "cases.accept_case": _("受理案件"),
                "cases.open_measure": _("报请实施强制措施"),
                "cases.open_requisition": _("登记征用"),
                "cases.open_confirmation": _("受理确认申请"),
                "cases.open_inspection": _("登记行政检查"),
                "cases.register_party": _("登记当事人"),
                "cases.declare_connection": _("申报利害关系"),
                "cases.decide_on_the_spot": _("当场作出行政处罚决定"),
                "cases.set_hearing_policy": _("设置听证较大数额标准"),
                "cases.set_extension_policy": _("设置延长办案期限规则"),
                "cases.executed": _("执行完毕"),
                "cases.record_hearing_record": _("制作听证笔录"),
                "cases.serve_decision_record": _("送达回执"),
                "cases.serve_notice_record": _("告知书送达记录"),
            }
        )
