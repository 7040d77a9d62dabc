from django.urls import path

from kaowu.plans.views import annual, batch, changes, fragments, notices, oversight

app_name = "plans"

urlpatterns = [
    path("plans/", batch.plan_list, name="list"),
    path("plans/new/", batch.plan_new, name="new"),
    path("plans/work-types/", fragments.work_type_options, name="work_type_options"),
    path("plans/<int:pk>/", batch.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", batch.plan_edit, name="edit"),
    path("plans/<int:pk>/timeline/", batch.plan_timeline, name="timeline"),
    path("plans/<int:pk>/filing-form.pdf", batch.filing_form_pdf, name="filing_form_pdf"),
    path("plans/<int:pk>/filing-form.xlsx", batch.filing_form_xlsx, name="filing_form_xlsx"),
    path("plans/<int:pk>/method-options/", fragments.method_options, name="method_options"),
    path("plans/<int:pk>/sessions/new/", batch.session_add, name="session_add"),
    path("plans/<int:pk>/sessions/<int:sid>/edit/", batch.session_edit, name="session_edit"),
    path("plans/<int:pk>/sessions/<int:sid>/remove/", batch.session_remove, name="session_remove"),
    path("plans/<int:pk>/sessions/<int:sid>/change/", changes.change_new, name="change_new"),
    path("plans/<int:pk>/submit/", batch.plan_submit, name="submit"),
    path("plans/<int:pk>/accept/", batch.plan_accept, name="accept"),
    path("plans/<int:pk>/return/", batch.plan_return, name="return"),
    path("plans/<int:pk>/confirm/", batch.plan_confirm, name="confirm"),
    path("plans/<int:pk>/withdraw/", batch.plan_withdraw, name="withdraw"),
    path("plans/<int:pk>/district-opinion/", batch.plan_opinion, name="opinion"),
    path("changes/<int:pk>/approve/", changes.change_approve, name="change_approve"),
    path("plans/<int:pk>/lift-stop/", changes.lift_stop, name="lift_stop"),
    path("changes/<int:pk>/reject/", changes.change_reject, name="change_reject"),
    path("district/plans/", oversight.district_plans, name="district_plans"),
    path("annual-plans/", annual.annual_list, name="annual_list"),
    path("annual-plans/new/", annual.annual_new, name="annual_new"),
    path("annual-plans/<int:pk>/", annual.annual_detail, name="annual_detail"),
    path("annual-plans/<int:pk>/edit/", annual.annual_edit, name="annual_edit"),
    path("annual-plans/<int:pk>/submit/", annual.annual_submit, name="annual_submit"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/submit/", notices.notice_submit, name="notice_submit"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice_publish"),
    path("public/notices/", notices.public_notices, name="public_notices"),
]
