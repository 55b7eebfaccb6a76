from django.urls import path

from . import item_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.arrange, name="arrange"),
    path("schedules/new/", views.schedule, name="schedule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attendees/", views.add_attendee, name="add-attendee"),
    path("<int:pk>/attendees/<int:attendance_id>/remove/", views.remove_attendee,
         name="remove-attendee"),
    path("<int:pk>/attendees/<int:attendance_id>/sign/", views.sign, name="sign"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("<int:pk>/open/", views.open_meeting, name="open"),
    path("<int:pk>/close/", views.close_meeting, name="close"),
    path("<int:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("<int:pk>/agenda/generate/", views.generate, name="generate"),
    path("<int:pk>/agenda/add/", views.add_item, name="add-item"),
    path("<int:pk>/items/<int:item_id>/", item_views.item_page, name="item"),
    path("<int:pk>/items/<int:item_id>/move/", views.move_item, name="move-item"),
    path("<int:pk>/export/", item_views.export, name="export"),
    path("<int:pk>/export.pdf", item_views.export_pdf, name="export-pdf"),
]
