from django.urls import path

from capdev.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.expert_list, name="expert-list"),
    path("new/", views.expert_create, name="expert-create"),
    path("statistics/", views.expert_statistics, name="expert-statistics"),
    path("invitations/", views.my_invitations, name="invitation-list"),
    path("deployments/<int:pk>/accept/", views.deployment_accept, name="deployment-accept"),
    path("deployments/<int:pk>/decline/", views.deployment_decline, name="deployment-decline"),
    path("deployments/<int:pk>/withdraw/", views.deployment_withdraw, name="deployment-withdraw"),
    path("deployments/<int:pk>/feedback/", views.deployment_feedback, name="deployment-feedback"),
    path("availability/<int:pk>/delete/", views.availability_delete, name="availability-delete"),
    path("<int:pk>/", views.expert_detail, name="expert-detail"),
    path("<int:pk>/edit/", views.expert_edit, name="expert-edit"),
    path("<int:pk>/availability/", views.availability_add, name="availability-add"),
    path("<int:pk>/cv/", views.expert_cv, name="expert-cv"),
    path("<int:pk>/calendar.ics", views.expert_calendar_ics, name="expert-calendar-ics"),
    path("<int:pk>/calendar/reset/", views.expert_calendar_reset, name="expert-calendar-reset"),
]
