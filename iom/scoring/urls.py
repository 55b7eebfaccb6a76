from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("ogrs3/", views.ogrs3_calculator, name="ogrs3"),
    path("people/<int:pk>/", views.person_scores, name="person"),
    path("people/<int:pk>/supplied-ogrs3/", views.supplied_ogrs3, name="supplied-ogrs3"),
    path("people/<int:pk>/download/<str:fmt>/", views.person_scores_download,
         name="person-download"),
]
