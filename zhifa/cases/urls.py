from django.urls import path

from . import recusal_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("parties/new/", views.party_create, name="party_create"),
    path("parties/<int:pk>/", views.party_detail, name="party"),
    path("parties/<int:pk>/connection/", recusal_views.party_connection, name="party_connection"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.case_action, name="action"),
]
