from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("targets/", views.targets, name="targets"),
    path("targets/new/", views.target_form, name="target_new"),
    path("targets/<int:pk>/", views.target_form, name="target_edit"),
    path("targets/<int:pk>/retire/", views.retire_target, name="target_retire"),
    path("targets/import/", views.import_targets, name="target_import"),
    path("policy/", views.policy, name="policy"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.new_plan, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/draw/", views.draw, name="draw"),
    path("drawn/<int:pk>/", views.drawn, name="drawn"),
    path("drawn/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("drawn/<int:pk>/replace/", views.replace, name="replace"),
]
