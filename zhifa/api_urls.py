"""/api/v1/: one router; each app registers its viewsets here."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from zhifa.cases import api as cases_api
from zhifa.cases import policy_views as cases_policy_views
from zhifa.cases import time_limits as cases_time_limits
from zhifa.catalog import api as catalog_api
from zhifa.core import jobs_api
from zhifa.core.api_schema import SchemaView
from zhifa.ledger import api as ledger_api
from zhifa.org import api as org_api
from zhifa.publicity import api as publicity_api
from zhifa.publicity import decisions_api
from zhifa.publicity import policy as publication_policy
from zhifa.records import api as records_api
from zhifa.records import evidence_api
from zhifa.records import policy as records_policy
from zhifa.remedies import api as remedies_api
from zhifa.review import api as review_api
from zhifa.supervision import api as supervision_api
from zhifa.workdays import api as workdays_api

router = DefaultRouter()
router.register("agencies", org_api.AgencyViewSet, basename="agency")
router.register("jobs", jobs_api.JobViewSet, basename="job")
router.register("people", org_api.PersonViewSet, basename="person")
router.register("certificates", org_api.CertificateViewSet, basename="certificate")
router.register("ledger/logs", ledger_api.PublicLogViewSet, basename="ledger-log")
router.register("ledger/entries", ledger_api.AuditEntryViewSet, basename="ledger-entry")
router.register("calendar", workdays_api.CalendarViewSet, basename="calendar")
router.register("deadline-kinds", workdays_api.DeadlineKindViewSet, basename="deadline-kind")
router.register("deadlines", workdays_api.DeadlineViewSet, basename="deadline")
router.register("reminders", workdays_api.ReminderViewSet, basename="reminder")
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("supervision/case-files", supervision_api.CaseFileViewSet, basename="supervision-case-file")
router.register("parties", cases_api.PartyViewSet, basename="party")
router.register("hearing-policy", cases_policy_views.HearingPolicyViewSet, basename="hearing-policy")
router.register("reviews", review_api.SubmissionViewSet, basename="review")
router.register("discussions", review_api.DiscussionViewSet, basename="discussion")
router.register("review-policy", review_api.ReviewPolicyViewSet, basename="review-policy")
router.register("review-criteria", review_api.CriterionViewSet, basename="review-criteria")
router.register("remedies", remedies_api.ProceedingViewSet, basename="remedy")
router.register("catalog/laws", catalog_api.LawViewSet, basename="catalog-law")
router.register("catalog/items", catalog_api.ItemViewSet, basename="catalog-item")
router.register("catalog/versions", catalog_api.VersionViewSet, basename="catalog-version")
router.register("complaints", publicity_api.ComplaintViewSet, basename="complaint")
router.register("decisions", decisions_api.PublicDecisionViewSet, basename="public-decision")
router.register("documents", records_api.DocumentViewSet, basename="document")
router.register("document-kinds", records_api.DocumentKindViewSet, basename="document-kind")
router.register("evidence", evidence_api.EvidenceViewSet, basename="evidence")
router.register("evidence-uploads", evidence_api.UploadViewSet, basename="evidence-upload")
router.register("access-log", evidence_api.AccessLogViewSet, basename="access-log")
router.register("records-policy", records_policy.RecordsPolicyViewSet, basename="records-policy")
router.register(
    "publication-policy", publication_policy.PublicationPolicyViewSet, basename="publication-policy"
)

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script as a file (no inline script); the page's own <style> block and
    # Swagger UI's generated styles need inline styles, allowed on this page only (Content-Security-Policy).
    path(
        "docs",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api_docs",
    ),
    path(
        "extension-policy/<int:agency_pk>/",
        cases_time_limits.extension_policy_api,
        name="extension_policy",
    ),
    path("", include(router.urls)),
]
