from django.urls import path

from . import views

app_name = "remedies"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:case_pk>/new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/documents/", views.upload, name="upload"),
    path("documents/<int:pk>/", views.document, name="document"),
]
