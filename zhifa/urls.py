from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhifa.core import views as core_views
from zhifa.ledger import views as ledger_views
from zhifa.org import forms as org_forms
from zhifa.org import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=org_forms.LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", org_views.password_change, name="password_change"),
    path("org/", include("zhifa.org.urls")),
    path("ledger/", include("zhifa.ledger.urls")),
    path("portal/ledger/", ledger_views.portal, name="portal_ledger"),
    path("workdays/", include("zhifa.workdays.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("records/", include("zhifa.records.urls")),
    path("portal/", include("zhifa.publicity.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("review/", include("zhifa.review.urls")),
    path("remedies/", include("zhifa.remedies.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("api/v1/", include("zhifa.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("jobs/<int:job_id>/", core_views.job, name="job"),
    path("jobs/<int:job_id>/download/", core_views.job_download, name="job_download"),
    path("django-admin/", admin.site.urls),
]
