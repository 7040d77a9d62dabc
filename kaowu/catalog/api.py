"""REST API of the catalogue: occupations, their 工种 and the current standard (levels, subjects, ratios)."""

from django.db.models import Prefetch, Q
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kaowu.catalog.enums import Method
from kaowu.catalog.models import OCCUPATION_CODE, Occupation, Standard, StandardLevel, StandardSubject, WorkType
from kaowu.catalog.queries import current_standard
from kaowu.kernel.api import Pages, SearchText, UnknownReference, responses

router = Router()


def occupation_by_code(code: str, *, field: str = "occupation") -> Occupation:
    occupation = Occupation.objects.filter(code=code.strip()).first()
    if occupation is None:
        raise UnknownReference(
            f"没有职业编码为「{code}」的职业，请按「大类-中类-小类-细类」填写，如 6-31-01-03。", field=field
        )
    return occupation


class OccupationOut(Schema):
    code: str
    name: str


class WorkTypeOut(Schema):
    id: int
    name: str


class MethodOut(Schema):
    code: str
    label: str


class SubjectOut(Schema):
    subject: str
    subject_label: str
    methods: list[MethodOut]
    duration_minutes: int = Field(description="时长不少于（分钟）")

    @staticmethod
    def resolve_subject_label(obj: StandardSubject) -> str:
        return obj.get_subject_display()

    @staticmethod
    def resolve_methods(obj: StandardSubject) -> list[dict]:
        return [{"code": m, "label": Method(m).label if m in Method.values else m} for m in obj.methods]


class LevelOut(Schema):
    level: int
    level_label: str
    subjects: list[SubjectOut]

    @staticmethod
    def resolve_level_label(obj: StandardLevel) -> str:
        return obj.get_level_display()


class StaffRatiosOut(Schema):
    theory_candidates_per_invigilator: int = Field(description="理论监考配比（考生数/人）")
    theory_min_invigilators: int = Field(description="每考场最少监考人数")
    skill_candidates_per_examiner: int = Field(description="技能考评配比（考生数/人）")
    skill_min_examiners: int = Field(description="技能最少考评员（单数）")
    review_min_experts: int = Field(description="综合评审最少专家（单数）")


class StandardOut(Schema):
    id: int
    name: str
    edition: str
    kind: str
    kind_label: str
    levels: list[LevelOut]
    staff_ratios: StaffRatiosOut

    @staticmethod
    def resolve_kind_label(obj: Standard) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_staff_ratios(obj: Standard) -> Standard:
        return obj


class OccupationDetailOut(OccupationOut):
    work_types: list[WorkTypeOut]
    standard: StandardOut | None = Field(description="现行国家职业技能标准；尚无时为 null")


@router.get("/occupations", response=responses(list[OccupationOut]), summary="职业（职业编码与名称）")
@paginate(Pages)
def list_occupations(request, q: SearchText | None = Query(None, description="按职业编码（开头）或名称查找")):
    occupations = Occupation.objects.all()
    if q:
        occupations = occupations.filter(Q(code__startswith=q.strip()) | Q(name__contains=q.strip()))
    return occupations


@router.get("/occupations/{code}", response=responses(OccupationDetailOut), summary="职业详情：工种与现行标准")
def get_occupation(request, code: str):
    if not OCCUPATION_CODE.regex.match(code):
        raise Http404(code)
    occupation = (
        Occupation.objects.filter(code=code)
        .prefetch_related(Prefetch("work_types", queryset=WorkType.objects.order_by("name")))
        .first()
    )
    if occupation is None:
        raise Http404(code)
    standard = current_standard(occupation)
    if standard is not None:
        standard = Standard.objects.prefetch_related(
            Prefetch("levels", queryset=StandardLevel.objects.prefetch_related("subjects"))
        ).get(pk=standard.pk)
    return {
        "code": occupation.code,
        "name": occupation.name,
        "work_types": list(occupation.work_types.all()),
        "standard": standard,
    }
