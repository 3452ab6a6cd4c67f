from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.audit_index, name="audit_index"),
    path("audit/<slug:code>/", views.audit_log, name="audit_log"),
    path("audit/<slug:code>/entries/<int:seq>/", views.entry_detail, name="entry_detail"),
    path("audit/<slug:code>/verify/", views.verify_now, name="verify_now"),
    path("audit/<slug:code>/checkpoint/", views.checkpoint_now, name="checkpoint_now"),
    path("history/<str:kind>/<str:object_id>/", views.history, name="history"),
    path("public/<slug:code>/checkpoint", views.public_checkpoint, name="public_checkpoint"),
    path("public/<slug:code>/key", views.public_key, name="public_key"),
]
