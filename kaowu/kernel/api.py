"""The API kit every app's api package shares: `actor_of(request)`, the input base schema, the error
schema, pagination, and lookups of referenced rows that answer 422 naming the field.
"""

import datetime as dt
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.responses import NinjaJSONEncoder, Status
from ninja.throttling import BaseThrottle
from pydantic import ConfigDict, StringConstraints, field_validator

from kaowu.kernel.actors import Actor, client_ip
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor

# ---------------------------------------------------------------------------------------------------------
# Shared by every app's api package
# ---------------------------------------------------------------------------------------------------------

EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
MAX_ID = 2**63 - 1  # the largest primary key the databases hold; a larger one would overflow, not miss
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]
# A query-string filter: short, and without the NUL character PostgreSQL refuses.
SearchText = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00]*$")]


def actor_of(request: HttpRequest) -> Actor:
    """The Actor of an authenticated API request: the token's organisation, or the logged-in user."""
    actor = getattr(request, "_kaowu_actor", None)
    if actor is None:
        auth = getattr(request, "auth", None)
        # The token authenticator answers with the token's Actor; a session answers with the user.
        actor = auth if isinstance(auth, Actor) else Actor.of(request.user, ip=client_ip(request))
        request._kaowu_actor = actor
    return actor


class UnknownReference(KaowuError):
    """A body field names a row that does not exist or that the actor may not use."""

    status = 422

    def __init__(self, message: str, *, field: str):
        super().__init__(message, code="unknown_reference", field=field)


class InvalidInput(KaowuError):
    """A request that parses but cannot be meant (e.g. an end before its start)."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, code="invalid_input", field=field)


def plain(value: Any) -> Any:
    """Refuse values that parse but would break the database or the date arithmetic."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000），请删除后重试")
    if isinstance(value, dt.time) and value.tzinfo is not None:
        raise ValueError("时间不能带时区，请按北京时间填写，如 08:30")
    if isinstance(value, dt.date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"日期须在{EARLIEST_YEAR}年至{LATEST_YEAR}年之间")
    return value


class Input(Schema):
    """Base of every request body: unknown fields are refused, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        return plain(value)


class ViolationOut(Schema):
    rule_id: str
    citation: str
    message: str


class ErrorOut(Schema):
    """Every refusal: a code, a Chinese message saying what to do, and the rule and its citation when one applies."""

    code: str
    message: str
    rule_id: str | None = None
    citation: str | None = None
    field: str | None = None
    violations: list[ViolationOut] | None = None
    errors: list[dict] | None = None


ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


def responses(schema: Any, status: int = 200) -> dict:
    """The response map of an operation: its success schema plus the error schema for each refusal."""
    return {status: schema, **ERRORS}


class Pages(PageNumberPagination):
    """?page=&page_size= with bounds, so an absurd page number is a 422, not a database overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="页码，从1开始")
        page_size: int | None = Field(None, ge=1, le=200, description="每页条数，默认50，最多200")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


class Brake(BaseThrottle):
    """A ninja throttle on kernel.throttle's counters, keyed by kernel.actors.client_ip (X-Forwarded-For only from
    a trusted proxy); `allowed` answers whether the client is under the limit and counts the request."""

    def __init__(self, allowed: Callable[[str | None], bool], wait: int):
        self.allowed, self.seconds = allowed, wait

    def allow_request(self, request: HttpRequest) -> bool:
        return self.allowed(client_ip(request))

    def wait(self) -> float:
        return float(self.seconds)


def prebuilt_json(data: dict, status: int = 200) -> HttpResponse:
    """A response already built to its schema, rendered as the API's renderer does (UTF-8, Chinese as characters)
    without ninja validating it field by field again: for the hottest reads only (the 机考 paper, 200 questions,
    where that validation was half the request by cProfile). A test compares it with the schema's own dump."""
    body = json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def created(value: Any) -> Status:
    return Status(201, value)


def visible_or_422(source: type[Model] | QuerySet, actor: Actor, pk: int, *, field: str, what: str) -> Model:
    """A row named in a request body: missing and not-yours answer the same 422 naming the field."""
    row = for_actor(source, actor).filter(pk=pk).first()
    if row is None:
        raise UnknownReference(f"{what}（编号 {pk}）不存在或不属于本单位，请重新选择。", field=field)
    return row


def keep_operation_ids(router, prefix: str) -> None:
    """Keep OpenAPI operationIds as `<prefix>_<function>` for a router whose views live in several modules.

    Ninja derives the id from the view's module; integrators' generated clients name their calls by it, so
    splitting an app's api.py into a package must not rename them.
    """
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = operation.operation_id or f"{prefix}_{operation.view_func.__name__}"


def binary(content_type: str, description: str) -> dict:
    """OpenAPI extras of an endpoint that answers a file (PDF, XLSX) instead of JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
