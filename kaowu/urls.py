from django.contrib import admin
from django.urls import include, path

from kaowu.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kaowu.home.urls")),
    path("", include("kaowu.parties.urls")),
    path("", include("kaowu.plans.urls")),
    path("", include("kaowu.registration.urls")),
    path("", include("kaowu.arrangement.urls")),
    path("", include("kaowu.items.urls")),
    path("", include("kaowu.exams.urls")),
]
