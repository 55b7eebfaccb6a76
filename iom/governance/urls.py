from django.urls import path

from . import breach_views, dpo_views, retention_views, sar_views, views

app_name = "governance"
urlpatterns = [
    path("", dpo_views.index, name="index"),
    path("access-log/", views.audit_search, name="audit-search"),
    path("access-log/<int:pk>/", views.audit_person, name="audit-person"),
    path("people/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("consents/<int:pk>/paperwork/", views.paperwork, name="paperwork"),
    path("legal-bases/", dpo_views.legal_bases, name="legal-bases"),
    path("register/<int:pk>/", dpo_views.sharing_register, name="register"),
    path("corrections/", dpo_views.correction_notices, name="correction-notices"),
    path("notices/", dpo_views.my_notices, name="notices"),
    path("notices/<int:pk>/acknowledge/", dpo_views.acknowledge_notice, name="notice-ack"),
    path("people/<int:pk>/records/<str:kind>/<int:record_id>/correct/",
         dpo_views.correct_record, name="correct"),
    path("subject-access/", sar_views.subject_access_list, name="subject-access-list"),
    path("subject-access/<int:pk>/", sar_views.subject_access_detail, name="subject-access"),
    path("subject-access/<int:pk>/<str:fmt>/", sar_views.subject_access_download,
         name="subject-access-download"),
    path("retention/", retention_views.retention_queue, name="retention"),
    path("retention/<int:pk>/", retention_views.retention_person, name="retention-person"),
    path("retention/disposed/", retention_views.tombstones, name="tombstones"),
    path("breaches/", breach_views.breach_list, name="breaches"),
    path("breaches/<int:pk>/", breach_views.breach_detail, name="breach"),
]
