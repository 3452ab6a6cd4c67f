"""Staff pages of the catalog and of the portal's complaints (the public portal itself is at /portal/)."""

from django.urls import path

from zhifa.publicity import policy as publication_policy
from zhifa.publicity import staff_views

from . import views

app_name = "catalog"
A = "<int:agency>/"
urlpatterns = [
    path("", views.home, name="home"),
    path(A, views.agency_home, name="agency_home"),
    path(A + "laws/", views.law_list, name="law_list"),
    path(A + "laws/new/", views.law_create, name="law_create"),
    path(A + "laws/<int:pk>/", views.law_detail, name="law_detail"),
    path(A + "laws/<int:pk>/edit/", views.law_edit, name="law_edit"),
    path(A + "laws/<int:pk>/status/", views.law_status, name="law_status"),
    path(A + "laws/<int:pk>/articles/new/", views.article_add, name="article_add"),
    path(A + "articles/<int:pk>/amend/", views.article_amend, name="article_amend"),
    path(A + "items/", views.item_list, name="item_list"),
    path(A + "items/new/", views.item_create, name="item_create"),
    path(A + "items/<int:pk>/", views.item_detail, name="item_detail"),
    path(A + "items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path(A + "items/<int:pk>/benchmarks/", views.item_benchmarks, name="item_benchmarks"),
    path(A + "items/<int:pk>/retire/", views.item_retire, name="item_retire"),
    path(A + "items/<int:pk>/confirm/", views.item_confirm, name="item_confirm"),
    path(A + "random/", views.random_list, name="random_list"),
    path(A + "random/new/", views.random_edit, name="random_create"),
    path(A + "random/<int:pk>/edit/", views.random_edit, name="random_edit"),
    path(A + "random/<int:pk>/retire/", views.random_retire, name="random_retire"),
    path(A + "random/<int:pk>/confirm/", views.random_confirm, name="random_confirm"),
    path(A + "av/", views.av_list, name="av_list"),
    path(A + "av/new/", views.av_edit, name="av_create"),
    path(A + "av/<int:pk>/edit/", views.av_edit, name="av_edit"),
    path(A + "av/<int:pk>/retire/", views.av_retire, name="av_retire"),
    path(A + "guides/", views.guide_list, name="guide_list"),
    path(A + "guides/new/", views.guide_edit, name="guide_create"),
    path(A + "guides/<int:pk>/", views.guide_detail, name="guide_detail"),
    path(A + "guides/<int:pk>/edit/", views.guide_edit, name="guide_edit"),
    path(A + "guides/<int:pk>/retire/", views.guide_retire, name="guide_retire"),
    path(A + "guides/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path(A + "materials/<int:pk>/retire/", views.material_retire, name="material_retire"),
    path(A + "materials/<int:pk>/download/", views.material_download, name="material_download"),
    path(A + "flowcharts/", views.flowchart_list, name="flowchart_list"),
    path(A + "flowcharts/new/", views.flowchart_edit, name="flowchart_create"),
    path(A + "flowcharts/<int:pk>/", views.flowchart_detail, name="flowchart_detail"),
    path(A + "flowcharts/<int:pk>/edit/", views.flowchart_edit, name="flowchart_edit"),
    path(A + "flowcharts/<int:pk>/retire/", views.flowchart_retire, name="flowchart_retire"),
    path(A + "<str:kind>/versions/", views.version_list, name="version_list"),
    path(A + "<str:kind>/versions/<int:number>/", views.version_detail, name="version_detail"),
    path(A + "<str:kind>/publish/", views.publish, name="publish"),
    path(A + "<str:table>/import/", views.import_table, name="import"),
    path(A + "<str:table>/export.<str:fmt>", views.export, name="export"),
    path("complaints/", staff_views.complaint_list, name="complaints"),
    path("publications/", staff_views.publication_list, name="publications"),
    path("publications/policy/", publication_policy.policy_page, name="publication_policy"),
    path("statistics/", staff_views.statistics_list, name="statistics"),
    path("statistics/<int:pk>/", staff_views.statistics_detail, name="statistics_detail"),
    path("publications/<int:pk>/", staff_views.publication_detail, name="publication_detail"),
    path("complaints/<int:pk>/", staff_views.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<int:pk>/attachments/<int:attachment>/",
        staff_views.attachment,
        name="complaint_attachment",
    ),
]
