from django.urls import path

from kaowu.arrangement.views import oversight, personal, plan, registry, session

app_name = "arrangement"

urlpatterns = [
    # Rooms, work stations and facilities of the organisation's sites (ARR-3, ARR-13, ARR-14)
    path("rooms/", registry.sites, name="sites"),
    path("sites/<int:pk>/rooms/", registry.site_rooms, name="rooms"),
    path("sites/<int:pk>/rooms/<int:room_id>/edit/", registry.room_edit, name="room_edit"),
    path("sites/<int:pk>/rooms/<int:room_id>/stations/", registry.station_add, name="station_add"),
    path("sites/<int:pk>/facilities/", registry.facility_set, name="facility_set"),
    # Staff registry and conflicts (ARR-9, ARR-10)
    path("staff/", registry.staff_list, name="staff_list"),
    path("staff/new/", registry.staff_new, name="staff_new"),
    path("staff/<int:pk>/edit/", registry.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/conflicts/", registry.staff_conflicts, name="staff_conflicts"),
    # A plan's arrangement (ARR-1, ARR-2) and tickets
    path("plans/<int:pk>/arrangement/", plan.arrangement, name="plan"),
    path("plans/<int:pk>/arrangement/confirm/", plan.confirm, name="confirm"),
    path("plans/<int:pk>/arrangement/sessions/<int:sid>/seat/", plan.seat, name="seat"),
    path("plans/<int:pk>/arrangement/assign/", plan.assign, name="assign"),
    path("plans/<int:pk>/arrangement/issue/", plan.issue, name="issue"),
    path("plans/<int:pk>/arrangement/release/", plan.release, name="release"),
    path("plans/<int:pk>/arrangement/report/", plan.report, name="report_submit"),
    path("plans/<int:pk>/tickets/", plan.ticket_list, name="tickets"),
    path("plans/<int:pk>/tickets/all/", plan.bulk_start, name="bulk_start"),
    path("plans/<int:pk>/tickets/all/progress/", plan.bulk_progress, name="bulk_progress"),
    path("plans/<int:pk>/tickets/all.pdf", plan.bulk_download, name="bulk_download"),
    path("plans/<int:pk>/badges.pdf", plan.badges_pdf, name="badges_pdf"),
    path("plans/<int:pk>/sites/<int:site_id>/schedule.pdf", plan.site_schedule_pdf, name="site_schedule_pdf"),
    path("tickets/<int:pk>.pdf", plan.ticket_pdf, name="ticket_pdf"),
    # One session: overview with run sheet and printouts, seats, staff
    path("sessions/<int:sid>/", session.session_detail, name="session"),
    path("sessions/<int:sid>/seats/", session.seats, name="seats"),
    path("sessions/<int:sid>/seats/search/", session.seat_search, name="seat_search"),
    path("sessions/<int:sid>/seats/move/", session.seat_move, name="seat_move"),
    path("sessions/<int:sid>/seats/swap/", session.seat_swap, name="seat_swap"),
    path("sessions/<int:sid>/assignments/", session.session_assignments, name="assignments"),
    path("sessions/<int:sid>/print/<slug:kind>.pdf", session.session_printout, name="session_printout"),
    path("sessions/<int:sid>/preparation-notice/", session.preparation_notice, name="preparation_notice"),
    path("sessions/<int:sid>/preparation-notices.pdf", session.preparation_notices_pdf, name="preparation_notices_pdf"),
    path("sessions/<int:sid>/rooms/<int:room_id>/tickets.pdf", session.room_tickets_pdf, name="room_tickets_pdf"),
    # Districts and the centre (ORG-4), and the organisation's own overview
    path("arrangements/", oversight.arrangement_list, name="list"),
    path("arrangements/<int:pk>/", oversight.report_page, name="report"),
    path("arrangements/<int:pk>/report.xlsx", oversight.report_xlsx, name="report_xlsx"),
    path("arrangements/<int:pk>/report.pdf", oversight.report_pdf, name="report_pdf"),
    # What a person sees of their own
    path("portal/tickets/", personal.portal_tickets, name="portal_tickets"),
    path("portal/seats/<int:pk>/preparation-notice.pdf", personal.portal_notice_pdf, name="portal_notice_pdf"),
    path("my/assignments/", personal.my_assignments, name="my_assignments"),
]
