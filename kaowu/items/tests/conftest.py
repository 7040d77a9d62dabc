"""Item-bank personas of org A and a blueprint with a bank, built for the tests."""

from __future__ import annotations

import pytest

from kaowu.catalog.models import Standard
from kaowu.items import seed_data
from kaowu.items.services import blueprints
from kaowu.items.tests import bank as bank_builder
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from tests import factories as f


@pytest.fixture
def writer(org_a):
    return Actor.of(f.user("org_a_writer", Role.ITEM_WRITER, org=org_a, display_name="孙命题"))


@pytest.fixture
def reviewer(org_a):
    return Actor.of(f.user("org_a_reviewer", Role.ITEM_REVIEWER, org=org_a, display_name="钱审题"))


@pytest.fixture
def secret(org_a):
    return Actor.of(f.user("org_a_secret", Role.CONFIDENTIALITY_OFFICER, org=org_a, display_name="褚保密"))


@pytest.fixture
def chief(org_a):
    return Actor.of(f.user("org_a_chief", Role.CHIEF_EXAMINER, org=org_a, display_name="韩主考"))


@pytest.fixture
def org_b_writer(org_b):
    return Actor.of(f.user("org_b_writer", Role.ITEM_WRITER, org=org_b, display_name="杨命题"))


@pytest.fixture
def electrician(db):
    return Standard.objects.get(occupation__code="6-31-01-03")


@pytest.fixture
def blueprint(writer, org_a, electrician):
    """电工 四级 理论知识, the seeded tree, active, with no items yet."""
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    return blueprints.activate_blueprint(actor=writer, blueprint=bp)


@pytest.fixture
def banked(blueprint, writer):
    """The blueprint with a bank of about 1,000 active items spread over its points by weight."""
    bank_builder.fill(blueprint, author=writer.user, per_weight_point=10)
    return blueprint
