"""Exchange pages: the import form, and downloads of a version as CASE JSON or Moodle CSV.

Mounted by capdev/urls.py at competencies/exchange/.
"""

from django.urls import path

from capdev.competencies.exchange import views

app_name = "competency_exchange"
urlpatterns = [
    path("", views.exchange_index, name="index"),
    path("import/", views.import_framework, name="import"),
    path("versions/<int:pk>/case.json", views.version_case, name="version-case"),
    path("versions/<int:pk>/moodle.csv", views.version_moodle, name="version-moodle"),
]
