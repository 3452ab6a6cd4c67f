from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = _("执法事项目录")

    def ready(self):
        from zhifa.ledger import registry

        from . import queries

        kinds = {
            "catalog.law": (_("法律法规"), lambda o: o.agency),
            "catalog.article": (_("条文"), lambda o: o.law.agency),
            "catalog.enforcementitem": (_("执法事项"), lambda o: o.agency),
            "catalog.benchmarktier": (_("裁量基准"), lambda o: o.item.agency),
            "catalog.randominspectionitem": (_("随机抽查事项"), lambda o: o.agency),
            "catalog.avrecordingitem": (_("音像记录事项"), lambda o: o.agency),
            "catalog.flowchart": (_("执法流程图"), lambda o: o.agency),
            "catalog.flowstep": (_("流程步骤"), lambda o: o.chart.agency),
            "catalog.flowarrow": (_("流程连线"), lambda o: o.chart.agency),
            "catalog.serviceguide": (_("执法服务指南"), lambda o: o.agency),
            "catalog.guidematerial": (_("申请材料"), lambda o: o.guide.agency),
            "catalog.listversion": (_("清单版本"), lambda o: o.agency),
        }
        for name, (label, agency) in kinds.items():
            registry.register_kind(name, label=label, access=queries.access_by_kind(name), agency=agency)
        registry.register_actions(
            {
                "catalog.create_law": _("添加法律法规"),
                "catalog.update_law": _("修改法律法规信息"),
                "catalog.set_law_status": _("变更法律法规状态"),
                "catalog.add_article": _("添加条文"),
                "catalog.supersede_article": _("条文被新版本取代"),
                "catalog.amend_article": _("修改条文"),
                "catalog.flag_basis_changed": _("标记依据已变更"),
                "catalog.create_item": _("添加执法事项"),
                "catalog.update_item": _("修改执法事项"),
                "catalog.retire_item": _("停用执法事项"),
                "catalog.set_benchmark": _("设置裁量基准"),
                "catalog.set_benchmarks": _("更新执法事项的裁量基准"),
                "catalog.remove_benchmark": _("删除裁量基准档次"),
                "catalog.confirm_item_basis": _("核对执法事项依据"),
                "catalog.confirm_random_basis": _("核对随机抽查事项依据"),
                "catalog.create_random_item": _("添加随机抽查事项"),
                "catalog.update_random_item": _("修改随机抽查事项"),
                "catalog.retire_random_item": _("停用随机抽查事项"),
                "catalog.create_av_item": _("添加音像记录事项"),
                "catalog.update_av_item": _("修改音像记录事项"),
                "catalog.retire_av_item": _("停用音像记录事项"),
                "catalog.create_flowchart": _("添加执法流程图"),
                "catalog.update_flowchart": _("修改执法流程图"),
                "catalog.retire_flowchart": _("停用执法流程图"),
                "catalog.add_flow_step": _("添加流程步骤"),
                "catalog.remove_flow_step": _("删除流程步骤"),
                "catalog.add_flow_arrow": _("添加流程连线"),
                "catalog.remove_flow_arrow": _("删除流程连线"),
                "catalog.create_guide": _("添加执法服务指南"),
                "catalog.update_guide": _("修改执法服务指南"),
                "catalog.retire_guide": _("停用执法服务指南"),
                "catalog.save_guide_material": _("修改申请材料"),
                "catalog.add_guide_material": _("添加申请材料"),
                "catalog.retire_guide_material": _("移除申请材料"),
                "catalog.publish_list": _("发布清单新版本"),
                "catalog.import_table": _("导入清单"),
            }
        )
