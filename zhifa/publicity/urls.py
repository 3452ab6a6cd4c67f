"""The public portal. These paths are a contract (docs/portal.md); /portal/ledger/ belongs to the ledger."""

from django.urls import path

from . import views
from .feeds import ListChangesFeed

app_name = "publicity"
urlpatterns = [
    path("", views.home, name="home"),
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
