from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("<int:year>/", views.calendar_view, name="calendar_year"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
    path("<int:year>/import/", views.year_import, name="year_import"),
    path("kinds/", views.kind_list, name="kinds"),
    path("kinds/<slug:code>/edit/", views.kind_edit, name="kind_edit"),
    path("kinds/<slug:code>/agencies/<int:agency_pk>/", views.kind_agency, name="kind_agency"),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("deadlines/<int:pk>/<str:what>/", views.deadline_change, name="deadline_change"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("reminders/read/", views.reminders_read, name="reminders_read"),
]
