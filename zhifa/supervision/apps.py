from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = _("执法监督")

    def ready(self):
        from zhifa.ledger import registry
        from zhifa.workdays import actions as wd_actions

        from . import queries

        registry.register_kind(
            "supervision.evaluation",
            label=_("案卷评查"),
            access=queries.access_evaluation,
            agency=lambda e: e.agency,
        )
        registry.register_kind(
            "supervision.evaluationfile",
            label=_("评查案卷"),
            access=queries.access_file,
            agency=lambda f: f.evaluation.agency,
        )
        registry.register_kind(
            "supervision.rectification",
            label=_("整改"),
            access=queries.access_rectification,
            agency=lambda r: r.agency,
        )
        registry.register_kind(
            "supervision.accountability",
            label=_("问责"),
            access=queries.access_accountability,
            agency=lambda a: a.agency,
        )
        registry.register_kind(
            "supervision.inspection",
            label=_("网上巡查"),
            access=queries.access_inspection,
            agency=lambda i: i.agency,
        )
        registry.register_kind(
            "supervision.inspectionline",
            label=_("巡查记录"),
            access=queries.access_line,
            agency=lambda ln: ln.inspection.agency,
        )
        registry.register_unrecorded(
            "supervision.tally", _("统计汇总表：由已记入账本的记录按月计算，每日重新计算，没有独立的业务含义")
        )
        registry.register_unrecorded("supervision.figurebuild", _("统计汇总表的计算时间"))
        registry.register_kind(
            "supervision.analysisreport",
            label=_("执法数据分析报告"),
            access=queries.access_report,
            agency=lambda r: r.agency,
        )
        registry.register_kind(
            "supervision.reportreading",
            label=_("报告阅读记录"),
            access=queries.access_reading,
            agency=lambda r: r.report.agency,
        )
        registry.register_kind("supervision.weakpointrule", label=_("薄弱环节规则"), agency=lambda r: None)
        registry.register_platform_data("supervision.weakpointrule", rows=lambda qs: qs.all())
        registry.register_kind("supervision.indicator", label=_("考核指标"), agency=lambda i: None)
        registry.register_platform_data("supervision.indicator", rows=lambda qs: qs.all())
        registry.register_kind(
            "supervision.ranking",
            label=_("考核排名"),
            access=queries.access_ranking,
            agency=lambda r: r.body,
        )
        registry.register_kind("supervision.standard", label=_("评查标准"), agency=lambda s: s.agency)
        registry.register_kind(
            "supervision.standarditem", label=_("评查项目"), agency=lambda i: i.standard.agency
        )
        # The platform's default 评查标准 (seeded by migration 0002): platform data every agency's log begins with.
        registry.register_platform_data(
            "supervision.standard", rows=lambda qs: qs.filter(agency__isnull=True)
        )
        registry.register_platform_data(
            "supervision.standarditem", rows=lambda qs: qs.filter(standard__agency__isnull=True)
        )
        registry.register_actions(
            {
                "supervision.create_evaluation": _("组织案卷评查"),
                "supervision.close_frame": _("封存抽样框"),
                "supervision.reveal_seed": _("公开随机种子并抽样"),
                "supervision.assign_file": _("分配评查案卷"),
                "supervision.answer_item": _("评查一项"),
                "supervision.confirm_prefilled": _("确认平台判断"),
                "supervision.finish_file": _("评定案卷"),
                "supervision.finish_evaluation": _("完成案卷评查"),
                "supervision.open_rectification": _("提出整改"),
                "supervision.submit_fix": _("报送整改情况"),
                "supervision.verify_fix": _("核验整改"),
                "supervision.record_accountability": _("登记问责"),
                "supervision.prepare_inspection": _("生成网上巡查"),
                "supervision.add_finding": _("添加巡查发现的问题"),
                "supervision.judge_line": _("判断巡查记录"),
                "supervision.sign_inspection": _("签发网上巡查报告"),
                "supervision.request_analysis_report": _("生成执法数据分析报告"),
                "supervision.fill_analysis_report": _("执法数据分析报告已生成"),
                "supervision.read_analysis_report": _("阅读执法数据分析报告"),
                "supervision.set_weak_point_rule": _("修改薄弱环节规则"),
                "supervision.publish_ranking": _("公布考核排名"),
                "supervision.set_indicator": _("修改考核指标"),
                "supervision.revise_standard": _("修订评查标准"),
            }
        )
        wd_actions.OWNED_KINDS[("supervision.rectification", "rectification")] = _(
            "整改期限由整改流程管理：报送整改情况时完成，退回重新整改时重新计算，请在整改页面办理。"
        )
