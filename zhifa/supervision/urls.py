from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("evaluations/new/", views.new_evaluation, name="new_evaluation"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/draw/", views.draw, name="draw"),
    path("files/<int:pk>/", views.file, name="file"),
    path("files/<int:pk>/answer/", views.answer, name="answer"),
    path("files/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("files/<int:pk>/finish/", views.finish, name="finish"),
]
