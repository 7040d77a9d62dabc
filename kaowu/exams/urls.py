from django.urls import path

from kaowu.exams.views import day

app_name = "exams"

urlpatterns = [
    path("exam-days/", day.index, name="index"),
    path("exam-days/sessions/<int:sid>/", day.live, name="live"),
    path("exam-days/sessions/<int:sid>/open/", day.open_day, name="open"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/door/", day.door_page, name="door"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/record/", day.room_record, name="record"),
]
