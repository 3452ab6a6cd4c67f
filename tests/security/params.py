"""How the matrix fills each URL parameter with a real object: declared once, per parameter name, with the
object a ``pk`` (or ``case_pk``…) stands for looked up by the URL name. ``o`` is one agency's objects
(tests/security/world.py); a name whose object that agency does not have is not requested for it (KeyError)."""

from __future__ import annotations

# Which object a URL name's ``pk`` is, by the URL name's prefix (the longest prefix wins). API routes are named
# "<basename>-<action>"; pages "<app>:<name>".
PK_OBJECT = {
    "org:agency_": "agency",
    "org:unit_add": "agency",
    "org:person_": "person",
    "org:role_": "person",
    "org:password_reset": "person",
    "org:certificate_issue": "person",
    "org:certificate_status": "certificate",
    "org:token_revoke": "token",
    "workdays:deadline_": "deadline",
    "catalog:law_": "law",
    "catalog:article_add": "law",
    "catalog:article_amend": "article",
    "catalog:item_": "item",
    "catalog:random_": "random",
    "catalog:av_": "av",
    "catalog:guide_": "guide",
    "catalog:material_add": "guide",
    "catalog:material_": "material",
    "catalog:flowchart_": "flowchart",
    "catalog:complaint_": "complaint",
    "catalog:publication_": "publication",
    "records:": "document",
    "records:signature_file": "signature",
    "records:evidence": "evidence",
    "records:party_records": "party",
    "publicity:material_sample": "material",
    "publicity:decision": "publication",
    "publicity:statistics_": "report",
    "catalog:statistics_": "report",
    "cases:party": "party",
    "cases:detail": "case",
    "cases:action": "case",
    "cases:service_proof": "served_case",
    "review:discussion": "discussion",
    "review:": "submission",
    "review:opinion_pdf": "opinion",
    "case-simple_procedure": "on_the_spot_case",
    "remedies:": "proceeding",
    "remedies:document": "proceeding_document",
    "supervision:evaluation": "evaluation",
    "supervision:draw": "evaluation",
    "supervision:file": "evaluation_file",
    "supervision:answer": "evaluation_file",
    "supervision:confirm": "evaluation_file",
    "supervision:finish": "evaluation_file",
    "supervision:new_rectification": "evaluation_file",
    "supervision:rectification": "rectification",
    "supervision:submit_fix": "rectification",
    "supervision:verify_fix": "rectification",
    "supervision:fix_file": "rectification",
    "supervision:new_accountability": "rectification",
    "supervision:report": "evaluation",
    "supervision:inspection": "inspection",
    "supervision:analysis_report": "analysis_report",
    "supervision:ranking": "ranking",
    "supervision:standard": "standard",
    "inspections:target_": "target",
    "inspections:plan": "plan",
    "inspections:draw": "plan",
    "inspections:drawn": "drawn",
    "inspections:recheck": "rechecked",
    "inspections:replace": "drawn",
    "publicity:inspection_plan": "plan",
    "supervision:revise_standard": "standard",
    "supervision:read_analysis_report": "analysis_report",
    "supervision:prepare_inspection": "inspection",
    "supervision:add_finding": "inspection",
    "supervision:sign_inspection": "inspection",
    "supervision:judge_line": "inspection_line",
    "supervision:new_finding_rectification": "inspection_line",
    "agency-": "agency",
    "person-": "person",
    "certificate-": "certificate",
    "deadline-": "deadline",
    "reminder-": "reminder",
    "public-decision-": "publication",
    "case-": "case",
    "case-service_proof": "served_case",
    "party-": "party",
    "hearing-policy-": "agency",
    "review-": "submission",
    "review-policy-": "agency",
    "review-criteria-": "agency",
    "discussion-": "discussion",
    "remedy-": "proceeding",
    "catalog-law-": "law",
    "catalog-item-": "item",
    "catalog-version-": "version",
    "complaint-": "complaint",
    "document-": "document",
    "evidence-": "evidence",
    "evidence-upload-": "upload",
    "records-policy-": "agency",
    "publication-policy-": "agency",
    "job-": "job",
}

# Which case a ``case_pk`` / ``case_id`` is: the main case (under investigation) unless the view needs another stage.
CASE_OBJECT = {
    "review:submit": "reviewed_case",
    "review:discussion_new": "reviewed_case",
    "remedies:new": "served_case",
    "remedy-standing": "served_case",
}

# Which object a ``code`` is.
CODE = {
    "ledger": lambda o: o.agency.code,
    "workdays:kind": lambda o: o.kind.code,
    "deadline-kind": lambda o: o.kind.code,
    "publicity:item_detail": lambda o: o.item.code,
    "publicity:guide_detail": lambda o: o.guide.code,
    "publicity:flowchart_svg": lambda o: o.flowchart.code,
    "supervision:new_rectification": lambda o: "cover",  # a failed item not yet made a rectification
}


def _by_prefix(table: dict, key: str, default=None):
    best = max((p for p in table if key.startswith(p)), key=len, default=None)
    return table[best] if best is not None else default


def _pk(key: str, o):
    return getattr(o, _by_prefix(PK_OBJECT, key)).pk


PARAMS = {
    "pk": _pk,
    "agency": lambda key, o: o.agency.pk,
    "agency_pk": lambda key, o: o.agency.pk,
    "parent_pk": lambda key, o: o.agency.pk,
    "job_id": lambda key, o: o.job.pk,
    "case_id": lambda key, o: getattr(o, CASE_OBJECT.get(key, "case")).pk,
    "case_pk": lambda key, o: getattr(o, CASE_OBJECT.get(key, "case")).pk,
    "code": lambda key, o: _by_prefix(CODE, key)(o),
    "assignment_pk": lambda key, o: o.assignment.pk,
    "service_pk": lambda key, o: o.service.pk,
    "attachment": lambda key, o: o.attachment.pk,
    "number": lambda key, o: o.certificate.number if key == "publicity:certificate_qr" else o.version.number,
    "kind": lambda key, o: "cases.party" if key == "ledger:history" else o.version.kind,
    "object_id": lambda key, o: str(o.party.pk) if key == "ledger:history" else str(o.case.pk),
    "table": lambda key, o: "items",
    "fmt": lambda key, o: "pdf" if key in ("records:download", "supervision:analysis_report_file") else "csv",
    "slug": lambda key, o: "items",
    "year": lambda key, o: 2026,
    "seq": lambda key, o: o.entry_seq,
    "action": lambda key, o: "add_record" if key == "cases:action" else "suspend",
    "what": lambda key, o: "suspend",
    # The Django admin's object pages: the first row of the model the name is about.
    "object_id:admin": None,
    "content_type_id": None,
}


def fill(route, o) -> dict | None:
    """The kwargs to reverse ``route`` with, from agency objects ``o``; None when the pattern cannot be reversed
    by name (the admin's catch-all) or ``o`` lacks the object it needs."""
    kwargs = {}
    for name in route.params:
        if route.key.startswith("admin:") or route.route.startswith("django-admin/"):
            value = _admin_param(route, name, o)
        else:
            value = PARAMS[name](route.key, o)
        if value is None:
            return None
        kwargs[name] = value
    return kwargs


def _admin_param(route, name, o):
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    if name == "app_label":
        return "org"
    if name == "object_id":
        for model in admin.site._registry:
            label = f"{model._meta.app_label}_{model._meta.model_name}_"
            if route.key.startswith(f"admin:{label}"):
                row = model._base_manager.filter(**_agency_filter(model, o)).order_by("pk").first()
                return str(row.pk) if row else None
        return None
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(o.agency).pk)
    return None


def _agency_filter(model, o) -> dict:
    names = {f.name for f in model._meta.get_fields()}
    if model._meta.label_lower == "org.agency":
        return {"pk": o.agency.pk}
    return {"agency": o.agency} if "agency" in names else {}
