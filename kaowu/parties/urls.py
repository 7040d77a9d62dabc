from django.contrib.auth import views as auth_views
from django.urls import path

from kaowu.parties import views
from kaowu.parties.forms import LoginForm

app_name = "parties"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("scope/", views.scope, name="scope"),
    path("scope/sites/new/", views.site_request, name="site_request"),
    path("sites/<int:pk>/approve/", views.site_approve, name="site_approve"),
    path("sites/<int:pk>/reject/", views.site_reject, name="site_reject"),
    path("fees/", views.fee_standard, name="fees"),
    path("fees/new/", views.fee_publish, name="fee_publish"),
    path("fees/<int:pk>/withdraw/", views.fee_withdraw, name="fee_withdraw"),
    path("fees/rules/new/", views.rulebook_publish, name="rulebook_publish"),
    path("public/orgs/<str:code>/", views.public_org, name="public_org"),
]
