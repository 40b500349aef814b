"""Coverage matrices of competency frameworks, mounted at /coverage/."""

from django.urls import path

from capdev.catalogue import adaptations  # noqa: F401  (registers the permission rules)
from capdev.catalogue import coverage_views as views

app_name = "coverage"
urlpatterns = [
    path("<int:framework_version_id>/", views.coverage_matrix_view, name="matrix"),
    path("<int:framework_version_id>/csv/", views.coverage_csv_view, name="matrix-csv"),
]
