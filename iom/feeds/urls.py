from django.urls import path

from . import views

app_name = "feeds"
urlpatterns = [
    path("imports/", views.runs, name="runs"),
    path("imports/upload/", views.upload, name="upload"),
    path("imports/<int:run_id>/", views.run_detail, name="run"),
    path("imports/<int:run_id>/problems.csv", views.problems_csv, name="problems"),
    path("alerts/", views.inbox, name="inbox"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
]
