"""A JSON client for /api/v1 as one actor: the one helper API tests share."""

from __future__ import annotations

from django.test import Client


class ApiClient:
    def __init__(self, client: Client):
        self.client = client

    @classmethod
    def of(cls, actor) -> ApiClient:
        client = Client()
        client.force_login(actor.user)
        return cls(client)

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}")

    def post(self, path: str, body: dict | None = None):
        return self.client.post(f"/api/v1{path}", data=body or {}, content_type="application/json")

    def put(self, path: str, body: dict | None = None):
        return self.client.put(f"/api/v1{path}", data=body or {}, content_type="application/json")

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}")
