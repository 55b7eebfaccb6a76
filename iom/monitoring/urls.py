from django.urls import path

from . import match_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/add/", views.add_device, name="add-device"),
    path("units/<int:device_id>/", views.device, name="device"),
    path("units/<int:device_id>/state/", views.device_state, name="device-state"),
    path("units/<int:device_id>/move/", views.device_flex, name="device-flex"),
    path("moves/<int:flex_id>/", views.flex, name="flex"),
    path("audit/", views.audit, name="audit"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
    path("people/<int:pk>/trail/", match_views.trail, name="trail"),
    path("fittings/<int:fitting_id>/", views.fitting, name="fitting"),
    path("fittings/<int:fitting_id>/fit/", views.fit, name="fit"),
    path("fittings/<int:fitting_id>/remove/", views.remove, name="remove"),
    path("fixes/upload/", match_views.fix_upload, name="fix-upload"),
    path("fixes/<int:import_id>/", match_views.fix_import, name="fix-import"),
    path("crimes/upload/", match_views.crime_upload, name="crime-upload"),
    path("crimes/<int:batch_id>/", match_views.batch, name="batch"),
    path("runs/<int:run_id>/", match_views.run, name="run"),
    path("results/<int:result_id>/", match_views.result, name="result"),
    path("results/<int:result_id>/pdf/", match_views.result_pdf, name="result-pdf"),
]
