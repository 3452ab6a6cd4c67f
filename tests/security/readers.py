"""Who may open each URL of the project (GET), and who may act on it (POST/PUT/PATCH/DELETE) where that differs:
the one declaration tests/security/test_access_matrix.py holds every view to. Keys are URL names ("app:name" for
pages, "<basename>-<action>" for the API router's routes); an unnamed pattern (the Django admin's) is keyed by its
route. Principals are symbolic (tests/security/world.py):

    public              anonymous
    officer_a_on_case   an officer of agency A who handles the case the URL is about
    officer_a_off_case  an officer of agency A who does not
    head_a              agency A's head (负责人)
    reviewer_a          agency A's legal reviewer (法制审核人员)
    sysadmin_a / secadmin_a / auditor_a   agency A's system, security and audit administrators (三员)
    supervisor_a        the justice bureau's supervisor of agency A (监督人员)
    officer_b           agency B's officer (the objects in the URL are agency A's)
    platform_admin      the platform administrator (superuser)

Objects in the URL are agency A's (a second pass fills them with agency B's and checks that none of A's principals
gets in). A new view: add its name here with the principals who may open it — the matrix fails until you do.
"""

from __future__ import annotations

from .world import PRINCIPALS

EVERYONE = frozenset(PRINCIPALS)
SIGNED_IN = EVERYONE - {"public"}
# Who reads agency A's cases and everything in them (cases.queries.CASE_READER_ROLES): its officers, head, legal
# reviewers and its supervisor; not the 三员, not the platform administrator, not another agency.
CASE_READERS = frozenset({"officer_a_on_case", "officer_a_off_case", "head_a", "reviewer_a", "supervisor_a"})
OFFICERS_A = frozenset({"officer_a_on_case", "officer_a_off_case"})
# Who acts on the case: its officers and the head (the second officer on the case is not a principal here).
CASE_HANDLERS = frozenset({"officer_a_on_case", "head_a"})
# Agency A's settings (hearing thresholds, extension rule, review and records policy): the case readers and the
# system administrator, who alone changes them.
SETTINGS_READERS = CASE_READERS | {"sysadmin_a"}
# Agency A's catalog (laws, enforcement items, guides…) as edited (pages under /catalog/<agency>/): the staff
# who use it and the platform administrator; the security and audit administrators have no business there.
CATALOG_READERS = CASE_READERS | {"sysadmin_a", "platform_admin"}
CATALOG_EDITORS = frozenset({"sysadmin_a", "platform_admin"})
NOBODY: frozenset[str] = frozenset()
# Every agency's staff for pages about their own agency (lists filtered to what each may see).
STAFF = SIGNED_IN - {"platform_admin"}

# The steps of a case through the API, one route each (cases.forms.SPECS and the lifecycle's own).
CASE_STEPS = (
    "add_record",
    "apply_court_enforcement",
    "approve_deferral",
    "approve_filing",
    "archive_case",
    "assign_officers",
    "close_case",
    "close_investigation",
    "collect_on_the_spot",
    "decide",
    "decide_recusal",
    "extend",
    "file_simple_decision",
    "hand_in_collection",
    "issue_notice",
    "late_hearing_request",
    "record_execution",
    "record_failed_service",
    "record_hearing",
    "record_payment",
    "record_statement",
    "refuse_filing",
    "reopen_investigation",
    "request_extension",
    "request_filing",
    "request_hearing",
    "resume",
    "revoke_filing",
    "schedule_hearing",
    "serve_decision",
    "serve_demand",
    "suspend",
    "terminate",
    "update_draft",
    "waive_hearing",
    "waive_statement",
    # the 行政强制措施's steps (lifecycle.COMPULSION_STEPS)
    "approve_measure",
    "refuse_measure",
    "carry_out_measure",
    "ratify_measure",
    "extend_measure",
    "release_measure",
    "dispose_measure",
    "open_penalty_case",
    # the 行政征用's (lifecycle.REQUISITION_STEPS)
    "decide_requisition",
    "refuse_requisition",
    "return_requisition",
    "compensate_requisition",
    # the 行政确认's (lifecycle.CONFIRMATION_STEPS)
    "examine_confirmation",
    "decide_confirmation",
    "serve_confirmation",
    # the 行政检查's outside a plan (lifecycle.INSPECTION_STEPS)
    "record_inspection",
    "pass_inspection",
    "order_correction",
    "record_correction",
)

READERS: dict[str, frozenset[str]] = {
    # Signing in and out; the start page; one's own password and API tokens; health checks.
    "home": SIGNED_IN,
    "login": EVERYONE,
    "logout": NOBODY,  # POST only
    "password_change": SIGNED_IN,
    "org:tokens": SIGNED_IN,
    "org:token_revoke": NOBODY,  # POST only, one's own tokens
    "healthz": EVERYONE,
    "readyz": EVERYONE,
    "set_language": EVERYONE,
    # A background job (an archive package export): its page, file and state, to the person who started it.
    "job": frozenset({"officer_a_on_case"}),
    "job_download": frozenset({"officer_a_on_case"}),
    # Organisation.
    "org:agency_list": SIGNED_IN - {"auditor_a"},
    "org:agency_create": frozenset({"platform_admin"}),
    "org:agency_detail": SIGNED_IN - {"auditor_a", "officer_b", "public"},
    "org:agency_edit": CATALOG_EDITORS,
    "org:agency_create_child": CATALOG_EDITORS,
    "org:unit_add": CATALOG_EDITORS,
    "org:person_create": frozenset({"secadmin_a", "platform_admin"}),
    "org:person_list": SIGNED_IN - {"auditor_a"},
    "org:person_detail": SIGNED_IN - {"auditor_a", "officer_b"},
    "org:person_edit": frozenset({"secadmin_a", "platform_admin"}),
    "org:role_grant": NOBODY,  # POST only (the form is on the person page)
    "org:role_remove": NOBODY,
    "org:person_active": NOBODY,
    "org:password_reset": frozenset({"secadmin_a", "platform_admin"}),
    "org:certificate_issue": CATALOG_EDITORS,
    "org:certificate_status": NOBODY,
    "org:auth_events": frozenset({"auditor_a"}),
    # The ledger: the audit views are the audit administrator's and the supervisor's (Part A keeps business and
    # personal data out of them); an object's history is for who reads the object; the public log is public.
    "ledger:audit_index": frozenset({"auditor_a", "supervisor_a"}),
    "ledger:audit_log": frozenset({"auditor_a", "supervisor_a"}),
    "ledger:entry_detail": frozenset({"auditor_a", "supervisor_a"}),
    "ledger:verify_now": NOBODY,  # POST only
    "ledger:checkpoint_now": NOBODY,
    "ledger:history": CASE_READERS | {"auditor_a"},
    "ledger:public_checkpoint": EVERYONE,
    "ledger:public_key": EVERYONE,
    "portal_ledger": EVERYONE,
    # The working-day calendar (platform data: read by everyone signed in, kept by the platform administrator)
    # and deadlines (who reads the case).
    "workdays:calendar": SIGNED_IN,
    "workdays:calendar_year": SIGNED_IN,
    "workdays:year_edit": frozenset({"platform_admin"}),
    "workdays:year_import": frozenset({"platform_admin"}),
    "workdays:kinds": SIGNED_IN,
    "workdays:kind_edit": frozenset({"platform_admin"}),
    "workdays:kind_agency": CATALOG_EDITORS,
    "workdays:deadlines": SIGNED_IN,
    "workdays:deadline_detail": CASE_READERS | {"platform_admin"},
    "workdays:deadline_change": NOBODY,  # POST only
    # One's own reminders (everyone signed in has a list, maybe empty); marking read: POST only, one's own.
    "workdays:reminders": SIGNED_IN,
    "workdays:reminders_read": NOBODY,
    # The catalog as its editors see it.
    "catalog:home": STAFF - {"auditor_a", "secadmin_a", "public"} | {"platform_admin"},
    "catalog:agency_home": CATALOG_READERS,
    "catalog:law_list": CATALOG_READERS,
    "catalog:law_create": CATALOG_EDITORS,
    "catalog:law_detail": CATALOG_READERS,
    "catalog:law_edit": CATALOG_EDITORS,
    "catalog:law_status": CATALOG_EDITORS,
    "catalog:article_add": CATALOG_EDITORS,
    "catalog:article_amend": CATALOG_EDITORS,
    "catalog:item_list": CATALOG_READERS,
    "catalog:item_create": CATALOG_EDITORS,
    "catalog:item_detail": CATALOG_READERS,
    "catalog:item_edit": CATALOG_EDITORS,
    "catalog:item_benchmarks": CATALOG_EDITORS,
    "catalog:item_retire": NOBODY,  # POST only
    "catalog:item_confirm": NOBODY,
    "catalog:random_list": CATALOG_READERS,
    "catalog:random_create": CATALOG_EDITORS,
    "catalog:random_edit": CATALOG_EDITORS,
    "catalog:random_retire": NOBODY,
    "catalog:random_confirm": NOBODY,
    "catalog:av_list": CATALOG_READERS,
    "catalog:av_create": CATALOG_EDITORS,
    "catalog:av_edit": CATALOG_EDITORS,
    "catalog:av_retire": NOBODY,
    "catalog:guide_list": CATALOG_READERS,
    "catalog:guide_create": CATALOG_EDITORS,
    "catalog:guide_detail": CATALOG_READERS,
    "catalog:guide_edit": CATALOG_EDITORS,
    "catalog:guide_retire": NOBODY,
    "catalog:material_add": CATALOG_EDITORS,
    "catalog:material_retire": NOBODY,
    "catalog:material_download": CATALOG_READERS,
    "catalog:flowchart_list": CATALOG_READERS,
    "catalog:flowchart_create": CATALOG_EDITORS,
    "catalog:flowchart_detail": CATALOG_READERS,
    "catalog:flowchart_edit": CATALOG_EDITORS,
    "catalog:flowchart_retire": NOBODY,
    "catalog:version_list": CATALOG_READERS,
    "catalog:version_detail": CATALOG_READERS,
    "catalog:publish": CATALOG_EDITORS,
    "catalog:import": CATALOG_EDITORS,
    "catalog:export": CATALOG_READERS,
    # Complaints from the portal (the complainant's name and phone): the agency's officers and head and its
    # supervisor (not the platform administrator); the list is filtered to one's agencies.
    "catalog:complaints": OFFICERS_A | {"head_a", "supervisor_a", "officer_b"},
    "catalog:publications": CASE_READERS | {"officer_b"},
    "catalog:publication_detail": CASE_READERS,
    "catalog:complaint_detail": OFFICERS_A | {"head_a", "supervisor_a"},
    "catalog:complaint_attachment": OFFICERS_A | {"head_a", "supervisor_a"},
    # Documents and evidence: who reads the case; who handles it acts.
    "records:case_documents": CASE_READERS,
    "records:generate": NOBODY,  # POST only
    "records:document": CASE_READERS,
    "records:edit": NOBODY,
    "records:sign": NOBODY,
    "records:party_signature": CASE_HANDLERS,
    "records:refusal": NOBODY,
    "records:scan": NOBODY,
    "records:finalise": NOBODY,
    "records:correct": NOBODY,
    "records:discard": NOBODY,
    "records:preview": CASE_READERS,
    "records:download": CASE_READERS,
    "records:verify_document": CASE_READERS,
    "records:signature_file": CASE_READERS,
    "records:verify": SIGNED_IN,
    "records:evidence_upload": CASE_HANDLERS,
    "records:evidence": CASE_READERS,
    "records:evidence_file": CASE_READERS,
    "records:party_records": CASE_READERS,
    "records:case_file": CASE_READERS,
    "records:access_log": frozenset({"head_a", "supervisor_a"}),
    "records:policy": STAFF - {"secadmin_a", "auditor_a"},
    "catalog:publication_policy": STAFF - {"secadmin_a", "auditor_a"},
    "catalog:statistics": CASE_READERS | {"officer_b"},
    "catalog:statistics_detail": CASE_READERS,
    # The public portal.
    "publicity:home": EVERYONE,
    "publicity:versions": EVERYONE,
    "publicity:export": EVERYONE,
    "publicity:agency": EVERYONE,
    "publicity:people": EVERYONE,
    "publicity:items": EVERYONE,
    "publicity:item_detail": EVERYONE,
    "publicity:random_inspection_items": EVERYONE,
    "publicity:av_items": EVERYONE,
    "publicity:guides": EVERYONE,
    "publicity:guide_detail": EVERYONE,
    "publicity:material_sample": EVERYONE,
    "publicity:flowcharts": EVERYONE,
    "publicity:flowchart_svg": EVERYONE,
    "publicity:posts": EVERYONE,
    "publicity:verify": EVERYONE,
    "publicity:certificate_qr": EVERYONE,
    "publicity:complaint_new": EVERYONE,
    "publicity:complaint_status": EVERYONE,
    "publicity:feed": EVERYONE,
    "publicity:decisions": EVERYONE,
    "publicity:decisions_export": EVERYONE,
    "publicity:decisions_feed": EVERYONE,
    # The world's publication is 待编辑: not on the portal for anyone, staff included (a published one is opened by
    # everyone in tests/publicity/test_decisions.py).
    "publicity:decision": NOBODY,
    "publicity:decision_proof": NOBODY,
    "publicity:decision_pdf": NOBODY,
    "publicity:statistics": EVERYONE,
    # The world's report is a draft: on the portal for nobody.
    "publicity:statistics_detail": NOBODY,
    "publicity:statistics_csv": NOBODY,
    # Cases.
    "cases:list": STAFF - {"sysadmin_a", "secadmin_a", "auditor_a"},
    "cases:create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:on_the_spot": OFFICERS_A | {"officer_b"},
    "cases:measure_create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:requisition_create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:confirmation_create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:inspection_create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:party_create": OFFICERS_A | {"head_a", "officer_b"},
    "cases:party": CASE_READERS,
    "cases:party_connection": OFFICERS_A
    | {"head_a", "reviewer_a"},  # 本机关人员 declare their own connection
    "cases:hearing_policy": STAFF - {"secadmin_a", "auditor_a"},
    "cases:extension_policy": SETTINGS_READERS,
    "cases:service_proof": CASE_READERS,
    "cases:detail": CASE_READERS,
    "cases:action": CASE_HANDLERS,
    # Legal review and collective discussion.
    "review:home": STAFF - {"secadmin_a", "auditor_a"},
    "review:criteria": STAFF - {"secadmin_a", "auditor_a"},
    "review:policy": STAFF - {"secadmin_a", "auditor_a"},
    "review:submit": CASE_HANDLERS,
    "review:discussion_new": frozenset({"head_a"}),
    "review:discussion": CASE_READERS,
    "review:submission": CASE_READERS,
    "review:assign": NOBODY,  # POST only
    "review:opinion": frozenset({"reviewer_a"}),  # the assigned reviewer
    "review:opinion_pdf": CASE_READERS,
    "review:withdraw": NOBODY,
    "review:escalate": NOBODY,
    "review:coordinate": NOBODY,
    # Reconsideration and litigation.
    "remedies:home": STAFF - {"sysadmin_a", "secadmin_a", "auditor_a"},
    "remedies:new": CASE_HANDLERS,
    "remedies:detail": CASE_READERS,
    "remedies:accept": NOBODY,  # POST only
    "remedies:outcome": NOBODY,
    "remedies:upload": NOBODY,
    "remedies:document": CASE_READERS,
    # 案卷评查: the supervisors of the agency (its files: the supervisor it was given to, and who supervises it)
    "supervision:home": frozenset({"supervisor_a"}),
    "supervision:new_evaluation": frozenset({"supervisor_a"}),
    "supervision:evaluation": frozenset({"supervisor_a"}),
    "supervision:file": frozenset({"supervisor_a"}),
    "supervision:draw": NOBODY,  # POST only
    "supervision:answer": NOBODY,
    "supervision:confirm": NOBODY,
    "supervision:finish": NOBODY,
    # 整改: the agency's heads, the task's owner and the supervisors (the list: who has any; the form: supervisors)
    "supervision:rectifications": frozenset({"supervisor_a", "head_a", "officer_a_on_case"}),
    "supervision:rectification": frozenset({"supervisor_a", "head_a", "officer_a_on_case"}),
    "supervision:fix_file": frozenset({"supervisor_a", "head_a", "officer_a_on_case"}),
    "supervision:new_rectification": frozenset({"supervisor_a"}),
    "supervision:new_accountability": frozenset({"supervisor_a"}),
    "supervision:report": frozenset({"supervisor_a"}),
    "supervision:submit_fix": NOBODY,
    "supervision:verify_fix": NOBODY,
    # 网上巡查: the agency's supervisors; its heads read the signed ones.
    "supervision:inspections": frozenset({"supervisor_a", "head_a"}),
    "supervision:inspection": frozenset({"supervisor_a", "head_a"}),
    "supervision:inspection_pdf": frozenset({"supervisor_a", "head_a"}),
    "supervision:new_finding_rectification": frozenset({"supervisor_a"}),
    "supervision:prepare_inspection": NOBODY,  # POST only
    "supervision:add_finding": NOBODY,
    "supervision:sign_inspection": NOBODY,
    "supervision:judge_line": NOBODY,
    # 执法统计: the agencies' supervisors and heads (the cases behind a number: the same).
    "supervision:figures": frozenset({"supervisor_a", "head_a"}),
    "supervision:figure_cases": frozenset({"supervisor_a", "head_a"}),
    # 执法数据分析报告: the agency's supervisors and heads; a head records reading it; the rules: also the platform
    # administrator, who alone changes them.
    "supervision:analysis_reports": frozenset({"supervisor_a", "head_a"}),
    "supervision:analysis_report": frozenset({"supervisor_a", "head_a"}),
    "supervision:analysis_report_file": frozenset({"supervisor_a", "head_a"}),
    "supervision:read_analysis_report": NOBODY,  # POST only
    "supervision:weak_point_rules": frozenset({"supervisor_a", "head_a", "platform_admin"}),
    # 评查标准: read by supervisors, heads and the platform administrator; revised by the platform administrator (the
    # platform's) and by supervisors (their body's own, made from any)
    "supervision:standards": frozenset({"supervisor_a", "head_a", "platform_admin"}),
    "supervision:standard": frozenset({"supervisor_a", "head_a", "platform_admin"}),
    "supervision:revise_standard": frozenset({"supervisor_a", "platform_admin"}),
    # 双随机一公开: agency A's staff who inspect or direct inspections and its supervisor read the pool and the plans
    # (another agency's officer sees their own agency's lists); the system administrator keeps the pool and the
    # 抽查细则, the head plans and draws; the portal publishes the plans and their draws to everyone.
    "inspections:targets": SETTINGS_READERS | {"officer_b"},
    "inspections:target_new": frozenset({"sysadmin_a"}),
    "inspections:target_edit": frozenset({"sysadmin_a"}),
    "inspections:target_import": frozenset({"sysadmin_a"}),
    "inspections:target_retire": NOBODY,  # POST only
    "inspections:policy": SETTINGS_READERS | {"officer_b"},
    "inspections:plans": SETTINGS_READERS | {"officer_b"},
    "inspections:plan_new": frozenset({"head_a"}),
    "inspections:plan": SETTINGS_READERS,
    "inspections:draw": NOBODY,  # POST only
    "inspections:drawn": SETTINGS_READERS,
    "inspections:recheck": NOBODY,  # POST only
    "inspections:replace": NOBODY,  # POST only
    "publicity:inspection_plans": EVERYONE,
    "publicity:inspection_plan": EVERYONE,
    # 考核: the supervisors publish; the heads of the agencies ranked read.
    "supervision:rankings": frozenset({"supervisor_a", "head_a"}),
    "supervision:ranking": frozenset({"supervisor_a", "head_a"}),
    # For the supervising 司法局: the export package and the API, the agency's supervisors only.
    "supervision:export": frozenset({"supervisor_a"}),
    "supervision-case-file-list": frozenset({"supervisor_a"}),
    # The API (/api/v1/): lists answer every signed-in principal with what each may see (the personal-data check
    # holds them to it); objects as the pages.
    "schema": EVERYONE,
    "api_docs": EVERYONE,
    "api-root": SIGNED_IN,
    "extension_policy": SETTINGS_READERS,
    "agency-list": SIGNED_IN,
    "job-list": SIGNED_IN,  # one's own jobs
    "job-detail": frozenset({"officer_a_on_case"}),
    "agency-detail": SIGNED_IN - {"auditor_a", "officer_b"},
    "person-list": SIGNED_IN,
    "person-detail": SIGNED_IN - {"auditor_a", "officer_b"},
    "certificate-list": SIGNED_IN,
    "certificate-detail": SIGNED_IN - {"auditor_a", "officer_b"},
    "certificate-reinstate": NOBODY,  # POST only
    "certificate-revoke": NOBODY,
    "certificate-suspend": NOBODY,
    "ledger-log-list": EVERYONE,
    "ledger-log-detail": EVERYONE,
    "ledger-log-checkpoints": EVERYONE,
    "ledger-log-consistency-proof": EVERYONE,
    "ledger-log-inclusion-proof": EVERYONE,
    "ledger-log-leaves": EVERYONE,
    "ledger-entry-list": frozenset({"auditor_a", "supervisor_a"}),
    "calendar-list": SIGNED_IN,
    "calendar-add": SIGNED_IN,
    "calendar-between": SIGNED_IN,
    "calendar-detail": SIGNED_IN,
    "deadline-kind-list": SIGNED_IN,
    "deadline-kind-detail": SIGNED_IN,
    "deadline-kind-due": SIGNED_IN,
    "deadline-list": SIGNED_IN,
    "deadline-detail": CASE_READERS | {"platform_admin"},
    "deadline-extend": NOBODY,  # POST only
    "deadline-meet": NOBODY,
    "deadline-resume": NOBODY,
    "deadline-suspend": NOBODY,
    "reminder-list": SIGNED_IN,
    # The public API of published decisions (the world's publication is not released: not found for anyone).
    "public-decision-list": EVERYONE,
    "public-decision-detail": NOBODY,
    "reminder-detail": frozenset({"head_a"}),  # the world's reminder is agency A's head's
    "reminder-read": NOBODY,  # POST only
    "case-list": SIGNED_IN,
    "case-on_the_spot": NOBODY,  # POST only
    "case-measures": NOBODY,  # POST only
    "case-requisitions": NOBODY,  # POST only
    "case-confirmations": NOBODY,  # POST only
    "case-inspections": NOBODY,  # POST only
    "case-simple_filing_period": SETTINGS_READERS | {"platform_admin"},
    "case-detail": CASE_READERS,
    "case-decision-brief": CASE_READERS,
    "case-records": CASE_READERS,
    "case-recusals": CASE_READERS,
    "case-services": CASE_READERS,
    "case-service_proof": CASE_READERS,
    "case-time_limits": CASE_READERS,
    "case-simple_procedure": CASE_READERS,
    # The steps of a case (POST only; who may take each is the case's rules: see ACTORS).
    **dict.fromkeys((f"case-{step}" for step in CASE_STEPS), NOBODY),
    "party-list": SIGNED_IN,
    "party-detail": CASE_READERS,
    "party-declare_connection": NOBODY,  # POST only
    "hearing-policy-list": SIGNED_IN,
    "hearing-policy-detail": SETTINGS_READERS,
    "review-list": SIGNED_IN,
    "review-detail": CASE_READERS,
    "review-assign": NOBODY,  # POST only
    "review-coordinate": NOBODY,
    "review-escalate": NOBODY,
    "review-opinion": NOBODY,
    "review-withdraw": NOBODY,
    "discussion-list": SIGNED_IN,
    "discussion-detail": CASE_READERS,
    "discussion-conclude": NOBODY,  # POST only
    "discussion-record-opinion": NOBODY,
    "review-policy-list": SIGNED_IN,
    "review-policy-detail": SETTINGS_READERS,
    "review-criteria-list": SIGNED_IN,
    "review-criteria-detail": NOBODY,  # PUT only
    "remedy-list": SIGNED_IN,
    "remedy-standing": CASE_READERS,
    "remedy-detail": CASE_READERS,
    "remedy-accept": NOBODY,  # POST only
    "remedy-documents": NOBODY,
    "remedy-outcome": NOBODY,
    "catalog-law-list": SIGNED_IN,
    "catalog-law-detail": CATALOG_READERS,
    "catalog-item-list": SIGNED_IN,
    "catalog-item-detail": CATALOG_READERS,
    "catalog-version-list": SIGNED_IN,
    "catalog-version-detail": CATALOG_READERS,
    "complaint-list": SIGNED_IN,
    "complaint-detail": OFFICERS_A | {"head_a", "supervisor_a"},
    "complaint-handle": NOBODY,  # POST only
    "document-list": SIGNED_IN,
    "document-detail": CASE_READERS,
    "document-correct": NOBODY,  # POST only
    "document-discard": NOBODY,
    "document-docx": CASE_READERS,
    "document-edit": NOBODY,
    "document-finalise": NOBODY,
    "document-party-signature": NOBODY,
    "document-pdf": CASE_READERS,
    "document-refusal": NOBODY,
    "document-scan": NOBODY,
    "document-sign": NOBODY,
    "document-verify": CASE_READERS,
    "document-kind-list": SIGNED_IN,
    "evidence-list": SIGNED_IN,
    "evidence-detail": CASE_READERS,
    "evidence-file": CASE_READERS,
    "evidence-upload-list": NOBODY,  # POST only
    "evidence-upload-detail": frozenset({"officer_a_on_case"}),  # the upload's own sender
    "evidence-upload-complete": NOBODY,
    "access-log-list": frozenset({"head_a", "supervisor_a"}),
    "records-policy-list": SIGNED_IN,
    "records-policy-detail": SETTINGS_READERS,
    "publication-policy-list": SIGNED_IN,
    "publication-policy-detail": SETTINGS_READERS,
}

# Who may send unsafe methods (POST/PUT/PATCH/DELETE) where it is not who may GET. The matrix posts an empty body
# as everyone else and requires a refusal that changes nothing. Routes nobody may GET must be listed here.
CASE_ACTS = {
    # POST-only steps on a case, its documents, evidence, review, remedies, deadlines.
    **dict.fromkeys(
        [
            "records:generate",
            "records:edit",
            "records:sign",
            "records:refusal",
            "records:scan",
            "records:finalise",
            "records:correct",
            "records:discard",
            "review:assign",
            "review:withdraw",
            "review:escalate",
            "review:coordinate",
            "remedies:accept",
            "remedies:outcome",
            "remedies:upload",
            "workdays:deadline_change",
            "deadline-extend",
            "deadline-meet",
            "deadline-resume",
            "deadline-suspend",
            "review-assign",
            "review-coordinate",
            "review-escalate",
            "review-opinion",
            "review-withdraw",
            "discussion-conclude",
            "discussion-record-opinion",
            "remedy-accept",
            "remedy-documents",
            "remedy-outcome",
            "document-correct",
            "document-discard",
            "document-edit",
            "document-finalise",
            "document-party-signature",
            "document-refusal",
            "document-scan",
            "document-sign",
            "evidence-upload-list",
            "evidence-upload-complete",
            "evidence-upload-detail",
            "case-on_the_spot",
            "case-measures",
            "case-requisitions",
            "case-confirmations",
            "case-inspections",
            "party-declare_connection",
            "complaint-handle",
            *(f"case-{step}" for step in CASE_STEPS),
        ],
        CASE_HANDLERS | {"reviewer_a"},
    ),
}
ACTORS: dict[str, frozenset[str]] = {
    **{k: frozenset(v) for k, v in CASE_ACTS.items()},
    # Signing out and the language switch: anyone; the public forms: anyone.
    "logout": EVERYONE,
    "org:token_revoke": SIGNED_IN,
    # Marking one's own reminders read (nobody can mark another's: tests/workdays/test_reminders.py).
    "workdays:reminders_read": SIGNED_IN,
    "reminder-read": SIGNED_IN,
    # 事后公开: the case's side submits, the legal reviewer or head releases (the view refuses the rest).
    # 生成 (the head and the legal reviewers); 发布 (the head; an empty form publishes a generated draft).
    "catalog:statistics": frozenset({"head_a", "reviewer_a"}),
    "catalog:statistics_detail": frozenset({"head_a"}),
    "publicity:statistics_detail": NOBODY,
    "publicity:statistics_csv": NOBODY,
    # The portal's decision pages answer GET only (405 to a POST); the world's publication is not public anyway.
    "publicity:decision": NOBODY,
    "publicity:decision_proof": NOBODY,
    "publicity:decision_pdf": NOBODY,
    "catalog:publication_detail": OFFICERS_A | {"head_a", "reviewer_a"},
    # Account administration: the security administrator (roles, activation); certificates: the system
    # administrator; the platform administrator in each.
    "org:role_grant": frozenset({"secadmin_a", "platform_admin"}),
    "org:role_remove": frozenset({"secadmin_a", "platform_admin"}),
    "org:person_active": frozenset({"secadmin_a", "platform_admin"}),
    "org:certificate_status": CATALOG_EDITORS,
    "certificate-reinstate": CATALOG_EDITORS,
    "certificate-revoke": CATALOG_EDITORS,
    "certificate-suspend": CATALOG_EDITORS,
    "certificate-list": CATALOG_EDITORS,
    # 案卷评查: its organiser draws, the evaluator scores (the views refuse the rest).
    **dict.fromkeys(
        [
            "supervision:new_evaluation",
            "supervision:draw",
            "supervision:answer",
            "supervision:confirm",
            "supervision:finish",
            "supervision:new_rectification",
            "supervision:new_accountability",
            "supervision:verify_fix",
            "supervision:inspections",
            "supervision:export",
            "supervision:rankings",
            "supervision:prepare_inspection",
            "supervision:add_finding",
            "supervision:sign_inspection",
            "supervision:judge_line",
            "supervision:new_finding_rectification",
        ],
        frozenset({"supervisor_a"}),
    ),
    "supervision:submit_fix": frozenset({"officer_a_on_case", "head_a"}),
    "supervision:analysis_reports": frozenset({"supervisor_a", "head_a"}),
    "supervision:read_analysis_report": frozenset({"head_a"}),
    "supervision:weak_point_rules": frozenset({"platform_admin"}),
    "inspections:target_retire": frozenset({"sysadmin_a"}),
    "inspections:policy": frozenset({"sysadmin_a"}),
    "inspections:draw": frozenset({"head_a"}),
    "inspections:drawn": frozenset({"officer_a_on_case"}),  # a drawn inspector records the result
    "inspections:recheck": frozenset({"officer_a_on_case"}),  # and the 复查
    "inspections:replace": frozenset({"head_a"}),  # the head approves a replacement
    # Ledger operations: the audit administrator and the supervisor.
    "ledger:verify_now": frozenset({"auditor_a", "supervisor_a"}),
    "ledger:checkpoint_now": frozenset({"auditor_a", "supervisor_a"}),
    # Catalog retire/confirm buttons: its editors.
    **dict.fromkeys(
        [
            "catalog:item_retire",
            "catalog:item_confirm",
            "catalog:random_retire",
            "catalog:random_confirm",
            "catalog:av_retire",
            "catalog:guide_retire",
            "catalog:material_retire",
            "catalog:flowchart_retire",
        ],
        CATALOG_EDITORS,
    ),
    # Settings through the API: agency A's system administrator.
    "review-criteria-detail": frozenset({"sysadmin_a"}),
    "review-policy-detail": frozenset({"sysadmin_a"}),
    "hearing-policy-detail": frozenset({"sysadmin_a"}),
    "records-policy-detail": frozenset({"sysadmin_a"}),
    "publication-policy-detail": frozenset({"sysadmin_a"}),
    "case-simple_filing_period": frozenset({"sysadmin_a"}),
    "extension_policy": frozenset({"sysadmin_a"}),
    # Creating cases, parties, submissions, discussions, documents, remedies through the API: agency staff.
    **dict.fromkeys(
        ["case-list", "party-list", "review-list", "discussion-list", "remedy-list", "document-list"],
        OFFICERS_A | {"head_a", "officer_b"},
    ),
}


# The Django admin (/django-admin/) is generated from its registrations (zhifa/*/admin.py) and is read-only: its
# pages are the platform administrator's (is_staff), adding and deleting is refused to everyone; its login page
# is public. Declared as a rule on the route name so that a new registration is held to it.
ADMIN_RULES = (  # (suffix of the URL name, readers), first match wins
    ("_add", NOBODY),
    ("_delete", NOBODY),
    ("_changelist", frozenset({"platform_admin"})),
    ("_change", frozenset({"platform_admin"})),
    ("_history", frozenset({"platform_admin"})),
)
ADMIN = {
    "admin:index": frozenset({"platform_admin"}),
    "admin:app_list": frozenset({"platform_admin"}),
    "admin:login": EVERYONE,
    "admin:logout": EVERYONE - {"platform_admin"},  # signs out (a GET answers 405 to a signed-in admin)
    "admin:password_change": frozenset({"platform_admin"}),  # their own password
    "admin:password_change_done": frozenset({"platform_admin"}),
    # Django's own Group model, registered by django.contrib.auth (unused by the platform): editable.
    "admin:auth_group_add": frozenset({"platform_admin"}),
    "admin:auth_group_delete": frozenset({"platform_admin"}),
    "admin:autocomplete": NOBODY,
    "admin:jsi18n": frozenset({"platform_admin"}),
    "admin:view_on_site": NOBODY,
    # Unnamed: the old-style object URL (redirects to the change page) and the catch-all.
    "django-admin/(?P<url>.*)$": frozenset({"platform_admin"}),
}


def readers_of(key: str) -> frozenset[str] | None:
    """The declared readers of a URL name (None: not declared)."""
    if key in READERS:
        return READERS[key]
    if key in ADMIN:
        return ADMIN[key]
    if key.startswith("admin:"):
        return next((r for suffix, r in ADMIN_RULES if key.endswith(suffix)), None)
    if key.startswith("django-admin/") and key.endswith("/<path:object_id>/"):
        return frozenset({"platform_admin"})
    return None


def actors_of(key: str) -> frozenset[str]:
    """Who may send unsafe methods: ACTORS, else the readers."""
    if key.startswith(("admin:", "django-admin/")):
        return readers_of(key) or NOBODY
    return ACTORS.get(key, readers_of(key) or NOBODY)


def unknown_principals() -> set[str]:
    used = set().union(*READERS.values(), *ACTORS.values(), *ADMIN.values())
    return used - EVERYONE
