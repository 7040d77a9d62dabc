"""The demo loads through the service functions, so every step obeys the rules and leaves a whole audit chain."""

from django.core.management import call_command

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
    out = capsys.readouterr().out
    assert "orga_admin" in out and "kaowu2026" in out
    call_command("seed_demo")  # a second run changes nothing
    assert "已存在" in capsys.readouterr().out
