from django.urls import path

from capdev.portal import space_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my/learning/", space_views.my_learning, name="my-learning"),
    path("my/runs/", space_views.my_runs, name="my-runs"),
    path("participants/", space_views.participant_list, name="participant-list"),
    path("overview/runs/", space_views.run_overview, name="run-overview"),
]
