"""The organisation's registry: rooms and work stations of its filed sites, the sites' facilities (ARR-3,
ARR-13, ARR-14), and the staff registry with credentials and declared conflicts (ARR-9, ARR-10)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.arrangement import queries, rooms
from kaowu.arrangement.enums import FacilityKind, RoomKind
from kaowu.arrangement.forms import (
    CandidateSearchForm,
    ConflictForm,
    FacilityForm,
    RoomForm,
    StaffForm,
    StationForm,
)
from kaowu.arrangement.views.common import MANAGERS_ONLY, forbid_if_not_allowed, require_manager
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import show_error
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import Site

STAFF_PAGE = 100
# Rooms whose work stations are listed and added on the rooms page (ARR-13).
STATION_KINDS = (RoomKind.WORKSHOP, RoomKind.COMPUTER_ROOM)


# Sites and rooms ------------------------------------------------------------------------------------------


@login_required
def sites(request):
    """The organisation's sites, each with its rooms, desks and missing facilities."""
    actor = actor_of(request)
    if not actor.is_org_manager:
        raise PermissionDenied(MANAGERS_ONLY)
    rows = []
    qs = (
        for_actor(Site, actor)
        .select_related("district")
        .prefetch_related("rooms", "facilities")
        .order_by("-status", "name")
    )
    for site in qs:
        have = {f.kind for f in site.facilities.all()}
        rows.append(
            {
                "site": site,
                "rooms": len(site.rooms.all()),
                "missing": [k.label for k in FacilityKind if k not in have],
            }
        )
    return render(request, "arrangement/sites.html", {"rows": rows})


def _rooms_page(request, actor: Actor, site: Site, *, status: int = 200, **forms):
    manager = manages_org(actor, site.org_id)
    room_list = queries.site_rooms(site)
    facilities = {f.kind: f for f in site.facilities.all()}
    facility_forms = forms.get("facility_forms") or {}
    station_forms = forms.get("station_forms") or {}
    context = {
        "site": site,
        "manager": manager,
        "rooms": [
            (r, station_forms.get(r.pk) or StationForm() if manager and r.kind in STATION_KINDS else None)
            for r in room_list
        ],
        "station_kinds": STATION_KINDS,
        "facilities": [
            (
                kind,
                facilities.get(kind.value),
                facility_forms.get(kind.value)
                or FacilityForm(
                    initial={
                        "kind": kind.value,
                        "location": facilities[kind.value].location if kind.value in facilities else "",
                    },
                    prefix=kind.value,
                ),
            )
            for kind in FacilityKind
        ],
        "missing": rooms.missing_facilities(site),
        "desks": sum(r.desk_count for r in room_list),
        "room_form": forms.get("room_form") or RoomForm(initial={"number": len(room_list) + 1, "has_video": True}),
        "filed": site.status == SiteStatus.FILED,
    }
    return render(request, "arrangement/rooms.html", context, status=status)


@login_required
def site_rooms(request, pk: int):
    actor = actor_of(request)
    site = queries.site_for(actor, pk)
    if request.method != "POST":
        return _rooms_page(request, actor, site)
    require_manager(actor, site.org_id)
    form = RoomForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            room = rooms.save_room(actor=actor, site=site, **data)
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(request, f"已添加{room}（{room.label}）。")
            return redirect(f"{reverse('arrangement:rooms', args=[site.pk])}#room-{room.pk}")
    return _rooms_page(request, actor, site, room_form=form)


@login_required
def room_edit(request, pk: int, room_id: int):
    actor = actor_of(request)
    site = queries.site_for(actor, pk)
    room = queries.room_for(site, room_id)
    require_manager(actor, site.org_id)
    form = RoomForm(request.POST or None, initial=RoomForm.initial_for(room))
    if request.method == "POST" and form.is_valid():
        try:
            saved = rooms.save_room(actor=actor, site=site, room=room, **form.cleaned_data)
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(request, f"{saved}已保存。")
            return redirect(f"{reverse('arrangement:rooms', args=[site.pk])}#room-{saved.pk}")
    return render(request, "arrangement/room_form.html", {"site": site, "room": room, "form": form})


@login_required
@require_POST
def station_add(request, pk: int, room_id: int):
    actor = actor_of(request)
    site = queries.site_for(actor, pk)
    room = queries.room_for(site, room_id)
    require_manager(actor, site.org_id)
    form = StationForm(request.POST)
    if form.is_valid():
        try:
            station = rooms.add_station(actor=actor, room=room, **form.cleaned_data)
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(request, f"已保存{station}。")
            return redirect(f"{reverse('arrangement:rooms', args=[site.pk])}#room-{room.pk}")
    return _rooms_page(request, actor, site, station_forms={room.pk: form})


@login_required
@require_POST
def facility_set(request, pk: int):
    actor = actor_of(request)
    site = queries.site_for(actor, pk)
    require_manager(actor, site.org_id)
    kind = request.POST.get("kind", "")
    if kind not in FacilityKind.values:
        messages.error(request, "场所类别无效，请重新选择。")
        return redirect("arrangement:rooms", pk=site.pk)
    form = FacilityForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            facility = rooms.set_facility(
                actor=actor, site=site, kind=form.cleaned_data["kind"], location=form.cleaned_data["location"]
            )
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(request, f"已登记{facility}。")
            return redirect(f"{reverse('arrangement:rooms', args=[site.pk])}#facilities")
    return _rooms_page(request, actor, site, facility_forms={kind: form})


# Staff registry -------------------------------------------------------------------------------------------


@login_required
def staff_list(request):
    actor = actor_of(request)
    if not actor.is_org_manager:
        raise PermissionDenied(MANAGERS_ONLY)
    today = clock.today()
    qs = queries.staff_for(actor)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(name__contains=text)
    page = Paginator(qs, STAFF_PAGE).get_page(request.GET.get("page"))
    rows = []
    for s in page.object_list:
        s.role_labels = queries.role_labels(s)
        rows.append((s, queries.credential_state(s, today)))
    counts = for_actor(queries.StaffMember, actor).aggregate(n=Count("pk"))
    return render(
        request,
        "arrangement/staff_list.html",
        {"rows": rows, "page": page, "q": text, "today": today, "total": counts["n"]},
    )


def _save_staff(request, actor: Actor, form: StaffForm, staff=None):
    data = form.cleaned_data
    try:
        saved = rooms.save_staff(
            actor=actor,
            org_id=actor.org_id if staff is None else staff.org_id,
            name=data["name"],
            doc_number=data["doc_number"],
            roles=data["roles"],
            staff=staff,
            **form.extra(),
        )
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        show_error(form, exc)
    except IntegrityError:
        # rooms.save_staff leaves the (organisation, document) uniqueness to the database.
        form.add_error("doc_number", "人员库中已有该证件号码的人员，请在原记录上修改。")
    else:
        messages.success(request, f"已保存{saved.name}的人员信息。")
        return redirect(f"{reverse('arrangement:staff_list')}#staff-{saved.pk}")
    return None


@login_required
def staff_new(request):
    actor = actor_of(request)
    if not actor.is_org_manager:
        raise PermissionDenied(MANAGERS_ONLY)
    form = StaffForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        done = _save_staff(request, actor, form)
        if done:
            return done
    return render(request, "arrangement/staff_form.html", {"form": form, "staff": None})


@login_required
def staff_edit(request, pk: int):
    actor = actor_of(request)
    staff = get_for_actor_or_404(queries.StaffMember, actor, pk=pk)
    require_manager(actor, staff.org_id)
    form = StaffForm(request.POST or None, initial=StaffForm.initial_for(staff))
    if request.method == "POST" and form.is_valid():
        done = _save_staff(request, actor, form, staff)
        if done:
            return done
    return render(request, "arrangement/staff_form.html", {"form": form, "staff": staff})


@login_required
def staff_conflicts(request, pk: int):
    """ARR-9: the conflicts a staff member declared, and a new one with a candidate of the organisation's plans."""
    actor = actor_of(request)
    staff = get_for_actor_or_404(queries.StaffMember, actor, pk=pk)
    require_manager(actor, staff.org_id)
    search = CandidateSearchForm(request.GET or None)
    found = queries.search_candidates(actor, search.data.get("q", "")) if search.is_bound else []
    if request.method == "POST":
        form = ConflictForm(request.POST, candidates=queries.candidate_choices(actor))
        if form.is_valid():
            data = form.cleaned_data
            try:
                conflict = rooms.declare_conflict(
                    actor=actor, staff=staff, candidate=data["candidate"], kind=data["kind"], note=data["note"]
                )
            except KaowuError as exc:
                forbid_if_not_allowed(exc)
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记{staff.name}回避考生{conflict.candidate.name}（{conflict.get_kind_display()}）；"
                    "已有的人员安排请重新检查。",
                )
                return redirect("arrangement:staff_conflicts", pk=staff.pk)
        chosen = form.data.get("candidate")
        if chosen and not found:
            found = list(queries.candidate_choices(actor).filter(pk=chosen)) if str(chosen).isdigit() else []
    else:
        form = ConflictForm(candidates=queries.candidate_choices(actor), initial={"candidate": None})
    # The candidates found are offered as a list to pick from; the form still accepts only the organisation's.
    form.fields["candidate"].widget = forms.RadioSelect(
        choices=[(c.pk, f"{c.name}（{c.masked_doc_number}）") for c in found]
    )
    return render(
        request,
        "arrangement/staff_conflicts.html",
        {
            "staff": staff,
            "conflicts": queries.staff_conflicts(staff),
            "search": search,
            "found": found,
            "form": form,
        },
    )
