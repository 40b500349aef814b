"""The public catalogue, mounted at /courses/ (no login)."""

from django.urls import path

from capdev.catalogue import public_views

app_name = "public_catalogue"
urlpatterns = [
    path("", public_views.course_list, name="course-list"),
    path("<uuid:uuid>/", public_views.course_detail, name="course-detail"),
]
