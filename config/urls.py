from django.urls import include, path

from iom.api.urls import api
from iom.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("accounts/", include("iom.accounts.urls")),
    path("people/", include("iom.people.urls")),
    path("governance/", include("iom.governance.urls")),
    path("scores/", include("iom.scoring.urls")),
    path("", include("iom.cohorts.urls")),
    path("admin-area/", include("iom.accounts.admin_urls")),
    path("", include("iom.casework.urls")),
    path("meetings/", include("iom.meetings.urls")),
    path("feeds/", include("iom.feeds.urls")),
    path("impact/", include("iom.reporting.urls")),
    path("monitoring/", include("iom.monitoring.urls")),
    path("api/", api.urls),
    path("", include("iom.operations.urls")),
]
