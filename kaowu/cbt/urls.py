from django.urls import path

from kaowu.cbt import views

app_name = "cbt"

urlpatterns = [
    path("cbt/sessions/<int:session_id>/rooms/<int:room_id>/", views.player, name="player"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/cbt/", views.proctor, name="proctor"),
    path("exam-days/sessions/<int:sid>/rooms/<int:rid>/cbt/<str:action>/", views.proctor_action, name="proctor_action"),
]
