"""The demo loads through the service functions, so every step obeys the rules and leaves a whole audit chain."""

from django.core.management import call_command
from django.db.models import Count

from kaowu.items.models import Item, Paper
from kaowu.kernel.audit import verify_chain
from kaowu.kernel.enums import Role
from kaowu.parties.models import User
from kaowu.plans.models import BatchPlan


def test_the_demo_has_a_user_for_every_role_and_plans_in_several_states(frozen, db, capsys):
    call_command("seed_demo")
    assert {u.role for u in User.objects.all()} == set(Role.values)
    states = set(BatchPlan.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "accepted", "confirmed"} <= states
    assert verify_chain() is None
    # The 电工 四级 bank reads like a real one: demo_bank's 400 theory items and 25 tasks.
    kinds = dict(Item.objects.values_list("blueprint__subject").annotate(n=Count("pk")))
    assert kinds == {"theory": 400, "skill": 25}
    assert not Item.objects.filter(current__stem__contains="题干").exists()
    papers = dict(Paper.objects.values_list("assembly__blueprint__subject").annotate(n=Count("pk")))
    assert papers == {"theory": 2, "skill": 2}  # A and B of each; a skill paper is five tasks, 100 points
    assert all(p.total_points == 100 for p in Paper.objects.all())
    out = capsys.readouterr().out
    assert "orga_admin" in out and "kaowu2026" in out
    call_command("seed_demo")  # a second run changes nothing
    assert "已存在" in capsys.readouterr().out
