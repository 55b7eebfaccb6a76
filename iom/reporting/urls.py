from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.impact, name="impact"),
    path("recalculate/", views.recalculate, name="recalculate"),
    path("board-pack/", views.board_pack, name="board-pack"),
    path("board-pack/download/<str:fmt>/", views.download, name="download"),
]
