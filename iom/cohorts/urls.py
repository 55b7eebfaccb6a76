from django.urls import path

from iom.cohorts import views
from iom.cohorts.candidates import downloads as candidate_downloads
from iom.cohorts.candidates import views as candidate_views
from iom.cohorts.lifecycle import team_views
from iom.cohorts.lifecycle import views as case_views

# Pages about one person's case sit under /people/<id>/ so that the viewing
# reason page sends the user straight back to them.
app_name = "cohorts"
urlpatterns = [
    path("cohorts/", views.cohort_dashboard, name="dashboard"),
    path("cohorts/download/<str:fmt>/", views.cohort_dashboard_download,
         name="dashboard-download"),
    path("cohorts/figures/", views.cohort_figures, name="figures"),
    path("cohorts/candidates/", candidate_views.candidate_list, name="candidates"),
    path("cohorts/candidates/download/<str:fmt>/", candidate_downloads.candidate_download,
         name="candidates-download"),
    path("cohorts/what-if/", candidate_views.what_if, name="what-if"),
    path("people/<int:pk>/case/refer/", case_views.refer, name="refer"),
    path("people/<int:pk>/case/transfer-in/", case_views.transfer_in, name="transfer-in"),
    path("people/<int:pk>/case/decision/", case_views.decide, name="decide"),
    path("people/<int:pk>/case/placement/", case_views.place, name="place"),
    path("people/<int:pk>/case/rag/", case_views.change_rag, name="rag"),
    path("people/<int:pk>/case/custody/", case_views.record_custody, name="custody"),
    path("people/<int:pk>/case/step/<slug:name>/", case_views.step, name="step"),
    path("people/<int:pk>/case/team/", team_views.change_team, name="team"),
    path("people/<int:pk>/case/prison-hub/", team_views.prison_hub, name="prison-hub"),
]
