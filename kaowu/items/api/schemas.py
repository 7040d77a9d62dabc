"""Request and response bodies of the item-bank API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from kaowu.kernel.api import Id, Input


class BlueprintIn(Input):
    standard_id: Id
    level: Annotated[int, Field(ge=1, le=5)]
    subject: Literal["theory", "skill"]
    note: Annotated[str, Field(max_length=200)] = ""


class BlueprintOut(Schema):
    id: int
    org_id: int
    standard_id: int
    level: int
    subject: str
    status: str
    note: str
    point_count: int = 0


class NodeOut(Schema):
    id: int
    parent_id: int | None
    kind: str
    code: str
    name: str
    importance: str
    weight: Decimal
    active_items: int = 0


class BlueprintDetailOut(BlueprintOut):
    nodes: list[NodeOut]
    thin_points: list[str]

    @staticmethod
    def resolve_nodes(obj) -> list[dict]:
        return obj.nodes_out


class PointRowIn(Input):
    range_code: Annotated[str, Field(min_length=1, max_length=20)]
    range_name: Annotated[str, Field(min_length=1, max_length=120)]
    range_weight: Decimal
    content_code: Annotated[str, Field(min_length=1, max_length=20)]
    content_name: Annotated[str, Field(min_length=1, max_length=120)]
    point_code: Annotated[str, Field(min_length=1, max_length=20)]
    point_name: Annotated[str, Field(min_length=1, max_length=120)]
    importance: Literal["X", "Y", "Z"]
    weight: Decimal


class TreeIn(Input):
    rows: Annotated[list[PointRowIn], Field(min_length=1, max_length=2000)]


class OptionIn(Input):
    key: Annotated[str, Field(min_length=1, max_length=1)]
    text: Annotated[str, Field(max_length=500)] = ""


class StepIn(Input):
    step: Annotated[str, Field(min_length=1, max_length=300)]
    points: Annotated[float, Field(gt=0, le=100)]


class ItemIn(Input):
    blueprint_id: Id
    point_id: Id | None = None
    kind: Literal["judge", "single", "multi", "task"]
    difficulty: Annotated[int, Field(ge=1, le=5)] = 3
    stem: Annotated[str, Field(max_length=4000)]
    options: Annotated[list[OptionIn], Field(max_length=8)] = []
    answer: Annotated[str, Field(max_length=10)] = ""
    explanation: Annotated[str, Field(max_length=2000)] = ""
    scoring: Annotated[list[StepIn], Field(max_length=50)] = []
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    equipment: Annotated[str, Field(max_length=300)] = ""


class ItemEditIn(Input):
    point_id: Id | None = None
    difficulty: Annotated[int, Field(ge=1, le=5)] | None = None
    stem: Annotated[str, Field(max_length=4000)]
    options: Annotated[list[OptionIn], Field(max_length=8)] = []
    answer: Annotated[str, Field(max_length=10)] = ""
    explanation: Annotated[str, Field(max_length=2000)] = ""
    scoring: Annotated[list[StepIn], Field(max_length=50)] = []
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    equipment: Annotated[str, Field(max_length=300)] = ""


class TransitionIn(Input):
    to: Literal["reviewed", "active", "retired", "draft"]


class VersionOut(Schema):
    number: int
    stem: str
    options: list[dict]
    answer: str
    explanation: str
    scoring: list[dict]
    time_limit_minutes: int | None
    equipment: str
    created_at: dt.datetime


class ItemOut(Schema):
    id: int
    blueprint_id: int
    point_code: str
    kind: str
    status: str
    difficulty: int
    usage_count: int
    last_used_at: dt.datetime | None
    version: int
    stem: str

    @staticmethod
    def resolve_point_code(obj) -> str:
        return obj.point.code

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.current.number

    @staticmethod
    def resolve_stem(obj) -> str:
        return obj.current.stem


class ItemDetailOut(ItemOut):
    current: VersionOut
    version_count: int


class AssemblyIn(Input):
    blueprint_id: Id
    versions: Annotated[int, Field(ge=1, le=6)] = 2
    judge: Annotated[int, Field(ge=0, le=1000)] | None = None
    single: Annotated[int, Field(ge=0, le=1000)] | None = None
    multi: Annotated[int, Field(ge=0, le=1000)] | None = None
    seed: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = None
    minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    session_id: Id | None = None


class PaperOut(Schema):
    id: int
    assembly_id: int
    version: str
    status: str
    duration_minutes: int
    total_points: Decimal
    content_hash: str
    seal_no: str
    sealed_at: dt.datetime | None
    opened_at: dt.datetime | None
    coverage: dict


class AssemblyOut(Schema):
    id: int
    blueprint_id: int
    session_id: int | None
    seed: str
    params: dict
    created_at: dt.datetime
    papers: list[PaperOut]


class PaperItemOut(Schema):
    position: int
    kind: str
    points: Decimal
    point_code: str
    stem: str
    options: list[dict]


class PaperContentOut(PaperOut):
    items: list[PaperItemOut]

    @staticmethod
    def resolve_items(obj) -> list[dict]:
        return obj.items_out


class HandOverIn(Input):
    receiver_id: Id
    seal_no: Annotated[str, Field(min_length=1, max_length=40)]
    note: Annotated[str, Field(max_length=200)] = ""


class CustodyOut(Schema):
    action: str
    by: str
    witness: str
    seal_no: str
    at: dt.datetime
    note: str


class PrintPackOut(Schema):
    """印制包 job: status none (never made) | running | done | failed | stale."""

    status: str
    done: int = 0
    total: int = 0
    percent: int = 0
    size: int | None = None
    message: str = ""


class EnvelopeOut(Schema):
    room: str
    candidates: int
    spares: int
    total: int
    versions: dict[str, int]
    sheets: int
