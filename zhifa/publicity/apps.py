from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    label = "publicity"
    verbose_name = _("行政执法公示")

    def ready(self):
        from zhifa.ledger import registry

        from . import queries

        registry.register_kind(
            "publicity.complaint",
            label=_("投诉举报"),
            access=queries.access_complaint,
            agency=lambda c: c.agency,
        )
        registry.register_kind(
            "publicity.complaintattachment",
            label=_("投诉举报附件"),
            access=queries.access_by_complaint("attachments"),
            agency=lambda a: a.complaint.agency,
        )
        registry.register_kind(
            "publicity.complaintevent",
            label=_("投诉举报办理记录"),
            access=queries.access_by_complaint("events"),
            agency=lambda e: e.complaint.agency,
        )
        registry.register_actions(
            {
                "publicity.submit_complaint": _("提交投诉举报"),
                "publicity.attach_complaint_file": _("上传投诉举报附件"),
                "publicity.complaint_event": _("投诉举报办理记录"),
                "publicity.handle_complaint": _("办理投诉举报"),
                "publicity.open_publication": _("决定作出，建立公开记录"),
                "publicity.submit_publication": _("提交公开文本审核"),
                "publicity.release_publication": _("批准公开决定"),
                "publicity.revise_publication": _("修改公开文本的去除项"),
                "publicity.withdrawal_due": _("决定被变更或撤销，须撤回公开"),
                "publicity.not_published": _("决定不予公开"),
                "publicity.withdraw_publication": _("撤回已公开的决定"),
                "publicity.take_offline": _("公开期满，决定下线"),
                "publicity.set_publication_policy": _("设置决定公开"),
                "publicity.open_annual_report": _("建立年度统计"),
                "publicity.generate_annual_report": _("生成年度统计"),
                "publicity.publish_annual_report": _("发布年度统计"),
            }
        )
        registry.register_kind(
            "publicity.annualreport",
            label=_("年度统计"),
            access=queries.access_annual_report,
            agency=lambda r: r.agency,
        )
        registry.register_kind(
            "publicity.publication",
            label=_("决定公开"),
            access=queries.access_publication,
            agency=lambda p: p.agency,
            # the filter words, derived from the recorded summary (a search index; filled for rows released before
            # migration 0010 introduced the column)
            volatile=("facets",),
        )
        from zhifa.cases import actions as case_actions

        from . import publication

        if publication.open_for_decision not in case_actions.DECIDED_HOOKS:
            case_actions.DECIDED_HOOKS.append(publication.open_for_decision)
        from django.db.models.signals import post_migrate

        from . import search

        post_migrate.connect(search.ensure_index, sender=self, dispatch_uid="publicity-search-index")
        from zhifa.remedies import actions as remedy_actions

        if publication.decision_changed not in remedy_actions.OUTCOME_HOOKS:
            remedy_actions.OUTCOME_HOOKS.append(publication.decision_changed)
