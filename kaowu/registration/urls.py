from django.urls import path

from kaowu.registration import views

app_name = "registration"

urlpatterns = [
    # Candidate portal
    path("portal/register/", views.portal_register, name="portal_register"),
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/plans/", views.portal_plans, name="portal_plans"),
    path("portal/plans/<int:plan_pk>/apply/", views.portal_apply, name="portal_apply"),
    path("portal/applications/<int:pk>/", views.portal_application, name="portal_application"),
    path("portal/applications/<int:pk>/edit/", views.portal_edit, name="portal_edit"),
    path("portal/applications/<int:pk>/commitments/<str:kind>/", views.portal_commitment, name="portal_commitment"),
    # One application: shared by the candidate and the organisation (the services decide who may)
    path("applications/", views.registration_home, name="home"),
    path("applications/<int:pk>/", views.review, name="review"),
    path("applications/<int:pk>/qualifications/new/", views.qualification_add, name="qualification_add"),
    path(
        "applications/<int:pk>/qualifications/<int:qid>/remove/",
        views.qualification_remove,
        name="qualification_remove",
    ),
    path("applications/<int:pk>/qualifications/<int:qid>/verify/", views.certificate_verify, name="certificate_verify"),
    path("applications/<int:pk>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("applications/<int:pk>/evidence/<int:eid>/", views.evidence_file, name="evidence_file"),
    path("applications/<int:pk>/photo/", views.photo_upload, name="photo_upload"),
    path("applications/<int:pk>/photo.img", views.photo_file, name="photo_file"),
    path("applications/<int:pk>/chsi/new/", views.chsi_add, name="chsi_add"),
    path("applications/<int:pk>/chsi/<int:cid>/check/", views.chsi_check, name="chsi_check"),
    path("applications/<int:pk>/commitments/<int:cid>.pdf", views.commitment_pdf, name="commitment_pdf"),
    path(
        "applications/<int:pk>/commitment-preview/<str:kind>.pdf",
        views.commitment_preview_pdf,
        name="commitment_preview_pdf",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/approve/", views.application_approve, name="approve"),
    path("applications/<int:pk>/return/", views.application_return, name="return"),
    path("applications/<int:pk>/reject/", views.application_reject, name="reject"),
    path("applications/<int:pk>/payments/new/", views.payment_add, name="payment_add"),
    path("applications/<int:pk>/payments/<int:pid>/refund/", views.payment_refund, name="payment_refund"),
    path("applications/<int:pk>/archive.pdf", views.archive_pdf, name="archive_pdf"),
    # A plan's candidates (organisation)
    path("plans/<int:pk>/applications/", views.plan_applications, name="plan_applications"),
    path("plans/<int:pk>/applications/new/", views.staff_entry, name="staff_entry"),
    path("plans/<int:pk>/candidates/confirm/", views.candidates_confirm, name="candidates_confirm"),
    path("plans/<int:pk>/entry/close/", views.entry_close, name="entry_close"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="export"),
    path("plans/<int:pk>/import/", views.plan_import, name="import"),
    path("plans/<int:pk>/import/<int:bid>/", views.import_preview, name="import_preview"),
    path("plans/<int:pk>/import/<int:bid>/commit/", views.import_commit, name="import_commit"),
    path("plans/<int:pk>/spot-check/", views.org_spot_check, name="org_spot_check"),
    path("plans/<int:pk>/spot-check/items/<int:iid>/resolve/", views.spot_check_resolve, name="spot_check_resolve"),
    # District and centre (REG-7)
    path("district/spot-checks/", views.district_spot_checks, name="district_spot_checks"),
    path("district/spot-checks/<int:pk>/", views.district_spot_check, name="district_spot_check"),
    path("district/spot-checks/<int:pk>/draw/", views.spot_check_draw, name="spot_check_draw"),
    path("district/spot-checks/<int:pk>/items/<int:iid>/", views.spot_check_finding, name="spot_check_finding"),
    path("district/spot-checks/<int:pk>/finish/", views.spot_check_finish, name="spot_check_finish"),
    path("centre/spot-checks/", views.centre_spot_checks, name="centre_spot_checks"),
]
