"""One session: its run sheet (DAY-2), site printouts (ARR-12, ARR-13) and a skill session's preparation notice
to candidates (ARR-13), the seat map per room with moves and swaps (ARR-3, ARR-4; after release a change
re-issues the tickets, DAY-1), and who is where (ARR-5 … ARR-9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.arrangement import preparation, queries, seating
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.forms import MoveForm, PreparationNoticeForm, SwapForm, seat_label
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.arrangement.views.common import (
    available,
    forbid_if_not_allowed,
    printout,
    render_printout,
    require_manager,
)
from kaowu.catalog.enums import Subject
from kaowu.kernel import masking
from kaowu.kernel.actors import Actor
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import show_error
from kaowu.kernel.views import actor_of

# The session printouts: URL name -> (printout function, file name, what it is, skill sessions only).
SESSION_PRINTOUTS = {
    "site-sign": ("site_sign_pdf", "考点标识", "考点标识（「…职业技能等级认定考场」）", False),
    "door-sheets": ("door_sheets_pdf", "门贴及考生信息汇总表", "考场门贴、考生信息汇总表（入场签到）", False),
    "seat-labels": ("seat_labels_pdf", "座位标签", "座位号标签（贴于课桌右上角）", False),
    "blackboard": ("blackboard_pdf", "板书", "黑板板书（职业、等级、科目、时间、「关闭手机！」、考场规则）", False),
    "envelope": ("envelope_pdf", "试卷袋封面及考场情况记录单", "试卷袋封面、考场情况记录单", False),
    "run-sheet": ("run_sheet_pdf", "考务时间表", "考务工作时间表", False),
    "preparation-notice": ("preparation_notice_pdf", "实操准备通知单", "实操准备通知单（自带工具）", True),
}


def _session(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    require_manager(actor, session.plan.org_id)
    return actor, session


def _printouts(session) -> list[tuple[str, str]]:
    have = available(*(fn for fn, *_ in SESSION_PRINTOUTS.values()))
    skill = session.subject == Subject.SKILL
    return [
        (kind, label)
        for kind, (fn, _, label, skill_only) in SESSION_PRINTOUTS.items()
        if fn in have and (skill or not skill_only)
    ]


def _run_sheet(session) -> list[tuple]:
    """(time, item, who) of each step of the exam day (DAY-2), as the run-sheet printout lists them."""
    steps = printout("run_sheet")
    return steps(session) if steps else []


def _detail(request, session, *, notice_form=None):
    plan = session.plan
    prefix = queries.session_prefix(session)
    context = {
        "session": session,
        "plan": plan,
        "tab": "overview",
        "run_sheet": _run_sheet(session),
        "printouts": _printouts(session),
        "staffing": queries.session_assignments(session),
        "problems": [p for p in queries.current_problems(plan) if p.startswith(prefix)],
    }
    if session.subject == Subject.SKILL:
        notice = preparation.notice_of(session)
        initial = {"own_tools": notice.own_tools, "bring": "\n".join(notice.bring)} if notice else None
        context |= {
            "notice": notice,
            "notice_deadline": preparation.notice_deadline(session),
            "notice_form": notice_form or PreparationNoticeForm(initial=initial),
            "can_download_notices": bool(available("candidate_notices_pdf")),
        }
    return render(request, "arrangement/session.html", context)


@login_required
def session_detail(request, sid: int):
    _actor, session = _session(request, sid)
    return _detail(request, session)


@login_required
@require_POST
def preparation_notice(request, sid: int):
    """Publish or change the skill session's 实操准备通知单 (ARR-13)."""
    actor, session = _session(request, sid)
    form = PreparationNoticeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice = preparation.record_preparation_notice(
                actor=actor,
                session=session,
                bring=preparation.bring_lines(data["bring"]),
                own_tools=data["own_tools"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            if notice.own_tools:
                messages.success(request, "实操准备通知单已发布：考生可在准考证旁下载本人的通知单。")
            else:
                messages.success(request, "已记录：本场次考生无须自带工具，不向考生发放实操准备通知单。")
            return redirect("arrangement:session", sid=sid)
    return _detail(request, session, notice_form=form)


@login_required
def session_assignments(request, sid: int):
    _actor, session = _session(request, sid)
    prefix = queries.session_prefix(session)
    return render(
        request,
        "arrangement/assignments.html",
        {
            "session": session,
            "plan": session.plan,
            "tab": "assignments",
            "staffing": queries.session_assignments(session),
            "problems": [p for p in queries.current_problems(session.plan) if p.startswith(prefix)],
        },
    )


SEATS_PER_PAGE = 100


def _seats_page(request, actor: Actor, session, *, move_form=None, swap_form=None):
    """The seat map one room at a time (a room picker, the previous and next room), or the list 100 seats a page:
    never the whole session (334 rooms and 10,000 candidates would be 5 MB, issue 10)."""
    seat_qs = Seat.objects.filter(session=session).select_related("room", "application__candidate")
    rooms = queries.site_rooms_for_seating(session)
    # The desk picked on the map, or the candidate of a refused move or swap (highlighted again).
    chosen = request.GET.get("seat", "")
    if move_form is not None:
        chosen = move_form.data.get("seat", "")
    elif swap_form is not None:
        chosen = swap_form.data.get("first", "")
    chosen_seat = queries.session_seat(session, chosen)
    initial = {"seat": chosen_seat.pk, "first": chosen_seat.pk} if chosen_seat else {}
    released = AdmissionTicket.objects.filter(plan_id=session.plan_id, status=TicketStatus.RELEASED).exists()
    used = queries.session_rooms(session)
    view = "list" if request.GET.get("view") == "list" else "map"
    context = {
        "session": session,
        "plan": session.plan,
        "tab": "seats",
        "view": view,
        "rooms": used,
        "seated": sum(r.seated for r in used),
        "run": getattr(session, "seating", None),
        "released": released,
        "chosen": chosen_seat.pk if chosen_seat else None,
        "room_role": queries.room_role_label(session),
    }
    if view == "map" and used:
        wanted = request.GET.get("room", "")
        room_id = int(wanted) if wanted.isdigit() else (chosen_seat.room_id if chosen_seat else used[0].pk)
        at = next((i for i, r in enumerate(used) if r.pk == room_id), 0)
        context |= {
            "map": queries.room_seat_map(session, used[at]),
            "previous_room": used[at - 1] if at > 0 else None,
            "next_room": used[at + 1] if at + 1 < len(used) else None,
        }
    elif view == "list":
        context["page"] = Paginator(queries.session_seat_list(session), SEATS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    search_url = reverse("arrangement:seat_search", args=[session.pk])
    context["move_form"] = move_form or MoveForm(seats=seat_qs, rooms=rooms, initial=initial, search_url=search_url)
    context["swap_form"] = swap_form or SwapForm(seats=seat_qs, initial=initial, search_url=search_url)
    return render(request, "arrangement/seats.html", context)


@login_required
def seat_search(request, sid: int):
    """The move and swap pickers' search (JSON): at most 20 seats of the session whose candidate matches."""
    _actor, session = _session(request, sid)
    found = queries.search_session_seats(session, request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": s.pk, "label": seat_label(s)} for s in found]})


@login_required
def seats(request, sid: int):
    actor, session = _session(request, sid)
    return _seats_page(request, actor, session)


def _reissued(request, before: dict[int, AdmissionTicket]) -> None:
    """Show the tickets a seat change re-issued (after release, DAY-1): old number → new number, version."""
    after = queries.live_tickets(before)
    for app_id, old in before.items():
        new = after.get(app_id)
        if new is not None and new.pk != old.pk:
            messages.info(
                request,
                f"已重新签发准考证：{new.application.candidate.name} {old.number}（第{old.version}版，已作废）→ "
                f"{new.number}（第{new.version}版）。请通知考生重新下载打印。",
            )


def _seat_qs(session):
    return Seat.objects.filter(session=session).select_related("room", "application__candidate")


@login_required
@require_POST
def seat_move(request, sid: int):
    actor, session = _session(request, sid)
    form = MoveForm(
        request.POST,
        seats=_seat_qs(session),
        rooms=queries.site_rooms_for_seating(session),
        search_url=reverse("arrangement:seat_search", args=[sid]),
    )
    if form.is_valid():
        data = form.cleaned_data
        before = queries.live_tickets([data["seat"].application_id])
        try:
            moved = seating.move_seat(
                actor=actor, seat=data["seat"], room=data["room"], seat_no=data["seat_no"], reason=data["reason"]
            )
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(request, f"已将{moved.application.candidate.name}调至{moved.room}{moved.seat_no:02d}号。")
            _reissued(request, before)
            return redirect(f"{reverse('arrangement:seats', args=[sid])}?room={moved.room_id}#room-{moved.room_id}")
    return _seats_page(request, actor, session, move_form=form)


@login_required
@require_POST
def seat_swap(request, sid: int):
    actor, session = _session(request, sid)
    form = SwapForm(request.POST, seats=_seat_qs(session), search_url=reverse("arrangement:seat_search", args=[sid]))
    if form.is_valid():
        data = form.cleaned_data
        first, second = data["first"], data["second"]
        if first.pk == second.pk:
            form.add_error("second", "请选择另一名考生。")
        else:
            before = queries.live_tickets([first.application_id, second.application_id])
            try:
                a, b = seating.swap_seats(actor=actor, first=first, second=second, reason=data["reason"])
            except KaowuError as exc:
                forbid_if_not_allowed(exc)
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已对调：{first.application.candidate.name}现在{a.room}{a.seat_no:02d}号，"
                    f"{second.application.candidate.name}现在{b.room}{b.seat_no:02d}号。",
                )
                _reissued(request, before)
                return redirect(f"{reverse('arrangement:seats', args=[sid])}?room={a.room_id}#room-{a.room_id}")
    return _seats_page(request, actor, session, swap_form=form)


# Downloads -------------------------------------------------------------------------------------------------


@login_required
def session_printout(request, sid: int, kind: str):
    actor, session = _session(request, sid)
    if kind not in SESSION_PRINTOUTS:
        raise Http404("没有这种打印材料。")
    fn, filename, _, skill_only = SESSION_PRINTOUTS[kind]
    if skill_only and session.subject != Subject.SKILL:
        raise Http404("实操准备通知单只用于操作技能场次。")
    name = f"{filename}-{session.get_subject_display()}{session.date:%m%d}.pdf"
    content = render_printout(fn, session)
    if fn == "door_sheets_pdf":  # full numbers when the organisation set it so: the download is audited
        masking.full_numbers_printed(actor=actor, printout="door_sheet", obj=session, org_id=session.plan.org_id)
    return download(content, name)


@login_required
def preparation_notices_pdf(request, sid: int):
    """Every seated candidate's 实操准备通知单 in one PDF, one A4 page each (ARR-13)."""
    _actor, session = _session(request, sid)
    notice = preparation.notice_of(session) if session.subject == Subject.SKILL else None
    if notice is None or not notice.own_tools:
        raise Http404("本场次没有发布考生自带工具的实操准备通知单，请先在场次页填写并发布。")
    return download(
        render_printout("candidate_notices_pdf", session, notice),
        f"实操准备通知单-考生-{session.date:%m%d}.pdf",
    )


@login_required
def room_tickets_pdf(request, sid: int, room_id: int):
    _actor, session = _session(request, sid)
    seat = Seat.objects.filter(session=session, room_id=room_id).select_related("room").first()
    if seat is None:
        raise Http404(queries.NOT_FOUND)
    return download(
        render_printout("room_tickets_pdf", session, seat.room),
        f"准考证-{session.get_subject_display()}{session.date:%m%d}-{seat.room}.pdf",
    )
