from django.urls import path

from kaowu.registration.views import actions, applications, fees, imports, portal, reviewing, spotchecks

app_name = "registration"

urlpatterns = [
    # Candidate portal
    path("portal/register/", portal.portal_register, name="portal_register"),
    path("portal/password/forgot/", portal.portal_forgot, name="portal_forgot"),
    path("portal/password/reset/", portal.portal_reset, name="portal_reset"),
    path("portal/", portal.portal_home, name="portal_home"),
    path("portal/plans/", portal.portal_plans, name="portal_plans"),
    path("portal/plans/<int:plan_pk>/apply/", portal.portal_apply, name="portal_apply"),
    path("portal/applications/<int:pk>/", portal.portal_application, name="portal_application"),
    path("portal/applications/<int:pk>/edit/", portal.portal_edit, name="portal_edit"),
    path("portal/applications/<int:pk>/commitments/<str:kind>/", portal.portal_commitment, name="portal_commitment"),
    # One application: shared by the candidate and the organisation (the services decide who may)
    path("applications/", applications.registration_home, name="home"),
    path("applications/<int:pk>/", reviewing.review, name="review"),
    path("applications/<int:pk>/qualifications/new/", actions.qualification_add, name="qualification_add"),
    path(
        "applications/<int:pk>/qualifications/<int:qid>/remove/",
        actions.qualification_remove,
        name="qualification_remove",
    ),
    path(
        "applications/<int:pk>/qualifications/<int:qid>/verify/",
        reviewing.certificate_verify,
        name="certificate_verify",
    ),
    path("applications/<int:pk>/evidence/new/", actions.evidence_add, name="evidence_add"),
    path("applications/<int:pk>/evidence/<int:eid>/", actions.evidence_file, name="evidence_file"),
    path("applications/<int:pk>/photo/", actions.photo_upload, name="photo_upload"),
    path("applications/<int:pk>/photo.img", actions.photo_file, name="photo_file"),
    path("applications/<int:pk>/chsi/new/", actions.chsi_add, name="chsi_add"),
    path("applications/<int:pk>/chsi/<int:cid>/check/", reviewing.chsi_check, name="chsi_check"),
    path("applications/<int:pk>/commitments/<int:cid>.pdf", actions.commitment_pdf, name="commitment_pdf"),
    path(
        "applications/<int:pk>/commitment-preview/<str:kind>.pdf",
        actions.commitment_preview_pdf,
        name="commitment_preview_pdf",
    ),
    path("applications/<int:pk>/submit/", actions.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", actions.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/approve/", reviewing.application_approve, name="approve"),
    path("applications/<int:pk>/return/", reviewing.application_return, name="return"),
    path("applications/<int:pk>/reject/", reviewing.application_reject, name="reject"),
    path("applications/<int:pk>/payments/new/", fees.payment_add, name="payment_add"),
    path("applications/<int:pk>/payments/<int:pid>/refund/", fees.payment_refund, name="payment_refund"),
    path("applications/<int:pk>/archive.pdf", reviewing.archive_pdf, name="archive_pdf"),
    # A plan's candidates (organisation)
    path("plans/<int:pk>/applications/", applications.plan_applications, name="plan_applications"),
    path("plans/<int:pk>/applications/new/", applications.staff_entry, name="staff_entry"),
    path("plans/<int:pk>/applications/approve-ready/", applications.approve_ready, name="approve_ready"),
    path("plans/<int:pk>/candidates/confirm/", imports.candidates_confirm, name="candidates_confirm"),
    path("plans/<int:pk>/entry/close/", imports.entry_close, name="entry_close"),
    path("plans/<int:pk>/export.xlsx", imports.plan_export, name="export"),
    path("plans/<int:pk>/import-template.xlsx", imports.plan_import_template, name="import_template"),
    path("plans/<int:pk>/import/", imports.plan_import, name="import"),
    path("plans/<int:pk>/import/<int:bid>/", imports.import_preview, name="import_preview"),
    path("plans/<int:pk>/import/<int:bid>/commit/", imports.import_commit, name="import_commit"),
    path("plans/<int:pk>/spot-check/", spotchecks.org_spot_check, name="org_spot_check"),
    path(
        "plans/<int:pk>/spot-check/items/<int:iid>/resolve/", spotchecks.spot_check_resolve, name="spot_check_resolve"
    ),
    # District and centre (REG-7)
    path("district/spot-checks/", spotchecks.district_spot_checks, name="district_spot_checks"),
    path("district/spot-checks/<int:pk>/", spotchecks.district_spot_check, name="district_spot_check"),
    path("district/spot-checks/<int:pk>/draw/", spotchecks.spot_check_draw, name="spot_check_draw"),
    path("district/spot-checks/<int:pk>/items/<int:iid>/", spotchecks.spot_check_finding, name="spot_check_finding"),
    path("district/spot-checks/<int:pk>/finish/", spotchecks.spot_check_finish, name="spot_check_finish"),
    path("centre/spot-checks/", spotchecks.centre_spot_checks, name="centre_spot_checks"),
]
