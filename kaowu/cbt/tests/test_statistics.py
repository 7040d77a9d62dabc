"""After the exam: each question's difficulty and discrimination fed back to the item bank, and the flags of
improbably similar answer sheets shown to the quality staff with their evidence (SUP-1) — never a 舞弊 by itself."""

from __future__ import annotations

import pytest

from kaowu.cbt.models import Answer, Attempt, SimilarityFlag
from kaowu.cbt.services import attempts, statistics
from kaowu.exams.models import RoomRecordEntry
from kaowu.items.models import Item, PaperItem
from kaowu.policy.engine import rule


@pytest.fixture
def sat(cbt, chief, phones, clock_at):
    """Every candidate of the room sat the exam; version A's candidates answer every question right except as
    the test says (their answers written directly: the save path has its own tests)."""
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], "08:30")
    attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    rows = list(Attempt.objects.filter(exam_day=cbt["day"]).order_by("seat__seat_no"))
    keys = dict(PaperItem.objects.filter(paper__assembly=cbt["assembly"]).values_list("pk", "item_version__answer"))
    return {"attempts": rows, "keys": keys, "a": [r for r in rows if r.paper.version == "A"]}


def wrong(key: str) -> str:
    return {"T": "F", "F": "T"}.get(key) or ("B" if key != "B" else "C")


def answer_all(sat, changes: dict[int, dict[int, str]]):
    """Everyone answers everything right, except `changes`: {attempt_id: {paper_item_id: value}}."""
    rows = []
    for a in sat["attempts"]:
        for n, pk in enumerate(a.order, start=1):
            value = changes.get(a.pk, {}).get(pk, sat["keys"][pk])
            rows.append(Answer(attempt=a, paper_item_id=pk, value=value, seq=1, nonce=f"{a.pk}-{n}"))
    Answer.objects.bulk_create(rows, batch_size=1000)


def finish(cbt, clock_at):
    clock_at(cbt["session"], "10:00")
    attempts.auto_hand_in(cbt["day"])


def test_a_pair_sharing_five_wrong_answers_is_flagged_four_is_not_SUP_1(sat, cbt, chief, clock_at):
    assert rule("SUP-1")["flag_min_identical"] == 5
    one, two, three, four = sat["a"][:4]
    shared5, shared4 = one.order[:5], one.order[10:14]
    changes = {
        one.pk: {pk: wrong(sat["keys"][pk]) for pk in shared5},
        two.pk: {pk: wrong(sat["keys"][pk]) for pk in shared5},
        three.pk: {pk: wrong(sat["keys"][pk]) for pk in shared4},
        four.pk: {pk: wrong(sat["keys"][pk]) for pk in shared4},
    }
    answer_all(sat, changes)
    finish(cbt, clock_at)
    flags = statistics.similarity_flags(actor=chief, exam_day=cbt["day"])
    assert [(f.first_id, f.second_id) for f in flags] == [(one.pk, two.pk)]
    flag = flags[0]
    assert flag.identical_wrong == 5 and flag.z >= 4 and flag.expected < 1
    assert sorted(e["paper_item_id"] for e in flag.evidence) == sorted(shared5)
    assert not RoomRecordEntry.objects.exists()  # a flag is evidence for a person, never a 舞弊 entry by itself
    again = statistics.similarity_flags(actor=chief, exam_day=cbt["day"])  # computing again replaces, not doubles
    assert len(again) == 1 and SimilarityFlag.objects.count() == 1


def test_difficulty_and_discrimination_are_written_onto_the_bank_items(sat, cbt, chief, clock_at):
    version_a = sat["a"]
    hard = version_a[0].order[0]  # only the best half of version A gets it right
    weak = version_a[len(version_a) // 2 :]
    # The weak half also misses ten more questions, so it ranks at the bottom.
    changes = {a.pk: {pk: wrong(sat["keys"][pk]) for pk in [hard, *a.order[20:30]]} for a in weak}
    answer_all(sat, changes)
    finish(cbt, clock_at)
    assert statistics.item_statistics(actor=chief, exam_day=cbt["day"]) > 0
    item = Item.objects.get(pk=PaperItem.objects.get(pk=hard).item_id)
    assert item.stat_n == len(version_a)
    assert float(item.stat_p) == pytest.approx((len(version_a) - len(weak)) / len(version_a), abs=0.001)
    assert item.stat_d == 1  # all of the top 27 % right, none of the bottom 27 %
    missed = {pk for c in changes.values() for pk in c}
    untouched = next(pk for pk in version_a[0].order if pk not in missed)
    easy = Item.objects.get(pk=PaperItem.objects.get(pk=untouched).item_id)
    assert easy.stat_p == 1 and easy.stat_d == 0
