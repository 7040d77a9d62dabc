from django.urls import path

from kaowu.exams.views import day, oversight, portal, records, skill

app_name = "exams"

urlpatterns = [
    path("portal/emergency-plans/", portal.portal_emergency_plans, name="portal_emergency_plans"),
    path("portal/emergency-plans/<int:pk>/acknowledge/", portal.portal_acknowledge, name="portal_acknowledge"),
    path("exam-days/", day.index, name="index"),
    path("exam-days/sessions/<int:sid>/", day.live, name="live"),
    path("exam-days/sessions/<int:sid>/open/", day.open_day, name="open"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/door/", day.door_page, name="door"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/record/", day.room_record, name="record"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/record/entries/", records.record_entry, name="record_entry"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/record/sign/", records.record_sign, name="record_sign"),
    path("exam-days/sessions/<int:sid>/steps/", records.step_done, name="step"),
    path("exam-days/sessions/<int:sid>/incidents/", records.incident, name="incident"),
    path("exam-days/sessions/<int:sid>/site-posting/", records.site_posting, name="site_posting"),
    path("exam-days/sessions/<int:sid>/custody/", records.custody_page, name="custody"),
    path("exam-days/sessions/<int:sid>/custody/pack/", records.custody_pack, name="pack"),
    path("exam-days/packets/<int:pid>/hand-over/", records.hand_over_start, name="hand_over"),
    path("exam-days/packets/<int:pid>/open/", records.packet_open, name="packet_open"),
    path("exam-days/hand-overs/<int:hid>/sign/", records.hand_over_sign, name="hand_over_sign"),
    path("exam-days/sessions/<int:sid>/monitoring/", records.monitoring_page, name="monitoring"),
    path("exam-days/sessions/<int:sid>/overview/", oversight.overview, name="overview"),
    path("exam-days/sessions/<int:sid>/report/", oversight.report, name="report"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/skill/", skill.skill_room, name="skill_room"),
    path(
        "exam-days/sessions/<int:sid>/rooms/<int:rid>/skill/stations/<int:station_id>/check/",
        skill.station_check,
        name="station_check",
    ),
    path(
        "exam-days/sessions/<int:sid>/rooms/<int:rid>/skill/faults/<int:item_id>/resolve/",
        skill.fault_resolve,
        name="fault_resolve",
    ),
    path(
        "exam-days/sessions/<int:sid>/rooms/<int:rid>/skill/seats/<int:seat_id>/switch/",
        skill.station_switch,
        name="station_switch",
    ),
    path(
        "exam-days/sessions/<int:sid>/rooms/<int:rid>/skill/seats/<int:seat_id>/start/",
        skill.skill_start,
        name="skill_start",
    ),
]
