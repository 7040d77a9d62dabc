"""Blueprints (NAT-14): the seeded tree, the weight sums both ways, row-level errors, all or nothing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from kaowu.items import seed_data, sheets
from kaowu.items.enums import NodeKind
from kaowu.items.errors import ImportRefused
from kaowu.items.models import BlueprintNode
from kaowu.items.services import blueprints, imports
from kaowu.kernel.errors import NotAllowed
from kaowu.policy.engine import RuleViolation


def test_seeded_theory_blueprint_has_the_standards_ranges_and_weights_NAT_14(blueprint):
    ranges = BlueprintNode.objects.filter(blueprint=blueprint, kind=NodeKind.RANGE).order_by("ordinal")
    assert [(r.code, r.weight) for r in ranges] == [
        ("A", Decimal("5")),
        ("B", Decimal("20")),
        ("C", Decimal("25")),
        ("D", Decimal("20")),
        ("E", Decimal("15")),
        ("F", Decimal("15")),
    ]
    points = BlueprintNode.objects.filter(blueprint=blueprint, kind=NodeKind.POINT)
    assert sum(p.weight for p in points) == Decimal("100")
    assert {p.parent.kind for p in points} == {NodeKind.CONTENT}
    assert blueprint.status == "active"


def test_skill_blueprint_seed_adds_up_NAT_14():
    checked = blueprints.check_rows(seed_data.point_rows(seed_data.SKILL_4))
    assert checked.errors == []


def test_weights_of_a_range_that_do_not_add_up_name_its_row_NAT_14(writer, org_a, electrician):
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="skill")
    rows = seed_data.point_rows(seed_data.SKILL_4)
    rows[0] = dataclasses.replace(rows[0], weight="19")  # S1 now 34 instead of 35
    with pytest.raises(ImportRefused) as exc:
        blueprints.write_tree(actor=writer, blueprint=bp, rows=rows)
    assert exc.value.rule_id == "NAT-14"
    assert exc.value.status == 422
    rows_named = {(e["row"], e["column"]) for e in exc.value.errors}
    assert (2, "鉴定点比重（%）") in rows_named
    assert not BlueprintNode.objects.filter(blueprint=bp).exists()  # nothing half-written


def test_weights_adding_up_to_exactly_100_are_accepted_NAT_14(writer, org_a, electrician):
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="skill")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.SKILL_4))
    assert blueprints.activate_blueprint(actor=writer, blueprint=bp).status == "active"


def test_activation_refuses_a_tree_whose_ranges_do_not_make_100_NAT_14(writer, org_a, electrician):
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="skill")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.SKILL_4))
    BlueprintNode.objects.filter(blueprint=bp, code="S1").update(weight=Decimal("34"))  # a centre's hand edit
    with pytest.raises(RuleViolation) as exc:
        blueprints.activate_blueprint(actor=writer, blueprint=bp)
    assert exc.value.rule_id == "NAT-14"
    bp.refresh_from_db()
    assert bp.status == "draft"


def test_spreadsheet_round_trip_and_bad_rows_change_nothing(blueprint, writer):
    book = sheets.blueprint_workbook(blueprint)
    assert len(sheets.read_blueprint(book, "细目表.xlsx")) == 39
    imports.import_blueprint(actor=writer, blueprint=blueprint, content=book, filename="细目表.xlsx")

    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(book))
    ws = wb.active
    ws["I3"] = "W"  # importance
    ws["J5"] = "abc"  # weight
    ws["G6"] = ws["G7"].value  # a repeated point code
    out = io.BytesIO()
    wb.save(out)
    before = list(BlueprintNode.objects.filter(blueprint=blueprint).values_list("code", "weight", "name"))
    with pytest.raises(ImportRefused) as exc:
        imports.import_blueprint(actor=writer, blueprint=blueprint, content=out.getvalue(), filename="细目表.xlsx")
    named = {(e["row"], e["column"]) for e in exc.value.errors}
    assert {(3, "重要程度"), (5, "鉴定点比重（%）"), (7, "鉴定点代码")} <= named
    assert list(BlueprintNode.objects.filter(blueprint=blueprint).values_list("code", "weight", "name")) == before


def test_not_a_spreadsheet_is_refused_with_a_message(blueprint, writer):
    with pytest.raises(ImportRefused) as exc:
        imports.import_blueprint(actor=writer, blueprint=blueprint, content=b"a,b,c", filename="x.csv")
    assert "xlsx" in exc.value.errors[0]["message"]


def test_exam_affairs_cannot_edit_a_blueprint(blueprint, exam_affairs):
    with pytest.raises(NotAllowed):
        blueprints.write_tree(actor=exam_affairs, blueprint=blueprint, rows=[])
