from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/reason/", views.reason, name="reason"),
    path("<int:pk>/add/<str:kind>/", views.add_record, name="add-record"),
    path("<int:pk>/convictions/<int:event_id>/ogrs3-category/", views.ogrs3_category,
         name="ogrs3-category"),
]
