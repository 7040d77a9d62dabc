from django.urls import path

from kaowu.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/new/", views.plan_new, name="new"),
    path("plans/work-types/", views.work_type_options, name="work_type_options"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/timeline/", views.plan_timeline, name="timeline"),
    path("plans/<int:pk>/filing-form.pdf", views.filing_form_pdf, name="filing_form_pdf"),
    path("plans/<int:pk>/filing-form.xlsx", views.filing_form_xlsx, name="filing_form_xlsx"),
    path("plans/<int:pk>/method-options/", views.method_options, name="method_options"),
    path("plans/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("plans/<int:pk>/sessions/<int:sid>/edit/", views.session_edit, name="session_edit"),
    path("plans/<int:pk>/sessions/<int:sid>/remove/", views.session_remove, name="session_remove"),
    path("plans/<int:pk>/sessions/<int:sid>/change/", views.change_new, name="change_new"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="submit"),
    path("plans/<int:pk>/accept/", views.plan_accept, name="accept"),
    path("plans/<int:pk>/return/", views.plan_return, name="return"),
    path("plans/<int:pk>/confirm/", views.plan_confirm, name="confirm"),
    path("plans/<int:pk>/withdraw/", views.plan_withdraw, name="withdraw"),
    path("plans/<int:pk>/district-opinion/", views.plan_opinion, name="opinion"),
    path("changes/<int:pk>/approve/", views.change_approve, name="change_approve"),
    path("changes/<int:pk>/reject/", views.change_reject, name="change_reject"),
    path("district/plans/", views.district_plans, name="district_plans"),
    path("annual-plans/", views.annual_list, name="annual_list"),
    path("annual-plans/new/", views.annual_new, name="annual_new"),
    path("annual-plans/<int:pk>/", views.annual_detail, name="annual_detail"),
    path("annual-plans/<int:pk>/edit/", views.annual_edit, name="annual_edit"),
    path("annual-plans/<int:pk>/submit/", views.annual_submit, name="annual_submit"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/submit/", views.notice_submit, name="notice_submit"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("public/notices/", views.public_notices, name="public_notices"),
]
