from django.urls import path

from . import policy_views, recusal_views, service_views, simple_views, time_limits, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("new/measure/", views.measure_create, name="measure_create"),
    path("new/requisition/", views.requisition_create, name="requisition_create"),
    path("new/confirmation/", views.confirmation_create, name="confirmation_create"),
    path("new/inspection/", views.inspection_create, name="inspection_create"),
    path("on-the-spot/", simple_views.on_the_spot, name="on_the_spot"),
    path("parties/new/", views.party_create, name="party_create"),
    path("parties/<int:pk>/", views.party_detail, name="party"),
    path("parties/<int:pk>/connection/", recusal_views.party_connection, name="party_connection"),
    path("hearing-policy/", policy_views.hearing_policy, name="hearing_policy"),
    path("agencies/<int:agency_pk>/extension-policy/", time_limits.extension_policy, name="extension_policy"),
    path("<int:pk>/services/<int:service_pk>/proof/", service_views.service_proof, name="service_proof"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.case_action, name="action"),
]
