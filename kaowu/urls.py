from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from kaowu.api import api


def healthz(request):
    """The load balancer's liveness check (no database, no session): also the benches' hello-world reference."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("verify/", include("kaowu.certificates.public_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kaowu.home.urls")),
    path("", include("kaowu.parties.urls")),
    path("", include("kaowu.plans.urls")),
    path("", include("kaowu.registration.urls")),
    path("", include("kaowu.arrangement.urls")),
    path("", include("kaowu.items.urls")),
    path("", include("kaowu.exams.urls")),
    path("", include("kaowu.cbt.urls")),
    path("", include("kaowu.results.urls")),
    path("", include("kaowu.certificates.urls")),
    path("", include("kaowu.oversight.urls")),
]
