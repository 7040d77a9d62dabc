from django.urls import path

from kaowu.results import views

app_name = "results"

urlpatterns = [
    path("results/plans/<int:plan_id>/", views.plan_results, name="plan"),
    path("results/plans/<int:plan_id>/marking/", views.marking_entry, name="marking"),
    path("results/plans/<int:plan_id>/roster.<str:fmt>", views.roster_download, name="roster"),
    path("results/plans/<int:plan_id>/history.pdf", views.history_download, name="history"),
    path("results/plans/<int:plan_id>/uploads/<int:pk>/", views.upload_download, name="upload"),
    path("results/public/<int:plan_id>/", views.public_page, name="public"),
    path("portal/results/", views.portal_results, name="portal"),
]
