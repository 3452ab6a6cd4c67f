from django.urls import path

from . import evidence_views, policy, views

app_name = "records"
urlpatterns = [
    path("cases/<int:case_id>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:case_id>/documents/new/", views.generate, name="generate"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.edit, name="edit"),
    path("documents/<int:pk>/sign/", views.sign, name="sign"),
    path("documents/<int:pk>/party-signature/", views.party_signature, name="party_signature"),
    path("documents/<int:pk>/refusal/", views.refusal, name="refusal"),
    path("documents/<int:pk>/scan/", views.scan, name="scan"),
    path("documents/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("documents/<int:pk>/correct/", views.correct, name="correct"),
    path("documents/<int:pk>/discard/", views.discard, name="discard"),
    path("documents/<int:pk>/preview.pdf", views.preview, name="preview"),
    path("documents/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("documents/<int:pk>/verify/", views.verify_document, name="verify_document"),
    path("signatures/<int:pk>/file/", views.signature_file, name="signature_file"),
    path("verify/", views.verify_upload, name="verify"),
    path("cases/<int:case_id>/evidence/new/", evidence_views.upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence_views.evidence_detail, name="evidence"),
    path("evidence/<int:pk>/file", evidence_views.evidence_file, name="evidence_file"),
    path("parties/<int:pk>/records/", evidence_views.party_records, name="party_records"),
    path("cases/<int:case_id>/file/", evidence_views.case_file, name="case_file"),
    path("access-log/", evidence_views.access_log, name="access_log"),
    path("policy/", policy.policy_page, name="policy"),
]
