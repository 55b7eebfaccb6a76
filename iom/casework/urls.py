from django.urls import path

from . import views

app_name = "casework"
person = "people/<int:pk>/casework/"
urlpatterns = [
    path(person, views.person, name="person"),
    path(f"{person}plan/start/", views.start_plan, name="start-plan"),
    path(f"{person}plan/needs/add/", views.add_need, name="add-need"),
    path(f"{person}plan/needs/<int:need_id>/refer/", views.refer, name="refer"),
    path(f"{person}plan/needs/<int:need_id>/progress/", views.progress, name="progress"),
    path(f"{person}plan/referrals/<int:referral_id>/response/", views.referral_response,
         name="referral-response"),
    path(f"{person}plan/outcomes/add/", views.outcome, name="outcome"),
    path(f"{person}plan/endorse/", views.endorse, name="endorse"),
    path(f"{person}plan/close/", views.close_plan, name="close-plan"),
    path(f"{person}actions/add/", views.add_action, name="add-action"),
    path(f"{person}actions/<int:action_id>/update/", views.action_update, name="action-update"),
    path(f"{person}actions/<int:action_id>/result/", views.action_close, name="action-close"),
    path(f"{person}contacts/add/", views.add_contact, name="add-contact"),
    path(f"{person}threats/<int:threat_id>/review/", views.review_threat, name="review-threat"),
    path(f"{person}deregistration/", views.deregister, name="deregister"),
    path(f"{person}documents/new/<slug:kind>/", views.generate_document, name="generate-document"),
    path(f"{person}documents/<int:document_id>/", views.download_document,
         name="download-document"),
    path("casework/actions/mine/", views.my_actions, name="my-actions"),
    path("casework/actions/overdue/", views.overdue_actions, name="overdue-actions"),
    path("casework/compliance/", views.compliance_dashboard, name="compliance"),
    path("casework/compliance/tag-audit/", views.tag_audit, name="tag-audit"),
]
