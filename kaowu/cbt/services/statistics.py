"""After a 机考 (issue 13 §7): each question's statistics fed back to the item bank, and answer-similarity flags.

Statistics per question of the session's handed-in attempts: n, difficulty P (the share right) and discrimination
D (the share right among the top 27 % by score minus among the bottom 27 %), written onto the bank's item.

Similarity: for two candidates of the same room, the questions both answered wrongly with the same option. Under
independence the chance that two candidates share a wrong answer to question q is Σ over its wrong options o of
p_o², p_o the share of the session choosing o; the count of shared wrong answers then has mean E = Σ P_q and
variance V = Σ P_q(1 − P_q). A pair is flagged when its count exceeds E by at least the profile's `flag_z`
standard deviations and is at least `flag_min_identical`. A flag carries the evidence and is for a person to judge:
it never marks a result 舞弊.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from itertools import combinations

from django.db import transaction

from kaowu.cbt.enums import AttemptStatus
from kaowu.cbt.models import Answer, Attempt, SimilarityFlag
from kaowu.exams.models import ExamDay
from kaowu.exams.permissions import require_chief
from kaowu.items.models import Item, PaperItem
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.policy.engine import rule

TOP = Decimal("0.27")


def _handed_in(exam_day: ExamDay) -> list[Attempt]:
    return list(Attempt.objects.filter(exam_day=exam_day, status=AttemptStatus.HANDED_IN).order_by("pk"))


def _answers(attempts: list[Attempt]) -> dict[int, dict[int, str]]:
    """{attempt_id: {paper_item_id: value}} of the non-empty answers."""
    out: dict[int, dict[int, str]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(attempt__in=attempts)
        .exclude(value="")
        .values_list("attempt_id", "paper_item_id", "value")
    )
    for attempt_id, paper_item_id, value in rows:
        out[attempt_id][paper_item_id] = value
    return out


def item_statistics(*, actor: Actor, exam_day: ExamDay) -> int:
    """Write n, P and D of every question of the session's papers onto the bank's items; returns how many."""
    require_chief(actor, exam_day.session)
    attempts = _handed_in(exam_day)
    given = _answers(attempts)
    rows = PaperItem.objects.filter(paper_id__in={a.paper_id for a in attempts}).values_list(
        "pk", "paper_id", "item_id", "item_version__answer"
    )
    by_paper: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for pk, paper_id, item_id, key in rows:
        by_paper[paper_id].append((pk, item_id, key))
    # The upper and lower 27 % among those who took the same version (only they answered its questions).
    low: set[int] = set()
    high: set[int] = set()
    for paper_id in by_paper:
        ranked = sorted((a for a in attempts if a.paper_id == paper_id), key=lambda a: (a.score or 0, a.pk))
        cut = max(1, int(len(ranked) * TOP))
        low.update(a.pk for a in ranked[:cut])
        high.update(a.pk for a in ranked[-cut:])
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # item: n, right, hi_n, hi_r, lo_n, lo_r
    for a in attempts:
        for pk, item_id, key in by_paper[a.paper_id]:
            t = tally[item_id]
            right = int(given[a.pk].get(pk) == key)
            t[0] += 1
            t[1] += right
            if a.pk in high:
                t[2] += 1
                t[3] += right
            if a.pk in low:
                t[4] += 1
                t[5] += right
    now = clock.now()
    items = Item.objects.in_bulk(list(tally))
    for item_id, (n, right, hi_n, hi_r, lo_n, lo_r) in tally.items():
        item = items[item_id]
        item.stat_n, item.stat_at = n, now
        item.stat_p = Decimal(right) / n if n else None
        d = (Decimal(hi_r) / hi_n if hi_n else 0) - (Decimal(lo_r) / lo_n if lo_n else 0)
        item.stat_d = Decimal(d).quantize(Decimal("0.001"))
        item.stat_p = item.stat_p.quantize(Decimal("0.001")) if item.stat_p is not None else None
    with transaction.atomic():
        Item.objects.bulk_update(list(items.values()), ["stat_n", "stat_p", "stat_d", "stat_at"], batch_size=500)
        audit.record(actor, "cbt.statistics.written", exam_day, changes={"items": [None, len(items)]})
    return len(items)


def similarity_flags(*, actor: Actor, exam_day: ExamDay) -> list[SimilarityFlag]:
    """Compute (again) the flags of the session's rooms; returns them, highest z first."""
    require_chief(actor, exam_day.session)
    params = rule("SUP-1")
    z_min, at_least = params["flag_z"], params["flag_min_identical"]
    attempts = _handed_in(exam_day)
    given = _answers(attempts)
    keys = dict(
        PaperItem.objects.filter(paper_id__in={a.paper_id for a in attempts}).values_list("pk", "item_version__answer")
    )
    # The session's choice shares per question (papers differ by version: a question is a paper item).
    chose: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    takers: dict[int, int] = defaultdict(int)
    order = {a.pk: a.order for a in attempts}
    for a in attempts:
        for pk in a.order:
            takers[pk] += 1
            value = given[a.pk].get(pk)
            if value:
                chose[pk][value] += 1
    p_shared = {
        pk: sum((n / takers[pk]) ** 2 for value, n in chose[pk].items() if value != keys.get(pk)) for pk in takers
    }
    by_room: dict[int, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_room[a.room_id].append(a)
    found = []
    now = clock.now()
    for group in by_room.values():
        for a, b in combinations(group, 2):
            if a.paper_id != b.paper_id:
                continue  # different versions share no question
            shared = [
                pk
                for pk in order[a.pk]
                if given[a.pk].get(pk)
                and given[a.pk].get(pk) == given[b.pk].get(pk)
                and given[a.pk][pk] != keys.get(pk)
            ]
            expected = sum(p_shared[pk] for pk in order[a.pk])
            variance = sum(p_shared[pk] * (1 - p_shared[pk]) for pk in order[a.pk])
            z = (len(shared) - expected) / math.sqrt(variance) if variance > 0 else 0.0
            if len(shared) >= at_least and z >= z_min:
                numbers = {pk: n for n, pk in enumerate(order[a.pk], start=1)}
                found.append(
                    SimilarityFlag(
                        exam_day=exam_day,
                        first=a,
                        second=b,
                        identical_wrong=len(shared),
                        expected=Decimal(str(round(expected, 2))),
                        z=Decimal(str(round(z, 2))),
                        evidence=[
                            {"number": numbers[pk], "paper_item_id": pk, "value": given[a.pk][pk]} for pk in shared
                        ],
                        computed_at=now,
                    )
                )
    with transaction.atomic():
        SimilarityFlag.objects.filter(exam_day=exam_day, reviewed_at__isnull=True).delete()
        reviewed = set(SimilarityFlag.objects.filter(exam_day=exam_day).values_list("first_id", "second_id"))
        fresh = [f for f in found if (f.first_id, f.second_id) not in reviewed]
        SimilarityFlag.objects.bulk_create(fresh)
        audit.record(actor, "cbt.similarity.computed", exam_day, changes={"flags": [None, len(fresh)]})
    return sorted(fresh, key=lambda f: -f.z)
