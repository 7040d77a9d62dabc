"""The demo's 电工 四级 bank: every 鉴定点 has its items in the kinds of bulk_bank.MIX, every item passes the
authoring checks, no two stems are duplicates, and a blueprint filled from it assembles."""

from __future__ import annotations

import math

import pytest

from kaowu.items import bulk_bank, demo_bank, seed_data
from kaowu.items.enums import ItemKind, ItemStatus
from kaowu.items.models import Item
from kaowu.items.services import assembly, blueprints
from kaowu.items.services.items import Content, check_content, fingerprint

MINUTES = {"S10101": 40, "S10201": 30, "S20101": 30, "S30101": 30, "S40101": 20}


def points(tree) -> list[tuple[str, float]]:
    return [(code, weight) for _r, _n, _w, contents in tree for _c, _cn, ps in contents for code, _, _, weight in ps]


def every_item():
    for bank in (demo_bank.THEORY, demo_bank.SKILL):
        for code, items in bank.items():
            for item in items:
                yield code, item


def test_every_theory_point_has_its_count_in_the_kinds_of_MIX():
    wanted = points(seed_data.THEORY_4)
    assert set(demo_bank.THEORY) == {code for code, _ in wanted}
    for code, weight in wanted:
        n = max(4, math.ceil(weight * 4))
        assert [i["kind"] for i in demo_bank.THEORY[code]] == [bulk_bank.MIX[k % 10] for k in range(n)], code


def test_every_skill_point_has_five_tasks_with_its_time_limit_and_a_100_point_sheet():
    assert set(demo_bank.SKILL) == {code for code, _ in points(seed_data.SKILL_4)} == set(MINUTES)
    for code, tasks in demo_bank.SKILL.items():
        assert len(tasks) == 5, code
        for t in tasks:
            assert t["kind"] == ItemKind.TASK
            assert t["time_limit_minutes"] == MINUTES[code]
            assert 4 <= len(t["scoring"]) <= 6 and sum(s["points"] for s in t["scoring"]) == 100
            assert 0 < len(t["equipment"]) <= 300
            assert "试题名称" in t["stem"] and "考核要求" in t["stem"] and "注意事项" in t["stem"]


def test_every_item_passes_the_authoring_checks():
    for code, item in every_item():
        content = Content(
            stem=item["stem"],
            options=item["options"],
            answer=item["answer"],
            explanation=item["explanation"],
            scoring=item.get("scoring", []),
            time_limit_minutes=item.get("time_limit_minutes"),
            equipment=item.get("equipment", ""),
        )
        assert check_content(item["kind"], content) == [], (code, item["stem"])
        assert 1 <= item["difficulty"] <= 5
        keys = [o["key"] for o in item["options"]]
        if item["kind"] == ItemKind.JUDGE:
            assert keys == [] and item["answer"] in ("T", "F")
        elif item["kind"] == ItemKind.SINGLE:
            assert keys == list("ABCD") and len(item["answer"]) == 1 and item["answer"] in keys
        elif item["kind"] == ItemKind.MULTI:
            assert keys == list("ABCD") and 2 <= len(item["answer"]) <= 4
            assert item["answer"] == "".join(sorted(set(item["answer"]))) and set(item["answer"]) <= set(keys)
        if item["kind"] != ItemKind.TASK:
            assert item["explanation"], item["stem"]


def test_judge_items_are_answered_both_ways_and_single_answers_spread_over_the_letters():
    judges = [i["answer"] for _, i in every_item() if i["kind"] == ItemKind.JUDGE]
    singles = [i["answer"] for _, i in every_item() if i["kind"] == ItemKind.SINGLE]
    assert {"T", "F"} == set(judges)
    assert all(singles.count(k) >= len(singles) // 8 for k in "ABCD")


def test_no_two_stems_of_the_bank_are_duplicates_by_fingerprint():
    stems = [i["stem"] for _, i in every_item()]
    assert len({fingerprint(s) for s in stems}) == len(stems)


def test_a_theory_blueprint_filled_from_the_demo_bank_assembles_two_versions(blueprint, writer):
    assert bulk_bank.fill(blueprint, author=writer.user, texts=demo_bank.THEORY) == 400
    version = Item.objects.get(blueprint=blueprint, point__code="B0401", kind=ItemKind.JUDGE, current__answer="F")
    assert "30:2" in version.current.explanation
    a = assembly.assemble(actor=writer, blueprint=blueprint, versions=2, seed="x")
    papers = list(a.papers.order_by("version"))
    assert [p.coverage["total"] for p in papers] == [200, 200]
    first, second = ({pi.item_id for pi in p.paper_items.all()} for p in papers)
    assert len(first & second) * 100 / 200 <= 30


@pytest.fixture
def skill_blueprint(writer, org_a, electrician):
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="skill")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.SKILL_4))
    return blueprints.activate_blueprint(actor=writer, blueprint=bp)


def test_a_skill_blueprint_filled_from_the_demo_bank_holds_active_tasks(skill_blueprint, writer):
    assert bulk_bank.fill(skill_blueprint, author=writer.user, texts=demo_bank.SKILL) == 25
    items = Item.objects.filter(blueprint=skill_blueprint).select_related("current", "point")
    assert {(i.kind, i.status) for i in items} == {(ItemKind.TASK, ItemStatus.ACTIVE)}
    for i in items:
        assert i.current.time_limit_minutes == MINUTES[i.point.code]
        assert sum(s["points"] for s in i.current.scoring) == 100 and i.current.equipment
        assert i.fingerprint == fingerprint(i.current.stem)
