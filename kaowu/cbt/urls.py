from django.urls import path

from kaowu.cbt import views

app_name = "cbt"

urlpatterns = [
    path("cbt/sessions/<int:session_id>/rooms/<int:room_id>/", views.player, name="player"),
]
