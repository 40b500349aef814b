"""Activity URLs. No `app_name`: the Actions app includes this module, so these names join the
"actions" namespace (`actions:activity-detail`)."""

from django.urls import path

from capdev.actions import activity_views as views

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/calendar/", views.activity_calendar, name="activity-calendar"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
    path("activities/<int:pk>/complete/", views.activity_complete, name="activity-complete"),
    path("activities/<int:pk>/matching/", views.activity_matching, name="activity-matching"),
    path("activities/<int:pk>/invite/", views.activity_invite, name="activity-invite"),
    path("actions/<int:action_id>/activities/new/", views.activity_create, name="activity-create"),
    path("actions/<int:action_id>/calendar.ics", views.action_calendar_ics, name="action-calendar-ics"),
]
