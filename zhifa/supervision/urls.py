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
urlpatterns += [
    path("files/<int:pk>/rectify/<slug:code>/", views.new_rectification, name="new_rectification"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/fix/", views.submit_fix, name="submit_fix"),
    path("rectifications/<int:pk>/verify/", views.verify_fix, name="verify_fix"),
    path("rectifications/<int:pk>/file/", views.fix_file, name="fix_file"),
]
urlpatterns += [
    path("rectifications/<int:pk>/accountability/", views.new_accountability, name="new_accountability"),
]
urlpatterns += [path("evaluations/<int:pk>/report.pdf", views.report, name="report")]
urlpatterns += [
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/prepare/", views.prepare_again, name="prepare_inspection"),
    path("inspections/<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("inspections/<int:pk>/sign/", views.sign_inspection, name="sign_inspection"),
    path("inspections/<int:pk>/report.pdf", views.inspection_pdf, name="inspection_pdf"),
    path("inspection-lines/<int:pk>/judge/", views.judge_line, name="judge_line"),
    path(
        "inspection-lines/<int:pk>/rectify/",
        views.new_finding_rectification,
        name="new_finding_rectification",
    ),
]
urlpatterns += [
    path("figures/", views.figures_page, name="figures"),
    path("figures/cases/", views.figure_cases, name="figure_cases"),
]
urlpatterns += [
    path("reports/", views.analysis_reports, name="analysis_reports"),
    path("reports/<int:pk>/", views.analysis_report, name="analysis_report"),
    path("reports/<int:pk>/report.<str:fmt>", views.analysis_report_file, name="analysis_report_file"),
    path("reports/<int:pk>/read/", views.read_analysis_report, name="read_analysis_report"),
]
urlpatterns += [path("rules/", views.weak_point_rules, name="weak_point_rules")]
urlpatterns += [path("export/", views.export_cases, name="export")]
urlpatterns += [
    path("rankings/", views.rankings, name="rankings"),
    path("rankings/<int:pk>/", views.ranking_page, name="ranking"),
]
urlpatterns += [
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard, name="standard"),
    path("standards/<int:pk>/revise/", views.revise_standard, name="revise_standard"),
]
