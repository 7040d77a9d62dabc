"""The REST API at /api/v1/ (django-ninja). Routers live in each app's api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="kaowu 考务 API", version="1.0.0", urls_namespace="api")
