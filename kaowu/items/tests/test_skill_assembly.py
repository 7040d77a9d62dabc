"""Skill-paper assembly (操作技能试卷): one task per 鉴定点 worth the point's weight (NAT-14), the tasks' time
limits within the standard's duration (NAT-15), versions that differ, and the coverage proof by score."""

from __future__ import annotations

import pytest

from kaowu.items.models import Item, ItemVersion
from kaowu.items.services import assembly
from kaowu.items.tests.conftest import make_task
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation


def test_skill_paper_one_task_per_point_worth_its_weight_NAT_14(skill_banked, writer):
    a = assembly.assemble(actor=writer, blueprint=skill_banked, versions=2, seed="k")
    papers = list(a.papers.order_by("version"))
    weights = {p.code: p.weight for p in skill_banked.nodes.filter(kind="point")}
    for paper in papers:
        rows = list(paper.paper_items.select_related("item__point").order_by("position"))
        assert [r.item.point.code for r in rows] == ["S10101", "S10201", "S20101", "S30101", "S40101"]
        assert [r.points for r in rows] == [weights[r.item.point.code] for r in rows]
        assert paper.total_points == 100 and paper.duration_minutes == 150
        cov = paper.coverage
        assert cov["ok"] and cov["by"] == "points" and cov["total"] == 5
        assert {r["code"]: r["got"] for r in cov["ranges"]} == {"S1": 35, "S2": 20, "S3": 25, "S4": 20}
        assert cov["max_point_diff"] == 0
    a_items = set(papers[0].paper_items.values_list("item_id", flat=True))
    b_items = set(papers[1].paper_items.values_list("item_id", flat=True))
    assert not a_items & b_items  # four tasks per point: the versions share none


def test_skill_point_with_three_tasks_is_thin_four_accepted_NAT_14(skill_blueprint, writer, reviewer):
    from kaowu.items.queries import points_of

    points = list(points_of(skill_blueprint).order_by("ordinal"))
    for point in points:
        for n in range(4 if point is not points[0] else 3):
            make_task(writer=writer, reviewer=reviewer, blueprint=skill_blueprint, point=point, n=n)
    with pytest.raises(RuleViolation) as exc:
        assembly.assemble(actor=writer, blueprint=skill_blueprint, versions=1, seed="t")
    assert exc.value.rule_id == "NAT-14" and "S10101" in exc.value.message
    make_task(writer=writer, reviewer=reviewer, blueprint=skill_blueprint, point=points[0], n=9)
    assert assembly.assemble(actor=writer, blueprint=skill_blueprint, versions=1, seed="t").papers.count() == 1


def test_skill_tasks_over_the_standard_duration_refused_NAT_15(skill_banked, writer):
    # Five tasks of 30 minutes fill the 150 minutes of 四级 exactly; one minute more is refused, nothing written.
    before = ItemVersion.objects.count()
    assert assembly.assemble(actor=writer, blueprint=skill_banked, versions=1, seed="m").papers.count() == 1
    ItemVersion.objects.filter(item__blueprint=skill_banked).order_by().update(time_limit_minutes=31)
    with pytest.raises(RuleViolation) as exc:
        assembly.assemble(actor=writer, blueprint=skill_banked, versions=1, seed="m2")
    assert exc.value.rule_id == "NAT-15" and "155分钟" in exc.value.message and "150分钟" in exc.value.message
    assert skill_banked.assemblies.count() == 1 and ItemVersion.objects.count() == before


def test_skill_paper_counts_are_the_blueprints_NAT_15(skill_banked, writer):
    with pytest.raises(KaowuError) as exc:
        assembly.assemble(actor=writer, blueprint=skill_banked, versions=1, counts={"task": 3}, seed="c")
    assert exc.value.code == "counts_invalid" and "共5题" in exc.value.message
    assert not skill_banked.assemblies.exists()
    made = assembly.assemble(actor=writer, blueprint=skill_banked, versions=1, counts={"task": 5}, seed="c")
    assert made.papers.get().paper_items.count() == 5
    assert Item.objects.filter(blueprint=skill_banked, usage_count=1).count() == 5
