from django.urls import path

from kaowu.certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.index, name="index"),
    path("certificates/plans/<int:plan_id>/", views.plan_certificates, name="plan"),
    path("certificates/plans/<int:plan_id>/print.pdf", views.print_download, name="print_download"),
    path("certificates/plans/<int:plan_id>/roster.<str:fmt>", views.roster_download, name="roster"),
    path("certificates/<int:pk>/certificate.pdf", views.certificate_download, name="download"),
    path("certificates/<int:pk>/<str:action>/", views.certificate_action, name="action"),
    path("certificates/stock/", views.stock_page, name="stock"),
    path("portal/certificates/", views.portal_certificates, name="portal"),
    path("portal/certificates/<int:pk>.<str:fmt>", views.portal_download, name="portal_download"),
]
