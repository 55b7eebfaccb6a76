from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("access-log/", views.audit_search, name="audit-search"),
    path("access-log/<int:pk>/", views.audit_person, name="audit-person"),
    path("people/<int:pk>/sharing/", views.sharing, name="sharing"),
]
