"""The public portal. These paths are a contract (docs/portal.md); /portal/ledger/ belongs to the ledger."""

from django.urls import path

from zhifa.inspections import portal as inspection_portal

from . import decision_views, views
from .feeds import DecisionsFeed, ListChangesFeed

app_name = "publicity"
urlpatterns = [
    path("", views.home, name="home"),
    path("decisions/", decision_views.decisions, name="decisions"),
    path("decisions/feed.atom", DecisionsFeed(), name="decisions_feed"),
    path("decisions/export.<str:fmt>", decision_views.decisions_export, name="decisions_export"),
    path("decisions/<int:pk>/", decision_views.decision, name="decision"),
    path("decisions/<int:pk>/public.pdf", decision_views.decision_pdf, name="decision_pdf"),
    path("statistics/", decision_views.statistics_list, name="statistics"),
    path("statistics/<int:pk>/", decision_views.statistics_detail, name="statistics_detail"),
    path("statistics/<int:pk>.csv", decision_views.statistics_csv, name="statistics_csv"),
    path("decisions/<int:pk>/proof.json", decision_views.decision_proof, name="decision_proof"),
    path("inspection-plans/", inspection_portal.plans, name="inspection_plans"),
    path("inspection-plans/<int:pk>/", inspection_portal.plan, name="inspection_plan"),
    # Before the item and guide pages, whose codes would otherwise swallow "versions".
    path("<str:slug>/versions/", views.versions, name="versions"),
    path("<str:slug>/export.<str:fmt>", views.export, name="export"),
    path("agency/", views.agency_page, name="agency"),
    path("people/", views.people, name="people"),
    path("items/", views.items, name="items"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("random-inspection-items/", views.random_items, name="random_inspection_items"),
    path("av-items/", views.av_items, name="av_items"),
    path("guides/", views.guides, name="guides"),
    path("guides/<str:code>/", views.guide_detail, name="guide_detail"),
    path("materials/<int:pk>/sample/", views.material_sample, name="material_sample"),
    path("flowcharts/", views.flowcharts, name="flowcharts"),
    path("flowcharts/<str:code>.svg", views.flowchart_svg, name="flowchart_svg"),
    path("posts/", views.posts, name="posts"),
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/<str:number>/qr.svg", views.certificate_qr, name="certificate_qr"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/status/", views.complaint_status, name="complaint_status"),
    path("feed.atom", ListChangesFeed(), name="feed"),
]
