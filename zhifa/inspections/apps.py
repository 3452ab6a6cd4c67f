from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = _("行政检查")

    def ready(self):
        from zhifa.ledger import registry
        from zhifa.workdays import actions as wd_actions

        from . import queries

        registry.register_kind(
            "inspections.target", label=_("检查对象"), access=queries.access_target, agency=lambda t: t.agency
        )
        registry.register_kind("inspections.drawpolicy", label=_("抽查细则"), agency=lambda p: p.agency)
        registry.register_kind(
            "inspections.plan",
            label=_("双随机抽查计划"),
            access=queries.access_plan,
            agency=lambda p: p.agency,
        )
        registry.register_kind(
            "inspections.drawn",
            label=_("抽中的检查对象"),
            access=queries.access_drawn,
            agency=lambda d: d.plan.agency,
        )
        registry.register_kind(
            "inspections.result",
            label=_("检查结果"),
            access=lambda user, pk: queries.access_result(user, pk),
            agency=lambda r: r.drawn.plan.agency,
        )
        wd_actions.OWNED_KINDS[("inspections.result", "inspection_recheck")] = _(
            "复查期限由检查结果管理：在检查对象的页面记录复查结果时完成。"
        )
        registry.register_actions(
            {
                "inspections.save_target": _("登记检查对象"),
                "inspections.retire_target": _("移出检查对象名录库"),
                "inspections.import_target": _("导入检查对象"),
                "inspections.set_draw_policy": _("修改抽查细则"),
                "inspections.create_plan": _("制定双随机抽查计划"),
                "inspections.close_pools": _("封存名录库"),
                "inspections.reveal_seed": _("公开随机种子并抽取"),
                "inspections.record_result": _("记录检查结果"),
                "inspections.record_recheck": _("记录复查结果"),
                "inspections.replace_inspector": _("变更检查人员"),
            }
        )
