"""/quality-of-life/ pages (see qol_survey/urls.py): the respondent's, with no account (ADR 0037).
The link and code paths are the ones qol_survey.services.tokens prints in messages and letters."""

from django.urls import path

from qol_survey import views_answer, views_answer_opt_out, views_answer_report

urlpatterns = [
    path("s/<str:token>/", views_answer.link_start, name="link"),
    path("s/<str:token>/opt-out/", views_answer_opt_out.by_link, name="opt_out_link"),
    path("start/", views_answer.code_start, name="start"),
    path("opt-out/", views_answer_opt_out.by_code, name="opt_out"),
    path("opt-out/confirm/", views_answer_opt_out.confirm, name="opt_out_confirm"),
    path("opt-out/done/", views_answer_opt_out.done, name="opt_out_done"),
    path("answer/", views_answer.intro, name="answer_intro"),
    path("answer/<int:number>/", views_answer.step, name="answer_step"),
    path("answer/check/", views_answer.check, name="answer_check"),
    path("report/", views_answer_report.report_page, name="report"),
    path("report/pdf/", views_answer_report.report_pdf, name="report_pdf"),
    path("mine/", views_answer_report.mine, name="mine"),
    path("mine/pdf/", views_answer_report.mine_pdf, name="mine_pdf"),
]
