"""The REST API at /api/v1/ (django-ninja). Routers live in each app's api.py.

Authentication: an organisation's API token as `Authorization: Bearer kw_…` (system integration), or the
logged-in session of the screens (with CSRF). Errors are JSON `{"code", "message", "rule_id", "citation"}`
with a 4xx status (design §7): every rule refusal is 422 with its article; a field that fails its check is a 422
naming the field; a body that is not JSON at all is 400; never a 500.
"""

import contextlib
import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth

from kaowu.arrangement.api import router as arrangement_router
from kaowu.catalog.api import router as catalog_router
from kaowu.cbt.api import router as cbt_router
from kaowu.certificates.api import router as certificates_router
from kaowu.exams.api import router as exams_router
from kaowu.items.api import router as items_router
from kaowu.kernel.actors import Actor, client_ip
from kaowu.kernel.api import actor_of
from kaowu.kernel.errors import KaowuError
from kaowu.oversight.api import router as oversight_router
from kaowu.parties.api import router as parties_router
from kaowu.parties.services import token_for_key
from kaowu.plans.api import router as plans_router
from kaowu.policy.api import router as policy_router
from kaowu.registration.api import router as registration_router
from kaowu.results.api import router as results_router

__all__ = ["actor_of", "api"]

logger = logging.getLogger("kaowu.api")

NOT_FOUND = {"code": "not_found", "message": "未找到该记录，或您无权查看。"}
UNAUTHENTICATED = "请先登录，或在请求头中提供本机构的 API 令牌（Authorization: Bearer kw_…）。"
BAD_TOKEN = "API 令牌无效或已被吊销，请向本机构管理员申请新的令牌。"
SERVER_ERROR = "服务器处理该请求时出错，已记录日志。请稍后重试；如仍失败，请把请求时间告知系统管理员。"
CSRF_FAILED = "安全校验（CSRF）未通过，请刷新页面后重试；系统对接请改用 API 令牌。"


class OrgTokenAuth(HttpBearer):
    """`Authorization: Bearer kw_…`: a live token of an organisation, answered as the token's Actor. A presented
    but bad token is a 401, never a fall-through to the session."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        found = token_for_key(token) if token and "\x00" not in token else None
        if found is None:
            raise AuthenticationError(401, BAD_TOKEN)
        return Actor.of_token(found, ip=client_ip(request))


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes, so a message reads as it is in a log or a terminal."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="kaowu 考务 API",
    version="1.0.0",
    description="职业技能等级认定考务管理系统。认证：本机构 API 令牌（Authorization: Bearer kw_…）或登录会话（含 CSRF）。",
    urls_namespace="api",
    auth=[OrgTokenAuth(), django_auth],
    renderer=ChineseJSONRenderer(),
)


def _json(request: HttpRequest, data: dict, status: int) -> HttpResponse:
    return api.create_response(request, data, status=status)


@api.exception_handler(KaowuError)
def kaowu_error(request: HttpRequest, exc: KaowuError) -> HttpResponse:
    """{code, message, rule_id, citation}: a rule refusal always carries its article, from the profile if the
    refusing code did not name it."""
    data = exc.as_dict()
    if data.get("rule_id") and not data.get("citation"):
        from kaowu.policy.engine import rule

        with contextlib.suppress(Exception):  # an unknown rule id must not turn a refusal into a 500
            data["citation"] = rule(data["rule_id"]).citation
    return _json(request, data, exc.status)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback for us, a JSON refusal without one for the client."""
    logger.error("Unhandled API error at %s %s", request.method, request.path, exc_info=exc)
    data = {"code": "server_error", "message": SERVER_ERROR, "rule_id": None, "citation": None}
    return _json(request, data, 500)


@api.exception_handler(MultiPartParserError)
def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body without its boundary (or otherwise unreadable) is the client's error: 400, not 500."""
    data = {
        "code": "malformed_body",
        "message": "上传内容不是有效的 multipart/form-data（缺少或损坏了 boundary），请用表单方式重新上传文件。",
        "rule_id": None,
        "citation": None,
    }
    return _json(request, data, 400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json(request, dict(NOT_FOUND), 404)


# -- malformed input -----------------------------------------------------------------------------------------

SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}

PROBLEMS = {
    "missing": "必须填写",
    "extra_forbidden": "不是可接受的字段，请删除或检查拼写",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为文本",
    "date_parsing": "须为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "须为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "须为日期，格式 YYYY-MM-DD",
    "date_type": "须为日期，格式 YYYY-MM-DD",
    "time_parsing": "须为时间，格式 HH:MM",
    "time_type": "须为时间，格式 HH:MM",
    "datetime_parsing": "须为日期时间，格式 YYYY-MM-DDTHH:MM",
    "datetime_type": "须为日期时间，格式 YYYY-MM-DDTHH:MM",
    "list_type": "须为列表",
    "dict_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "too_short": "至少要有{min_length}项",
    "too_long": "最多{max_length}项",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "须大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "须小于{lt}",
    "enum": "须为以下之一：{expected}",
    "literal_error": "须为以下之一：{expected}",
}


def _field_path(loc: tuple | list) -> str:
    """('body', 'payload', 'levels', 0, 'headcount') -> 'levels.0.headcount'."""
    parts = list(loc)
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
        if source == "query" and parts and parts[0] == "ninja_pagination":
            parts.pop(0)
        if not parts:
            return source
    return ".".join(str(p) for p in parts)


def _problem(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    template = PROBLEMS.get(kind)
    if template is None:
        return f"格式不正确（{error.get('msg', kind)}）"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _invalid_input(errors: list[dict]) -> dict:
    described = []
    for error in errors:
        field = _field_path(error.get("loc", ()))
        described.append({"field": field, "type": error.get("type", ""), "message": _problem(error)})
    shown = "；".join(f"「{e['field']}」{e['message']}" for e in described[:5])
    more = f"等{len(described)}处" if len(described) > 5 else ""
    return {
        "code": "invalid_input",
        "message": f"请求内容有误：{shown}{more}。请修改后重试。",
        "rule_id": None,
        "citation": None,
        "field": described[0]["field"] if described else None,
        "errors": described,
    }


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [e if isinstance(e, dict) else {"msg": str(e)} for e in exc.errors]
    return _json(request, _invalid_input(errors), 422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        message = exc.message if exc.message == BAD_TOKEN else UNAUTHENTICATED
        return _json(request, {"code": "unauthenticated", "message": message, "rule_id": None, "citation": None}, 401)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja could not parse the body (not JSON, or not UTF-8)
        body = {"loc": ("body",), "type": "json_invalid", "msg": "invalid JSON"}
        data = _invalid_input([body])
        data["code"] = "malformed_body"
        data["message"] = (
            "请求内容不是有效的 JSON，请以 UTF-8 编码的 JSON 对象发送，并设置 Content-Type: application/json。"
        )
        return _json(request, data, 400)  # a body that cannot be read is 400; a field that fails its check, 422
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _json(request, {"code": "csrf_failed", "message": CSRF_FAILED, "rule_id": None, "citation": None}, 403)
    if exc.status_code == 429:
        message = "请求过于频繁，请稍后再试。"
        return _json(request, {"code": "throttled", "message": message, "rule_id": None, "citation": None}, 429)
    return _json(
        request,
        {"code": f"http_{exc.status_code}", "message": exc.message, "rule_id": None, "citation": None},
        exc.status_code,
    )


# The seats' 机考 routes first: URL resolution walks the patterns in order, and an autosave is the hottest request
# of the system (a profile of the save put the walk through every earlier router at a tenth of its time).
api.add_router("", cbt_router, tags=["机考 CBT"])
api.add_router("", parties_router, tags=["单位与人员 Parties"])
api.add_router("", catalog_router, tags=["职业目录 Catalog"])
api.add_router("", policy_router, tags=["规则与工作日 Policy"])
api.add_router("", plans_router, tags=["认定计划 Plans"])
api.add_router("", registration_router, tags=["报名与资格审核 Registration"])
api.add_router("", arrangement_router, tags=["考场编排 Arrangement"])
api.add_router("", items_router, tags=["题库与组卷 Item bank"])
api.add_router("", exams_router, tags=["认定当天 Exam day"])
api.add_router("", results_router, tags=["成绩与认定结果 Results"])
api.add_router("", certificates_router, tags=["证书 Certificates"])
api.add_router("", oversight_router, tags=["监督与档案 Oversight"])
