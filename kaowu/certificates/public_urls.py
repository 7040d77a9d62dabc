"""The public verification (CERT-3), no login, under /verify/: included near the top of kaowu/urls.py so that a
lookup does not walk every other screen's patterns first (URL resolution was half of a lookup's time)."""

from django.urls import path

from kaowu.certificates import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_page, name="page"),
    path("c/", views.verify_qr, name="qr"),
    path("api.json", views.verify_json, name="json"),
    path("keys.json", views.keys_json, name="keys"),
]
