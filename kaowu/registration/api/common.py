"""Registration's router, which every endpoint module of this package registers on, and the lookups and helpers
they share: objects read scoped to the actor (missing and not-yours are both 404), a plan step's answer, upload
limits, binary downloads.
"""

from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from ninja import Router
from ninja.files import UploadedFile

from kaowu.kernel.actors import Actor
from kaowu.kernel.api import Input
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.plans.queries import visible_plans
from kaowu.policy.engine import rule
from kaowu.registration.models import Application, SpotCheck, SpotCheckItem

router = Router()


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = {"pdf": PDF, "png": "image/png", "jpeg": "image/jpeg"}


def not_found() -> Http404:
    return Http404("未找到该记录，或您无权查看。")


def plan_or_404(actor: Actor, pk: int) -> BatchPlan:
    return get_for_actor_or_404(visible_plans(actor).select_related("org"), actor, pk=pk)


def applications_for(actor: Actor) -> QuerySet[Application]:
    return for_actor(Application, actor).select_related("candidate", "plan", "plan__org")


def application_or_404(actor: Actor, pk: int) -> Application:
    return get_for_actor_or_404(Application.objects.select_related("candidate", "plan", "plan__org"), actor, pk=pk)


def application_detail(actor: Actor, pk: int) -> Application:
    rows = Application.objects.select_related("candidate", "plan", "plan__org").prefetch_related(
        "qualifications", "commitments", "chsi_codes", "evidence", "payments"
    )
    return get_for_actor_or_404(rows, actor, pk=pk)


def of_application(rows: QuerySet, actor: Actor, pk: int) -> Any:
    """A row without a tenancy of its own: visible when its application is."""
    row = rows.filter(pk=pk, application__in=for_actor(Application, actor).values("pk")).first()
    if row is None:
        raise not_found()
    return row


def with_application(model) -> QuerySet:
    return model.objects.select_related("application", "application__plan", "application__candidate")


def spot_checks_for(actor: Actor) -> QuerySet[SpotCheck]:
    return for_actor(SpotCheck, actor).select_related("plan", "plan__org", "district")


def spot_check_or_404(actor: Actor, pk: int) -> SpotCheck:
    items = SpotCheckItem.objects.select_related("application", "application__candidate")
    rows = spot_checks_for(actor).prefetch_related(Prefetch("items", queryset=items))
    return get_for_actor_or_404(rows, actor, pk=pk)


def spot_check_item_or_404(actor: Actor, pk: int) -> SpotCheckItem:
    item = (
        SpotCheckItem.objects.select_related(
            "spot_check", "spot_check__plan", "spot_check__plan__org", "application", "application__candidate"
        )
        .filter(pk=pk, spot_check__in=for_actor(SpotCheck, actor).values("pk"))
        .first()
    )
    if item is None:
        raise not_found()
    return item


def plan_step(plan: BatchPlan, key: Milestone) -> dict:
    return {"plan_id": plan.pk, "step": key.value, "step_label": key.label, "done_at": milestones.done_at(plan, key)}


def given_fields(payload: Input, *, exclude: set[str] = frozenset()) -> dict:
    """The fields the client sent with a value (null means "leave as it is")."""
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None and k not in exclude}


@contextmanager
def rule_refusals_as_422():
    """A refused upload names the rule it breaks (REG-3): answer it as the rule refusal it is, a 422."""
    try:
        yield
    except KaowuError as exc:
        if exc.rule_id and exc.status == 400:
            exc.status = 422
        raise


def refuse_too_large(upload: UploadedFile, limit: int) -> None:
    """Refuse an oversized upload before reading it into memory (REG-3)."""
    if (upload.size or 0) > limit:
        error = KaowuError(
            f"文件「{upload.name}」为{upload.size / 1024 / 1024:.1f}MB，超过{limit / 1024 / 1024:.0f}MB上限，"
            "请压缩或拆分后重新上传。",
            code="upload_too_large",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="file",
        )
        error.status = 422
        raise error


def binary(content_type: str, description: str) -> dict:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
