"""The records app's object kinds and action names, registered with the ledger (see ledger.registry)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from zhifa.ledger import registry

    from . import queries

    registry.register_kind(
        "records.document",
        label=_("执法文书"),
        access=queries.access_document,
        agency=lambda doc: doc.agency,
        volatile=("fixity_checked_at", "fixity_ok"),
    )
    registry.register_kind(
        "records.documentsignature",
        label=_("文书签名"),
        access=queries.access_signature,
        agency=lambda sig: sig.document.agency,
    )
    registry.register_kind(
        "records.evidence",
        label=_("证据"),
        access=queries.access_evidence,
        agency=lambda ev: ev.agency,
        volatile=("fixity_checked_at", "fixity_ok"),
    )
    registry.register_unrecorded(
        "records.evidenceupload",
        _("上传中的文件分片进度；上传完成、校验哈希后生成的证据才是执法记录，连同哈希记入账本"),
    )
    registry.register_actions(
        {
            "records.add_evidence": _("登记证据"),
            "records.attach_evidence": _("音像记录关联调查记录"),
            "records.fixity_check": _("存储文件完整性校验"),
            "records.access_refused": _("拒绝调阅涉密记录"),
            "records.archive_case": _("案卷归档"),
            "records.set_records_policy": _("设置案卷与执法记录"),
            "records.generate_document": _("生成文书草稿"),
            "records.edit_draft": _("修改文书草稿"),
            "records.discard_draft": _("作废文书草稿"),
            "records.sign_document": _("执法人员签名"),
            "records.capture_party_signature": _("当事人手写签名"),
            "records.attach_signed_scan": _("上传签字文书扫描件"),
            "records.record_refusal": _("记录当事人拒绝签名"),
            "records.finalise_document": _("文书定稿"),
            "records.correct_document": _("更正文书"),
        }
    )
