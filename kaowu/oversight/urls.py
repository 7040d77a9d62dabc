from django.urls import path

from kaowu.oversight import views

app_name = "oversight"

urlpatterns = [
    path("oversight/supervision/", views.supervision_list, name="supervision"),
    path("oversight/supervision/<int:pk>/", views.supervision_record, name="supervision_record"),
    path("oversight/complaints/", views.complaint_register, name="complaints"),
    path("oversight/complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("oversight/dashboard/", views.dashboard, name="dashboard"),
    path("oversight/dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("oversight/compliance/", views.compliance_overview, name="compliance_overview"),
    path("oversight/plans/<int:plan_id>/compliance.<str:fmt>", views.compliance_report, name="compliance"),
    path("oversight/trace/", views.trace, name="trace"),
    path("oversight/archives/", views.archives, name="archives"),
    path("complaints/", views.complaint_new, name="complaint_new"),
    path("complaints/lookup/", views.complaint_lookup, name="complaint_lookup"),
]
