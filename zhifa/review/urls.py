from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.criteria, name="criteria"),
    path("policy/", views.policy, name="policy"),
    path("cases/<int:case_pk>/submit/", views.submit, name="submit"),
    path("cases/<int:case_pk>/discussion/", views.discussion_new, name="discussion_new"),
    path("discussions/<int:pk>/", views.discussion_detail, name="discussion"),
    path("<int:pk>/", views.submission_detail, name="submission"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/opinion/", views.opinion, name="opinion"),
    path("<int:pk>/opinion.pdf", views.opinion_pdf, name="opinion_pdf"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/coordinate/", views.coordinate, name="coordinate"),
]
